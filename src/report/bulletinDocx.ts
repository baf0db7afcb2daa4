import {
  AlignmentType,
  Document,
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
import type { InspectionReport } from './model.js';
import { printable } from './noticeContent.js';
import {
  bulletinContent,
  organMarkPoints,
  type BulletinBlock,
  type BulletinContent,
} from './bulletinContent.js';
import { docxPageNumberFooters, docxRedLine, RED } from './gongwen.js';

/**
 * The county 通报 as a .docx in the GB/T 9704 layout the notices follow: red 发文机关标志 and line,
 * 小标宋 title, 仿宋 三号 body, 落款 and 成文日期 with room for the seal, page numbers on the outer edge
 * of the footer. Only the layout lives here: every text comes from bulletinContent, shared with the PDF.
 */

const latin = 'Times New Roman';
const fontSet = (eastAsia: string) => ({ ascii: latin, hAnsi: latin, cs: latin, eastAsia });
const FONTS = {
  body: fontSet('仿宋'),
  title: fontSet('方正小标宋简体'),
  heading: fontSet('黑体'),
  subheading: fontSet('楷体'),
  pageNumber: fontSet('宋体'),
};
/** Half-points: 44 二号, 32 三号, 28 四号, 24 小四. */
const BODY_SIZE = 32;
const TABLE_SIZE = 24;

/** A4 with the GB/T 9704 margins (37/35/28/26 mm), in twips; the text block is 8844 twips wide. */
const PAGE = { margin: { top: 2098, bottom: 1984, left: 1588, right: 1474 } };
const TEXT_WIDTH = 8844;
/** One 三号 character, in twips (indents of 2 and 4 characters). */
const CHAR = 320;

interface ParaOptions {
  font?: ReturnType<typeof fontSet>;
  size?: number;
  align?: (typeof AlignmentType)[keyof typeof AlignmentType];
  indent?: boolean;
  rightIndent?: number;
  before?: number;
  after?: number;
  tight?: boolean;
  color?: string;
}

export async function renderBulletinDocx(report: InspectionReport): Promise<Buffer> {
  const content = bulletinContent(report);
  const doc = new Document({
    creator: report.tool.name,
    title: content.title,
    evenAndOddHeaderAndFooters: true,
    styles: { default: { document: { run: { font: FONTS.body, size: BODY_SIZE } } } },
    sections: [
      {
        properties: { page: PAGE },
        footers: docxPageNumberFooters(),
        children: body(content),
      },
    ],
  });
  return Packer.toBuffer(doc);
}

function body(c: BulletinContent): (Paragraph | Table)[] {
  return [
    para(c.organMark, {
      font: FONTS.title,
      size: organMarkPoints(c.organMark) * 2,
      align: AlignmentType.CENTER,
      color: RED,
      tight: true,
    }),
    docxRedLine(),
    para(c.titleLines, { font: FONTS.title, size: 44, align: AlignmentType.CENTER, before: 300, after: 300 }),
    para(c.addressee),
    para(c.intro, { indent: true }),
    ...c.sections.flatMap((section) => [
      para(section.heading, { font: FONTS.heading, indent: true }),
      ...section.blocks.map(block),
    ]),
    para(c.closing, { indent: true }),
    para(c.issuer, { align: AlignmentType.RIGHT, rightIndent: 4 * CHAR, before: 900 }),
    para(c.date, { align: AlignmentType.RIGHT, rightIndent: 4 * CHAR }),
    ...c.notes.map((note, i) => para(note, { size: TABLE_SIZE, before: i === 0 ? 400 : 0, tight: true })),
  ];
}

function block(b: BulletinBlock): Paragraph | Table {
  if (b.type === 'para') return para(b.text, { indent: true });
  if (b.type === 'subheading') return para(b.text, { font: FONTS.subheading, indent: true });
  const total = b.widths.reduce((s, w) => s + w, 0);
  const widths = b.widths.map((w) => Math.floor((w / total) * TEXT_WIDTH));
  const header = new TableRow({
    tableHeader: true,
    cantSplit: true,
    children: b.headers.map((text, col) => cell(text, widths[col] ?? 1000, true)),
  });
  const rows = b.rows.map(
    (cells) =>
      new TableRow({ cantSplit: true, children: cells.map((text, col) => cell(text, widths[col] ?? 1000)) }),
  );
  return new Table({
    rows: [header, ...rows],
    columnWidths: widths,
    layout: TableLayoutType.FIXED,
    width: { size: widths.reduce((a, w) => a + w, 0), type: WidthType.DXA },
  });
}

/** A paragraph; several lines are joined by line breaks (the title). */
function para(text: string | string[], options: ParaOptions = {}): Paragraph {
  const lines = typeof text === 'string' ? [text] : text;
  return new Paragraph({
    alignment: options.align ?? AlignmentType.BOTH,
    indent: {
      ...(options.indent ? { firstLine: 2 * CHAR } : {}),
      ...(options.rightIndent ? { right: options.rightIndent } : {}),
    },
    spacing: {
      before: options.before ?? 0,
      after: options.after ?? 0,
      ...(options.tight ? {} : { line: 560, lineRule: LineRuleType.EXACT }),
    },
    children: lines.map(
      (line, i) =>
        new TextRun({
          text: printable(line),
          break: i > 0 ? 1 : undefined,
          font: options.font ?? FONTS.body,
          size: options.size ?? BODY_SIZE,
          color: options.color,
        }),
    ),
  });
}

function cell(text: string, width: number, header = false): TableCell {
  return new TableCell({
    width: { size: width, type: WidthType.DXA },
    verticalAlign: VerticalAlignTable.CENTER,
    shading: header ? { type: ShadingType.CLEAR, fill: 'D9D9D9', color: 'auto' } : undefined,
    margins: { left: 80, right: 80, top: 40, bottom: 40 },
    children: [
      new Paragraph({
        alignment: header ? AlignmentType.CENTER : AlignmentType.LEFT,
        children: [new TextRun({ text: printable(text), font: FONTS.body, size: TABLE_SIZE, bold: header })],
      }),
    ],
  });
}
