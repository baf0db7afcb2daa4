import { readFileSync } from 'node:fs';
import { LineCounter, parseDocument, isNode, type Document } from 'yaml';
import type { z } from 'zod';
import { InputError } from '../inputError.js';

/** A user-facing configuration error: Chinese message naming file, line and field. */
export class ConfigError extends InputError {
  constructor(
    readonly file: string,
    readonly line: number | undefined,
    readonly field: string,
    readonly detail: string,
  ) {
    super(`${file}${line ? `:${line}` : ''} 字段 ${field || '(根)'}：${detail}`);
    this.name = 'ConfigError';
  }
}

export function fieldName(path: readonly PropertyKey[]): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i ? '.' : ''}${String(p)}`)).join('');
}

export function lineOf(
  doc: Document,
  counter: LineCounter,
  path: readonly PropertyKey[],
): number | undefined {
  // Walk up the path until a node with a source range exists (a missing key has no node).
  for (let n = path.length; n >= 0; n--) {
    const node = n === 0 ? doc.contents : doc.getIn(path.slice(0, n) as unknown[], true);
    if (isNode(node) && node.range) return counter.linePos(node.range[0]).line;
  }
  return undefined;
}

const MISSING = Symbol('missing');

/** The value at `path` in the parsed document, or MISSING when a key on the way is absent. */
function valueAt(data: unknown, path: readonly PropertyKey[]): unknown {
  let v = data;
  for (const key of path) {
    if (v === null || typeof v !== 'object' || !Object.hasOwn(v, key)) return MISSING;
    v = (v as Record<PropertyKey, unknown>)[key];
  }
  return v;
}

/** How a value is shown in a message: as written (JSON), shortened; 缺失 when absent. */
export function showValue(v: unknown): string {
  if (v === MISSING || v === undefined) return '缺失';
  if (v === null) return '空值';
  const text = JSON.stringify(v) ?? String(v);
  return text.length > 60 ? `${text.slice(0, 57)}…` : text;
}

const TYPE_NAMES: Record<string, string> = { int: '整数' };

function bound(origin: string, limit: unknown, inclusive: boolean | undefined, small: boolean): string {
  const n = String(limit);
  if (origin === 'array' || origin === 'set') return small ? `至少需要 ${n} 项` : `最多 ${n} 项`;
  if (origin === 'string') return small ? (n === '1' ? '不能为空' : `至少 ${n} 个字符`) : `最多 ${n} 个字符`;
  if (inclusive === false) return small ? `应大于 ${n}` : `应小于 ${n}`;
  return small ? `不能小于 ${n}` : `不能大于 ${n}`;
}

/**
 * A zod issue in Chinese, always saying what the value is. zod 4 leaves `input` out of issues
 * unless asked, so the value is looked up in the parsed document by the issue's path.
 */
export function describeIssue(issue: z.core.$ZodIssue, data: unknown): string {
  const actual = `实际为 ${showValue(valueAt(data, issue.path))}`;
  // Our schemas write their own messages in Chinese; zod's defaults are English.
  const own = /[\u3400-\u9fff]/.test(issue.message);
  switch (issue.code) {
    case 'invalid_type':
      return `${own ? issue.message : `应为 ${TYPE_NAMES[issue.expected] ?? issue.expected}`}，${actual}`;
    case 'unrecognized_keys':
      return `未知字段 ${issue.keys.join('、')}（拼写错误或不支持的字段）`;
    case 'too_small':
    case 'too_big':
      if (own) return `${issue.message}，${actual}`;
      return `${bound(issue.origin, issue.code === 'too_small' ? issue.minimum : issue.maximum, issue.inclusive, issue.code === 'too_small')}，${actual}`;
    case 'invalid_value':
      if (own) return `${issue.message}，${actual}`;
      return `应为 ${issue.values.map((v) => showValue(v)).join(' / ')} 之一，${actual}`;
    case 'invalid_format':
      if (own) return `${issue.message}，${actual}`;
      return `格式不正确（应为 ${issue.format === 'regex' ? (issue.pattern ?? 'regex') : issue.format}），${actual}`;
    default:
      return `${own ? issue.message : '值无效'}，${actual}`;
  }
}

/** The path an issue is reported at: an unknown key is reported at the key itself, not its object. */
export function issuePath(issue: z.core.$ZodIssue): PropertyKey[] {
  return issue.code === 'unrecognized_keys' && issue.keys[0] !== undefined
    ? [...issue.path, issue.keys[0]]
    : [...issue.path];
}

/** Parse YAML text and validate it with a zod schema; errors carry file, line and field. */
export function parseYaml<S extends z.ZodType>(text: string, schema: S, file: string): z.output<S> {
  const counter = new LineCounter();
  const doc = parseDocument(text, { lineCounter: counter, prettyErrors: false });
  const syntax = doc.errors[0];
  if (syntax) {
    const line = counter.linePos(syntax.pos[0]).line;
    throw new ConfigError(file, line, '', `YAML 语法错误（${syntax.code}）`);
  }
  const data: unknown = doc.toJS();
  const result = schema.safeParse(data);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const path = issuePath(issue);
  let detail = describeIssue(issue, data);
  // A misspelt key shows up as a missing field plus an unknown one: name both, the cause is one.
  const parent = fieldName(issue.path.slice(0, -1));
  const unknown = result.error.issues.find(
    (i) => i.code === 'unrecognized_keys' && fieldName(i.path) === parent,
  );
  if (unknown?.code === 'unrecognized_keys' && valueAt(data, issue.path) === MISSING)
    detail += `（另有未知字段 ${unknown.keys.join('、')}，是否拼写错误？）`;
  throw new ConfigError(file, lineOf(doc, counter, path), fieldName(path), detail);
}

/**
 * An error about a value that passed its file's schema but not a rule across files (an indicator
 * naming an unknown check, a seed naming an unknown catalogue): located like a schema error.
 */
export function configErrorAt(file: string, path: readonly PropertyKey[], detail: string): ConfigError {
  let line: number | undefined;
  try {
    const counter = new LineCounter();
    const doc = parseDocument(readFileSync(file, 'utf8'), { lineCounter: counter });
    line = lineOf(doc, counter, path);
  } catch {
    // The file was readable a moment ago; without it the message still names file and field.
  }
  return new ConfigError(file, line, fieldName(path), detail);
}

export function loadYamlFile<S extends z.ZodType>(file: string, schema: S): z.output<S> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new ConfigError(
      file,
      undefined,
      '',
      `无法读取文件（${(err as NodeJS.ErrnoException).code ?? String(err)}）`,
    );
  }
  return parseYaml(text, schema, file);
}
