import { findAddressesNormalized } from './address.js';
import { CN_NUMERALS } from './addressCompile.js';
import { findBankCardsNormalized } from './bankCard.js';
import { findIdCardsNormalized } from './idCard.js';
import { findMobilesNormalized } from './mobile.js';
import { normalizeWidth, type RawSpan } from './rules.js';
import { collectRuns, collectRunsMarked, type Runs } from './runs.js';
import { markWidthUnits } from './width.js';
import { markWordEnds } from './wordIndex.js';
import type { PiiType } from './types.js';

/** A detector hit with its type; internal (the value stays in the scanned text). */
export type TypedSpan = RawSpan;

export interface ScanOptions {
  /** Table header labelling the text (its words count for their column). */
  context?: string;
  /** The same header already passed through normalizeWidth (detect.ts has it): used instead. */
  header?: string;
  /** Latest acceptable birth date (tests inject it). */
  today?: Date;
}

// When two hits overlap, the better-validated type wins: an 18-digit number passing GB 11643 is an
// ID even if it also passes Luhn; an address never swallows a number found by the others.
const PRIORITY: Readonly<Record<PiiType, number>> = { 'id-card': 0, 'bank-card': 1, mobile: 2, address: 3 };

function better(a: TypedSpan, b: TypedSpan): boolean {
  const pa = PRIORITY[a.type];
  const pb = PRIORITY[b.type];
  return pa < pb || (pa === pb && a.end - a.start > b.end - b.start);
}

/** A copy of `spans` sorted by start, then longest first; by insertion when few (a table row's). */
function sortByOffset(spans: readonly TypedSpan[]): TypedSpan[] {
  const out = spans.slice();
  if (out.length > 16) return out.sort(byOffset);
  return insertionSort(out);
}

/** Sorts `out` in place by offset (stable, like Array.prototype.sort). */
function insertionSort(out: TypedSpan[]): TypedSpan[] {
  for (let i = 1; i < out.length; i++) {
    const s = out[i]!;
    let j = i - 1;
    while (j >= 0 && byOffset(out[j]!, s) > 0) {
      out[j + 1] = out[j]!;
      j--;
    }
    out[j + 1] = s;
  }
  return out;
}

function byOffset(a: TypedSpan, b: TypedSpan): number {
  return a.start - b.start || b.end - a.end;
}

/** Non-overlapping spans sorted by offset; of overlapping ones the higher-priority (then longer) wins. */
export function resolveOverlaps(spans: TypedSpan[]): TypedSpan[] {
  return keepBest(sortByOffset(spans));
}

/**
 * resolveOverlaps of spans already sorted by offset, in place: the spans kept so far are a stack at
 * the front of the array (never longer than the spans read), and the array is cut to it.
 */
function keepBest(sorted: TypedSpan[]): TypedSpan[] {
  let kept = 0;
  for (let i = 0; i < sorted.length; i++) {
    const s = sorted[i]!;
    let wins = true;
    while (kept > 0) {
      const last = sorted[kept - 1]!;
      if (s.start >= last.end) break;
      if (better(s, last)) kept--;
      else {
        wins = false;
        break;
      }
    }
    if (wins) sorted[kept++] = s;
  }
  // (Setting the length is a runtime call: only when something was dropped.)
  if (kept < sorted.length) sorted.length = kept;
  return sorted;
}

/** Copies `spans` into `all` from index `at`; the index after them. */
function copyInto(spans: readonly TypedSpan[], all: TypedSpan[], at: number): number {
  for (let i = 0; i < spans.length; i++) all[at + i] = spans[i]!;
  return at + spans.length;
}

// The text whose runs `scratch` holds, once scanText is done with it ('' when none).
let scannedNorm = '';

// Reused by every scan: scans are synchronous and nothing keeps the runs once a scan returns.
const scratch: Runs = {
  count: 0,
  start: new Int32Array(256),
  end: new Int32Array(256),
  flags: new Uint8Array(256),
};

/** Runs every detector over text already passed through normalizeWidth. */
export function scanNormalized(norm: string, opts: ScanOptions = {}): TypedSpan[] {
  // The runs about to be collected are not the last scanText's any more.
  scannedNorm = '';
  return scanRuns(
    norm,
    collectRuns(norm, scratch),
    opts.header ?? normalizeWidth(opts.context ?? ''),
    opts.today,
  );
}

/**
 * scanNormalized(normalizeWidth(text)) with the header already normalised (no options object per
 * call); the normalised text is left in `into.norm`, and its runs stay known to isScannedRun.
 */
export function scanText(text: string, header: string, today: Date | undefined, into: { norm: string }) {
  scannedNorm = '';
  let norm = text;
  let runs: Runs | undefined;
  // Whether the text may hold a Chinese numeral (the address detector's 三组 search).
  let numerals = true;
  if (text.length <= SHORT_TEXT) {
    const m = marks ?? charMarks();
    // A table row: one pass collects its runs and tells whether normalizeWidth would change it.
    const seen = m.length > 0 ? collectRunsMarked(text, m, WIDTH_MARK, WORD_END_MARK, scratch) : WIDTH_MARK;
    if ((seen & WIDTH_MARK) === 0) {
      runs = scratch;
      numerals = (seen & NUMERAL_MARK) !== 0;
    }
  }
  if (runs === undefined) {
    norm = normalizeWidth(text);
    runs = collectRuns(norm, scratch);
  }
  into.norm = norm;
  shared.numerals = numerals;
  const spans = scanRuns(norm, runs, header, today);
  shared.numerals = true;
  scannedNorm = norm;
  return spans;
}

// Texts up to this long (table rows, short cells) take collectRunsMarked's one pass; longer ones
// normalizeWidth's regex test and collectRuns, which are faster per character on a long page.
const SHORT_TEXT = 256;
const WIDTH_MARK = 1;
const NUMERAL_MARK = 2;
const WORD_END_MARK = 4;

// Per UTF-16 unit: WIDTH_MARK where normalizeWidth's test looks for it, NUMERAL_MARK for 一…十,
// WORD_END_MARK where a word of the word index ends;
// empty (no short pass) if normalizeWidth looks for a unit of `z` or below, which collectRunsMarked
// does not read for marks.
let marks: Uint8Array | undefined;

function charMarks(): Uint8Array {
  if (marks !== undefined) return marks;
  const table = new Uint8Array(0x10000);
  if (markWidthUnits(table, WIDTH_MARK) <= 122) return (marks = new Uint8Array(0));
  for (let i = 0; i < CN_NUMERALS.length; i++) table[CN_NUMERALS.charCodeAt(i)]! |= NUMERAL_MARK;
  // WORD_END_MARK where an indexed word ends, kept up to date by the word index.
  markWordEnds(table, WORD_END_MARK);
  return (marks = table);
}

/**
 * True when norm[start, end) is exactly one run of the text scanText last scanned (so every
 * character is a letter, digit or `*`: masking need not read them again). False when unknown.
 */
export function isScannedRun(norm: string, start: number, end: number): boolean {
  if (norm !== scannedNorm || norm === '') return false;
  let lo = 0;
  let hi = scratch.count;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (scratch.start[mid]! < start) lo = mid + 1;
    else hi = mid;
  }
  return lo < scratch.count && scratch.start[lo] === start && scratch.end[lo] === end;
}

const shared = {
  header: '',
  today: undefined as Date | undefined,
  runs: scratch,
  claimed: undefined as readonly RawSpan[] | undefined,
  /** False when the text is known to hold no Chinese numeral (address.ts skips its 三组 search). */
  numerals: true,
};

function scanRuns(norm: string, runs: Runs, header: string, today: Date | undefined): TypedSpan[] {
  // One options object for every detector and every scan (a new one per call cost more than a
  // short row's use of it; scans do not nest).
  shared.header = header;
  shared.today = today;
  shared.runs = runs;
  shared.claimed = undefined;
  const ids = findIdCardsNormalized(norm, shared);
  // Runs an ID already claimed are not read as accounts (sorted by start).
  if (ids.length > 0) shared.claimed = ids;
  const cards = findBankCardsNormalized(norm, shared);
  const mobiles = findMobilesNormalized(norm, shared);
  // The detectors' own spans (typed, one shape), in one new array of the right size (pushed one by
  // one, it grew by a builtin call on a roster row's first span).
  const addresses = findAddressesNormalized(norm, shared);
  const all: TypedSpan[] = new Array<TypedSpan>(
    ids.length + cards.length + mobiles.length + addresses.length,
  );
  let n = copyInto(ids, all, 0);
  n = copyInto(cards, all, n);
  n = copyInto(mobiles, all, n);
  copyInto(addresses, all, n);
  shared.claimed = undefined;
  if (all.length < 2) return all;
  // `all` is this scan's own: sorted in place (a large text's copy would be one more array to collect).
  if (all.length > 16) all.sort(byOffset);
  else insertionSort(all);
  return keepBest(all);
}
