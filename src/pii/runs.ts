/**
 * One pass over normalised text collecting every run of ASCII letters, digits and the mask `*`
 * (the candidates of the number detectors), in compact typed arrays. The ID and bank-card detectors
 * share it: a hand-written loop is several times faster than regexes that retry at every digit.
 */

import { addBreak, beginBreaks } from './context.js';
import { eagerIndexing, eagerWordEnd, endEagerIndex, letterEndsWord, startIndex } from './wordIndex.js';

/** Only digits, except possibly a final X/x (an ID check character). */
export const DIGITS = 1;
/** Contains at least one mask character. */
export const MASKED = 2;
/** Contains a letter other than a final X/x. */
export const LETTERS = 4;
/** Ends with X/x. */
export const ENDS_X = 8;

export interface Runs {
  count: number;
  start: Int32Array;
  end: Int32Array;
  flags: Uint8Array;
}

/** 1 for 0-9, A-Z, a-z and `*` (every run character is below 123). */
const RUN_CHARS = new Uint8Array(123);
for (let c = 0; c < 123; c++)
  RUN_CHARS[c] = (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 42 ? 1 : 0;

function grow(r: Runs): void {
  const n = r.start.length * 2;
  const s = new Int32Array(n);
  s.set(r.start);
  const e = new Int32Array(n);
  e.set(r.end);
  const f = new Uint8Array(n);
  f.set(r.flags);
  r.start = s;
  r.end = e;
  r.flags = f;
}

/** Empty runs sized for a text of `length` characters: a table row holds a few, a page a few hundred (grown on demand). */
function newRuns(length: number): Runs {
  const size = Math.min(4096, 16 + (length >> 3));
  return {
    count: 0,
    start: new Int32Array(size),
    end: new Int32Array(size),
    flags: new Uint8Array(size),
  };
}

// The flags of the run readMixedRun read last (a second result without an object per run).
let mixedFlags = 0;

/**
 * The end of a run read on from `i`, where a letter or `*` may follow the digits read so far (they
 * change no flag); its flags are left in mixedFlags. The rare path of both run loops: most runs are
 * numbers, ended in the loops' own digit loop.
 */
function readMixedRun(norm: string, i: number, n: number): number {
  let digitsOnly = true;
  let masked = false;
  let letters = false;
  let endsX = false;
  while (i < n) {
    const c = norm.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      if (endsX) {
        // An X followed by more characters was a letter inside the run.
        letters = true;
        endsX = false;
      }
    } else if (c === 42) {
      if (endsX) {
        letters = true;
        endsX = false;
      }
      masked = true;
      digitsOnly = false;
    } else if ((c >= 65 && c <= 90) || (c >= 97 && c <= 122)) {
      if (endsX) letters = true;
      if (c === 88 || c === 120) endsX = !letters;
      else {
        letters = true;
        endsX = false;
      }
    } else break;
    i++;
  }
  if (letters) {
    digitsOnly = false;
    endsX = false;
  }
  mixedFlags =
    (digitsOnly ? DIGITS : 0) | (masked ? MASKED : 0) | (letters ? LETTERS : 0) | (endsX ? ENDS_X : 0);
  return i;
}

/**
 * Runs of [0-9A-Za-z*] in `norm`, in order. With `into`, its arrays are reused (a scan of many short
 * rows would otherwise allocate three typed arrays per row): the caller must be done with the
 * previous result.
 */
export function collectRuns(norm: string, into?: Runs): Runs {
  const r: Runs = into ?? newRuns(norm.length);
  r.count = 0;
  // The tabs and line breaks are noted on the way (headerFor's index of the text); the word index
  // starts afresh for this text.
  beginBreaks(norm);
  startIndex(norm, r);
  const n = norm.length;
  // The arrays in locals (taken again when grown): no loads through `r` per run.
  let starts = r.start;
  let ends = r.end;
  let flags = r.flags;
  let count = 0;
  let i = 0;
  while (i < n) {
    let c = norm.charCodeAt(i);
    // Skip to the next run character; most text (Chinese) is skipped here, on its first comparison.
    if (c > 122) {
      i++;
      continue;
    }
    if (RUN_CHARS[c] === 0) {
      if (c === 9 || c === 10) addBreak(i, c);
      i++;
      continue;
    }
    const start = i;
    if (count === starts.length) {
      r.count = count;
      grow(r);
      starts = r.start;
      ends = r.end;
      flags = r.flags;
    }
    starts[count] = start;
    // Digits first, in a loop of their own: most runs are numbers, ended by a character of no run.
    if (c >= 48 && c <= 57) {
      i++;
      while (i < n) {
        c = norm.charCodeAt(i);
        if (c < 48 || c > 57) break;
        i++;
      }
      if (i === n || c > 122 || RUN_CHARS[c] === 0) {
        ends[count] = i;
        flags[count++] = DIGITS;
        continue;
      }
    }
    // The rest of the run (from its first letter or `*`): the digits before change no flag.
    i = readMixedRun(norm, i, n);
    ends[count] = i;
    flags[count++] = mixedFlags;
  }
  r.count = count;
  return r;
}

/**
 * collectRuns for a short text, also noting which of the characters marked in `marks` (units above
 * `z`) it holds: the bits of their marks, ORed. It stops at the first unit marked `stop` (the runs
 * are then incomplete: the caller collects them again). A copy of collectRuns' loop, not a flag
 * of it: one more load or branch per Chinese character in that loop cost long pages ≈ 8–27 %, and
 * on a table row this pass replaces normalizeWidth's and the address detector's own regex passes.
 * Units marked `wordEnd` end some word of the word index (wordIndex.ts markWordEnds): the text is
 * indexed on the way, when the index allows it, instead of in a pass of its own over each chunk.
 */
export function collectRunsMarked(
  norm: string,
  marks: Uint8Array,
  stop: number,
  wordEnd: number,
  into: Runs,
): number {
  const r = into;
  r.count = 0;
  beginBreaks(norm);
  startIndex(norm, r);
  const eager = wordEnd !== 0 && eagerIndexing();
  const n = norm.length;
  let starts = r.start;
  let ends = r.end;
  let flags = r.flags;
  let count = 0;
  let seen = 0;
  let i = 0;
  while (i < n) {
    let c = norm.charCodeAt(i);
    if (c > 122) {
      const m = marks[c]!;
      if (m !== 0) {
        seen |= m;
        if ((m & stop) !== 0) break;
        if ((m & wordEnd) !== 0 && eager) eagerWordEnd(norm, i);
      }
      i++;
      continue;
    }
    if (RUN_CHARS[c] === 0) {
      if (c === 9 || c === 10) addBreak(i, c);
      i++;
      continue;
    }
    const start = i;
    if (count === starts.length) {
      r.count = count;
      grow(r);
      starts = r.start;
      ends = r.end;
      flags = r.flags;
    }
    starts[count] = start;
    if (c >= 48 && c <= 57) {
      i++;
      while (i < n) {
        c = norm.charCodeAt(i);
        if (c < 48 || c > 57) break;
        i++;
      }
      if (i === n || c > 122 || RUN_CHARS[c] === 0) {
        ends[count] = i;
        flags[count++] = DIGITS;
        continue;
      }
    }
    i = readMixedRun(norm, i, n);
    ends[count] = i;
    flags[count++] = mixedFlags;
    // The letters of the run may end a word (ICP); its digits do not (eagerIndexing says so).
    if (eager)
      for (let j = start; j < i; j++) {
        const u = norm.charCodeAt(j);
        if (((u >= 65 && u <= 90) || (u >= 97 && u <= 122)) && letterEndsWord(u)) eagerWordEnd(norm, j);
      }
  }
  r.count = count;
  if (eager && (seen & stop) === 0) endEagerIndex(norm);
  return seen;
}

/** The separator between two runs: 1–3 spaces, or one line break with spaces/tabs around it. */
export function isSplitGap(norm: string, from: number, to: number): boolean {
  const len = to - from;
  if (len < 1 || len > 8) return false;
  let newlines = 0;
  let spaces = 0;
  for (let i = from; i < to; i++) {
    const c = norm.charCodeAt(i);
    if (c === 10) newlines++;
    else if (c === 32) spaces++;
    // \r only directly before the \n.
    else if (c === 13) {
      if (norm.charCodeAt(i + 1) !== 10) return false;
    } else if (c !== 9) return false;
  }
  if (newlines === 0) return spaces === len && len <= 3;
  return newlines === 1;
}

/** Comparator of spans by start offset (one function for every sort: none is made per scan). */
export function byStart(a: { start: number }, b: { start: number }): number {
  return a.start - b.start;
}
