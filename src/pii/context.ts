/** Small helpers the detectors share for reading the text around a match. */
import { endingsOf, FILTER_MASK, infoOf, wordsRegex, type ByColumn } from './wordLists.js';
import { indexedLastEnd, listBit, lowerBound } from './wordIndex.js';

export { wordsRegex } from './wordLists.js';

/** containsAny(text.slice(from, to), words), without the slice. */
export function containsAnyIn(text: string, from: number, to: number, words: readonly string[]): boolean {
  if (from < 0) from = 0;
  if (to > text.length) to = text.length;
  const bit = listBit(words);
  if (bit !== 0) return indexedLastEnd(text, from, to, bit, false) >= 0;
  const e = endingsOf(words);
  for (let end = from + e.shortest; end <= to; end++) {
    const c = text.charCodeAt(end - 1);
    if (e.filter[c & FILTER_MASK] === 0) continue;
    const list = e.byLast.get(c);
    if (list === undefined) continue;
    for (const w of list) if (end - w.length >= from && text.startsWith(w, end - w.length)) return true;
  }
  return false;
}

/** 。；！: where bankCard's windows stop (a sentence before says nothing about the number). */
const isSentenceEnd = (c: number): boolean => c === 0x3002 || c === 0xff1b || c === 0xff01;

/**
 * containsAnyIn(text, from, start, words), where `from` is where the `width` characters before
 * `start` begin, cut after the last 。；！ in them: one backward pass instead of one to find the cut
 * and one to look for the words. Exact when no word holds 。；！ (a word ending after the cut then
 * starts after it too); other lists take the two passes.
 */
export function containsAnyInSentence(text: string, start: number, width: number, words: readonly string[]) {
  const from = Math.max(0, start - width);
  // Whether no word holds a sentence end, remembered per list.
  const info = infoOf(words);
  let safe = info.sentenceSafe;
  if (safe === undefined) safe = info.sentenceSafe = !words.some((w) => /[。；！]/.test(w));
  if (!safe) {
    let cut = from;
    for (let i = start - 1; i >= from; i--)
      if (isSentenceEnd(text.charCodeAt(i))) {
        cut = i + 1;
        break;
      }
    return containsAnyIn(text, cut, start, words);
  }
  const bit = listBit(words);
  if (bit !== 0) return indexedLastEnd(text, from, Math.min(start, text.length), bit, true) >= 0;
  const e = endingsOf(words);
  for (let end = Math.min(start, text.length); end > from; end--) {
    const c = text.charCodeAt(end - 1);
    if (isSentenceEnd(c)) return false;
    if (end < from + e.shortest || e.filter[c & FILTER_MASK] === 0) continue;
    const list = e.byLast.get(c);
    if (list === undefined) continue;
    for (const w of list) if (end - w.length >= from && text.startsWith(w, end - w.length)) return true;
  }
  return false;
}

/** lastWordEnd(text.slice(from, to), words) + from, without the slice (-1 when none). */
export function lastWordEndIn(text: string, from: number, to: number, words: readonly string[]): number {
  if (from < 0) from = 0;
  if (to > text.length) to = text.length;
  const bit = listBit(words);
  if (bit !== 0) return indexedLastEnd(text, from, to, bit, false);
  const e = endingsOf(words);
  for (let end = to; end >= from + e.shortest; end--) {
    const c = text.charCodeAt(end - 1);
    if (e.filter[c & FILTER_MASK] === 0) continue;
    const list = e.byLast.get(c);
    if (list === undefined) continue;
    for (const w of list) if (end - w.length >= from && text.startsWith(w, end - w.length)) return end;
  }
  return -1;
}

/** rejectedByLabel(text.slice(from, to), reject, positive), without the slice. */
export function rejectedByLabelIn(
  text: string,
  from: number,
  to: number,
  reject: readonly string[],
  positive: readonly string[],
): boolean {
  const r = lastWordEndIn(text, from, to, reject);
  return r >= 0 && r > lastWordEndIn(text, from, to, positive);
}

/**
 * Where rowWindow(text.slice(from, to)) starts: after the last line break of the window when the
 * rest of the window holds a tab (a table row), else at `from`.
 */
export function rowWindowStart(text: string, from: number, to: number): number {
  if (from < 0) from = 0;
  // A text of one line (a table row scanned on its own): its breaks, noted by collectRuns, say so
  // without a search back to its start.
  if (newlineCount === 0 && text === indexed) return from;
  const nl = to > from ? text.lastIndexOf('\n', to - 1) : -1;
  if (nl < from) return from;
  for (let i = nl + 1; i < to; i++) if (text.charCodeAt(i) === 9) return nl + 1;
  return from;
}

/** Index just past the last occurrence of any of `words` in `text`, or -1. */
export function lastWordEnd(text: string, words: readonly string[]): number {
  let best = -1;
  for (const w of words) {
    const i = text.lastIndexOf(w);
    if (i >= 0 && i + w.length > best) best = i + w.length;
  }
  return best;
}

export const containsAny = (text: string, words: readonly string[]): boolean =>
  text !== '' && wordsRegex(words).test(text);

/**
 * True when a rejecting label (备案, 信用代码 …) stands closer to the value than any positive label
 * (身份证号 …): "备案人身份证号：…" is an ID, "统一社会信用代码：…" is not.
 */
export function rejectedByLabel(
  before: string,
  reject: readonly string[],
  positive: readonly string[],
): boolean {
  if (!containsAny(before, reject)) return false;
  const r = lastWordEnd(before, reject);
  return r > lastWordEnd(before, positive);
}

/**
 * A run continued by "-00001", ".5" or "/2020", or preceded by "2020-", is part of a composite
 * number (备案号, amount, 索引号), not a value on its own.
 */
export function continuesAsOtherNumber(
  norm: string,
  start: number,
  end: number,
  checkBefore = true,
): boolean {
  // (Both inside the text: charCodeAt past the end gives NaN, which costs the callers' optimised code.)
  const after = end + 1 < norm.length ? norm.charCodeAt(end) : -1;
  if (after === 45 || after === 46 || after === 47) {
    const next = norm.charCodeAt(end + 1);
    if (next >= 48 && next <= 57) return true;
  }
  if (!checkBefore || start < 2) return false;
  const before = norm.charCodeAt(start - 1);
  const prev = norm.charCodeAt(start - 2);
  return (before === 45 || before === 46 || before === 47) && prev >= 48 && prev <= 57;
}

/** Start of the line holding `index`. */
export function lineStart(text: string, index: number): number {
  return text.lastIndexOf('\n', index - 1) + 1;
}

/**
 * The part of a table header that labels the value at `index`: when both the header and the
 * value's line are tab-separated, the header cell of the same column; otherwise the whole header.
 */
export function headerFor(text: string, index: number, header: string): string {
  // Each detector and the scoring ask about the values of one text under one header: the same two
  // strings come back, so the header is split and the text's tabs and line breaks found once.
  if (header !== cellsOf) splitHeader(header);
  if (!headerTabbed) return header;
  if (text !== indexed) indexBreaks(text);
  // An equal text in another string: keep the new one (its next questions compare by reference).
  else indexed = text;
  // The detectors and the scoring ask about the same value one after another.
  if (index === askedAt) return askedCell;
  askedAt = index;
  askedCell = cellAt(text, index, header);
  return askedCell;
}

// The last question headerFor answered about the indexed text under the split header, and the
// number of the header cell it gave (-1: the whole header, or no cell).
let askedAt = -1;
let askedCell = '';
let askedColumn = -1;

/**
 * The number of the header cell headerFor(text, index, header) gives, in the cells of
 * splitHeaderCells() — for answers remembered by column, with no lookup of the cell's text — or -1
 * when it gives the whole header or ''.
 */
export function headerColumnFor(text: string, index: number, header: string): number {
  if (header !== cellsOf) splitHeader(header);
  if (!headerTabbed) return -1;
  headerFor(text, index, header);
  return askedColumn;
}

/** The cells of the header last split (a new array whenever the header changes). */
export function splitHeaderCells(): readonly string[] {
  return headerCells;
}

function cellAt(text: string, index: number, header: string): string {
  // The value's line: after the last line break before `index`, up to the next one (the line of
  // the previous question is kept: the values of a row, and the rows of a text in order, ask next).
  if (!(index >= lineFrom && index <= lineTo)) findLine(text, index);
  let atIndex = lineTabs;
  while (atIndex < lineTabsEnd && tabs[atIndex]! < index) atIndex++;
  const column = atIndex - lineTabs;
  // No tab before the value on its line: a table row still, if one follows it on the line.
  if (column === 0 && lineTabsEnd === atIndex) {
    askedColumn = -1;
    return header;
  }
  askedColumn = column < headerCells.length ? column : -1;
  return headerCells[column] ?? '';
}

// The line last asked about in the indexed text: [lineFrom, lineTo] (lineTo its line break or the
// text's end) and its tabs, tabs[lineTabs] to tabs[lineTabsEnd - 1].
let lineFrom = 0;
let lineTo = -1;
let lineTabs = 0;
let lineTabsEnd = 0;
// The number of line breaks before the line (it ends at newlines[lineK], or the text's end).
let lineK = 0;

function findLine(text: string, index: number): void {
  // The next line first (a text's values are asked about in order), found by a binary search else.
  const next =
    lineTo >= 0 &&
    lineTo < text.length &&
    index > lineTo &&
    (lineK + 1 >= newlineCount || index <= newlines[lineK + 1]!);
  const k = next ? lineK + 1 : lowerBound(newlines, newlineCount, index);
  lineK = k;
  lineFrom = k > 0 ? newlines[k - 1]! + 1 : 0;
  lineTo = k < newlineCount ? newlines[k]! : text.length;
  if (next) {
    // The tabs after the last line's are this line's, up to its end.
    lineTabs = lineTabsEnd;
    while (lineTabsEnd < tabCount && tabs[lineTabsEnd]! < lineTo) lineTabsEnd++;
  } else {
    lineTabs = lowerBound(tabs, tabCount, lineFrom);
    lineTabsEnd = lowerBound(tabs, tabCount, lineTo);
  }
}

// The header last asked about, split into its cells (every row of a sheet comes with the same one).
let cellsOf: string | undefined;
let headerTabbed = false;
let headerCells: string[] = [];

function splitHeader(header: string): void {
  cellsOf = header;
  askedAt = -1;
  askedColumn = -1;
  headerTabbed = header !== '' && header.includes('\t');
  headerCells = headerTabbed ? header.split('\t') : [];
}

// Tabs and line breaks of the text last asked about, in order (typed arrays reused between texts).
let indexed: string | undefined;
let tabs: Int32Array = new Int32Array(64);
let tabCount = 0;
let newlines: Int32Array = new Int32Array(16);
let newlineCount = 0;

/**
 * Starts the tabs and line breaks of `text` for the pass that reads its every character anyway
 * (collectRuns reports them with addBreak, in order): headerFor then needs no search of its own.
 */
export function beginBreaks(text: string): void {
  indexed = text;
  tabCount = 0;
  newlineCount = 0;
  lineFrom = 0;
  lineTo = -1;
  askedAt = -1;
}

/** A tab (9) or line feed (10) at `i` of the text given to beginBreaks, after those before it. */
export function addBreak(i: number, c: number): void {
  if (c === 9) {
    if (tabCount === tabs.length) tabs = grown(tabs);
    tabs[tabCount++] = i;
  } else {
    if (newlineCount === newlines.length) newlines = grown(newlines);
    newlines[newlineCount++] = i;
  }
}

function indexBreaks(text: string): void {
  beginBreaks(text);
  // indexOf finds each one faster than a loop over every character (a row holds a few).
  for (let i = text.indexOf('\t'); i >= 0; i = text.indexOf('\t', i + 1)) {
    if (tabCount === tabs.length) tabs = grown(tabs);
    tabs[tabCount++] = i;
  }
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) {
    if (newlineCount === newlines.length) newlines = grown(newlines);
    newlines[newlineCount++] = i;
  }
}

function grown(xs: Int32Array): Int32Array {
  const out = new Int32Array(xs.length * 2);
  out.set(xs);
  return out;
}

/**
 * The header cell over the value at `index` when both the header and the value's line are
 * tab-separated (a table row); '' when the column is not known that way.
 */
export function headerCellFor(text: string, index: number, header: string): string {
  if (header !== cellsOf) splitHeader(header);
  if (!headerTabbed) return '';
  const cell = headerFor(text, index, header);
  // headerFor gives the whole header (which holds tabs) when the value's line is not a table row.
  return cell === header ? '' : cell;
}

// Per word list (and second list): answers about header cells and other repeated short texts, kept
// in the first list's info (two WeakMap lookups per question cost more than the answer).

function cellMemo(a: readonly string[], b: readonly string[]) {
  const info = infoOf(a);
  const kept = info.answers;
  if (kept !== undefined) for (let i = 0; i < kept.length; i++) if (kept[i]!.b === b) return kept[i]!;
  const entry = { b, memo: new Map<string, boolean>(), byColumn: newByColumn() };
  if (kept !== undefined) kept.push(entry);
  else info.answers = [entry];
  return entry;
}

const newByColumn = (): ByColumn => ({ columns: new Int8Array(0), of: undefined });

/** The answer remembered about header cell `k` of the header last split (0: not yet known). */
export function columnAnswer(m: ByColumn, k: number): number {
  if (m.of !== headerCells) {
    m.of = headerCells;
    m.columns = new Int8Array(headerCells.length);
  }
  return m.columns[k]!;
}

/**
 * answer(header cell k, a, b), remembered in `m` by the cell's number for the header last split (a
 * roster asks about the same few cells on every row: one load instead of the answer).
 */
export function cellAnswer<A, B>(
  m: ByColumn,
  k: number,
  answer: (cell: string, a: A, b: B) => boolean,
  a: A,
  b: B,
): boolean {
  let v = columnAnswer(m, k);
  if (v === 0) m.columns[k] = v = answer(headerCells[k]!, a, b) ? 1 : 2;
  return v === 1;
}

/**
 * containsAnyCell(headerFor(text, index, header), words), remembered by the cell's number (a roster
 * asks about the same few cells on every row: no lookup of the cell's text).
 */
export function containsAnyHeader(text: string, index: number, header: string, words: readonly string[]) {
  const k = headerColumnFor(text, index, header);
  if (k < 0) return containsAnyCell(headerFor(text, index, header), words);
  return cellAnswer((infoOf(words).anyColumn ??= newByColumn()), k, containsAnyCell, words, undefined);
}

/** rejectedByCell(headerFor(text, index, header), reject, positive), remembered by the cell's number. */
export function rejectedByHeader(
  text: string,
  index: number,
  header: string,
  reject: readonly string[],
  positive: readonly string[],
): boolean {
  const k = headerColumnFor(text, index, header);
  if (k < 0) return rejectedByCell(headerFor(text, index, header), reject, positive);
  return cellAnswer(cellMemo(reject, positive).byColumn, k, rejectedByCell, reject, positive);
}

/** columnRejects(headerCellFor(text, index, header), reject, positive), remembered by the cell's number. */
export function columnRejectsAt(
  text: string,
  index: number,
  header: string,
  reject: readonly string[],
  positive: readonly string[],
): boolean {
  const k = headerColumnFor(text, index, header);
  if (k < 0) return columnRejects(headerCellFor(text, index, header), reject, positive);
  return cellAnswer(rejectsMemo(reject, positive).byColumn, k, columnRejects, reject, positive);
}

/** containsAny for a text that repeats (a header cell, the header): remembered per list. */
export function containsAnyCell(cell: string, words: readonly string[]): boolean {
  if (cell === '') return false;
  const memo = (infoOf(words).anyCell ??= new Map());
  let hit = memo.get(cell);
  if (hit === undefined) {
    hit = containsAny(cell, words);
    if (memo.size < 4096) memo.set(cell, hit);
  }
  return hit;
}

/** rejectedByLabel for a header cell (cells repeat on every row): remembered per pair of lists. */
export function rejectedByCell(
  cell: string,
  reject: readonly string[],
  positive: readonly string[],
): boolean {
  if (cell === '') return false;
  const memo = cellMemo(reject, positive).memo;
  let hit = memo.get(cell);
  if (hit === undefined) {
    hit = rejectedByLabel(cell, reject, positive);
    if (memo.size < 4096) memo.set(cell, hit);
  }
  return hit;
}

/** columnRejects' answers for the pair of lists (kept for the last positive list asked with `reject`). */
function rejectsMemo(reject: readonly string[], positive: readonly string[]) {
  const info = infoOf(reject);
  let memo = info.rejects;
  if (!memo || memo.positive !== positive)
    memo = info.rejects = { positive, cells: new Map(), byColumn: newByColumn() };
  return memo;
}

/** A column header naming another kind of number (准考证号 …) and not the wanted kind (手机号 …). */
export function columnRejects(cell: string, reject: readonly string[], positive: readonly string[]): boolean {
  if (cell === '') return false;
  // Remembered per list and cell: every row of a roster asks about the same few header cells.
  const memo = rejectsMemo(reject, positive);
  let hit = memo.cells.get(cell);
  if (hit === undefined) {
    hit = containsAny(cell, reject) && !containsAny(cell, positive);
    if (memo.cells.size < 4096) memo.cells.set(cell, hit);
  }
  return hit;
}

/**
 * The text before a value that can label it: in a table row (tab-separated), only the row itself —
 * the header row above ("…\t准考证号⏎1\t张三\t<ID>") labels its own columns, not the next row's first
 * values.
 */
export function rowWindow(before: string): string {
  const nl = before.lastIndexOf('\n');
  if (nl < 0) return before;
  const row = before.slice(nl + 1);
  return row.includes('\t') ? row : before;
}

/** The clause right before `start` (at most `width` characters), cut at the previous cell or sentence. */
export function clauseBefore(text: string, start: number, width: number): string {
  let i = start;
  const from = Math.max(0, start - width);
  while (i > from && !CLAUSE_ENDS.includes(text[i - 1]!)) i--;
  return text.slice(i, start);
}

/** Where clauseBefore(text, start, width) starts. */
export function clauseStart(text: string, start: number, width: number): number {
  let i = start;
  const from = Math.max(0, start - width);
  while (i > from && !isClauseEnd(text.charCodeAt(i - 1))) i--;
  return i;
}

/** One of CLAUSE_ENDS: ，。；;,、 tab, line feed. */
const isClauseEnd = (c: number): boolean =>
  c === 0xff0c || c === 0x3002 || c === 0xff1b || c === 59 || c === 44 || c === 0x3001 || c === 9 || c === 10;

const CLAUSE_ENDS = '，。；;,、\t\n';

export const isDigitCode = (c: number): boolean => c >= 48 && c <= 57;

/** Letters, digits and the mask `*`: characters that make a longer run when adjacent to a number. */
export function isRunChar(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 42;
}
