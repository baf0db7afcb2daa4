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
import type { InspectionReport, ReportFinding, ReportUnit } from './model.js';
import { fillPlaceholders, type NoticeTemplate } from './noticeTemplate.js';

/**
 * 整改通知 for one unit as a Chinese official letter (.docx), followed by a 回执 page.
 * A pure function of the InspectionReport and the notice wording.
 */

interface NoticeContext {
  report: InspectionReport;
  unit: ReportUnit;
  template: NoticeTemplate;
  title: string;
  issuer: string;
  deadline: string;
  /** Findings the notice lists (template.outcomes), in report order. */
  findings: ReportFinding[];
  /** The same findings grouped by category, in the report's category order. */
  groups: CategoryGroup[];
}

interface CategoryGroup {
  title: string;
  findings: ReportFinding[];
}

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
const PROBLEM_COLUMNS = [
  { header: '序号', width: 600 },
  { header: '问题', width: 2000 },
  { header: '网址', width: 2100 },
  { header: '位置', width: 1300 },
  { header: '证据（已脱敏）', width: 1544 },
  { header: '依据', width: 1300 },
];
/** Characters XML 1.0 forbids (control characters from scraped text would corrupt the file). */
const XML_INVALID = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;
const RECEIPT_WIDTHS = { label: 2800, value: 6044 };

export async function renderNoticeDocx(
  report: InspectionReport,
  unit: ReportUnit,
  template: NoticeTemplate,
): Promise<Buffer> {
  const ctx = noticeContext(report, unit, template);
  const doc = new Document({
    creator: report.tool.name,
    title: ctx.title,
    styles: { default: { document: { run: { font: FONTS.body, size: BODY_SIZE } } } },
    sections: [{ properties: { page: PAGE }, children: [...letter(ctx), ...receipt(ctx)] }],
  });
  return Packer.toBuffer(doc);
}

function noticeContext(report: InspectionReport, unit: ReportUnit, template: NoticeTemplate): NoticeContext {
  const findings = unit.findings.filter((f) => template.outcomes.includes(f.outcome));
  return {
    report,
    unit,
    template,
    title: fillPlaceholders(template.title, { unit: unit.name }),
    issuer: report.notice.issuer.trim() || template.issuer,
    deadline: formatChineseDate(report.notice.deadline),
    findings,
    groups: groupByCategory(findings, report.categories),
  };
}

/** 2026-12-08 → 2026年12月8日; anything else is returned unchanged. */
export function formatChineseDate(isoDate: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})/.exec(isoDate);
  if (!match) return isoDate;
  return `${match[1]}年${Number(match[2])}月${Number(match[3])}日`;
}

/** 1 → 一, 12 → 十二, 25 → 二十五 (enough for category numbering). */
export function chineseNumeral(n: number): string {
  const digits = ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九'];
  if (n < 10) return digits[n] ?? String(n);
  const tens = Math.floor(n / 10);
  const ones = n % 10;
  return `${tens === 1 ? '' : (digits[tens] ?? '')}十${ones === 0 ? '' : (digits[ones] ?? '')}`;
}

function formatScore(score: number): string {
  return String(Math.round(score * 100) / 100);
}

// ── the letter ──────────────────────────────────────────────────────────────────────────────────

function letter(ctx: NoticeContext): (Paragraph | Table)[] {
  return [
    para(ctx.title, { font: FONTS.title, size: 44, align: AlignmentType.CENTER, before: 400, after: 200 }),
    para(ctx.template.docNumber, { align: AlignmentType.CENTER, after: 300 }),
    para(fillPlaceholders(ctx.template.addressee, { unit: ctx.unit.name })),
    ...introParagraphs(ctx),
    para(ctx.template.problemsHeading, { font: FONTS.heading, indent: true }),
    ...problemSections(ctx),
    para(ctx.template.adviceHeading, { font: FONTS.heading, indent: true }),
    ...adviceParagraphs(ctx),
    para(deadlineSentence(ctx), { indent: true }),
    para(ctx.template.closing, { indent: true }),
    ...signature(ctx),
    ...unverifiedNote(ctx),
  ];
}

function introParagraphs(ctx: NoticeContext): Paragraph[] {
  const { unit, report, template } = ctx;
  const intro = fillPlaceholders(template.intro, {
    unit: unit.name,
    date: formatChineseDate(report.inspectionDate),
    score: formatScore(unit.score),
    grade: unit.grade,
    rank: unit.rank,
    total: report.units.length,
  });
  const veto = unit.vetoed ? fillPlaceholders(template.vetoNote, { reason: unit.vetoReason }) : '';
  return [para(intro + veto, { indent: true })];
}

function problemSections(ctx: NoticeContext): (Paragraph | Table)[] {
  if (ctx.findings.length === 0) return [para(ctx.template.noProblems, { indent: true })];
  const out: (Paragraph | Table)[] = [];
  let numbered = 0;
  ctx.groups.forEach((group, i) => {
    const heading = fillPlaceholders(ctx.template.categoryHeading, {
      index: chineseNumeral(i + 1),
      category: group.title,
      count: group.findings.length,
    });
    out.push(para(heading, { font: FONTS.subheading, indent: true }));
    out.push(problemTable(ctx, group.findings, numbered));
    numbered += group.findings.length;
  });
  return out;
}

/** Findings grouped by category, in the given category order (unknown categories last). */
function groupByCategory(
  findings: ReportFinding[],
  categories: InspectionReport['categories'],
): CategoryGroup[] {
  const order: string[] = categories.map((c) => c.id);
  const groups = new Map<string, CategoryGroup>();
  for (const finding of findings) {
    const title = categories.find((c) => c.id === finding.category)?.title ?? finding.categoryTitle;
    const group = groups.get(finding.category) ?? { title, findings: [] };
    group.findings.push(finding);
    groups.set(finding.category, group);
  }
  const position = (id: string) => (order.includes(id) ? order.indexOf(id) : order.length);
  return [...groups.entries()].sort((a, b) => position(a[0]) - position(b[0])).map(([, group]) => group);
}

function problemTable(ctx: NoticeContext, findings: ReportFinding[], offset: number): Table {
  const header = new TableRow({
    tableHeader: true,
    cantSplit: true,
    children: PROBLEM_COLUMNS.map((c) => cell(c.header, c.width, { bold: true, shade: true })),
  });
  const rows = findings.map(
    (f, i) =>
      new TableRow({
        cantSplit: true,
        children: problemCells(ctx, f, offset + i + 1).map((text, col) =>
          cell(text, PROBLEM_COLUMNS[col]?.width ?? 1000),
        ),
      }),
  );
  return table(
    [header, ...rows],
    PROBLEM_COLUMNS.map((c) => c.width),
  );
}

function problemCells(ctx: NoticeContext, finding: ReportFinding, index: number): string[] {
  const prefix = finding.outcome === 'warn' ? ctx.template.warnPrefix : '';
  return [
    String(index),
    prefix + finding.message,
    finding.url,
    finding.location,
    finding.evidence,
    finding.basis,
  ];
}

function adviceParagraphs(ctx: NoticeContext): Paragraph[] {
  const inTableOrder = ctx.groups.flatMap((g) => g.findings);
  const advice = [...new Set(inTableOrder.map((f) => f.advice.trim()).filter((a) => a.length > 0))];
  return advice.map((text, i) => para(`${i + 1}．${text}`, { indent: true }));
}

function deadlineSentence(ctx: NoticeContext): string {
  return fillPlaceholders(ctx.template.deadline, {
    deadline: ctx.deadline,
    workdays: ctx.report.notice.deadlineWorkdays,
    issuer: ctx.issuer,
  });
}

function signature(ctx: NoticeContext): Paragraph[] {
  return [
    para(ctx.issuer, { align: AlignmentType.RIGHT, before: 900 }),
    para(formatChineseDate(ctx.report.notice.issueDate ?? ctx.report.inspectionDate), {
      align: AlignmentType.RIGHT,
    }),
  ];
}

function unverifiedNote(ctx: NoticeContext): Paragraph[] {
  const count = ctx.report.unverified.length;
  if (count === 0) return [];
  const text = fillPlaceholders(ctx.template.unverifiedNote, { count });
  return [para(text, { size: 24, before: 400, tight: true })];
}

// ── the 回执 ────────────────────────────────────────────────────────────────────────────────────

function receipt(ctx: NoticeContext): (Paragraph | Table)[] {
  const r = ctx.template.receipt;
  const rows: [string, string][] = [
    [r.unitName, ctx.unit.name],
    [r.progress, fillPlaceholders(r.progressValue, { count: ctx.findings.length })],
    [r.contact, ''],
    [r.phone, ''],
    [r.signature, ''],
    [r.date, ''],
  ];
  const tableRows = rows.map(
    ([label, value]) =>
      new TableRow({
        height: { value: 900, rule: HeightRule.ATLEAST },
        children: [
          cell(label, RECEIPT_WIDTHS.label, { bold: true, size: BODY_SIZE }),
          cell(value, RECEIPT_WIDTHS.value, { size: BODY_SIZE }),
        ],
      }),
  );
  const footer = fillPlaceholders(r.footer, { deadline: ctx.deadline, issuer: ctx.issuer });
  return [
    para(r.title, {
      font: FONTS.title,
      size: 36,
      align: AlignmentType.CENTER,
      pageBreakBefore: true,
      after: 100,
    }),
    para(fillPlaceholders(r.subtitle, { title: ctx.title }), { align: AlignmentType.CENTER, after: 300 }),
    table(tableRows, [RECEIPT_WIDTHS.label, RECEIPT_WIDTHS.value]),
    para(footer, { indent: true, before: 300 }),
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
      new TextRun({ text: xmlSafe(text), font, size: options.size ?? BODY_SIZE, bold: options.bold }),
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
            text: xmlSafe(text),
            font: FONTS.body,
            size: options.size ?? TABLE_SIZE,
            bold: options.bold,
          }),
        ],
      }),
    ],
  });
}

function xmlSafe(text: string): string {
  return text.replace(XML_INVALID, ' ');
}

function table(rows: TableRow[], widths: number[]): Table {
  return new Table({
    rows,
    columnWidths: widths,
    layout: TableLayoutType.FIXED,
    width: { size: widths.reduce((a, b) => a + b, 0), type: WidthType.DXA },
  });
}
