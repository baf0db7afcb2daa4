import { AlignmentType, BorderStyle, Footer, PageNumber, Paragraph, TextRun } from 'docx';

/**
 * What the 整改通知 and the 通报 share of the GB/T 9704-2012 layout: page, type sizes, the red
 * 发文机关标志 and line, balanced title lines, 文号 pattern and page numbers on the outer edge, for
 * the DOCX (docx) and the PDF (HTML printed by Chromium).
 */

/** A4 with the GB/T 9704 margins (37/35/28/26 mm), in twips; the text block is 156 × 225 mm. */
export const DOCX_PAGE = { margin: { top: 2098, bottom: 1984, left: 1588, right: 1474 } };
export const DOCX_TEXT_WIDTH = 8844;
/** One 三号 character, in twips (indents of 2 and 4 characters). */
export const DOCX_CHAR = 320;
/** 22 lines in the 225 mm text block: 28.9 pt a line, in twips. */
export const DOCX_LINE = 578;
/** The same margins for Chromium's page.pdf. */
export const PDF_MARGIN = { top: '37mm', bottom: '35mm', left: '28mm', right: '26mm' };
/** 红色 of the 发文机关标志 and the separator line. */
export const RED = 'FF0000';

const latin = 'Times New Roman';
export const fontSet = (eastAsia: string) => ({ ascii: latin, hAnsi: latin, cs: latin, eastAsia });
export const DOCX_FONTS = {
  body: fontSet('仿宋'),
  title: fontSet('方正小标宋简体'),
  heading: fontSet('黑体'),
  subheading: fontSet('楷体'),
  pageNumber: fontSet('宋体'),
};

/**
 * Font size in points for the 发文机关标志: 小初 (36 pt) when it fits the 156 mm text width, smaller
 * for a long issuer so it stays on one line (shared by the DOCX and the PDF).
 */
export function organMarkPoints(organMark: string): number {
  const chars = Math.max(1, [...organMark].length);
  const fit = 156 / chars / 0.3528 / 1.05;
  return Math.max(16, Math.min(36, Math.floor(fit)));
}

/** The issuer as the 标志 shows it: a trailing （政务公开办）-style gloss dropped. */
export function organMarkOf(issuer: string): string {
  return issuer.replace(/[（(][^（()）]*[)）]\s*$/, '').trim() || issuer.trim();
}

/** Words a two-line title would rather break before (after the unit name, say). */
const TITLE_BREAKS = ['政府网站', '门户网站', '网上巡查', '问题整改', '情况的通报'];

/**
 * A title broken into balanced lines of at most `perLine` characters (二号 in 156 mm: 20), so no
 * line is left with one or two characters; a break never splits a run of Latin letters or digits.
 * Two lines break before a word of TITLE_BREAKS when that keeps both lines within a third of each other.
 */
export function balancedTitleLines(title: string, perLine = 20): string[] {
  const chars = [...title];
  if (chars.length <= perLine) return [title];
  const count = Math.ceil(chars.length / perLine);
  if (count === 2) {
    for (const word of TITLE_BREAKS) {
      const at = [...title.slice(0, Math.max(0, title.indexOf(word)))].length;
      const rest = chars.length - at;
      if (at > 0 && at <= perLine && rest <= perLine && Math.min(at, rest) * 3 >= Math.max(at, rest) * 2 - 4)
        return [chars.slice(0, at).join(''), chars.slice(at).join('')];
    }
  }
  const lines: string[] = [];
  let start = 0;
  for (let i = count; i > 1; i -= 1) {
    let cut = start + Math.ceil((chars.length - start) / i);
    while (cut > start + 1 && /[\w.-]/.test(chars[cut - 1] ?? '') && /[\w.-]/.test(chars[cut] ?? ''))
      cut -= 1;
    lines.push(chars.slice(start, cut).join(''));
    start = cut;
  }
  lines.push(chars.slice(start).join(''));
  return lines;
}

/** GB/T 9704: 单页码居右空一字，双页码居左空一字, as “— 1 —” in 四号 宋体. */
export function docxPageNumberFooter(side: 'odd' | 'even'): Footer {
  const odd = side === 'odd';
  return new Footer({
    children: [
      new Paragraph({
        alignment: odd ? AlignmentType.RIGHT : AlignmentType.LEFT,
        indent: odd ? { right: 280 } : { left: 280 },
        children: [
          new TextRun({ children: ['— ', PageNumber.CURRENT, ' —'], font: DOCX_FONTS.pageNumber, size: 28 }),
        ],
      }),
    ],
  });
}

/** Odd and even footers for a docx section (the Document needs evenAndOddHeaderAndFooters). */
export function docxPageNumberFooters() {
  return { default: docxPageNumberFooter('odd'), even: docxPageNumberFooter('even') };
}

/** The red separator line under the 发文机关标志. */
export function docxRedLine(): Paragraph {
  return new Paragraph({
    border: { bottom: { style: BorderStyle.SINGLE, size: 12, color: RED, space: 1 } },
    spacing: { before: 0, after: 200 },
    children: [],
  });
}

/**
 * Page numbers for the PDF on the outer edge (odd pages right, even pages left, one character in),
 * as CSS page-margin boxes: Chromium's footer template cannot tell odd pages from even ones.
 */
export function pdfPageNumberCss(fontFamily: string): string {
  const box = `content: "— " counter(page) " —"; font-family: ${fontFamily}; font-size: 14pt; vertical-align: top; padding-top: 7mm;`;
  return [
    `@page :right { @bottom-right { ${box} padding-right: 14pt; } }`,
    `@page :left { @bottom-left { ${box} padding-left: 14pt; } }`,
  ].join('\n');
}

/** Width in 三号 characters: CJK one, Latin letters and digits half. */
export function charWidth(text: string): number {
  return [...text].reduce((w, c) => w + (/[\x20-\x7e]/.test(c) ? 0.5 : 1), 0);
}

/**
 * Right indents (in characters) of the 发文机关署名 and the 成文日期, GB/T 9704 7.3.5.2: the date
 * right-indented four characters, the issuer centred over it; an issuer too long for that keeps
 * two characters from the edge and the date is centred under it instead.
 */
export function signOffIndents(issuer: string, date: string): { issuer: number; date: number } {
  const issuerWidth = charWidth(issuer);
  const dateWidth = charWidth(date);
  const centred = 4 + (dateWidth - issuerWidth) / 2;
  if (centred >= 2) return { issuer: centred, date: 4 };
  return { issuer: 2, date: 2 + (issuerWidth - dateWidth) / 2 };
}
