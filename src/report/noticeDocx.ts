import {
  AlignmentType,
  Document,
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
import type { InspectionReport, ReportUnit } from './model.js';
import type { NoticeTemplate } from './noticeTemplate.js';
import {
  noticeContent,
  PROBLEM_HEADERS,
  printable,
  type NoticeContent,
  type ProblemSection,
} from './noticeContent.js';

export { chineseNumeral, formatChineseDate } from './noticeContent.js';

/**
 * 整改通知 for one unit as a Chinese official letter (.docx), followed by a 回执 page.
 * Only the layout lives here: every text comes from noticeContent, shared with the PDF.
 */

interface FontSet {
  ascii: string;
  hAnsi: string;
  cs: string;
  eastAsia: string;
}

interface ParaOptions {
  font?: FontSet;
  /** Half-points: 44 二号, 32 三号, 24 小四, 21 五号. */
  size?: number;
  bold?: boolean;
  align?: (typeof AlignmentType)[keyof typeof AlignmentType];
  indent?: boolean;
  before?: number;
  after?: number;
  pageBreakBefore?: boolean;
  tight?: boolean;
}

const latin = 'Times New Roman';
const fontSet = (eastAsia: string): FontSet => ({ ascii: latin, hAnsi: latin, cs: latin, eastAsia });
const FONTS = {
  body: fontSet('仿宋'),
  title: fontSet('方正小标宋简体'),
  heading: fontSet('黑体'),
  subheading: fontSet('楷体'),
};
const BODY_SIZE = 32;
const TABLE_SIZE = 21;
/** A4 with the GB/T 9704 margins (37/35/28/26 mm), in twips. */
const PAGE = { margin: { top: 2098, bottom: 1984, left: 1588, right: 1474 } };
/** Column widths in twips, in PROBLEM_HEADERS order. */
const PROBLEM_WIDTHS = [600, 2000, 2100, 1300, 1544, 1300];
const RECEIPT_WIDTHS = { label: 2800, value: 6044 };

export async function renderNoticeDocx(
  report: InspectionReport,
  unit: ReportUnit,
  template: NoticeTemplate,
): Promise<Buffer> {
  const content = noticeContent(report, unit, template);
  const doc = new Document({
    creator: report.tool.name,
    title: content.title,
    styles: { default: { document: { run: { font: FONTS.body, size: BODY_SIZE } } } },
    sections: [{ properties: { page: PAGE }, children: [...letter(content), ...receipt(content)] }],
  });
  return Packer.toBuffer(doc);
}

// ── the letter ──────────────────────────────────────────────────────────────────────────────────

function letter(c: NoticeContent): (Paragraph | Table)[] {
  return [
    para(c.title, { font: FONTS.title, size: 44, align: AlignmentType.CENTER, before: 400, after: 200 }),
    para(c.docNumber, { align: AlignmentType.CENTER, after: 300 }),
    para(c.addressee),
    para(c.intro, { indent: true }),
    para(c.problemsHeading, { font: FONTS.heading, indent: true }),
    ...problemSections(c),
    para(c.adviceHeading, { font: FONTS.heading, indent: true }),
    ...c.advice.map((text) => para(text, { indent: true })),
    para(c.deadline, { indent: true }),
    para(c.closing, { indent: true }),
    para(c.issuer, { align: AlignmentType.RIGHT, before: 900 }),
    para(c.date, { align: AlignmentType.RIGHT }),
    ...(c.unverifiedNote ? [para(c.unverifiedNote, { size: 24, before: 400, tight: true })] : []),
  ];
}

function problemSections(c: NoticeContent): (Paragraph | Table)[] {
  if (c.sections.length === 0) return [para(c.noProblems, { indent: true })];
  return c.sections.flatMap((section) => [
    para(section.heading, { font: FONTS.subheading, indent: true }),
    problemTable(section),
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
    (cells) => new TableRow({ cantSplit: true, children: cells.map((text, col) => cell(text, width(col))) }),
  );
  return table([header, ...rows], PROBLEM_WIDTHS);
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
    para(c.receipt.title, {
      font: FONTS.title,
      size: 36,
      align: AlignmentType.CENTER,
      pageBreakBefore: true,
      after: 100,
    }),
    para(c.receipt.subtitle, { align: AlignmentType.CENTER, after: 300 }),
    table(tableRows, [RECEIPT_WIDTHS.label, RECEIPT_WIDTHS.value]),
    para(c.receipt.footer, { indent: true, before: 300 }),
  ];
}

// ── building blocks ─────────────────────────────────────────────────────────────────────────────

function para(text: string, options: ParaOptions = {}): Paragraph {
  const font = options.font ?? FONTS.body;
  return new Paragraph({
    alignment: options.align ?? AlignmentType.BOTH,
    indent: options.indent ? { firstLine: 640 } : undefined,
    pageBreakBefore: options.pageBreakBefore,
    spacing: {
      before: options.before ?? 0,
      after: options.after ?? 0,
      ...(options.tight ? {} : { line: 560, lineRule: LineRuleType.EXACT }),
    },
    children: [
      new TextRun({ text: printable(text), font, size: options.size ?? BODY_SIZE, bold: options.bold }),
    ],
  });
}

function cell(text: string, width: number, options: { bold?: boolean; shade?: boolean; size?: number } = {}) {
  return new TableCell({
    width: { size: width, type: WidthType.DXA },
    verticalAlign: VerticalAlignTable.CENTER,
    shading: options.shade ? { type: ShadingType.CLEAR, fill: 'D9D9D9', color: 'auto' } : undefined,
    margins: { left: 80, right: 80, top: 40, bottom: 40 },
    children: [
      new Paragraph({
        alignment: AlignmentType.LEFT,
        children: [
          new TextRun({
            text: printable(text),
            font: FONTS.body,
            size: options.size ?? TABLE_SIZE,
            bold: options.bold,
          }),
        ],
      }),
    ],
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
