import { readFileSync } from 'node:fs';
import { LineCounter, parseDocument, isNode, type Document } from 'yaml';
import type { z } from 'zod';

/** A user-facing configuration error: Chinese message naming file, line and field. */
export class ConfigError extends Error {
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

function fieldName(path: readonly PropertyKey[]): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i ? '.' : ''}${String(p)}`)).join('');
}

function lineOf(doc: Document, counter: LineCounter, path: readonly PropertyKey[]): number | undefined {
  // Walk up the path until a node with a source range exists (a missing key has no node).
  for (let n = path.length; n >= 0; n--) {
    const node = n === 0 ? doc.contents : doc.getIn(path.slice(0, n) as unknown[], true);
    if (isNode(node) && node.range) return counter.linePos(node.range[0]).line;
  }
  return undefined;
}

function describeIssue(issue: z.core.$ZodIssue): string {
  if (issue.code === 'invalid_type')
    return `应为 ${issue.expected}，实际为 ${issue.input === undefined ? '缺失' : JSON.stringify(issue.input)}`;
  return issue.message;
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
  const result = schema.safeParse(doc.toJS());
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  throw new ConfigError(file, lineOf(doc, counter, issue.path), fieldName(issue.path), describeIssue(issue));
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
