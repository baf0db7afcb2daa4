import { infoOf } from './wordLists.js';

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
// Some indexed word ends in an ASCII unit that is neither a letter nor a digit (the runs pass does
// not look at those units for word ends: then texts are indexed chunk by chunk only).
let otherAsciiEndsWord = false;

// Tables told of every last unit above `z` of an indexed word, with their bit (see markWordEnds).
const wordEndTables: { table: Uint8Array; bit: number }[] = [];

// A filter in front of a unit's words: 1 where a one-unit word is that unit, and 1 at pairKey of
// every longer word's last two units (a hash: other pairs may share a slot, and are then read
// word by word). Most units that end some word end none there (号 after a digit, 村 after a place
// name): without it each such unit walked its whole list (号 ends some twenty words).
const endsOneUnitWord = new Uint8Array(0x10000);
const lastPairs = new Uint8Array(0x10000);
const pairKey = (last: number, prev: number): number => (last * 613 + prev) & 0xffff;

function addIndexedWord(word: string, mask: number): void {
  const last = word.charCodeAt(word.length - 1);
  if ((last >= 48 && last <= 57) || last === 88 || last === 120) digitEndsWord = true;
  else if (last <= 122 && !isLetter(last)) otherAsciiEndsWord = true;
  else if (last > 122) for (const t of wordEndTables) t.table[last]! |= t.bit;
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
  if (w.prev < 0) endsOneUnitWord[c] = 1;
  else lastPairs[pairKey(c, w.prev)] = 1;
  const list = wordsByLast[c];
  if (list) list.push(w);
  else wordsByLast[c] = [w];
}
for (const end of ['。', '；', '！']) addIndexedWord(end, SENTENCE_BIT);

const isLetter = (c: number): boolean => (c >= 65 && c <= 90) || (c >= 97 && c <= 122);

/**
 * Marks with `bit`, in `table` (by UTF-16 unit), every unit above `z` that ends an indexed word, now
 * and as lists join the index: the runs pass of a short text (runs.ts collectRunsMarked) reads such
 * a table for every Chinese character anyway, and so finds the words' ends without a pass of its own.
 */
export function markWordEnds(table: Uint8Array, bit: number): void {
  wordEndTables.push({ table, bit });
  for (const word of indexedWords.keys()) {
    const last = word.charCodeAt(word.length - 1);
    if (last > 122) table[last]! |= bit;
  }
}

/**
 * Whether the runs pass can index `text` as it goes (eagerWordEnd at every marked unit and at the
 * letters of its runs, then endEagerIndex): not when some word ends in a digit, X or other ASCII
 * unit (the pass does not look at those).
 */
export function eagerIndexing(): boolean {
  return !digitEndsWord && !otherAsciiEndsWord;
}

/** Notes the words ending at unit `i` of the text startIndex began (units in order: indexChunk and the runs pass). */
export function eagerWordEnd(text: string, i: number): void {
  const code = text.charCodeAt(i);
  const list = wordsByLast[code];
  if (list === undefined) return;
  const prev = i > 0 ? text.charCodeAt(i - 1) : -2;
  if (endsOneUnitWord[code] === 0 && lastPairs[pairKey(code, prev)] === 0) return;
  noteWords(text, i + 1, prev, list);
}

/** True for a letter that ends an indexed word (the runs pass asks at the letters of a run). */
export function letterEndsWord(c: number): boolean {
  return wordsByLast[c] !== undefined;
}

/** Every chunk of the text startIndex began is indexed now: its occurrences were noted in order. */
export function endEagerIndex(text: string): void {
  const chunks = (text.length >> CHUNK_SHIFT) + 1;
  let k = 0;
  for (let c = 0; c < chunks; c++) {
    chunkFrom[c] = k;
    // Occurrences ending in the chunk: an occurrence ending at `end` belongs to chunk (end - 1) >> 6.
    const limit = (c + 1) << CHUNK_SHIFT;
    while (k < occCount && occEnd[k]! <= limit) k++;
    chunkTo[c] = k;
    chunkGeneration[c] = generation;
  }
}

/**
 * The bit of a word list, given on first sight (its words join the index, and chunks indexed
 * before are indexed again). 0 once every bit is taken: such lists are searched in place.
 */
export function listBit(words: readonly string[]): number {
  const info = infoOf(words);
  if (info.bit >= 0) return info.bit;
  let bit = 0;
  if (bitsUsed < MAX_LIST_BITS) {
    bit = 1 << bitsUsed++;
    for (const w of words) if (w !== '') addIndexedWord(w, bit);
    nextGeneration();
  }
  return (info.bit = bit);
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
    eagerWordEnd(text, i);
  }
  chunkTo[c] = occCount;
}

/** Notes the words of `list` (those ending in one unit) that end at `end`, `prev` the unit before that one. */
function noteWords(text: string, end: number, prev: number, list: readonly IndexedWord[]): void {
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
export function indexedLastEnd(
  text: string,
  from: number,
  to: number,
  bit: number,
  sentence: boolean,
): number {
  if (to <= from) return -1;
  if (text !== indexedText) startIndex(text);
  // An equal text in another string (a page normalised again) was compared in full above: keep the
  // new one, so its next questions compare by reference.
  else indexedText = text;
  const wanted = sentence ? bit | SENTENCE_BIT : bit;
  const last = (to - 1) >> CHUNK_SHIFT;
  for (let c = last, first = from >> CHUNK_SHIFT; c >= first; c--) {
    if (chunkGeneration[c] !== generation) indexChunk(text, c);
    const low = chunkFrom[c]!;
    let k = chunkTo[c]! - 1;
    // In the last chunk, the occurrences ending after `to` are passed over by a binary search
    // (ends are in order): values early in a row would otherwise walk over the whole chunk.
    if (c === last && k > low && occEnd[k]! > to) {
      let lo = low;
      let hi = k;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (occEnd[mid]! <= to) lo = mid + 1;
        else hi = mid;
      }
      k = lo - 1;
    }
    for (; k >= low; k--) {
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

/** Number of the first `count` (sorted) elements of `xs` below `x`. */
export function lowerBound(xs: Int32Array, count: number, x: number): number {
  let lo = 0;
  let hi = count;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (xs[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
