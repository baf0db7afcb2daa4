import { escapeHtml } from './escape.js';
import type { InspectionReport } from './model.js';
import {
  bulletinContent,
  organMarkPoints,
  type BulletinBlock,
  type BulletinContent,
} from './bulletinContent.js';
import { CJK_FONT_FAMILY } from '../render/htmlToPdf.js';
import { pdfPageNumberCss } from './gongwen.js';

/**
 * The county 通报 as a self-contained HTML document laid out for printing to A4 (the PDF). Only the
 * layout lives here: every text comes from bulletinContent, shared with the DOCX. Texts come from
 * government pages and may hold markup, so each one is escaped; nothing is loaded and nothing runs.
 */

const HEADING_FONT = `"Noto Sans CJK SC",${CJK_FONT_FAMILY}`;

/** Body 三号 (16 pt ≈ 21.3 px) at a 28 pt line pitch, as in the DOCX. */
const STYLE = `
${pdfPageNumberCss(CJK_FONT_FAMILY)}
* { box-sizing: border-box; }
html { font-family: ${CJK_FONT_FAMILY}; font-size: 16pt; color: #000; }
body { margin: 0; line-height: 28pt; -webkit-print-color-adjust: exact; print-color-adjust: exact; }
p, h1, h2, h3, td, th { white-space: pre-wrap; overflow-wrap: anywhere; }
p { margin: 0; text-align: justify; word-break: break-all; }
h1, h2, h3 { margin: 0; break-after: avoid; page-break-after: avoid; }
.organ-mark { color: #e00; text-align: center; font-weight: 700; line-height: 1.3; letter-spacing: 0.05em; }
.red-line { border: 0; border-top: 1.5pt solid #e00; margin: 2mm 0 6mm; }
h1 { font-size: 22pt; font-weight: 700; text-align: center; line-height: 1.5; margin: 0 0 6mm; }
h2 { font-family: ${HEADING_FONT}; font-size: 16pt; font-weight: 400; text-indent: 2em; }
h3 { font-size: 16pt; font-weight: 700; text-indent: 2em; }
.indent { text-indent: 2em; }
table { width: 100%; border-collapse: collapse; table-layout: fixed; margin: 2mm 0 4mm; font-size: 12pt; line-height: 1.5; }
thead { display: table-header-group; }
tr { break-inside: avoid; page-break-inside: avoid; }
th, td { border: 0.75pt solid #000; padding: 1mm 1.5mm; vertical-align: middle; text-align: left; }
th { background: #d9d9d9; font-weight: 700; text-align: center; }
.sign-off { break-inside: avoid; page-break-inside: avoid; }
.signature { margin-top: 16mm; padding-right: 4em; text-align: right; }
.signature p { text-align: right; }
.note { font-size: 12pt; line-height: 1.6; }
.notes { margin-top: 7mm; }
`;

/** One element with escaped text; `attrs` is always a constant of this file, never data. */
function el(tag: string, text: string, attrs = ''): string {
  return `<${tag}${attrs ? ` ${attrs}` : ''}>${escapeHtml(text)}</${tag}>`;
}

export function renderBulletinHtml(report: InspectionReport): string {
  const c = bulletinContent(report);
  return [
    '<!DOCTYPE html>',
    '<html lang="zh-CN"><head><meta charset="utf-8">',
    `<title>${escapeHtml(c.title)}</title>`,
    `<style>${STYLE}</style>`,
    '</head><body><main>',
    el('p', c.organMark, `class="organ-mark" style="font-size:${organMarkPoints(c.organMark)}pt"`),
    '<hr class="red-line">',
    `<h1>${c.titleLines.map(escapeHtml).join('<br>')}</h1>`,
    el('p', c.addressee),
    el('p', c.intro, 'class="indent"'),
    ...c.sections.flatMap((s) => [el('h2', s.heading), ...s.blocks.map(block)]),
    signOff(c),
    `<div class="notes">${c.notes.map((n) => el('p', n, 'class="note"')).join('')}</div>`,
    '</main></body></html>',
  ].join('\n');
}

function block(b: BulletinBlock): string {
  if (b.type === 'para') return el('p', b.text, 'class="indent"');
  if (b.type === 'subheading') return el('h3', b.text);
  const total = b.widths.reduce((s, w) => s + w, 0);
  const cols = b.widths.map((w) => `<col style="width:${((w / total) * 100).toFixed(1)}%">`).join('');
  const head = `<tr>${b.headers.map((h) => el('th', h)).join('')}</tr>`;
  const rows = b.rows.map((cells) => `<tr>${cells.map((t) => el('td', t)).join('')}</tr>`);
  return `<table><colgroup>${cols}</colgroup><thead>${head}</thead><tbody>\n${rows.join('\n')}\n</tbody></table>`;
}

/** 特此通报 and the 落款 stay on one page. */
function signOff(c: BulletinContent): string {
  const signature = `<div class="signature">${el('p', c.issuer)}${el('p', c.date)}</div>`;
  return `<div class="sign-off">${el('p', c.closing, 'class="indent"')}${signature}</div>`;
}
