import { idCardRules, MASK, normalizeWidth, type IdCardRules, type RawSpan } from './rules.js';

export interface IdCardOptions {
  rules?: IdCardRules;
  /** Latest acceptable birth date; injectable so tests don't depend on the clock. */
  today?: Date;
}

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
const CHECK_CHARS = '10X98765432';

// Birth date occupies characters 7–14 (1-based), i.e. indexes 6..13.
const BIRTH_START = 6;
const BIRTH_END = 14;

/** ISO 7064 MOD 11-2 check character for the first 17 digits (GB 11643). */
export function idCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * (WEIGHTS[i] ?? 0);
  return CHECK_CHARS[sum % 11] ?? '';
}

function ymd(date: Date): string {
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `${date.getFullYear()}${pad(date.getMonth() + 1)}${pad(date.getDate())}`;
}

/** A calendar date between 1900-01-01 and today (19900230 is rejected by the round trip). */
export function isRealBirthDate(yyyymmdd: string, today: Date): boolean {
  if (!/^\d{8}$/.test(yyyymmdd)) return false;
  const y = Number(yyyymmdd.slice(0, 4));
  const m = Number(yyyymmdd.slice(4, 6));
  const d = Number(yyyymmdd.slice(6, 8));
  const date = new Date(Date.UTC(y, m - 1, d));
  const roundTrip = date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
  return roundTrip && yyyymmdd >= '19000101' && yyyymmdd <= ymd(today);
}

function validFullId(id: string, rules: IdCardRules, today: Date): boolean {
  if (!/^\d{17}[\dXx]$/.test(id)) return false;
  if (!rules.provinceCodes.has(id.slice(0, 2))) return false;
  if (!isRealBirthDate(id.slice(BIRTH_START, BIRTH_END), today)) return false;
  return idCheckChar(id) === id.slice(17).toUpperCase();
}

/** A visible fragment of the prefix must still fit a province code, or it is some other number. */
function plausiblePrefix(prefix: string, rules: IdCardRules): boolean {
  if (prefix.length >= 2) return rules.provinceCodes.has(prefix.slice(0, 2));
  return [...rules.provinceCodes].some((code) => code.startsWith(prefix));
}

/** Visible birth-date digits must be able to belong to a real date. */
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

/**
 * Classifies an 18-character token that contains mask characters. Returns true when it is an ID
 * masked too little (birth-date digits visible), false when sufficiently masked or not an ID.
 */
function insufficientlyMaskedId(token: string, rules: IdCardRules, today: Date): boolean {
  // One contiguous mask block between visible digits is the shape every masking tool produces.
  const shape = /^(\d*)\*+(?:\d*[\dXx])?$/.exec(token);
  if (!shape) return false;
  const birth = token.slice(BIRTH_START, BIRTH_END);
  if (/^\*+$/.test(birth)) return false;
  return plausiblePrefix(shape[1] ?? '', rules) && plausibleMaskedBirth(birth, today);
}

/**
 * Finds 18-character 居民身份证号 (full or insufficiently masked) in text. A candidate must be a whole
 * run of letters/digits, so longer codes (19-digit runs, 统一社会信用代码 with letters) never match.
 */
export function findIdCards(text: string, opts: IdCardOptions = {}): RawSpan[] {
  const rules = opts.rules ?? idCardRules();
  const today = opts.today ?? new Date();
  const norm = normalizeWidth(text);
  const spans: RawSpan[] = [];
  for (const m of norm.matchAll(/[0-9A-Za-z]+/g)) {
    if (m[0].length === 18 && validFullId(m[0], rules, today)) {
      spans.push({ start: m.index, end: m.index + 18, insufficient: false, baseConfidence: 0.9 });
    }
  }
  // Masked tokens: whole runs that include mask characters (a plain regex scan keeps this linear).
  for (const m of norm.matchAll(/[0-9A-Za-z*]+/g)) {
    if (m[0].length === 18 && m[0].includes(MASK) && insufficientlyMaskedId(m[0], rules, today)) {
      spans.push({ start: m.index, end: m.index + 18, insufficient: true, baseConfidence: 0.7 });
    }
  }
  return spans.sort((a, b) => a.start - b.start);
}
