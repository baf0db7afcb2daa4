import { escapeHtml } from './escape.js';
import { NOTICE_SHOT_STYLE, noticeShotsHtml } from './noticeEvidence.js';
import type { InspectionReport, ReportUnit } from './model.js';
import type { NoticeTemplate } from './noticeTemplate.js';
import {
  noticeContent,
  PROBLEM_HEADERS,
  type NoticeAnnex,
  type NoticeContent,
  type ProblemSection,
} from './noticeContent.js';
import { CJK_FONT_FAMILY } from '../render/htmlToPdf.js';
import { organMarkPoints, pdfPageNumberCss, signOffIndents } from './gongwen.js';

/**
 * 整改通知 for one unit as a self-contained HTML document laid out for printing to A4 (the PDF
 * notice). Only the layout lives here: every text comes from noticeContent, shared with the DOCX.
 * Texts come from government pages and may hold markup, so each one is escaped; nothing is loaded
 * from outside the document and nothing runs in it.
 */

/** Column widths in PROBLEM_HEADERS order; 依据 gets more than in the DOCX, its long citations made rows tall. */
const PROBLEM_WIDTHS = ['7%', '22%', '30%', '18%', '23%'];
const HEADING_FONT = `"Noto Sans CJK SC",${CJK_FONT_FAMILY}`;

/**
 * GB/T 9704 on A4 (margins in noticePdf): body 仿宋 三号 (16 pt) at 28 characters a line (15.79 pt
 * pitch, hence the negative letter-spacing) and 22 lines a page (28.9 pt line pitch); tables in 五号.
 * Rows stay whole, as in the DOCX (cantSplit): a URL cut by a page break is hard to copy or type.
 * Chromium still splits a row taller than a page. Page numbers sit on the outer edge (gongwen).
 */
const STYLE = `
${pdfPageNumberCss(CJK_FONT_FAMILY)}
* { box-sizing: border-box; }
html { font-family: ${CJK_FONT_FAMILY}; font-size: 16pt; color: #000; }
body { margin: 0; line-height: 28.9pt; letter-spacing: -0.21pt; -webkit-print-color-adjust: exact; print-color-adjust: exact; }
p, h1, h2, h3, td, th { white-space: pre-wrap; overflow-wrap: anywhere; }
p { margin: 0; text-align: justify; word-break: break-all; }
h1, h2, h3 { margin: 0; break-after: avoid; page-break-after: avoid; }
.organ-mark { color: #e00; text-align: center; font-weight: 700; line-height: 1.3; letter-spacing: 0.05em; margin-top: 6mm; }
.doc-number { text-align: center; margin-top: 8mm; letter-spacing: 0; }
.red-line { border: 0; border-top: 1.5pt solid #e00; margin: 1mm 0 10mm; }
h1 { font-size: 22pt; font-weight: 700; text-align: center; line-height: 1.45; margin: 0 0 8mm; letter-spacing: 0; }
h2 { font-family: ${HEADING_FONT}; font-size: 16pt; font-weight: 400; text-indent: 2em; }
h3 { font-size: 16pt; font-weight: 700; text-indent: 2em; }
.indent { text-indent: 2em; }
.center { text-align: center; }
table { width: 100%; border-collapse: collapse; table-layout: fixed; margin: 2mm 0 4mm; letter-spacing: 0; }
thead { display: table-header-group; }
tr { break-inside: avoid; page-break-inside: avoid; }
th, td { border: 0.75pt solid #000; padding: 1mm 1.5mm; vertical-align: middle; text-align: left; }
.problems { font-size: 10.5pt; line-height: 1.5; }
.problems th { background: #d9d9d9; font-weight: 700; }
.problems td:nth-child(1) { text-align: center; }
.problems td:nth-child(3) { word-break: break-all; }
a { color: inherit; text-decoration: none; }
.summary { font-size: 12pt; line-height: 1.6; }
.summary th { background: #d9d9d9; font-weight: 700; }
.attachment { margin-top: 28.9pt; }
.attachment-more { padding-left: 5em; }
.basis { font-size: 12pt; line-height: 1.6; letter-spacing: 0; margin-bottom: 2mm; }
.annex { break-before: page; page-break-before: always; }
.annex .annex-label { font-family: ${HEADING_FONT}; }
.annex h1 { font-size: 18pt; margin: 4mm 0 4mm; }
.annex table { font-size: 10.5pt; line-height: 1.5; }
.annex th { background: #d9d9d9; }
.annex td:nth-child(2) { word-break: break-all; }
.sign-off { break-inside: avoid; page-break-inside: avoid; }
.signature { margin-top: 57.8pt; }
.signature p { text-align: right; }
.note { font-size: 12pt; line-height: 1.6; margin-top: 7mm; letter-spacing: 0; }
.receipt { break-before: page; page-break-before: always; }
.receipt .annex-label { font-family: ${HEADING_FONT}; }
.receipt h1 { font-size: 18pt; margin: 4mm 0 2mm; }
.receipt .subtitle { margin-bottom: 5mm; }
.receipt table td { height: 16mm; }
.receipt .label { width: 32%; font-weight: 700; }
.receipt .footer { margin-top: 5mm; }
.imprint { margin-top: 20mm; font-size: 14pt; line-height: 24pt; letter-spacing: 0; break-inside: avoid; page-break-inside: avoid; }
.imprint p { padding: 0 1em; border-bottom: 0.75pt solid #000; }
.imprint p:first-child { border-top: 0.75pt solid #000; }
.imprint .printed { display: flex; justify-content: space-between; }
`;

/** One element with escaped text; `cls` is always a constant of this file, never data. */
function el(tag: string, text: string, cls = ''): string {
  return `<${tag}${cls ? ` class="${cls}"` : ''}>${escapeHtml(text)}</${tag}>`;
}

export function renderNoticeHtml(
  report: InspectionReport,
  unit: ReportUnit,
  template: NoticeTemplate,
  images: Map<string, Buffer> = new Map(),
): string {
  return renderNoticeContentHtml(noticeContent(report, unit, template), images);
}

/** Any notice's content (整改通知, 督办通知) as the printable HTML document. */
export function renderNoticeContentHtml(
  content: NoticeContent,
  images: Map<string, Buffer> = new Map(),
): string {
  return [
    '<!DOCTYPE html>',
    '<html lang="zh-CN"><head><meta charset="utf-8">',
    `<title>${escapeHtml(content.title)}</title>`,
    `<style>${STYLE}${NOTICE_SHOT_STYLE}</style>`,
    '</head><body>',
    letter(content),
    receipt(content),
    ...content.annexes.map((a, i) => annex(a, i + 2)),
    ...(content.evidence ? [evidenceAnnex(content.evidence, content.annexes.length + 2, images)] : []),
    imprint(content),
    '</body></html>',
  ].join('\n');
}

function letter(c: NoticeContent): string {
  return [
    '<main class="letter">',
    `<p class="organ-mark" style="font-size:${organMarkPoints(c.organMark)}pt">${escapeHtml(c.organMark)}</p>`,
    ...(c.docNumber ? [el('p', c.docNumber, 'doc-number')] : []),
    '<hr class="red-line">',
    `<h1>${c.titleLines.map(escapeHtml).join('<br>')}</h1>`,
    el('p', c.addressee),
    el('p', c.intro, 'indent'),
    summary(c),
    el('h2', c.problemsHeading),
    ...(c.sections.length ? c.sections.map(problemSection) : [el('p', c.noProblems, 'indent')]),
    ...(c.moreProblems ?? []).flatMap((part) => [
      el('h2', part.heading),
      ...part.sections.map(problemSection),
    ]),
    el('h2', c.adviceHeading),
    ...c.advice.map((text) => el('p', text, 'indent')),
    el('p', c.deadline, 'indent'),
    signOff(c),
    ...(c.unverifiedNote ? [el('p', c.unverifiedNote, 'note')] : []),
    '</main>',
  ].join('\n');
}

/**
 * 特此通知, the 附件 line and the 落款 stay on one page: a signature alone on a page is not
 * acceptable. The date is right-indented four characters, the issuer centred over it (gongwen).
 */
function signOff(c: NoticeContent): string {
  const indents = signOffIndents(c.issuer, c.date);
  const right = (chars: number) => `<p style="padding-right:${chars}em">`;
  const attachment = c.attachment
    .map((line, i) => (i === 0 ? el('p', line, 'indent attachment') : el('p', line, 'attachment-more')))
    .join('');
  const signature =
    `<div class="signature">${right(indents.issuer)}${escapeHtml(c.issuer)}</p>` +
    `${right(indents.date)}${escapeHtml(c.date)}</p></div>`;
  return `<div class="sign-off">${el('p', c.closing, 'indent')}${attachment}${signature}</div>`;
}

/** 版记: 抄送, then 印发机关 and 印发日期, between lines. */
function imprint(c: NoticeContent): string {
  const { copyTo, printer, printed } = c.imprint;
  return [
    '<footer class="imprint">',
    ...(copyTo ? [el('p', copyTo)] : []),
    `<p class="printed">${el('span', printer)}${el('span', printed)}</p>`,
    '</footer>',
  ].join('');
}

/**
 * A 网址 cell: each line that is an http(s) URL is a link (clickable in the PDF), other lines (the
 * title of the page publishing an attachment) stay text.
 */
function linkCell(text: string): string {
  const lines = text
    .split('\n')
    .map((line) =>
      /^https?:\/\/\S+$/i.test(line)
        ? `<a href="${escapeHtml(line)}">${escapeHtml(line)}</a>`
        : escapeHtml(line),
    );
  return `<td>${lines.join('<br>')}</td>`;
}

/** 巡查结果概要 as a two-column table under the intro. */
function summary(c: NoticeContent): string {
  const rows = c.summary.rows.map(([label, value]) => `<tr>${el('th', label)}${el('td', value)}</tr>`);
  return `${el('h3', c.summary.heading)}<table class="summary"><colgroup><col style="width:27%"><col></colgroup><tbody>${rows.join('')}</tbody></table>`;
}

function problemSection(section: ProblemSection): string {
  const cols = PROBLEM_WIDTHS.map((w) => `<col style="width:${w}">`).join('');
  const head = `<tr>${PROBLEM_HEADERS.map((h) => el('th', h)).join('')}</tr>`;
  const rows = section.rows.map(
    (cells) => `<tr>${cells.map((text, col) => (col === 2 ? linkCell(text) : el('td', text))).join('')}</tr>`,
  );
  return [
    el('h3', section.heading),
    `<table class="problems"><colgroup>${cols}</colgroup>`,
    `<thead>${head}</thead>`,
    `<tbody>\n${rows.join('\n')}\n</tbody></table>`,
    ...section.bases.map((basis) => el('p', basis, 'basis')),
  ].join('\n');
}

function annex(a: NoticeAnnex, number: number): string {
  const total = a.widths.reduce((sum, w) => sum + w, 0);
  const cols = a.widths.map((w) => `<col style="width:${((w / total) * 100).toFixed(1)}%">`).join('');
  const head = `<tr>${a.headers.map((h) => el('th', h)).join('')}</tr>`;
  const rows = a.rows.map(
    (cells) => `<tr>${cells.map((text, col) => (col === 1 ? linkCell(text) : el('td', text))).join('')}</tr>`,
  );
  return [
    '<section class="annex">',
    el('p', `附件${number}`, 'annex-label'),
    el('h1', a.title),
    `<table><colgroup>${cols}</colgroup><thead>${head}</thead>`,
    `<tbody>\n${rows.join('\n')}\n</tbody></table>`,
    '</section>',
  ].join('\n');
}

function evidenceAnnex(
  e: NonNullable<NoticeContent['evidence']>,
  number: number,
  images: Map<string, Buffer>,
): string {
  return [
    '<section class="annex">',
    el('p', `附件${number}`, 'annex-label'),
    el('h1', e.title),
    el('p', e.note, 'indent'),
    noticeShotsHtml(e.shots, images),
    '</section>',
  ].join('\n');
}

function receipt(c: NoticeContent): string {
  const rows = c.receipt.rows.map(
    ([label, value]) => `<tr>${el('td', label, 'label')}${el('td', value)}</tr>`,
  );
  return [
    '<section class="receipt">',
    el('p', c.annexes.length ? '附件1' : '附件', 'annex-label'),
    el('h1', c.receipt.title),
    el('p', c.receipt.subtitle, 'center subtitle'),
    `<table><tbody>\n${rows.join('\n')}\n</tbody></table>`,
    el('p', c.receipt.footer, 'indent footer'),
    '</section>',
  ].join('\n');
}
