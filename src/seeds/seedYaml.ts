import { LineCounter, parseDocument } from 'yaml';
import { fieldName, lineOf } from '../config/yamlFile.js';
import type { ProblemList } from './seedProblems.js';
import type { SeedRecord } from './seedUnits.js';

/** Fields people write as one value although they are lists: `start: https://…`. */
const LIST_FIELDS = ['start', 'hosts', 'paths'];

/**
 * A YAML seed file → one record per unit. Problems with the file's shape (syntax, no `units:`
 * list, unknown top-level keys) are collected; the units themselves are validated by buildUnits.
 */
export function yamlRecords(text: string, problems: ProblemList): SeedRecord[] {
  const counter = new LineCounter();
  const doc = parseDocument(text, { lineCounter: counter, prettyErrors: false });
  const syntax = doc.errors[0];
  if (syntax) {
    problems.error(
      { kind: 'file', line: counter.linePos(syntax.pos[0]).line },
      `YAML 语法错误（${syntax.code}）`,
    );
    return [];
  }
  const place = (path: readonly PropertyKey[]) => ({
    kind: 'field' as const,
    line: lineOf(doc, counter, path),
    field: fieldName(path),
  });
  const data: unknown = doc.toJS();
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    problems.error(place([]), '种子文件应以 units: 开头，下面逐项列出单位');
    return [];
  }
  const top = data as Record<string, unknown>;
  const extra = Object.keys(top).filter((k) => k !== 'units');
  if (extra.length)
    problems.error(place([extra[0]!]), `未知字段 ${extra.join('、')}（拼写错误或不支持的字段）`);
  if (!Array.isArray(top.units) || !top.units.length) {
    problems.error(place(['units']), '至少需要一个单位（units: 下逐项列出）');
    return [];
  }
  return top.units.flatMap((value, i): SeedRecord[] => {
    const unitPlace = (path: readonly PropertyKey[]) => place(['units', i, ...path]);
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      problems.error(unitPlace([]), '每个单位应写作若干“字段: 值”（id、name、level、start …）');
      return [];
    }
    const raw = { ...(value as Record<string, unknown>) };
    for (const key of LIST_FIELDS) if (typeof raw[key] === 'string') raw[key] = [raw[key]];
    return [{ raw, line: unitPlace([]).line, place: unitPlace }];
  });
}
