/**
 * Binary attachments of the demo county's sites (XLSX, DOCX, PDF), generated at start-up from
 * `seeds/demo/site/<siteKey>/_attachments.yaml`. Rosters are filled with deterministic fake people
 * (see fakePeople.ts); a `masked: true` roster shows only masked IDs, mobiles and addresses.
 *
 * _attachments.yaml is a list of documents:
 *
 *   - path: /attach/dbdx_mingdan.xlsx      # URL path on the site; extension must match format
 *     format: xlsx                          # xlsx | docx | pdf
 *     title: 示范区城乡最低生活保障对象名单
 *     subtitle: （{{year}}年第三批）        # optional line under the title
 *     sheet: 低保对象                       # optional worksheet name (xlsx)
 *     before: [ "paragraph", { heading: "一、申请条件" } ]   # text above the table
 *     columns: [序号, 户主姓名, 身份证号, { header: 所在村, field: village }]
 *     people: { count: 8, seed: 101, masked: false, town: 西山镇 }   # table rows from fake people
 *     rows: [[一般公共预算收入, 12850.6]]  # …or literal rows (not together with people)
 *     after: [ "paragraph" ]               # text below the table
 *     sign: [示范区民政局, "{{date:-5:zh}}"]  # right-aligned signature lines
 *
 * Text may use the page tokens {{date:-N}}, {{date:-N:zh}}, {{datetime:-N}}, {{year}}, {{year:-K}}.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type ExcelJS from 'exceljs';
import { loadExcelJs } from '../util/lazyModules.js';
import {
  AlignmentType,
  BorderStyle,
  Document,
  Packer,
  Paragraph,
  Table,
  TableCell,
  TableRow,
  TextRun,
  WidthType,
} from 'docx';
import { loadYamlFile } from '../config/yamlFile.js';
import { htmlToPdf, CJK_FONT_FAMILY } from '../render/htmlToPdf.js';
import { renderTemplate } from './templateTokens.js';
import { createRng, fakePeople, pick, randInt, type FakePerson, type Rng } from './fakePeople.js';

export const ATTACHMENTS_FILE = '_attachments.yaml';

export const CONTENT_TYPES = {
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  pdf: 'application/pdf',
} as const;

export type AttachmentFormat = keyof typeof CONTENT_TYPES;

/** What a roster column shows for each fake person. */
export const FIELDS = [
  'index',
  'name',
  'gender',
  'age',
  'idCard',
  'mobile',
  'address',
  'village',
  'householdSize',
  'monthlyAmount',
  'supportMode',
  'area',
  'compensation',
  'reason',
  'note',
] as const;
export type Field = (typeof FIELDS)[number];

/** Column headers understood without an explicit `field`. */
export const HEADER_FIELDS: Readonly<Record<string, Field>> = {
  序号: 'index',
  姓名: 'name',
  户主姓名: 'name',
  申请人: 'name',
  被征收户: 'name',
  被征收人: 'name',
  性别: 'gender',
  年龄: 'age',
  身份证号: 'idCard',
  身份证号码: 'idCard',
  公民身份号码: 'idCard',
  联系电话: 'mobile',
  手机号码: 'mobile',
  家庭住址: 'address',
  住址: 'address',
  户籍地址: 'address',
  '所在村（社区）': 'village',
  '村（社区）': 'village',
  保障人数: 'householdSize',
  家庭人口: 'householdSize',
  '月保障金（元）': 'monthlyAmount',
  '月供养金（元）': 'monthlyAmount',
  '救助金额（元）': 'monthlyAmount',
  供养方式: 'supportMode',
  '征收面积（亩）': 'area',
  '补偿金额（元）': 'compensation',
  救助事由: 'reason',
  备注: 'note',
};

const blockSchema = z.union([z.string(), z.object({ heading: z.string().min(1) }).strict()]);
const columnSchema = z.union([
  z.string().min(1),
  z.object({ header: z.string().min(1), field: z.enum(FIELDS) }).strict(),
]);
const peopleSchema = z
  .object({
    count: z.number().int().min(1).max(500),
    seed: z.number().int(),
    masked: z.boolean(),
    town: z.string().optional(),
    village: z.string().optional(),
  })
  .strict();

const specSchema = z
  .object({
    path: z.string().regex(/^\/(?:[A-Za-z0-9._-]+\/)*[A-Za-z0-9._-]+\.(?:xlsx|docx|pdf)$/, {
      message: '应为以 / 开头、以 .xlsx、.docx 或 .pdf 结尾的网址路径（仅限字母、数字、. _ -）',
    }),
    format: z.enum(['xlsx', 'docx', 'pdf']),
    title: z.string().min(1),
    subtitle: z.string().optional(),
    sheet: z.string().min(1).max(31).optional(),
    before: z.array(blockSchema).default([]),
    after: z.array(blockSchema).default([]),
    sign: z.array(z.string()).default([]),
    columns: z.array(columnSchema).min(1).optional(),
    people: peopleSchema.optional(),
    rows: z.array(z.array(z.union([z.string(), z.number()]))).optional(),
  })
  .strict()
  .superRefine((s, ctx) => {
    if (!s.path.endsWith(`.${s.format}`))
      ctx.addIssue({
        code: 'custom',
        path: ['format'],
        message: `格式 ${s.format} 与路径 ${s.path} 的扩展名不一致`,
      });
    if (s.people && s.rows)
      ctx.addIssue({ code: 'custom', path: ['rows'], message: '不能同时给出 people 和 rows' });
    if ((s.people || s.rows) && !s.columns)
      ctx.addIssue({ code: 'custom', path: ['columns'], message: '给出 people 或 rows 时必须给出 columns' });
    if (s.columns && !s.people && !s.rows)
      ctx.addIssue({ code: 'custom', path: ['columns'], message: '给出 columns 时必须给出 people 或 rows' });
    if (s.people && s.columns)
      s.columns.forEach((c, i) => {
        if (typeof c === 'string' && !HEADER_FIELDS[c])
          ctx.addIssue({
            code: 'custom',
            path: ['columns', i],
            message: `无法识别的列名“${c}”，请写成 { header: ${c}, field: … }（field 可选：${FIELDS.join(', ')}）`,
          });
      });
    if (s.rows && s.columns) {
      const width = s.columns.length;
      s.rows.forEach((r, i) => {
        if (r.length !== width)
          ctx.addIssue({
            code: 'custom',
            path: ['rows', i],
            message: `应有 ${width} 个单元格，实际 ${r.length} 个`,
          });
      });
    }
  });

const fileSchema = z.array(specSchema).superRefine((specs, ctx) => {
  const seen = new Set<string>();
  specs.forEach((s, i) => {
    if (seen.has(s.path)) ctx.addIssue({ code: 'custom', path: [i, 'path'], message: `路径 ${s.path} 重复` });
    seen.add(s.path);
  });
});

type SpecInput = z.output<typeof specSchema>;

export type Block = string | { heading: string };
export type Cell = string | number;

export interface AttachmentColumn {
  header: string;
  /** null for literal-row tables. */
  field: Field | null;
}

/** One attachment with its tokens rendered and its table generated. */
export interface AttachmentSpec {
  path: string;
  format: AttachmentFormat;
  contentType: string;
  title: string;
  subtitle?: string;
  sheet?: string;
  before: Block[];
  after: Block[];
  sign: string[];
  columns: AttachmentColumn[];
  /** The fake people behind the rows (empty for literal rows). */
  people: FakePerson[];
  masked: boolean;
  /** Table rows with raw (unmasked) values. */
  rows: Cell[][];
  /** Table rows as the document shows them (masked when `masked`). */
  displayRows: Cell[][];
}

export interface AttachmentContext {
  today: Date;
}

export interface GeneratedFile {
  body: Buffer;
  contentType: string;
}

/** Masked forms used by masked rosters: 350502********1234, 138****5678, 示范区西山镇后洋村***. */
const maskId = (id: string) => `${id.slice(0, 6)}********${id.slice(-4)}`;
const maskMobile = (m: string) => `${m.slice(0, 3)}****${m.slice(-4)}`;

const SUPPORT_MODES = ['分散供养', '集中供养'] as const;
const REASONS = ['因病致困', '因灾致困', '突发意外事件', '生活必需支出突然增加', '因学致困'] as const;

interface RowExtras {
  householdSize: number;
  monthlyAmount: number;
  supportMode: string;
  area: number;
  compensation: number;
  reason: string;
}

function rowExtras(rng: Rng): RowExtras {
  const householdSize = randInt(rng, 1, 5);
  const area = randInt(rng, 5, 60) / 10;
  return {
    householdSize,
    // 差额救助: a per-person gap between 380 and 850 元, in steps of 10 元.
    monthlyAmount: householdSize * randInt(rng, 38, 85) * 10,
    supportMode: pick(rng, SUPPORT_MODES),
    area,
    compensation: Math.round(area * 52_000),
    reason: pick(rng, REASONS),
  };
}

function ageOn(birthDate: string, today: Date): number {
  const [y, m, d] = birthDate.split('-').map(Number) as [number, number, number];
  let age = today.getUTCFullYear() - y;
  if (today.getUTCMonth() + 1 < m || (today.getUTCMonth() + 1 === m && today.getUTCDate() < d)) age -= 1;
  return age;
}

function fieldValue(
  field: Field,
  p: FakePerson,
  i: number,
  x: RowExtras,
  today: Date,
  masked: boolean,
): Cell {
  switch (field) {
    case 'index':
      return i + 1;
    case 'name':
      return p.name;
    case 'gender':
      return p.gender;
    case 'age':
      return ageOn(p.birthDate, today);
    case 'idCard':
      return masked ? maskId(p.idCard) : p.idCard;
    case 'mobile':
      return masked ? maskMobile(p.mobile) : p.mobile;
    case 'address':
      return masked ? `${p.addressArea}***` : p.address;
    case 'village':
      return p.addressArea.replace(/^示范区/, '');
    case 'householdSize':
      return x.householdSize;
    case 'monthlyAmount':
      return x.monthlyAmount;
    case 'supportMode':
      return x.supportMode;
    case 'area':
      return x.area;
    case 'compensation':
      return x.compensation;
    case 'reason':
      return x.reason;
    case 'note':
      return '';
  }
}

function resolveSpec(input: SpecInput, ctx: AttachmentContext): AttachmentSpec {
  const text = (s: string) => renderTemplate(s, { today: ctx.today, origins: {} });
  const block = (b: Block): Block => (typeof b === 'string' ? text(b) : { heading: text(b.heading) });
  const columns: AttachmentColumn[] = (input.columns ?? []).map((c) =>
    typeof c === 'string'
      ? { header: text(c), field: input.people ? (HEADER_FIELDS[c] ?? null) : null }
      : { header: text(c.header), field: c.field },
  );
  let people: FakePerson[] = [];
  let rows: Cell[][] = [];
  let displayRows: Cell[][] = [];
  const masked = input.people?.masked ?? false;
  if (input.people) {
    const { count, seed, town, village } = input.people;
    people = fakePeople(count, seed, { town, village });
    const extrasRng = createRng(seed + 1_000_003);
    const extras = people.map(() => rowExtras(extrasRng));
    const build = (mask: boolean) =>
      people.map((p, i) =>
        columns.map((c) => fieldValue(c.field ?? 'note', p, i, extras[i]!, ctx.today, mask)),
      );
    rows = build(false);
    displayRows = build(masked);
  } else if (input.rows) {
    rows = input.rows.map((r) => r.map((c) => (typeof c === 'string' ? text(c) : c)));
    displayRows = rows;
  }
  return {
    path: input.path,
    format: input.format,
    contentType: CONTENT_TYPES[input.format],
    title: text(input.title),
    ...(input.subtitle !== undefined ? { subtitle: text(input.subtitle) } : {}),
    ...(input.sheet !== undefined ? { sheet: text(input.sheet) } : {}),
    before: input.before.map(block),
    after: input.after.map(block),
    sign: input.sign.map(text),
    columns,
    people,
    masked,
    rows,
    displayRows,
  };
}

/** Parse `<siteDir>/_attachments.yaml` (none → []) and generate its tables. Throws ConfigError. */
export async function describeAttachments(
  siteDir: string,
  ctx: AttachmentContext,
): Promise<AttachmentSpec[]> {
  const file = join(siteDir, ATTACHMENTS_FILE);
  if (!existsSync(file)) return [];
  return loadYamlFile(file, fileSchema).map((s) => resolveSpec(s, ctx));
}

/** Generate every attachment of a site, keyed by URL path (e.g. /attach/dbdx_mingdan.xlsx). */
export async function buildAttachments(
  siteDir: string,
  ctx: AttachmentContext,
): Promise<Map<string, GeneratedFile>> {
  const out = new Map<string, GeneratedFile>();
  for (const spec of await describeAttachments(siteDir, ctx)) {
    out.set(spec.path, { body: await renderAttachment(spec, ctx), contentType: spec.contentType });
  }
  return out;
}

export async function renderAttachment(spec: AttachmentSpec, ctx: AttachmentContext): Promise<Buffer> {
  switch (spec.format) {
    case 'xlsx':
      return renderXlsx(spec, ctx);
    case 'docx':
      return renderDocx(spec);
    case 'pdf':
      return htmlToPdf(renderHtml(spec));
  }
}

const blockText = (b: Block) => (typeof b === 'string' ? b : b.heading);

/** Display width of a cell in Excel character units (CJK counts double). */
function textWidth(v: Cell): number {
  let w = 0;
  for (const ch of String(v)) w += /[\u0000-\u00ff]/.test(ch) ? 1 : 2;
  return w;
}

async function renderXlsx(spec: AttachmentSpec, ctx: AttachmentContext): Promise<Buffer> {
  const wb = new (await loadExcelJs()).Workbook();
  wb.created = ctx.today;
  wb.modified = ctx.today;
  const ws = wb.addWorksheet(spec.sheet ?? 'Sheet1');
  const width = Math.max(spec.columns.length, 1);
  const thin = { style: 'thin' as const };
  const border = { top: thin, left: thin, bottom: thin, right: thin };

  const addLine = (value: string, font: Partial<ExcelJS.Font>, horizontal: 'center' | 'left' | 'right') => {
    const row = ws.addRow([value]);
    if (width > 1) ws.mergeCells(row.number, 1, row.number, width);
    const cell = row.getCell(1);
    cell.font = font;
    cell.alignment = { horizontal, vertical: 'middle', wrapText: horizontal === 'left' };
    return row;
  };

  addLine(spec.title, { bold: true, size: 16 }, 'center').height = 30;
  if (spec.subtitle) addLine(spec.subtitle, { size: 11 }, 'center');
  for (const b of spec.before) addLine(blockText(b), { size: 11, bold: typeof b !== 'string' }, 'left');

  if (spec.columns.length) {
    const header = ws.addRow(spec.columns.map((c) => c.header));
    header.eachCell((cell) => {
      cell.font = { bold: true, size: 11 };
      cell.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
      cell.border = border;
      cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFE7EEF7' } };
    });
    for (const values of spec.displayRows) {
      const row = ws.addRow(values);
      row.eachCell({ includeEmpty: true }, (cell, col) => {
        cell.border = border;
        cell.alignment = { horizontal: col === 1 ? 'center' : 'left', vertical: 'middle' };
        // IDs and phone numbers are text, never numbers (Excel would round an 18-digit number).
        if (typeof cell.value === 'string') cell.numFmt = '@';
      });
    }
    spec.columns.forEach((c, i) => {
      const widest = Math.max(textWidth(c.header), ...spec.displayRows.map((r) => textWidth(r[i] ?? '')));
      ws.getColumn(i + 1).width = Math.min(Math.max(widest + 2, 6), 48);
    });
  }

  for (const b of spec.after) addLine(blockText(b), { size: 11, bold: typeof b !== 'string' }, 'left');
  for (const s of spec.sign) addLine(s, { size: 11 }, 'right');
  return Buffer.from(await wb.xlsx.writeBuffer());
}

const DOC_FONT = '仿宋';
const TABLE_FONT = '宋体';

function docParagraph(b: Block): Paragraph {
  if (typeof b === 'string')
    return new Paragraph({
      indent: { firstLine: 640 },
      spacing: { line: 560 },
      children: [new TextRun({ text: b, font: DOC_FONT, size: 32 })],
    });
  return new Paragraph({
    spacing: { before: 120, line: 560 },
    children: [new TextRun({ text: b.heading, font: '黑体', size: 32 })],
  });
}

function docCell(value: Cell, bold: boolean): TableCell {
  return new TableCell({
    children: [
      new Paragraph({
        alignment: AlignmentType.CENTER,
        children: [new TextRun({ text: String(value), font: TABLE_FONT, size: 21, bold })],
      }),
    ],
  });
}

async function renderDocx(spec: AttachmentSpec): Promise<Buffer> {
  const children: (Paragraph | Table)[] = [
    new Paragraph({
      alignment: AlignmentType.CENTER,
      spacing: { after: 240 },
      children: [new TextRun({ text: spec.title, font: '方正小标宋简体', size: 44, bold: true })],
    }),
  ];
  if (spec.subtitle)
    children.push(
      new Paragraph({
        alignment: AlignmentType.CENTER,
        spacing: { after: 240 },
        children: [new TextRun({ text: spec.subtitle, font: DOC_FONT, size: 32 })],
      }),
    );
  children.push(...spec.before.map(docParagraph));
  if (spec.columns.length) {
    const line = { style: BorderStyle.SINGLE, size: 4, color: '000000' };
    children.push(
      new Table({
        width: { size: 100, type: WidthType.PERCENTAGE },
        borders: {
          top: line,
          bottom: line,
          left: line,
          right: line,
          insideHorizontal: line,
          insideVertical: line,
        },
        rows: [
          new TableRow({ tableHeader: true, children: spec.columns.map((c) => docCell(c.header, true)) }),
          ...spec.displayRows.map((r) => new TableRow({ children: r.map((v) => docCell(v, false)) })),
        ],
      }),
    );
  }
  children.push(...spec.after.map(docParagraph));
  for (const s of spec.sign)
    children.push(
      new Paragraph({
        alignment: AlignmentType.RIGHT,
        spacing: { line: 560 },
        children: [new TextRun({ text: s, font: DOC_FONT, size: 32 })],
      }),
    );
  const doc = new Document({ title: spec.title, sections: [{ children }] });
  return Packer.toBuffer(doc);
}

const escapeHtml = (s: string) =>
  s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c] ?? c);

/** The HTML a PDF attachment is printed from. */
export function renderHtml(spec: AttachmentSpec): string {
  const para = (b: Block) =>
    typeof b === 'string' ? `<p>${escapeHtml(b)}</p>` : `<h2>${escapeHtml(b.heading)}</h2>`;
  const nowrap = new Set<Field>(['idCard', 'mobile', 'index', 'gender', 'age']);
  const table = spec.columns.length
    ? `<table><thead><tr>${spec.columns.map((c) => `<th>${escapeHtml(c.header)}</th>`).join('')}</tr></thead><tbody>${spec.displayRows
        .map(
          (r) =>
            `<tr>${r
              .map((v, i) => {
                const field = spec.columns[i]?.field;
                const cls = field && nowrap.has(field) ? ' class="nw"' : '';
                return `<td${cls}>${escapeHtml(String(v))}</td>`;
              })
              .join('')}</tr>`,
        )
        .join('')}</tbody></table>`
    : '';
  return `<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>${escapeHtml(spec.title)}</title>
<style>
@page { size: A4; margin: 20mm 15mm; }
body { font-family: ${CJK_FONT_FAMILY}; font-size: 12pt; color: #000; }
h1 { text-align: center; font-size: 18pt; margin: 0 0 8pt; }
.sub { text-align: center; margin: 0 0 12pt; }
h2 { font-size: 13pt; margin: 10pt 0 4pt; }
p { text-indent: 2em; line-height: 1.8; margin: 4pt 0; }
table { border-collapse: collapse; width: 100%; font-size: 10.5pt; margin: 8pt 0; }
th, td { border: 1px solid #000; padding: 4pt 5pt; text-align: center; }
th { background: #e7eef7; }
td.nw { white-space: nowrap; }
.sign { text-align: right; text-indent: 0; margin: 2pt 0; }
</style></head>
<body>
<h1>${escapeHtml(spec.title)}</h1>
${spec.subtitle ? `<div class="sub">${escapeHtml(spec.subtitle)}</div>` : ''}
${spec.before.map(para).join('\n')}
${table}
${spec.after.map(para).join('\n')}
${spec.sign.map((s) => `<p class="sign">${escapeHtml(s)}</p>`).join('\n')}
</body></html>`;
}
