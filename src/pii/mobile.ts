import { TextColumns } from './columns.js';
import {
  clauseStart,
  columnRejects,
  columnRejectsAt,
  containsAny,
  containsAnyIn,
  rejectedByLabelIn,
} from './context.js';
import { collectRuns, MASKED, type Runs } from './runs.js';
import { MASK, mobileRules, normalizeWidth, rawSpan, type MobileRules, type RawSpan } from './rules.js';
import { withSpan } from './span.js';

export interface MobileOptions {
  rules?: MobileRules;
  /** Runs of the normalised text when the caller already collected them (scan.ts shares them). */
  runs?: Runs;
  /** Table header labelling the text: a 准考证号/编号 … column (rules `rejectColumns`) drops its values. */
  context?: string;
  /** The same header already passed through normalizeWidth: used instead of `context`. */
  header?: string;
}

// How far before a number a 准考证号/编号 label is read as its label.
const LABEL_WINDOW = 12;

/** Per scan: where the column of a value is looked up (built on the first candidate). */
interface ColumnScan {
  rules: MobileRules;
  header: string;
  /** A header row in the text; undefined = not looked for yet, null = the text names no such column. */
  columns?: TextColumns | null;
}

/**
 * A number labelled or headed as another kind of number (准考证号：…, a 准考证号/考生号/编号 column):
 * an exam or record number, not a mobile, unless the label or header names a phone too.
 */
function inRejectedColumn(norm: string, start: number, end: number, c: ColumnScan): boolean {
  const { rejectColumns, contextWords } = c.rules;
  if (rejectColumns.length === 0) return false;
  if (rejectedByLabelIn(norm, clauseStart(norm, start, LABEL_WINDOW), start, rejectColumns, contextWords))
    return true;
  if (c.header !== '') return columnRejectsAt(norm, start, c.header, rejectColumns, contextWords);
  if (c.columns === undefined)
    c.columns = containsAny(norm, rejectColumns)
      ? new TextColumns(norm, rejectColumns, (cell) => containsAny(cell, rejectColumns))
      : null;
  return c.columns !== null && columnRejects(c.columns.headerAt(start, end), rejectColumns, contextWords);
}

/*
 * The number's pattern, MOBILE_RE:
 *   /(\+86[ -]?|86-)?(1[\d*]{2})([ -]?)([\d*]{4})\3([\d*]{4})(?![0-9A-Za-z*])/
 * optional country code, then 3-4-4 digits with one consistent separator (none, space or hyphen).
 * Mask characters may stand in for digits; the lookahead and a check of the character before keep
 * the number off longer runs. It is matched by hand at run starts (mobileAt): a regex exec per
 * candidate, with its result array and part strings, cost more than the rest of the detector.
 */

const isRunChar = (c: number): boolean =>
  (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 42;

// Characters 4–7 (indexes 3..6) are the part a proper mask hides: 138****5678.
const HIDDEN_FROM = 3;
const HIDDEN_TO = 7;

/** A run continued by "-00001", ".5" or "/2020" is a registration number, amount or index, not a phone. */
function continuesAsOtherNumber(norm: string, start: number, end: number, hasCountryCode: boolean): boolean {
  // /^[-./]\d/ on the two characters after, /\d[-./]$/ on the two before, by character codes.
  if (end + 1 < norm.length && isNumberJoin(norm.charCodeAt(end)) && isDigit(norm.charCodeAt(end + 1)))
    return true;
  return (
    !hasCountryCode &&
    start >= 2 &&
    isDigit(norm.charCodeAt(start - 2)) &&
    isNumberJoin(norm.charCodeAt(start - 1))
  );
}

const isDigit = (c: number): boolean => c >= 48 && c <= 57;
/** - . / */
const isNumberJoin = (c: number): boolean => c === 45 || c === 46 || c === 47;

/** 备案号 / 公网安备 / ICP … shortly before the number mark it as a registration number. */
function inRegistrationContext(norm: string, start: number, rules: MobileRules): boolean {
  return containsAnyIn(norm, start - 12, start, rules.rejectContextWords);
}

/** Masked candidates: sufficient masking (digits 4–7 hidden) is not a finding. */
function isInsufficientMask(digits: string, rules: MobileRules): boolean {
  if (!/^1\d*\*+\d*$/.test(digits)) return false;
  const prefix = digits.slice(0, 3);
  if (!prefix.includes(MASK) && !rules.prefixes.has(prefix)) return false;
  return /\d/.test(digits.slice(HIDDEN_FROM, HIDDEN_TO));
}

function baseConfidence(hasCountryCode: boolean, separator: string): number {
  if (hasCountryCode) return 0.8;
  // "150 1200 3400" may just be three numbers in a table row; grouped by spaces is the weakest form.
  return separator === ' ' ? 0.4 : 0.6;
}

/**
 * Finds 11-digit mainland mobile numbers (full or insufficiently masked). Landlines, 400/95xxx
 * hotlines and 12345 never match: they are not 11 digits starting with a listed prefix.
 */
export function findMobiles(text: string, opts: MobileOptions = {}): RawSpan[] {
  return findMobilesNormalized(normalizeWidth(text), opts);
}

/**
 * findMobiles on text already passed through normalizeWidth (the detectors share one pass). The
 * pattern is tried only at the start of a run of letters/digits (or at the "+" of "+86" before
 * one): a number that starts after a letter or digit is inside a longer run and never counts, and
 * a scan of the whole text would try every character of it.
 */
export function findMobilesNormalized(norm: string, opts: MobileOptions = {}): RawSpan[] {
  const rules = opts.rules ?? mobileRules();
  const runs = opts.runs ?? collectRuns(norm);
  // Made with its first span (an empty array grows, by a builtin call, on its first push).
  let spans: RawSpan[] | undefined;
  const columns: ColumnScan = { rules, header: opts.header ?? normalizeWidth(opts.context ?? '') };
  const prefixes = prefixTable(rules);
  // Where the scan stands: a candidate inside an earlier match is not tried again.
  let pos = 0;
  for (let k = 0; k < runs.count; k++) {
    const s = runs.start[k]!;
    if (s < pos) continue;
    const first = norm.charCodeAt(s);
    // Only "1…", "86-…" or "+86…" can start a number.
    if (first !== 49 && first !== 56) continue;
    const plus = s > 0 && norm.charCodeAt(s - 1) === 43 && s - 1 >= pos;
    let start = s;
    let end = -1;
    if (plus) {
      end = mobileAt(norm, s - 1);
      if (end >= 0) {
        start = s - 1;
        // "…A+86…": inside a longer run; tried again from the next character, as a scan would.
        if (start > 0 && isRunChar(norm.charCodeAt(start - 1))) end = -1;
      }
    }
    if (end < 0) {
      start = s;
      end = mobileAt(norm, s);
      if (end < 0) continue;
    }
    const { country, head, sep, mid, tail } = found;
    pos = end;
    if (continuesAsOtherNumber(norm, start, end, country)) continue;
    if (inRegistrationContext(norm, start, rules)) continue;
    // A number that is the whole run (no country code, no separator): its flags tell whether it holds a mask.
    const whole = start === s && end === runs.end[k];
    if (
      whole
        ? (runs.flags[k]! & MASKED) !== 0
        : hasMask(norm, head, 3) || hasMask(norm, mid, 4) || hasMask(norm, tail, 4)
    ) {
      const digits = norm.slice(head, head + 3) + norm.slice(mid, mid + 4) + norm.slice(tail, tail + 4);
      if (isInsufficientMask(digits, rules) && !inRejectedColumn(norm, start, end, columns))
        spans = withSpan(spans, rawSpan('mobile', start, end, true, 0.5));
    } else if (prefixes[threeDigits(norm, head)] === 1 && !inRejectedColumn(norm, start, end, columns)) {
      spans = withSpan(
        spans,
        rawSpan(
          'mobile',
          start,
          end,
          false,
          baseConfidence(country, sep === 32 ? ' ' : sep === 45 ? '-' : ''),
        ),
      );
    }
  }
  return spans ?? [];
}

/** Where the parts of the last number mobileAt matched start (sep: the separator's code, or -1). */
const found = { country: false, head: 0, sep: -1, mid: 0, tail: 0 };

const isDigitOrMask = (c: number): boolean => (c >= 48 && c <= 57) || c === 42;

/**
 * MOBILE_RE tried at `p` only (sticky), by character codes: the end of the number or -1, its parts
 * in `found`. The pattern never needs to backtrack: "+86" and "86-" exclude each other and a bare
 * number by their first character, and an optional separator taken greedily that fails leaves a
 * blank or hyphen where a digit would have to be.
 */
function mobileAt(norm: string, p: number): number {
  // Every form is 11 characters at least, and each stage checks what it reads lies inside the text
  // (charCodeAt past the end gives NaN: optimised code that met one was rebuilt for floating-point
  // values, and a page ending in a number made this detector slower on every row after it).
  const n = norm.length;
  if (p + 11 > n) return -1;
  let i = p;
  const c = norm.charCodeAt(i);
  found.country = false;
  if (c === 43) {
    // +86, then one optional blank or hyphen.
    if (norm.charCodeAt(i + 1) !== 56 || norm.charCodeAt(i + 2) !== 54) return -1;
    i += 3;
    const d = norm.charCodeAt(i);
    if (d === 32 || d === 45) i++;
    found.country = true;
  } else if (c === 56) {
    // 86-
    if (norm.charCodeAt(i + 1) !== 54 || norm.charCodeAt(i + 2) !== 45) return -1;
    i += 3;
    found.country = true;
  }
  // The 11 digits from here (13 with separators, checked when one is met).
  if (i + 11 > n) return -1;
  if (
    norm.charCodeAt(i) !== 49 ||
    !isDigitOrMask(norm.charCodeAt(i + 1)) ||
    !isDigitOrMask(norm.charCodeAt(i + 2))
  )
    return -1;
  found.head = i;
  i += 3;
  let sep = norm.charCodeAt(i);
  if (sep === 32 || sep === 45) {
    if (i + 10 > n) return -1;
    i++;
  } else sep = -1;
  found.sep = sep;
  found.mid = i;
  for (let j = 0; j < 4; j++) if (!isDigitOrMask(norm.charCodeAt(i + j))) return -1;
  i += 4;
  if (sep >= 0) {
    if (norm.charCodeAt(i) !== sep) return -1;
    i++;
  }
  found.tail = i;
  for (let j = 0; j < 4; j++) if (!isDigitOrMask(norm.charCodeAt(i + j))) return -1;
  i += 4;
  return i < n && isRunChar(norm.charCodeAt(i)) ? -1 : i;
}

function hasMask(norm: string, from: number, length: number): boolean {
  for (let i = from; i < from + length; i++) if (norm.charCodeAt(i) === 42) return true;
  return false;
}

/** The three digits at `at` as a number 0–999. */
function threeDigits(norm: string, at: number): number {
  return (
    (norm.charCodeAt(at) - 48) * 100 + (norm.charCodeAt(at + 1) - 48) * 10 + norm.charCodeAt(at + 2) - 48
  );
}

const prefixTables = new WeakMap<MobileRules, Uint8Array>();

// The last rules asked about and their table (a WeakMap lookup on every call cost more than its use).
let prefixTableOf: MobileRules | undefined;
let prefixTableLast: Uint8Array | undefined;

/** rules.prefixes as a table by number (prefixes are three digits: the rule schema says so). */
function prefixTable(rules: MobileRules): Uint8Array {
  if (rules === prefixTableOf) return prefixTableLast!;
  let t = prefixTables.get(rules);
  if (!t) {
    t = new Uint8Array(1000);
    for (const p of rules.prefixes) if (/^\d{3}$/.test(p)) t[Number(p)] = 1;
    prefixTables.set(rules, t);
  }
  prefixTableOf = rules;
  return (prefixTableLast = t);
}
