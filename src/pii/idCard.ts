import { personalRowAround } from './address.js';
import { luhnValid } from './bankCard.js';
import { TextColumns } from './columns.js';
import {
  columnRejects,
  columnRejectsAt,
  containsAny,
  containsAnyHeader,
  containsAnyIn,
  continuesAsOtherNumber,
  headerFor,
  isDigitCode,
  isRunChar,
  rejectedByHeader,
  rejectedByLabelIn,
  rowWindowStart,
} from './context.js';
import { byStart, collectRuns, DIGITS, ENDS_X, isSplitGap, LETTERS, MASKED, type Runs } from './runs.js';
import {
  hidesRange,
  idCardRules,
  MASK,
  maskingRules,
  normalizeWidth,
  rawSpan,
  type EmbeddingIdentifier,
  type IdCardRules,
  type MaskingRules,
  type RawSpan,
} from './rules.js';
import { withSpan } from './span.js';

export interface IdCardOptions {
  rules?: IdCardRules;
  masking?: MaskingRules;
  /** Latest acceptable birth date; injectable so tests don't depend on the clock. */
  today?: Date;
  /** Table header labelling the text; a rejecting word in the value's column drops it. */
  context?: string;
  /** The header already passed through normalizeWidth: used instead of `context`. */
  header?: string;
  /** Runs of the normalised text when the caller already collected them (scan.ts shares them). */
  runs?: Runs;
}

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
const CHECK_CHARS = '10X98765432';

// Birth date occupies characters 7–14 (1-based), i.e. indexes 6..13; in old numbers 7–12 (YYMMDD).
const BIRTH_START = 6;
const BIRTH_END = 14;
const OLD_BIRTH_END = 12;

// How far before a number a rejecting label (备案, 信用代码 …) is still read as its label.
const REJECT_WINDOW = 12;

/** ISO 7064 MOD 11-2 check character for the first 17 digits (GB 11643). */
export function idCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const d = first17.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return '';
    sum += d * WEIGHTS[i]!;
  }
  return CHECK_CHARS[sum % 11] ?? '';
}

const pad2 = (n: number): string => String(n).padStart(2, '0');

// The local day last formatted, as [from, to) in ms: every scan of a run asks about the same day
// (each call passes a new Date of "now"), and a short row costs less than building the string.
let ymdFrom = NaN;
let ymdTo = NaN;
let ymdText = '';

function ymd(date: Date): string {
  const time = date.getTime();
  if (time >= ymdFrom && time < ymdTo) return ymdText;
  const y = date.getFullYear();
  const m = date.getMonth();
  const d = date.getDate();
  ymdFrom = new Date(y, m, d).getTime();
  ymdTo = new Date(y, m, d + 1).getTime();
  ymdText = `${y}${pad2(m + 1)}${pad2(d)}`;
  ymdNum = /^\d{8}$/.test(ymdText) ? Number(ymdText) : Number.NaN;
  return ymdText;
}

// ymdText as a number when it has 8 digits (years 1000–9999), else NaN.
let ymdNum = Number.NaN;

// "Now" when the caller passes no date: only its local day is ever read (ymd, getFullYear), so one
// Date serves the whole day, dropped by a timer at the next local midnight. Reading the clock per
// scan cost more than a roster row's ID checks on a virtual machine (Date.now ≈ 40 ns there); a
// scan that runs across midnight without yielding keeps the day it started on.
let day: Date | undefined;

function currentDay(): Date {
  if (day !== undefined) return day;
  const d = new Date();
  const midnight = new Date(d.getFullYear(), d.getMonth(), d.getDate() + 1).getTime();
  const timer = setTimeout(forgetDay, Math.max(1, midnight - d.getTime()));
  // Never what keeps a process alive.
  timer.unref?.();
  return (day = d);
}

function forgetDay(): void {
  day = undefined;
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31] as const;

/** A calendar date (YYYYMMDD) between 1900-01-01 and `todayYmd`, leap years included. */
function realDate(yyyymmdd: string, todayYmd: string): boolean {
  if (yyyymmdd.length !== 8) return false;
  let v = 0;
  for (let i = 0; i < 8; i++) {
    const c = yyyymmdd.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return false;
    v = v * 10 + c;
  }
  if (yyyymmdd < '19000101' || yyyymmdd > todayYmd) return false;
  const y = Math.floor(v / 10000);
  const m = Math.floor(v / 100) % 100;
  const d = v % 100;
  if (m < 1 || m > 12 || d < 1) return false;
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  return d <= (m === 2 && leap ? 29 : (DAYS_IN_MONTH[m - 1] ?? 0));
}

/** A calendar date between 1900-01-01 and today (19900230 and 19000229 are rejected). */
export function isRealBirthDate(yyyymmdd: string, today: Date): boolean {
  return realDate(yyyymmdd, ymd(today));
}

/** Region (province part) and birth date of an 18-digit number; the check digit is not looked at. */
function validPrefix18(id: string, rules: IdCardRules, todayYmd: string): boolean {
  return rules.provinceCodes.has(id.slice(0, 2)) && realDate(id.slice(BIRTH_START, BIRTH_END), todayYmd);
}

function validFullId(id: string, rules: IdCardRules, todayYmd: string): boolean {
  if (id.length !== 18) return false;
  const last = id.charCodeAt(17);
  if (!((last >= 48 && last <= 57) || last === 88 || last === 120)) return false;
  if (!validPrefix18(id, rules, todayYmd)) return false;
  const check = idCheckChar(id);
  return check !== '' && check === (last === 120 ? 'X' : id[17]);
}

/**
 * validFullId(norm.slice(start, start + 18)) read in place (most runs of a roster are IDs: three
 * strings less per value). `todayNum` is todayYmd as a number when it has 8 digits, else NaN.
 */
function validFullIdAt(norm: string, start: number, rules: IdCardRules, todayYmd: string, todayNum: number) {
  if (Number.isNaN(todayNum)) return validFullId(norm.slice(start, start + 18), rules, todayYmd);
  const last = norm.charCodeAt(start + 17);
  if (!((last >= 48 && last <= 57) || last === 88 || last === 120)) return false;
  const a = norm.charCodeAt(start) - 48;
  const b = norm.charCodeAt(start + 1) - 48;
  if (a < 0 || a > 9 || b < 0 || b > 9 || provinceTable(rules)[a * 10 + b] !== 1) return false;
  // realDate: digits only, between 19000101 and today (8-digit strings compare like numbers).
  let v = 0;
  for (let i = start + BIRTH_START; i < start + BIRTH_END; i++) {
    const c = norm.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return false;
    v = v * 10 + c;
  }
  if (v < 19000101 || v > todayNum) return false;
  // Integer division (v < 2^31): no floating-point divide.
  const y = (v / 10000) | 0;
  const m = ((v / 100) | 0) % 100;
  const d = v % 100;
  if (m < 1 || m > 12 || d < 1) return false;
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  if (d > (m === 2 && leap ? 29 : (DAYS_IN_MONTH[m - 1] ?? 0))) return false;
  // The weighted sum with one test at the end: `bad` turns negative if any unit is not a digit
  // (c or 9 - c is then negative), instead of a branch per digit.
  let sum = 0;
  let bad = 0;
  for (let i = 0; i < 17; i++) {
    const c = norm.charCodeAt(start + i) - 48;
    bad |= c | (9 - c);
    sum += c * WEIGHT_TABLE[i]!;
  }
  return bad >= 0 && CHECK_CHARS.charCodeAt(sum % 11) === (last === 120 ? 88 : last);
}

const WEIGHT_TABLE = Int32Array.from(WEIGHTS);

const provinceTables = new WeakMap<IdCardRules, Uint8Array>();

// The last rules asked about and their table (a WeakMap lookup on every call cost more than its use).
let provinceTableOf: IdCardRules | undefined;
let provinceTableLast: Uint8Array | undefined;

/** rules.provinceCodes as a table by number (two-digit codes: the rule schema says so). */
function provinceTable(rules: IdCardRules): Uint8Array {
  if (rules === provinceTableOf) return provinceTableLast!;
  let t = provinceTables.get(rules);
  if (!t) {
    t = new Uint8Array(100);
    for (const code of rules.provinceCodes) if (/^\d{2}$/.test(code)) t[Number(code)] = 1;
    provinceTables.set(rules, t);
  }
  provinceTableOf = rules;
  return (provinceTableLast = t);
}

function validOld(id: string, rules: IdCardRules, todayYmd: string): boolean {
  return (
    /^\d{15}$/.test(id) &&
    rules.provinceCodes.has(id.slice(0, 2)) &&
    realDate(`19${id.slice(BIRTH_START, OLD_BIRTH_END)}`, todayYmd)
  );
}

/** 15-digit number issued before 1999: 6-digit region + YYMMDD (19YY) + 3-digit serial, no check digit. */
export function isValidOldId(id: string, rules: IdCardRules, today: Date): boolean {
  return validOld(id, rules, ymd(today));
}

/**
 * An 18-digit run that is the decimal rendering of an ID stored as a floating-point number: Excel
 * and WPS keep 15 significant digits (350502199001011000, or 350502199001011008 once read back as a
 * double), programs writing XLSX keep the nearest double (350502199001011264). The check digit then
 * fails, but the value is exactly a double and region + birth date are still there.
 */
function isExcelRounded(run: string, rules: IdCardRules, todayYmd: string): boolean {
  if (!validPrefix18(run, rules, todayYmd)) return false;
  const n = Number(run);
  if (n === Number(`${run.slice(0, 15)}000`)) return true;
  // A double above 2^53 is a multiple of 16–64 here: every such value prints exactly with toFixed.
  return n.toFixed(0) === run;
}

/**
 * Digits of an ID written in Excel's scientific form (3.50502199001011E+17): 18-digit IDs keep 15
 * significant digits, 15-digit old ones are exact. Returns the known leading digits (15), or
 * undefined when the text shows too few digits to expose a birth date or is not an ID.
 */
export function excelIdDigits(
  text: string,
  rules: IdCardRules = idCardRules(),
  today: Date = new Date(),
): string | undefined {
  const m = /^(\d)\.(\d+)[Ee]\+?(\d{2})$/.exec(text);
  if (!m) return undefined;
  const [, lead = '', frac = '', exp = ''] = m;
  const sig = lead + frac;
  // Fewer than 12 significant digits: a display format cut the number, the birth date is not shown.
  if (sig.length < 12 || sig.length > 15) return undefined;
  const digits = sig.padEnd(15, '0');
  const todayYmd = ymd(today);
  if (exp === '17') return validPrefix18(`${digits}000`, rules, todayYmd) ? digits : undefined;
  if (exp === '14') return validOld(digits, rules, todayYmd) ? digits : undefined;
  return undefined;
}

/** A visible fragment of the prefix must still fit a province code, or it is some other number. */
function plausiblePrefix(token: string, rules: IdCardRules): boolean {
  const a = token[0] ?? '';
  const b = token[1] ?? '';
  if (a === MASK) return true;
  if (b === MASK) return [...rules.provinceCodes].some((code) => code.startsWith(a));
  return rules.provinceCodes.has(a + b);
}

/** Visible digits of a masked YYYYMMDD must be able to belong to a real date. */
function plausibleMaskedBirth(birth: string, today: Date): boolean {
  if (!/^(?:1[9*]|2[0*]|\*[09*])[\d*]{2}[01*][\d*][0-3*][\d*]$/.test(birth)) return false;
  const inRange = (part: string, lo: number, hi: number): boolean =>
    part.includes(MASK) || (Number(part) >= lo && Number(part) <= hi);
  return (
    inRange(birth.slice(0, 4), 1900, today.getFullYear()) &&
    inRange(birth.slice(4, 6), 1, 12) &&
    inRange(birth.slice(6, 8), 1, 31)
  );
}

const visibleDigits = (token: string): number => token.replace(/[^0-9Xx]/g, '').length;

/**
 * Classifies an 18- or 15-character token that contains mask characters: true when it is an ID that
 * leaves a birth-date position visible (masking insufficient), false when sufficiently masked or not
 * an ID. Masks may sit anywhere (3505**1990****1234): what counts is which positions are hidden.
 */
function insufficientlyMaskedId(
  token: string,
  rules: IdCardRules,
  masking: MaskingRules,
  today: Date,
): boolean {
  const old = token.length === 15;
  const shape = old ? /^[\d*]{15}$/ : /^[\d*]{17}[\dXx*]$/;
  if (!shape.test(token)) return false;
  const mustHide = old ? masking.idCard.old15.mustHide : masking.idCard.mustHide;
  if (hidesRange(token, mustHide)) return false;
  // Too few digits left to tell an ID apart from any other masked code.
  if (visibleDigits(token) < 6 || !plausiblePrefix(token, rules)) return false;
  const birth = old ? `19${token.slice(BIRTH_START, OLD_BIRTH_END)}` : token.slice(BIRTH_START, BIRTH_END);
  return plausibleMaskedBirth(birth, today);
}

/** A rejecting label just before the value, or in the value's column header, makes it another code. */
function rejected(norm: string, start: number, words: readonly string[], rules: IdCardRules, header: string) {
  const from = rowWindowStart(norm, start - REJECT_WINDOW, start);
  if (rejectedByLabelIn(norm, from, start, words, rules.contextWords)) return true;
  if (header === '') return false;
  return rejectedByHeader(norm, start, header, words, rules.contextWords);
}

// Excel's scientific form of a long number.
const EXCEL_RUN = /\d\.\d{11,14}[Ee]\+?\d{2}/g;

const CONFIDENCE = { standard: 0.9, split: 0.8, excel: 0.8, old: 0.5, masked: 0.7, embedded: 0.8 } as const;

interface Ctx {
  rules: IdCardRules;
  masking: MaskingRules;
  today: Date;
  todayYmd: string;
  /** todayYmd as a number when it has 8 digits, else NaN. */
  todayNum: number;
  header: string;
}

/** Whole runs of 18 or 15 characters: full, old, Excel-rounded or masked IDs. */
function classifyRun(norm: string, start: number, end: number, flags: number, c: Ctx): RawSpan | undefined {
  const len = end - start;
  if (flags & LETTERS) return undefined;
  if (continuesAsOtherNumber(norm, start, end)) return undefined;
  let span: RawSpan | undefined;
  if (flags & MASKED) {
    if (insufficientlyMaskedId(norm.slice(start, end), c.rules, c.masking, c.today))
      span = rawSpan('id-card', start, end, true, CONFIDENCE.masked);
  } else if (len === 18) {
    if (validFullIdAt(norm, start, c.rules, c.todayYmd, c.todayNum))
      span = rawSpan('id-card', start, end, false, CONFIDENCE.standard);
    else if (isExcelRounded(norm.slice(start, end), c.rules, c.todayYmd))
      span = rawSpan('id-card', start, end, true, CONFIDENCE.excel, 'excel-number');
  } else if (!(flags & ENDS_X) && validOld(norm.slice(start, end), c.rules, c.todayYmd)) {
    if (rejected(norm, start, c.rules.oldNumberRejectWords, c.rules, c.header)) return undefined;
    if (!oldIdContext(norm, start, end, c)) return undefined;
    span = rawSpan('id-card', start, end, false, CONFIDENCE.old, 'old-15');
  }
  if (span && rejected(norm, start, c.rules.rejectContextWords, c.rules, c.header)) return undefined;
  return span;
}

// How far before a number an ID label (身份证号：) is read as its label.
const LABEL_WINDOW = 20;

/**
 * A 15-digit number has no check digit: about 4 % of random 15-digit codes fit a region and a date.
 * It counts only with an ID label just before it or over its column, or in a row about a person.
 */
function oldIdContext(norm: string, start: number, end: number, c: Ctx): boolean {
  if (containsAnyIn(norm, start - LABEL_WINDOW, start, c.rules.contextWords)) return true;
  if (c.header !== '' && containsAnyHeader(norm, start, c.header, c.rules.contextWords)) return true;
  return personalRowAround(norm, start, end);
}

// At most this many groups make one split number (350502 1990 0101 1234).
const MAX_GROUPS = 4;

/**
 * 350502 19900101 1234, 3505021990⏎01011234: consecutive digit runs separated by 1–3 spaces or one
 * line break (PDF text layers split numbers like that) that join into a fully valid 18-digit ID.
 */
function findSplit(norm: string, runs: Runs, c: Ctx, found: RawSpan[] | undefined): RawSpan[] | undefined {
  let spans = found;
  let chainFrom = -1;
  for (let k = 0; k < runs.count; k++) {
    const flags = runs.flags[k]!;
    const len = runs.end[k]! - runs.start[k]!;
    if (!(flags & DIGITS) || len > 17) {
      chainFrom = -1;
      continue;
    }
    const joins =
      chainFrom >= 0 && !(runs.flags[k - 1]! & ENDS_X) && isSplitGap(norm, runs.end[k - 1]!, runs.start[k]!);
    if (!joins) chainFrom = k;
    // Combinations of 2–4 groups ending at this run.
    let total = len;
    for (let i = k - 1; i >= Math.max(chainFrom, k - MAX_GROUPS + 1); i--) {
      total += runs.end[i]! - runs.start[i]!;
      if (total > 18) break;
      if (total !== 18) continue;
      let joined = '';
      for (let j = i; j <= k; j++) joined += norm.slice(runs.start[j]!, runs.end[j]!);
      if (!validFullId(joined, c.rules, c.todayYmd)) break;
      const s = runs.start[i]!;
      if (!rejected(norm, s, c.rules.rejectContextWords, c.rules, c.header))
        spans = withSpan(spans, rawSpan('id-card', s, runs.end[k]!, false, CONFIDENCE.split, 'split'));
      // A group belongs to one number only.
      chainFrom = -1;
      break;
    }
    if (flags & ENDS_X) chainFrom = -1;
  }
  return spans;
}

/** 3.50502199001011E+17: an ID kept as an Excel number still shows 15 digits, birth date included. */
function findExcel(norm: string, c: Ctx, found: RawSpan[] | undefined): RawSpan[] | undefined {
  let spans = found;
  for (const m of norm.matchAll(EXCEL_RUN)) {
    const start = m.index;
    const end = start + m[0].length;
    if (start > 0 && (isRunChar(norm.charCodeAt(start - 1)) || norm[start - 1] === '.')) continue;
    if (end < norm.length && (isRunChar(norm.charCodeAt(end)) || norm[end] === '.')) continue;
    if (!excelIdDigits(m[0], c.rules, c.today)) continue;
    if (rejected(norm, start, c.rules.rejectContextWords, c.rules, c.header)) continue;
    spans = withSpan(spans, rawSpan('id-card', start, end, true, CONFIDENCE.excel, 'excel-number'));
  }
  return spans;
}

// Longest identifier read as an ID plus letters before / digits after it.
const MAX_EMBEDDING = 23;

/** The identifier named by a label right before the number or by its column header. */
function namedIdentifier(norm: string, start: number, c: Ctx): EmbeddingIdentifier | undefined {
  // The first entry (rules order: specific before generic) whose word is in the label's clause.
  const first = (text: string) => c.rules.embeddingIdentifiers.find((e) => containsAny(text, e.words));
  const before = norm.slice(Math.max(0, start - LABEL_WINDOW), start);
  const label = first(before.slice(before.search(/[^，。；;,\t\n]*$/)));
  if (label || c.header === '') return label;
  return first(headerFor(norm, start, c.header));
}

/**
 * A run of 19–23 characters that is a longer identifier built around an ID: letters + ID (学籍号
 * G35050219900101123X) or ID + digits (残疾人证号 35050219900101123X11). The ID part must pass every
 * check; the identifier is named from its label or column, else from its shape.
 */
function classifyEmbedded(norm: string, start: number, end: number, c: Ctx): RawSpan | undefined {
  if (c.rules.embeddingIdentifiers.length === 0) return undefined;
  if (continuesAsOtherNumber(norm, start, end)) return undefined;
  let p = 0;
  while (p < 3 && isLetterCode(norm.charCodeAt(start + p))) p++;
  const suffix = end - start - p - 18;
  if (p > 2 || suffix < 0 || suffix > 3) return undefined;
  for (let i = start + p + 18; i < end; i++) if (!isDigitCode(norm.charCodeAt(i))) return undefined;
  // The ID part read in place: most such runs are bank cards, failing at the region or the date.
  if (!validFullIdAt(norm, start + p, c.rules, c.todayYmd, c.todayNum)) return undefined;
  // A 19-digit number with a valid Luhn digit is a bank card's shape: left to that detector.
  if (p === 0 && suffix === 1 && luhnValid(norm.slice(start, end))) return undefined;
  const fits = (e: EmbeddingIdentifier) => p <= e.prefixLetters && suffix <= e.suffixDigits;
  const named = namedIdentifier(norm, start, c);
  const identifier =
    (named && fits(named) ? named : undefined) ??
    c.rules.embeddingIdentifiers.find((e) => p === e.prefixLetters && suffix === e.suffixDigits) ??
    c.rules.embeddingIdentifiers.find(fits);
  if (!identifier) return undefined;
  if (rejected(norm, start, c.rules.rejectContextWords, c.rules, c.header)) return undefined;
  return rawSpan('id-card', start, end, false, CONFIDENCE.embedded, 'embedded', identifier.name, p);
}

const isLetterCode = (ch: number): boolean => (ch >= 65 && ch <= 90) || (ch >= 97 && ch <= 122);

/** findIdCards on text already passed through normalizeWidth (the detectors share one pass). */
export function findIdCardsNormalized(norm: string, opts: IdCardOptions = {}): RawSpan[] {
  const today = opts.today ?? currentDay();
  const todayYmd = ymd(today);
  const c: Ctx = {
    rules: opts.rules ?? idCardRules(),
    masking: opts.masking ?? maskingRules(),
    today,
    todayYmd,
    todayNum: todayYmd === ymdText ? ymdNum : Number.NaN,
    header: opts.header ?? normalizeWidth(opts.context ?? ''),
  };
  const runs = opts.runs ?? collectRuns(norm);
  // Made with its first span (an empty array grows, by a builtin call, on its first push).
  let spans: RawSpan[] | undefined;
  let lettersFlag = false;
  for (let k = 0; k < runs.count; k++) {
    const len = runs.end[k]! - runs.start[k]!;
    if (runs.flags[k]! & LETTERS) lettersFlag = true;
    let span: RawSpan | undefined;
    if (len === 18 || len === 15) span = classifyRun(norm, runs.start[k]!, runs.end[k]!, runs.flags[k]!, c);
    else if (len > 18 && len <= MAX_EMBEDDING && !(runs.flags[k]! & MASKED))
      span = classifyEmbedded(norm, runs.start[k]!, runs.end[k]!, c);
    if (span) spans = withSpan(spans, span);
  }
  spans = findSplit(norm, runs, c, spans);
  // A number in scientific form holds a letter (E) in a run: only then is the text searched for one.
  if (lettersFlag && /\d[Ee]\+?\d/.test(norm)) spans = findExcel(norm, c, spans);
  if (spans === undefined) return [];
  if (spans.length > 1) spans.sort(byStart);
  return spans.length > 0 && c.rules.rejectColumns.length > 0 ? dropRejectedColumns(norm, spans, c) : spans;
}

/**
 * Values in a 准考证号/考生号/学号 … column (rules `rejectColumns`) are exam or staff numbers even when
 * they pass every check, unless the header names an ID too. The column comes from the header given
 * as context, or from a header row in the text (tab- or space-separated) when none is given.
 */
function dropRejectedColumns(norm: string, spans: RawSpan[], c: Ctx): RawSpan[] {
  const { rejectColumns, contextWords } = c.rules;
  let columns: TextColumns | undefined;
  if (c.header === '') {
    if (!containsAny(norm, rejectColumns)) return spans;
    columns = new TextColumns(norm, rejectColumns, (cell) => containsAny(cell, rejectColumns));
  }
  // A loop, not filter with a closure, in place (`spans` is the caller's own): once per scanned row.
  let kept = 0;
  for (let i = 0; i < spans.length; i++) {
    const s = spans[i]!;
    const rejects = columns
      ? columnRejects(columns.headerAt(s.start, s.end), rejectColumns, contextWords)
      : columnRejectsAt(norm, s.start, c.header, rejectColumns, contextWords);
    if (!rejects) spans[kept++] = s;
  }
  if (kept < spans.length) spans.length = kept;
  return spans;
}

/**
 * Finds 居民身份证号 in text: 18-character numbers (full or insufficiently masked), 15-digit old
 * numbers, numbers split by spaces or one line break, and numbers kept as Excel numbers
 * (3.50502199001011E+17 or their 18-digit rendering with a wrong check digit). A candidate must be a
 * whole run of letters/digits, so longer codes (19-digit runs, 统一社会信用代码 with letters) never
 * match; a rejecting label (统一社会信用代码, 备案号 …) drops even a number that passes every check.
 */
export function findIdCards(text: string, opts: IdCardOptions = {}): RawSpan[] {
  return findIdCardsNormalized(normalizeWidth(text), opts);
}
