/** Small helpers the detectors share for reading the text around a match. */

// The regex of a word list is kept on the list itself (lists come from the rule files and live for
// the process): a property read is far cheaper than a WeakMap lookup on every call.
const COMPILED = Symbol('wordsRegex');
const REJECTS = Symbol('columnRejects');
type WithRegex = readonly string[] & {
  [COMPILED]?: RegExp;
  [REJECTS]?: { positive: readonly string[]; cells: Map<string, boolean> };
};

const frozen = new WeakMap<readonly string[], RegExp>();

/** One regex per word list. */
export function wordsRegex(words: readonly string[]): RegExp {
  const list = words as WithRegex;
  let re = list[COMPILED] ?? frozen.get(list);
  if (!re) {
    const alternatives = [...words]
      .sort((a, b) => b.length - a.length)
      .map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
    re = new RegExp(alternatives.length ? alternatives.join('|') : '(?!)');
    if (Object.isExtensible(list)) Object.defineProperty(list, COMPILED, { value: re, enumerable: false });
    else frozen.set(list, re);
  }
  return re;
}

// Per word list: its words by last UTF-16 unit, longest first, and a filter of those last units.
// Looking for words ending at each position of a short window, in place, is several times faster
// than slicing the window and running the list's regex over it (the detectors ask this for every
// value, about the few characters before it).
const ENDINGS = Symbol('wordEndings');
const FILTER_MASK = 4095;
// Longer than any text: the shortest word of an empty list.
const NEVER = 1 << 29;

interface Endings {
  /** Non-zero where some word's last unit, masked with FILTER_MASK, is. */
  filter: Uint8Array;
  byLast: Map<number, readonly string[]>;
  shortest: number;
}

const frozenEndings = new WeakMap<readonly string[], Endings>();

function endingsOf(words: readonly string[]): Endings {
  const list = words as WithRegex & { [ENDINGS]?: Endings };
  let e = list[ENDINGS] ?? frozenEndings.get(list);
  if (!e) {
    const filter = new Uint8Array(FILTER_MASK + 1);
    const byLast = new Map<number, string[]>();
    let shortest = Infinity;
    for (const w of [...words].sort((a, b) => b.length - a.length)) {
      if (w === '') continue;
      const c = w.charCodeAt(w.length - 1);
      filter[c & FILTER_MASK] = 1;
      byLast.set(c, [...(byLast.get(c) ?? []), w]);
      shortest = Math.min(shortest, w.length);
    }
    // A small integer either way: Infinity would make the field, and the loops over offsets that
    // add it, floating-point (several times slower per character).
    e = { filter, byLast, shortest: Number.isFinite(shortest) ? shortest : NEVER };
    if (Object.isExtensible(list)) Object.defineProperty(list, ENDINGS, { value: e, enumerable: false });
    else frozenEndings.set(list, e);
  }
  return e;
}

/*
 * One index of word occurrences per scanned text, shared by every detector and the scoring. Each
 * value asks a dozen questions about the few characters before it (a label of its own kind, a
 * rejecting label, an organisation, a negative word …), each with its own word list; searching in
 * place meant one pass over the same 12–60 characters per question. Instead the text is read once,
 * in 64-character chunks as questions reach them (a page with one number indexes a chunk or two),
 * for the words of every list asked about so far, and a question walks back over the occurrences
 * in its window. Each list has one bit; an occurrence carries the bits of every list holding its
 * word. The answers are those of the search in place: a word of the list ending in (from, to] and
 * starting at or after `from`.
 */

// Lists with a bit (up to 30); bit 30 marks 。；！ (where a window bounded by its sentence stops).
const LIST_BIT = Symbol('listBit');
const listBits = new WeakMap<readonly string[], number>();
let bitsUsed = 0;
const MAX_LIST_BITS = 30;
const SENTENCE_BIT = 1 << 30;

interface IndexedWord {
  word: string;
  length: number;
  /** The unit before the last (-1 for one-unit words): most candidates fail on it, without a startsWith. */
  prev: number;
  /** Bits of the lists holding the word (and SENTENCE_BIT for 。；！). */
  mask: number;
}

// Every word of every list with a bit, by its last UTF-16 unit, with a filter of those units.
const indexedWords = new Map<string, IndexedWord>();
// Indexed by the unit itself (a sparse array: one load per character, no hashing).
const wordsByLast: (IndexedWord[] | undefined)[] = new Array<IndexedWord[] | undefined>(0x10000).fill(
  undefined,
);

// Some indexed word ends in a digit or X/x: then digit runs are read by the index like the rest.
let digitEndsWord = false;

function addIndexedWord(word: string, mask: number): void {
  const last = word.charCodeAt(word.length - 1);
  if ((last >= 48 && last <= 57) || last === 88 || last === 120) digitEndsWord = true;
  const known = indexedWords.get(word);
  if (known) {
    known.mask |= mask;
    return;
  }
  const w: IndexedWord = {
    word,
    length: word.length,
    prev: word.length > 1 ? word.charCodeAt(word.length - 2) : -1,
    mask,
  };
  indexedWords.set(word, w);
  const c = word.charCodeAt(word.length - 1);
  const list = wordsByLast[c];
  if (list) list.push(w);
  else wordsByLast[c] = [w];
}
for (const end of ['。', '；', '！']) addIndexedWord(end, SENTENCE_BIT);

/**
 * The bit of a word list, given on first sight (its words join the index, and chunks indexed
 * before are indexed again). 0 once every bit is taken: such lists are searched in place.
 */
function listBit(words: readonly string[]): number {
  const list = words as WithRegex & { [LIST_BIT]?: number };
  const known = list[LIST_BIT] ?? listBits.get(list);
  if (known !== undefined) return known;
  let bit = 0;
  if (bitsUsed < MAX_LIST_BITS) {
    bit = 1 << bitsUsed++;
    for (const w of words) if (w !== '') addIndexedWord(w, bit);
    nextGeneration();
  }
  if (Object.isExtensible(list)) Object.defineProperty(list, LIST_BIT, { value: bit, enumerable: false });
  else listBits.set(list, bit);
  return bit;
}

const CHUNK_SHIFT = 6;
const CHUNK = 1 << CHUNK_SHIFT;

// The text indexed; per chunk, the generation it was indexed in (any other: not indexed) and its
// occurrences, occ*[chunkFrom[c]] to occ*[chunkTo[c] - 1], in the order of their ends. Typed
// arrays reused from text to text (a roster is scanned row by row).
let indexedText: string | undefined;
let generation = 1;
let chunkGeneration = new Int32Array(64);
let chunkFrom = new Int32Array(64);
let chunkTo = new Int32Array(64);
let occEnd = new Int32Array(256);
let occLength = new Int32Array(256);
let occMask = new Int32Array(256);
let occCount = 0;

/** A generation no chunk holds (chunk marks start again from 1 long before the counter overflows). */
function nextGeneration(): void {
  if (generation >= 0x3fffffff) {
    chunkGeneration.fill(0);
    generation = 0;
  }
  generation++;
}

// The runs of the indexed text when collectRuns started the index (complete before any question).
let indexedRuns: DigitRuns | undefined;

/** What the index reads of collectRuns' result (runs.ts imports this module: no import back). */
interface DigitRuns {
  count: number;
  start: Int32Array;
  end: Int32Array;
  flags: Uint8Array;
}

/** runs.ts DIGITS: a run of digits only (and possibly a final X/x). */
const DIGIT_RUN = 1;

/**
 * Starts the word index of `text` (collectRuns calls it at the start of every scan: the scan's
 * questions then find their text by reference, never by comparing an equal copy in full). With
 * `runs` (collectRuns' result for the text, filled before any question), a chunk skips the digit
 * runs in it when no word ends in a digit or X: a roster row is mostly such runs.
 */
export function startIndex(text: string, runs?: DigitRuns): void {
  indexedText = text;
  indexedRuns = runs;
  nextGeneration();
  occCount = 0;
  const chunks = (text.length >> CHUNK_SHIFT) + 1;
  if (chunks > chunkGeneration.length) {
    const n = Math.max(chunks, chunkGeneration.length * 2);
    chunkGeneration = new Int32Array(n);
    chunkFrom = new Int32Array(n);
    chunkTo = new Int32Array(n);
  }
}

/** Finds the words ending in chunk `c` of the indexed text (at its characters). */
function indexChunk(text: string, c: number): void {
  const from = c << CHUNK_SHIFT;
  const to = Math.min(text.length, from + CHUNK);
  chunkGeneration[c] = generation;
  chunkFrom[c] = occCount;
  // The next digit run to skip, [skipFrom, skipTo) (none: skipFrom = to).
  const runs = digitEndsWord ? undefined : indexedRuns;
  let k = 0;
  let skipFrom = to;
  let skipTo = to;
  if (runs !== undefined) {
    k = lowerBound(runs.end, runs.count, from + 1);
    while (k < runs.count && (runs.flags[k]! & DIGIT_RUN) === 0) k++;
    if (k < runs.count) {
      skipFrom = runs.start[k]!;
      skipTo = runs.end[k]!;
    }
  }
  for (let i = from; i < to; i++) {
    if (i >= skipFrom) {
      // No word ends inside the run: on past it, to the next digit run.
      i = skipTo - 1;
      skipFrom = to;
      for (k++; k < runs!.count; k++)
        if ((runs!.flags[k]! & DIGIT_RUN) !== 0) {
          skipFrom = runs!.start[k]!;
          skipTo = runs!.end[k]!;
          break;
        }
      continue;
    }
    const code = text.charCodeAt(i);
    const list = wordsByLast[code];
    if (list === undefined) continue;
    const end = i + 1;
    const prev = i > 0 ? text.charCodeAt(i - 1) : -2;
    for (let j = 0; j < list.length; j++) {
      const w = list[j]!;
      if (w.prev >= 0 && w.prev !== prev) continue;
      const start = end - w.length;
      if (w.length > 2 && (start < 0 || !text.startsWith(w.word, start))) continue;
      if (occCount === occEnd.length) growOccurrences();
      occEnd[occCount] = end;
      occLength[occCount] = w.length;
      occMask[occCount] = w.mask;
      occCount++;
    }
  }
  chunkTo[c] = occCount;
}

function growOccurrences(): void {
  const n = occEnd.length * 2;
  const e = new Int32Array(n);
  e.set(occEnd);
  const l = new Int32Array(n);
  l.set(occLength);
  const m = new Int32Array(n);
  m.set(occMask);
  occEnd = e;
  occLength = l;
  occMask = m;
}

/**
 * The last end in (from, to] of a word of the list with bit `bit` starting at or after `from`
 * (both already clamped to the text), or -1. With `sentence`, -1 as soon as a 。；！ is met walking
 * back from `to` (containsAnyInSentence: the lists asked so hold none of them).
 */
function indexedLastEnd(text: string, from: number, to: number, bit: number, sentence: boolean): number {
  if (to <= from) return -1;
  if (text !== indexedText) startIndex(text);
  // An equal text in another string (a page normalised again) was compared in full above: keep the
  // new one, so its next questions compare by reference.
  else indexedText = text;
  const wanted = sentence ? bit | SENTENCE_BIT : bit;
  for (let c = (to - 1) >> CHUNK_SHIFT, first = from >> CHUNK_SHIFT; c >= first; c--) {
    if (chunkGeneration[c] !== generation) indexChunk(text, c);
    for (let k = chunkTo[c]! - 1, low = chunkFrom[c]!; k >= low; k--) {
      const end = occEnd[k]!;
      if (end > to) continue;
      if (end <= from) return -1;
      const mask = occMask[k]!;
      if ((mask & wanted) === 0) continue;
      if (sentence && (mask & SENTENCE_BIT) !== 0) return -1;
      if (end - occLength[k]! >= from) return end;
    }
  }
  return -1;
}

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

// Word lists none of whose words holds a sentence end (remembered per list).
const SENTENCE_SAFE = Symbol('sentenceSafe');

/**
 * containsAnyIn(text, from, start, words), where `from` is where the `width` characters before
 * `start` begin, cut after the last 。；！ in them: one backward pass instead of one to find the cut
 * and one to look for the words. Exact when no word holds 。；！ (a word ending after the cut then
 * starts after it too); other lists take the two passes.
 */
export function containsAnyInSentence(text: string, start: number, width: number, words: readonly string[]) {
  const from = Math.max(0, start - width);
  const list = words as WithRegex & { [SENTENCE_SAFE]?: boolean };
  let safe = list[SENTENCE_SAFE];
  if (safe === undefined) {
    safe = !words.some((w) => /[。；！]/.test(w));
    if (Object.isExtensible(list)) Object.defineProperty(list, SENTENCE_SAFE, { value: safe });
  }
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
  const after = norm.charCodeAt(end);
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

// The last question headerFor answered about the indexed text under the split header.
let askedAt = -1;
let askedCell = '';

function cellAt(text: string, index: number, header: string): string {
  // The value's line: after the last line break before `index`, up to the next one (the line of
  // the previous question is kept: the values of a row, and the rows of a text in order, ask next).
  if (!(index >= lineFrom && index <= lineTo)) findLine(text, index);
  let atIndex = lineTabs;
  while (atIndex < lineTabsEnd && tabs[atIndex]! < index) atIndex++;
  const column = atIndex - lineTabs;
  // No tab before the value on its line: a table row still, if one follows it on the line.
  if (column === 0 && lineTabsEnd === atIndex) return header;
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

/** Number of the first `count` (sorted) elements of `xs` below `x`. */
function lowerBound(xs: Int32Array, count: number, x: number): number {
  let lo = 0;
  let hi = count;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (xs[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
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
// on the first list like its regex (two WeakMap lookups per question cost more than the answer).
const CELL_ANSWERS = Symbol('cellAnswers');
type WithAnswers = readonly string[] & { [CELL_ANSWERS]?: CellAnswers[] };
interface CellAnswers {
  b: readonly string[];
  memo: Map<string, boolean>;
}
const cellAnswers = new WeakMap<readonly string[], WeakMap<readonly string[], Map<string, boolean>>>();
const NO_WORDS: readonly string[] = [];

function cellMemo(a: readonly string[], b: readonly string[]): Map<string, boolean> {
  const list = a as WithAnswers;
  const kept = list[CELL_ANSWERS];
  if (kept !== undefined) for (const k of kept) if (k.b === b) return k.memo;
  if (Object.isExtensible(list)) {
    const memo = new Map<string, boolean>();
    if (kept !== undefined) kept.push({ b, memo });
    else Object.defineProperty(list, CELL_ANSWERS, { value: [{ b, memo }], enumerable: false });
    return memo;
  }
  let byB = cellAnswers.get(a);
  if (!byB) cellAnswers.set(a, (byB = new WeakMap()));
  let memo = byB.get(b);
  if (!memo) byB.set(b, (memo = new Map()));
  return memo;
}

/** containsAny for a text that repeats (a header cell, the header): remembered per list. */
export function containsAnyCell(cell: string, words: readonly string[]): boolean {
  if (cell === '') return false;
  const memo = cellMemo(words, NO_WORDS);
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
  const memo = cellMemo(reject, positive);
  let hit = memo.get(cell);
  if (hit === undefined) {
    hit = rejectedByLabel(cell, reject, positive);
    if (memo.size < 4096) memo.set(cell, hit);
  }
  return hit;
}

/** A column header naming another kind of number (准考证号 …) and not the wanted kind (手机号 …). */
export function columnRejects(cell: string, reject: readonly string[], positive: readonly string[]): boolean {
  if (cell === '') return false;
  // Remembered per list and cell: every row of a roster asks about the same few header cells.
  const list = reject as WithRegex;
  let memo = list[REJECTS];
  if (!memo || memo.positive !== positive) {
    memo = { positive, cells: new Map() };
    if (Object.isExtensible(list)) Object.defineProperty(list, REJECTS, { value: memo, writable: true });
  }
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
