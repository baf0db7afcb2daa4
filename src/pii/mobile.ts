import { TextColumns } from './columns.js';
import {
  clauseStart,
  columnRejects,
  containsAny,
  containsAnyIn,
  headerCellFor,
  rejectedByLabelIn,
} from './context.js';
import { collectRuns, type Runs } from './runs.js';
import { MASK, mobileRules, normalizeWidth, type MobileRules, type RawSpan } from './rules.js';

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
  if (c.header !== '')
    return columnRejects(headerCellFor(norm, start, c.header), rejectColumns, contextWords);
  if (c.columns === undefined)
    c.columns = containsAny(norm, rejectColumns)
      ? new TextColumns(norm, rejectColumns, (cell) => containsAny(cell, rejectColumns))
      : null;
  return c.columns !== null && columnRejects(c.columns.headerAt(start, end), rejectColumns, contextWords);
}

/**
 * Optional country code, then 3-4-4 digits with one consistent separator (none, space or hyphen).
 * Mask characters may stand in for digits; the lookahead and a check of the character before keep
 * the number off longer runs (a leading lookbehind would run at every position of the text).
 */
const MOBILE_RE = /(\+86[ -]?|86-)?(1[\d*]{2})([ -]?)([\d*]{4})\3([\d*]{4})(?![0-9A-Za-z*])/g;

const isRunChar = (c: number): boolean =>
  (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 42;

// Characters 4–7 (indexes 3..6) are the part a proper mask hides: 138****5678.
const HIDDEN_FROM = 3;
const HIDDEN_TO = 7;

/** A run continued by "-00001", ".5" or "/2020" is a registration number, amount or index, not a phone. */
function continuesAsOtherNumber(norm: string, start: number, end: number, hasCountryCode: boolean): boolean {
  // /^[-./]\d/ on the two characters after, /\d[-./]$/ on the two before, by character codes.
  if (isNumberJoin(norm.charCodeAt(end)) && isDigit(norm.charCodeAt(end + 1))) return true;
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

// The same pattern, tried only where a number can start (sticky).
const MOBILE_AT = new RegExp(MOBILE_RE.source, 'y');

/**
 * findMobiles on text already passed through normalizeWidth (the detectors share one pass). The
 * pattern is tried only at the start of a run of letters/digits (or at the "+" of "+86" before
 * one): a number that starts after a letter or digit is inside a longer run and never counts, and
 * a scan of the whole text would try every character of it.
 */
export function findMobilesNormalized(norm: string, opts: MobileOptions = {}): RawSpan[] {
  const rules = opts.rules ?? mobileRules();
  const runs = opts.runs ?? collectRuns(norm);
  const spans: RawSpan[] = [];
  const columns: ColumnScan = { rules, header: opts.header ?? normalizeWidth(opts.context ?? '') };
  const re = MOBILE_AT;
  // Where the scan stands: a candidate inside an earlier match is not tried again.
  let pos = 0;
  for (let k = 0; k < runs.count; k++) {
    const s = runs.start[k]!;
    if (s < pos) continue;
    const first = norm.charCodeAt(s);
    // Only "1…", "86-…" or "+86…" can start a number.
    const plus = s > 0 && norm.charCodeAt(s - 1) === 43 && s - 1 >= pos;
    if (first !== 49 && first !== 56) continue;
    let m: RegExpExecArray | null = null;
    let start = s;
    if (plus) {
      re.lastIndex = s - 1;
      m = re.exec(norm);
      if (m) {
        start = s - 1;
        // "…A+86…": inside a longer run; tried again from the next character, as a scan would.
        if (start > 0 && isRunChar(norm.charCodeAt(start - 1))) m = null;
      }
    }
    if (!m) {
      start = s;
      re.lastIndex = s;
      m = re.exec(norm);
      if (!m) continue;
    }
    const [whole, country, head = '', sep = '', mid = '', tail = ''] = m;
    const end = start + whole.length;
    pos = end;
    const digits = head + mid + tail;
    if (continuesAsOtherNumber(norm, start, end, country !== undefined)) continue;
    if (inRegistrationContext(norm, start, rules)) continue;
    if (digits.includes(MASK)) {
      if (isInsufficientMask(digits, rules) && !inRejectedColumn(norm, start, end, columns))
        spans.push({ start, end, insufficient: true, baseConfidence: 0.5 });
    } else if (rules.prefixes.has(head) && !inRejectedColumn(norm, start, end, columns)) {
      spans.push({
        start,
        end,
        insufficient: false,
        baseConfidence: baseConfidence(country !== undefined, sep),
      });
    }
  }
  return spans;
}
