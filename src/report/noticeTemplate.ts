import { readFileSync } from 'node:fs';
import { LineCounter, parseDocument, type Document } from 'yaml';
import { z } from 'zod';
import type { Outcome } from '../checks/types.js';
import { DOC_NUMBER_PATTERN } from './docNumber.js';

/**
 * Wording of the 整改通知 (reports/templates/notice.yaml). Text fields may use `{name}` placeholders;
 * each field accepts only the placeholders listed in PLACEHOLDERS, checked when the file is loaded.
 */
export interface NoticeTemplate {
  /** e.g. 关于{unit}政府网站问题整改的通知 */
  title: string;
  /**
   * 文号 printed under the 发文机关标志, e.g. 示政办〔2026〕12号 (GB/T 9704 pattern). Absent: no 文号
   * line at all (report.notice.docNumber, from --doc-number, takes precedence).
   */
  docNumber?: string;
  /**
   * Title for a unit whose name already ends in 政府 or that is the issuing government itself,
   * e.g. 关于{unit}门户网站问题整改的通知 (avoids “人民政府政府网站”).
   */
  governmentTitle?: string;
  /** 版记 抄送 organs (no line when absent), e.g. 县政府督查室 */
  copyTo?: string;
  /** 版记 印发机关 (defaults to the 发文机关标志). */
  printer?: string;
  /** e.g. {unit}： */
  addressee: string;
  intro: string;
  /** The intro instead, for a unit whose home page could not be fetched (no score, no grade). */
  unreachableIntro: string;
  /** Added after the intro when the unit is vetoed. */
  vetoNote: string;
  problemsHeading: string;
  /** Sub-heading per category, e.g. （{index}）{category}（{count} 项） */
  categoryHeading: string;
  /** Shown instead of the problem tables when the unit has no listed finding. */
  noProblems: string;
  /** Which finding outcomes the notice lists. */
  outcomes: Outcome[];
  /** Prefix of the 问题 cell for findings that are only hints (outcome warn). */
  warnPrefix: string;
  adviceHeading: string;
  deadline: string;
  closing: string;
  /** Used when the report carries no issuer. */
  issuer: string;
  unverifiedNote: string;
  receipt: {
    title: string;
    subtitle: string;
    unitName: string;
    progress: string;
    progressValue: string;
    contact: string;
    phone: string;
    signature: string;
    date: string;
    footer: string;
  };
}

/** Placeholders each text field may use; a field not listed here takes none. */
const PLACEHOLDERS: Record<string, readonly string[]> = {
  title: ['unit'],
  governmentTitle: ['unit'],
  addressee: ['unit'],
  intro: ['unit', 'date', 'score', 'grade', 'rank', 'total'],
  unreachableIntro: ['unit', 'date', 'status', 'evidence', 'basis'],
  vetoNote: ['reason'],
  categoryHeading: ['index', 'category', 'count'],
  deadline: ['deadline', 'workdays', 'issuer'],
  unverifiedNote: ['count'],
  'receipt.subtitle': ['title'],
  'receipt.progressValue': ['count', 'hints'],
  'receipt.footer': ['deadline', 'issuer'],
};

const NON_EMPTY = '必须是非空字符串';
const text = () => z.string({ error: NON_EMPTY }).trim().min(1, { error: NON_EMPTY });
const OUTCOMES = ['fail', 'warn', 'needs-review', 'error'] as const;

const MAPPING = { error: '必须是“字段: 值”形式的映射' };

const ReceiptSchema = z.strictObject(
  {
    title: text(),
    subtitle: text(),
    unitName: text(),
    progress: text(),
    progressValue: text(),
    contact: text(),
    phone: text(),
    signature: text(),
    date: text(),
    footer: text(),
  },
  MAPPING,
);

const DOC_NUMBER_ERROR = '文号格式应为“机关代字〔年份〕序号号”，如 示政办〔2026〕12号；不设文号时删去该字段';

const NoticeTemplateSchema = z.strictObject(
  {
    title: text(),
    docNumber: z
      .string({ error: DOC_NUMBER_ERROR })
      .trim()
      .regex(DOC_NUMBER_PATTERN, { error: DOC_NUMBER_ERROR })
      .optional(),
    governmentTitle: text().optional(),
    copyTo: text().optional(),
    printer: text().optional(),
    addressee: text(),
    intro: text(),
    unreachableIntro: text(),
    vetoNote: text(),
    problemsHeading: text(),
    categoryHeading: text(),
    noProblems: text(),
    outcomes: z
      .array(z.enum(OUTCOMES, { error: `必须是 ${OUTCOMES.join('、')} 之一` }), { error: '必须是列表' })
      .min(1, { error: '至少列出一种结论' }),
    warnPrefix: z.string({ error: '必须是字符串' }),
    adviceHeading: text(),
    deadline: text(),
    closing: text(),
    issuer: text(),
    unverifiedNote: text(),
    receipt: ReceiptSchema,
  },
  MAPPING,
);

/** Replace `{name}` placeholders; unknown names are left as they are. */
export function fillPlaceholders(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = values[name];
    return value === undefined ? whole : String(value);
  });
}

/** A path inside the YAML file → "file" or "file:line" for messages. */
type Locate = (path: (string | number)[]) => string;

/** Load and validate the notice wording. Errors are Chinese and name the file, field and line. */
export function loadNoticeTemplate(file = 'reports/templates/notice.yaml'): NoticeTemplate {
  return loadWordingTemplate(file, NoticeTemplateSchema, PLACEHOLDERS, '通知模板');
}

/**
 * Load a wording template (YAML) against its schema and the placeholders each text field may use
 * (dotted paths for nested fields). Errors are Chinese and name the file, field and line; `what`
 * names the template when the file cannot be read. Shared by the 整改通知 and the 督办通知.
 */
export function loadWordingTemplate<T>(
  file: string,
  schema: z.ZodType<T>,
  placeholders: Record<string, readonly string[]>,
  what: string,
): T {
  const lines = new LineCounter();
  const doc = parseDocument(readSource(file, what), { lineCounter: lines });
  const yamlError = doc.errors[0];
  if (yamlError) {
    const line = yamlError.linePos?.[0].line;
    throw new Error(`${file}${line ? `:${line}` : ''} YAML 格式错误：${yamlError.message}`);
  }
  const locate: Locate = (path) => `${file}${lineSuffix(doc, lines, path)}`;
  const parsed = schema.safeParse(doc.toJS());
  if (!parsed.success) {
    // A misspelt key also shows up as a missing field; report the misspelling first.
    const issues = parsed.error.issues;
    const issue = issues.find((i) => i.code === 'unrecognized_keys') ?? issues[0];
    throw new Error(issue ? issueMessage(issue, doc, locate) : `${file} 格式不正确`);
  }
  checkPlaceholders(parsed.data, placeholders, locate);
  return parsed.data;
}

function readSource(file: string, what: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? '文件不存在' : String(err);
    throw new Error(`无法读取${what} ${file}：${reason}`, { cause: err });
  }
}

function issueMessage(issue: z.core.$ZodIssue, doc: Document, locate: Locate): string {
  const path = issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p));
  if (issue.code === 'unrecognized_keys') {
    const keyPath = [...path, issue.keys[0] ?? ''];
    return `${locate(keyPath)} 字段 ${formatPath(keyPath)}：未知字段（是否拼写错误？）`;
  }
  const missing = path.length > 0 && doc.getIn(path) === undefined;
  const message = missing ? `缺少该字段（${issue.message}）` : issue.message;
  return `${locate(path)} 字段 ${formatPath(path)}：${message}`;
}

function formatPath(path: (string | number)[]): string {
  if (path.length === 0) return '（根）';
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
}

/** ":<line>" of the deepest existing node on the path, or "" when unknown. */
function lineSuffix(doc: Document, lines: LineCounter, path: (string | number)[]): string {
  for (let depth = path.length; depth > 0; depth -= 1) {
    const node = doc.getIn(path.slice(0, depth), true) as { range?: [number, number, number] } | undefined;
    if (node?.range) return `:${lines.linePos(node.range[0]).line}`;
  }
  return '';
}

function checkPlaceholders(
  template: unknown,
  placeholders: Record<string, readonly string[]>,
  locate: Locate,
): void {
  for (const [field, value] of textFields(template)) {
    const allowed = placeholders[field] ?? [];
    for (const match of value.matchAll(/\{(\w+)\}/g)) {
      const name = match[1] ?? '';
      if (allowed.includes(name)) continue;
      const hint =
        allowed.length > 0 ? `可用占位符：${allowed.map((a) => `{${a}}`).join('、')}` : '该字段不用占位符';
      throw new Error(`${locate(field.split('.'))} 字段 ${field}：未知占位符 {${name}}，${hint}`);
    }
  }
}

/** Every text field of a template with its dotted path (receipt.footer), nested mappings included. */
function textFields(value: unknown, prefix = ''): [string, string][] {
  if (typeof value === 'string') return [[prefix, value]];
  if (!value || typeof value !== 'object' || Array.isArray(value)) return [];
  return Object.entries(value).flatMap(([k, v]) => textFields(v, prefix ? `${prefix}.${k}` : k));
}
