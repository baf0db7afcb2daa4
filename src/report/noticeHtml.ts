import type { InspectionReport, ReportUnit } from './model.js';
import type { NoticeTemplate } from './noticeTemplate.js';
import {
  noticeContent,
  PROBLEM_HEADERS,
  printable,
  type NoticeContent,
  type ProblemSection,
} from './noticeContent.js';
import { CJK_FONT_FAMILY } from '../render/htmlToPdf.js';

/**
 * 整改通知 for one unit as a self-contained HTML document laid out for printing to A4 (the PDF
 * notice). Only the layout lives here: every text comes from noticeContent, shared with the DOCX.
 * Texts come from government pages and may hold markup, so each one is escaped; nothing is loaded
 * from outside the document and nothing runs in it.
 */

/** Column widths in PROBLEM_HEADERS order; 依据 gets more than in the DOCX, its long citations made rows tall. */
const PROBLEM_WIDTHS = ['7%', '17%', '21%', '15%', '16%', '24%'];
const HEADING_FONT = `"Noto Sans CJK SC",${CJK_FONT_FAMILY}`;

/**
 * Rows stay whole, as in the DOCX (cantSplit): a URL cut by a page break is hard to copy or type.
 * Chromium still splits a row taller than a page.
 */
const STYLE = `
* { box-sizing: border-box; }
html { font-family: ${CJK_FONT_FAMILY}; font-size: 16px; color: #000; }
body { margin: 0; line-height: 1.75; -webkit-print-color-adjust: exact; print-color-adjust: exact; }
p, h1, h2, h3, td, th { white-space: pre-wrap; overflow-wrap: anywhere; }
p { margin: 0; text-align: justify; }
h1, h2, h3 { margin: 0; break-after: avoid; page-break-after: avoid; }
h1 { font-size: 29px; font-weight: 700; text-align: center; line-height: 1.5; margin: 8mm 0 3mm; }
h2 { font-family: ${HEADING_FONT}; font-size: 16px; font-weight: 400; text-indent: 2em; }
h3 { font-size: 16px; font-weight: 700; text-indent: 2em; }
.indent { text-indent: 2em; }
.center { text-align: center; }
.doc-number { text-align: center; margin-bottom: 5mm; }
table { width: 100%; border-collapse: collapse; table-layout: fixed; margin: 2mm 0 4mm; }
thead { display: table-header-group; }
tr { break-inside: avoid; page-break-inside: avoid; }
th, td { border: 0.75pt solid #000; padding: 1mm 1.5mm; vertical-align: middle; text-align: left; }
.problems { font-size: 12px; line-height: 1.5; }
.problems th { background: #d9d9d9; font-weight: 700; }
.problems td:nth-child(1) { text-align: center; }
.problems td:nth-child(3) { word-break: break-all; }
.sign-off { break-inside: avoid; page-break-inside: avoid; }
.signature { margin-top: 16mm; text-align: right; }
.signature p { text-align: right; }
.note { font-size: 12px; line-height: 1.6; margin-top: 7mm; }
.receipt { break-before: page; page-break-before: always; }
.receipt h1 { font-size: 24px; margin: 4mm 0 2mm; }
.receipt .subtitle { margin-bottom: 5mm; }
.receipt table td { height: 16mm; }
.receipt .label { width: 32%; font-weight: 700; }
.receipt .footer { margin-top: 5mm; }
`;

const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

function escapeHtml(text: string): string {
  return printable(text).replace(/[&<>"']/g, (c) => ENTITIES[c] ?? c);
}

/** One element with escaped text; `cls` is always a constant of this file, never data. */
function el(tag: string, text: string, cls = ''): string {
  return `<${tag}${cls ? ` class="${cls}"` : ''}>${escapeHtml(text)}</${tag}>`;
}

export function renderNoticeHtml(
  report: InspectionReport,
  unit: ReportUnit,
  template: NoticeTemplate,
): string {
  const content = noticeContent(report, unit, template);
  return [
    '<!DOCTYPE html>',
    '<html lang="zh-CN"><head><meta charset="utf-8">',
    `<title>${escapeHtml(content.title)}</title>`,
    `<style>${STYLE}</style>`,
    '</head><body>',
    letter(content),
    receipt(content),
    '</body></html>',
  ].join('\n');
}

function letter(c: NoticeContent): string {
  return [
    '<main class="letter">',
    el('h1', c.title),
    el('p', c.docNumber, 'doc-number'),
    el('p', c.addressee),
    el('p', c.intro, 'indent'),
    el('h2', c.problemsHeading),
    ...(c.sections.length ? c.sections.map(problemSection) : [el('p', c.noProblems, 'indent')]),
    el('h2', c.adviceHeading),
    ...c.advice.map((text) => el('p', text, 'indent')),
    el('p', c.deadline, 'indent'),
    signOff(c),
    ...(c.unverifiedNote ? [el('p', c.unverifiedNote, 'note')] : []),
    '</main>',
  ].join('\n');
}

/** 特此通知 and the signature stay on one page: a signature alone on a page is not acceptable. */
function signOff(c: NoticeContent): string {
  const signature = `<div class="signature">${el('p', c.issuer)}${el('p', c.date)}</div>`;
  return `<div class="sign-off">${el('p', c.closing, 'indent')}${signature}</div>`;
}

function problemSection(section: ProblemSection): string {
  const cols = PROBLEM_WIDTHS.map((w) => `<col style="width:${w}">`).join('');
  const head = `<tr>${PROBLEM_HEADERS.map((h) => el('th', h)).join('')}</tr>`;
  const rows = section.rows.map((cells) => `<tr>${cells.map((text) => el('td', text)).join('')}</tr>`);
  return [
    el('h3', section.heading),
    `<table class="problems"><colgroup>${cols}</colgroup>`,
    `<thead>${head}</thead>`,
    `<tbody>\n${rows.join('\n')}\n</tbody></table>`,
  ].join('\n');
}

function receipt(c: NoticeContent): string {
  const rows = c.receipt.rows.map(
    ([label, value]) => `<tr>${el('td', label, 'label')}${el('td', value)}</tr>`,
  );
  return [
    '<section class="receipt">',
    el('h1', c.receipt.title),
    el('p', c.receipt.subtitle, 'center subtitle'),
    `<table><tbody>\n${rows.join('\n')}\n</tbody></table>`,
    el('p', c.receipt.footer, 'indent footer'),
    '</section>',
  ].join('\n');
}
