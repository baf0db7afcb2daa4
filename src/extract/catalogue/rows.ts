/**
 * Rows of one catalogue table, once its columns are known: 同上 cells, merged names carried down,
 * continuation rows (a merged 事项 over rows that only split its 公开内容), ticks, and the problems
 * of each finished row.
 */
import { parseTimeLimit } from '../catalogueTimeLimit.js';
import { isTickRole, type Column, type TickRole } from './header.js';
import { listedOptions, type MarkerReader } from './ticks.js';
import type { CatalogueElement, CatalogueLink, PublishedCatalogueRow } from './types.js';

export interface GridCell {
  text: string;
  links?: CatalogueLink[];
  /**
   * This cell is a copy of a merged cell: `row` when its master is above (rowspan, vMerge, a merge
   * range over rows), `col` when the master is to its left on the same row.
   */
  copy?: 'row' | 'col';
}

const DITTO = /^同\s*上[。.]?$/;
const PLACEHOLDER =
  /^(?:[/／\\、\-－—–_·.。…～~*＊]+|无|暂无|待定|未定|待补充|略|空|xx+|x+|某某+|n\/?a|null|undefined)$/i;

export const isPlaceholder = (s: string | undefined): boolean =>
  s === undefined || s.trim() === '' || PLACEHOLDER.test(s.replace(/[\s\u00a0\u3000]+/g, ''));

export const cleanCell = (s: string): string =>
  s
    .replace(/[\u00a0\u3000]/g, ' ')
    .replace(/[ \t]+/g, ' ')
    .replace(/ *\n[\n ]*/g, '\n')
    .trim();

// Names wrapped inside a narrow cell keep a line break between CJK characters.
const cleanName = (s: string): string =>
  s
    .replace(/\s*\n\s*/g, '')
    .replace(/([\u3400-\u9fff])\s+(?=[\u3400-\u9fff])/g, '$1')
    .trim();

/** A row that is only a heading (`一、行政许可`, one merged cell across the table) or a note. */
export function isSectionRow(cells: GridCell[]): boolean {
  const filled = cells.filter((c) => c.text.trim() !== '');
  const distinct = new Set(filled.map((c) => c.text.trim()));
  if (distinct.size !== 1) return false;
  const text = [...distinct][0] ?? '';
  if (filled.length >= Math.max(2, cells.length / 2)) return true;
  return /^(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十]+[)）]|第.{1,3}[部章类]|注[:：]|说明[:：]|备注[:：])/.test(
    text,
  );
}

export interface RowBuilder {
  columns: Column[];
  hasThird: boolean;
  /** Resolved text of each column in the previous data row, for 同上. */
  above: string[];
  rows: PublishedCatalogueRow[];
}

export function newRowBuilder(columns: Column[]): RowBuilder {
  return { columns, hasThird: columns.some((c) => c.role === 'third'), above: [], rows: [] };
}

const joinDistinct = (parts: string[], sep: string): string =>
  parts.filter((p, i) => p !== '' && parts.indexOf(p) === i).join(sep);

const TICK_FIELD: Record<TickRole, 'channels' | 'audience' | 'mode' | 'levels'> = {
  channel: 'channels',
  audience: 'audience',
  mode: 'mode',
  level: 'levels',
};

function addTicks(row: PublishedCatalogueRow, role: TickRole, options: string[]): void {
  const list = row[TICK_FIELD[role]];
  for (const o of options) if (!list.includes(o)) list.push(o);
}

/** Reads one data row into the builder; continuation rows extend the previous row. */
export function addGridRow(b: RowBuilder, cells: GridCell[], location: string, tick: MarkerReader): void {
  const texts = b.columns.map((_, c) => cleanCell(cells[c]?.text ?? ''));
  if (texts.every((t) => t === '')) return;
  const own = b.columns.map((_, c) => texts[c] !== '' && cells[c]?.copy === undefined);
  texts.forEach((t, c) => {
    if (DITTO.test(t)) texts[c] = b.above[c] ?? '';
  });
  const byRole = (role: string, ownOnly = false): string =>
    joinDistinct(
      b.columns.flatMap((col, c) => (col.role === role && (!ownOnly || own[c]) ? [texts[c] ?? ''] : [])),
      '\n',
    );
  const named = b.columns.some((col, c) => own[c] && ['first', 'second', 'third', 'no'].includes(col.role));
  const prev = b.rows[b.rows.length - 1];
  b.above = texts;
  if (!named && prev) {
    extendRow(b, prev, cells, texts, own, tick);
    return;
  }
  let first = cleanName(byRole('first'));
  let second = cleanName(byRole('second'));
  const third = cleanName(byRole('third'));
  // Merged 一级 (and, in three-level tables, 二级) cells that lost their span carry down.
  if (first === '' && (second !== '' || third !== '') && prev) first = prev.first;
  if (b.hasThird && second === '' && third !== '' && prev) second = prev.second.split('／')[0] ?? '';
  const row: PublishedCatalogueRow = {
    first,
    second: third !== '' ? (second !== '' ? `${second}／${third}` : third) : second,
    channels: [],
    audience: [],
    mode: [],
    levels: [],
    links: [],
    problems: [],
    location,
  };
  if (b.hasThird && third !== '') row.third = third;
  const set = (key: 'content' | 'basis' | 'subject', role: string): void => {
    const v = byRole(role);
    if (v !== '') row[key] = key === 'subject' ? v.replace(/\n/g, ' ') : v;
  };
  set('content', 'content');
  set('basis', 'basis');
  set('subject', 'subject');
  const time = byRole('time');
  if (time !== '') row.timeLimit = parseTimeLimit(time.replace(/\n/g, ''));
  readTicks(b, row, texts, tick, () => true);
  addLinks(row, cells, own);
  b.rows.push(row);
}

function readTicks(
  b: RowBuilder,
  row: PublishedCatalogueRow,
  texts: string[],
  tick: MarkerReader,
  use: (c: number) => boolean,
): void {
  b.columns.forEach((col, c) => {
    if (!isTickRole(col.role) || !use(c)) return;
    const t = texts[c] ?? '';
    if (col.option !== undefined) {
      if (tick(t)) addTicks(row, col.role, [col.option]);
    } else addTicks(row, col.role, listedOptions(t));
  });
}

function addLinks(row: PublishedCatalogueRow, cells: GridCell[], own: boolean[]): void {
  cells.forEach((cell, c) => {
    if (!own[c] && cell.copy !== undefined) return;
    for (const l of cell.links ?? []) if (!row.links.some((x) => x.url === l.url)) row.links.push(l);
  });
}

/** A row without names of its own: more 公开内容 (or ticks, links) of the row above. */
function extendRow(
  b: RowBuilder,
  prev: PublishedCatalogueRow,
  cells: GridCell[],
  texts: string[],
  own: boolean[],
  tick: MarkerReader,
): void {
  const more = (role: string): string =>
    joinDistinct(
      b.columns.flatMap((col, c) => (col.role === role && own[c] ? [texts[c] ?? ''] : [])),
      '\n',
    );
  for (const [key, role] of [
    ['content', 'content'],
    ['basis', 'basis'],
    ['subject', 'subject'],
  ] as const) {
    const v = more(role);
    if (v === '') continue;
    const joined = prev[key] ? `${prev[key]}\n${v}` : v;
    prev[key] = key === 'subject' ? joined.replace(/\n/g, ' ') : joined;
  }
  const time = more('time');
  if (time !== '') prev.timeLimit = parseTimeLimit(`${prev.timeLimit?.text ?? ''}${time.replace(/\n/g, '')}`);
  readTicks(b, prev, texts, tick, (c) => own[c] === true);
  addLinks(prev, cells, own);
}

/** Elements missing, empty or a placeholder, in CATALOGUE_ELEMENTS words. */
export function rowProblems(row: PublishedCatalogueRow): CatalogueElement[] {
  const out: CatalogueElement[] = [];
  if (isPlaceholder(row.first) && isPlaceholder(row.second)) out.push('事项名称');
  if (isPlaceholder(row.content)) out.push('公开内容');
  if (isPlaceholder(row.basis)) out.push('公开依据');
  if (isPlaceholder(row.timeLimit?.text)) out.push('公开时限');
  if (isPlaceholder(row.subject)) out.push('公开主体');
  if (row.mode.filter((m) => !isPlaceholder(m)).length === 0) out.push('公开方式');
  if (row.channels.filter((m) => !isPlaceholder(m)).length === 0) out.push('公开渠道和载体');
  if (row.audience.filter((m) => !isPlaceholder(m)).length === 0) out.push('公开对象');
  return out;
}
