import {
  AlignmentType,
  BorderStyle,
  Document,
  DocumentGridType,
  ExternalHyperlink,
  Tab,
  TabStopType,
  HeightRule,
  LineRuleType,
  Packer,
  Paragraph,
  ShadingType,
  Table,
  TableCell,
  TableLayoutType,
  TableRow,
  TextRun,
  VerticalAlignTable,
  WidthType,
} from 'docx';
import {
  DOCX_CHAR,
  DOCX_FONTS,
  DOCX_LINE,
  DOCX_PAGE,
  DOCX_TEXT_WIDTH,
  RED,
  docxPageNumberFooters,
  docxRedLine,
  organMarkPoints,
  signOffIndents,
} from './gongwen.js';
import type { InspectionReport, ReportUnit } from './model.js';
import type { NoticeTemplate } from './noticeTemplate.js';
import {
  noticeContent,
  PROBLEM_HEADERS,
  printable,
  type NoticeAnnex,
  type NoticeContent,
  type ProblemSection,
} from './noticeContent.js';

import { noticeShotsDocx } from './noticeEvidence.js';

export { chineseNumeral, formatChineseDate } from './noticeContent.js';

/**
 * 整改通知 for one unit as a Chinese official letter (.docx), followed by a 回执 page.
 * Only the layout lives here: every text comes from noticeContent, shared with the PDF.
 */

interface ParaOptions {
  font?: (typeof DOCX_FONTS)['body'];
  /** Half-points: 44 二号, 32 三号, 24 小四, 21 五号. */
  size?: number;
  bold?: boolean;
  align?: (typeof AlignmentType)[keyof typeof AlignmentType];
  indent?: boolean;
  before?: number;
  after?: number;
  pageBreakBefore?: boolean;
  tight?: boolean;
  /** Right indent in characters. */
  right?: number;
  /** Left indent in twips. */
  left?: number;
  color?: string;
}

const FONTS = DOCX_FONTS;
const BODY_SIZE = 32;
const TABLE_SIZE = 21;
/** 28 characters × 22 lines of 三号 in the text block (Word's 公文 grid). */
const GRID = { type: DocumentGridType.LINES_AND_CHARS, linePitch: DOCX_LINE, charSpace: -849 };
/** Column widths in twips, in PROBLEM_HEADERS order. */
const PROBLEM_WIDTHS = [620, 2000, 2624, 1600, 2000];
const RECEIPT_WIDTHS = { label: 2800, value: 6044 };

export async function renderNoticeDocx(
  report: InspectionReport,
  unit: ReportUnit,
  template: NoticeTemplate,
  images: Map<string, Buffer> = new Map(),
): Promise<Buffer> {
  return renderNoticeContentDocx(noticeContent(report, unit, template), report.tool.name, images);
}

/** Any notice's content (整改通知, 督办通知) as a .docx; `creator` goes into the file's properties. */
export async function renderNoticeContentDocx(
  content: NoticeContent,
  creator = 'xuncha',
  images: Map<string, Buffer> = new Map(),
): Promise<Buffer> {
  const doc = new Document({
    creator,
    title: content.title,
    evenAndOddHeaderAndFooters: true,
    styles: { default: { document: { run: { font: FONTS.body, size: BODY_SIZE } } } },
    sections: [
      {
        properties: { page: DOCX_PAGE, grid: GRID },
        footers: docxPageNumberFooters(),
        children: [
          ...letter(content),
          ...receipt(content),
          ...content.annexes.flatMap((a, i) => annex(a, i + 2)),
          ...(content.evidence ? evidenceAnnex(content.evidence, content.annexes.length + 2, images) : []),
          ...imprint(content),
        ],
      },
    ],
  });
  return Packer.toBuffer(doc);
}

// ── the letter ──────────────────────────────────────────────────────────────────────────────────

function letter(c: NoticeContent): (Paragraph | Table)[] {
  const indents = signOffIndents(c.issuer, c.date);
  return [
    para(c.organMark, {
      font: FONTS.title,
      size: organMarkPoints(c.organMark) * 2,
      align: AlignmentType.CENTER,
      color: RED,
      tight: true,
      after: c.docNumber ? 400 : 0,
    }),
    ...(c.docNumber ? [para(c.docNumber, { align: AlignmentType.CENTER, tight: true })] : []),
    docxRedLine(),
    para(c.titleLines, { font: FONTS.title, size: 44, align: AlignmentType.CENTER, before: 300, after: 300 }),
    para(c.addressee),
    para(c.intro, { indent: true }),
    ...summary(c),
    para(c.problemsHeading, { font: FONTS.heading, indent: true }),
    ...problemSections(c),
    para(c.adviceHeading, { font: FONTS.heading, indent: true }),
    ...c.advice.map((text) => para(text, { indent: true })),
    para(c.deadline, { indent: true }),
    para(c.closing, { indent: true }),
    ...c.attachment.map((line, i) =>
      i === 0 ? para(line, { indent: true, before: DOCX_LINE }) : para(line, { left: 5 * DOCX_CHAR }),
    ),
    para(c.issuer, { align: AlignmentType.RIGHT, right: indents.issuer, before: 2 * DOCX_LINE }),
    para(c.date, { align: AlignmentType.RIGHT, right: indents.date }),
    ...(c.unverifiedNote ? [para(c.unverifiedNote, { size: 24, before: 400, tight: true })] : []),
  ];
}

/** 版记 after the last 附件: 抄送, then 印发机关 and 印发日期 (right-aligned) between full-width lines. */
function imprint(c: NoticeContent): Paragraph[] {
  const rule = { style: BorderStyle.SINGLE, size: 8, color: '000000', space: 4 };
  const { copyTo, printer, printed } = c.imprint;
  const line = (parts: string[], borders: { top?: boolean; bottom?: boolean }, before: number) =>
    new Paragraph({
      border: { ...(borders.top ? { top: rule } : {}), ...(borders.bottom ? { bottom: rule } : {}) },
      spacing: { before, after: 0, line: DOCX_LINE, lineRule: LineRuleType.EXACT },
      tabStops: [{ type: TabStopType.RIGHT, position: DOCX_TEXT_WIDTH - DOCX_CHAR }],
      indent: { left: DOCX_CHAR },
      children: parts.map(
        (part, i) =>
          new TextRun({ children: i > 0 ? [new Tab(), printable(part)] : [printable(part)], size: 28 }),
      ),
    });
  const gap = 4 * DOCX_LINE;
  return [
    ...(copyTo ? [line([copyTo], { top: true }, gap)] : []),
    line([printer, printed], { top: !copyTo, bottom: true }, copyTo ? 0 : gap),
  ];
}

/** 巡查结果概要 as a two-column table under the intro. */
function summary(c: NoticeContent): (Paragraph | Table)[] {
  const widths = [2400, 6444];
  const rows = c.summary.rows.map(
    ([label, value]) =>
      new TableRow({
        cantSplit: true,
        children: [
          cell(label, widths[0]!, { bold: true, shade: true, size: 24 }),
          cell(value, widths[1]!, { size: 24 }),
        ],
      }),
  );
  return [para(c.summary.heading, { font: FONTS.subheading, indent: true }), table(rows, widths)];
}

function problemSections(c: NoticeContent): (Paragraph | Table)[] {
  const more = (c.moreProblems ?? []).flatMap((part) => [
    para(part.heading, { font: FONTS.heading, indent: true }),
    ...sectionTables(part.sections),
  ]);
  if (c.sections.length === 0) return [para(c.noProblems, { indent: true }), ...more];
  return [...sectionTables(c.sections), ...more];
}

function sectionTables(sections: ProblemSection[]): (Paragraph | Table)[] {
  return sections.flatMap((section) => [
    para(section.heading, { font: FONTS.subheading, indent: true }),
    problemTable(section),
    ...section.bases.map((basis) => para(basis, { size: 24, tight: true, after: 120 })),
  ]);
}

function problemTable(section: ProblemSection): Table {
  const width = (col: number) => PROBLEM_WIDTHS[col] ?? 1000;
  const header = new TableRow({
    tableHeader: true,
    cantSplit: true,
    children: PROBLEM_HEADERS.map((text, col) => cell(text, width(col), { bold: true, shade: true })),
  });
  const rows = section.rows.map(
    (cells) =>
      new TableRow({
        cantSplit: true,
        children: cells.map((text, col) => cell(text, width(col), { link: col === 2 })),
      }),
  );
  return table([header, ...rows], PROBLEM_WIDTHS);
}

// ── annexes: long lists out of the body ─────────────────────────────────────────────────────────

function annex(a: NoticeAnnex, number: number): (Paragraph | Table)[] {
  const total = a.widths.reduce((sum, w) => sum + w, 0);
  const widths = a.widths.map((w) => Math.floor((w / total) * DOCX_TEXT_WIDTH));
  const width = (col: number) => widths[col] ?? 1000;
  const header = new TableRow({
    tableHeader: true,
    cantSplit: true,
    children: a.headers.map((text, col) => cell(text, width(col), { bold: true, shade: true })),
  });
  const rows = a.rows.map(
    (cells) =>
      new TableRow({
        cantSplit: true,
        children: cells.map((text, col) => cell(text, width(col), { link: col === 1 })),
      }),
  );
  return [
    para(`附件${number}`, { font: FONTS.heading, pageBreakBefore: true }),
    para(a.title, { font: FONTS.title, size: 36, align: AlignmentType.CENTER, after: 200 }),
    table([header, ...rows], widths),
  ];
}

function evidenceAnnex(
  e: NonNullable<NoticeContent['evidence']>,
  number: number,
  images: Map<string, Buffer>,
): Paragraph[] {
  return [
    para(`附件${number}`, { font: FONTS.heading, pageBreakBefore: true }),
    para(e.title, { font: FONTS.title, size: 36, align: AlignmentType.CENTER, after: 200 }),
    para(e.note, { indent: true, after: 200 }),
    ...noticeShotsDocx(e.shots, images),
  ];
}

// ── the 回执 ────────────────────────────────────────────────────────────────────────────────────

function receipt(c: NoticeContent): (Paragraph | Table)[] {
  const tableRows = c.receipt.rows.map(
    ([label, value]) =>
      new TableRow({
        height: { value: 900, rule: HeightRule.ATLEAST },
        children: [
          cell(label, RECEIPT_WIDTHS.label, { bold: true, size: BODY_SIZE }),
          cell(value, RECEIPT_WIDTHS.value, { size: BODY_SIZE }),
        ],
      }),
  );
  return [
    para(c.annexes.length ? '附件1' : '附件', { font: FONTS.heading, pageBreakBefore: true }),
    para(c.receipt.title, { font: FONTS.title, size: 36, align: AlignmentType.CENTER, after: 100 }),
    para(c.receipt.subtitle, { align: AlignmentType.CENTER, after: 300 }),
    table(tableRows, [RECEIPT_WIDTHS.label, RECEIPT_WIDTHS.value]),
    para(c.receipt.footer, { indent: true, before: 300 }),
  ];
}

// ── building blocks ─────────────────────────────────────────────────────────────────────────────

/** A paragraph; several lines are joined by line breaks (the title). */
function para(text: string | string[], options: ParaOptions = {}): Paragraph {
  const font = options.font ?? FONTS.body;
  const lines = typeof text === 'string' ? [text] : text;
  return new Paragraph({
    alignment: options.align ?? AlignmentType.BOTH,
    indent: {
      ...(options.indent ? { firstLine: 2 * DOCX_CHAR } : {}),
      ...(options.right ? { right: Math.round(options.right * DOCX_CHAR) } : {}),
      ...(options.left ? { left: options.left } : {}),
    },
    pageBreakBefore: options.pageBreakBefore,
    spacing: {
      before: options.before ?? 0,
      after: options.after ?? 0,
      ...(options.tight ? {} : { line: DOCX_LINE, lineRule: LineRuleType.EXACT }),
    },
    children: lines.map(
      (line, i) =>
        new TextRun({
          text: printable(line),
          break: i > 0 ? 1 : undefined,
          font,
          size: options.size ?? BODY_SIZE,
          bold: options.bold,
          color: options.color,
        }),
    ),
  });
}

function cell(
  text: string,
  width: number,
  options: { bold?: boolean; shade?: boolean; size?: number; link?: boolean } = {},
) {
  const runOptions = { font: FONTS.body, size: options.size ?? TABLE_SIZE, bold: options.bold };
  const run = new TextRun({ ...runOptions, text: printable(text) });
  // In a URL cell every line that is a URL is a hyperlink to it, as in the PDF; other lines (the
  // title of the page publishing an attachment) are text.
  const lines = options.link ? text.split('\n') : [text];
  const runOf = (line: string) =>
    lines.length === 1 ? run : new TextRun({ ...runOptions, text: printable(line) });
  return new TableCell({
    width: { size: width, type: WidthType.DXA },
    verticalAlign: VerticalAlignTable.CENTER,
    shading: options.shade ? { type: ShadingType.CLEAR, fill: 'D9D9D9', color: 'auto' } : undefined,
    margins: { left: 80, right: 80, top: 40, bottom: 40 },
    children: lines.map(
      (line) =>
        new Paragraph({
          alignment: AlignmentType.LEFT,
          children: [
            options.link && /^https?:\/\/\S+$/i.test(line)
              ? new ExternalHyperlink({ link: printable(line), children: [runOf(line)] })
              : runOf(line),
          ],
        }),
    ),
  });
}

function table(rows: TableRow[], widths: number[]): Table {
  return new Table({
    rows,
    columnWidths: widths,
    layout: TableLayoutType.FIXED,
    width: { size: widths.reduce((a, b) => a + b, 0), type: WidthType.DXA },
  });
}
