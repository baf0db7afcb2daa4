import { MASK, mobileRules, normalizeWidth, type MobileRules, type RawSpan } from './rules.js';

export interface MobileOptions {
  rules?: MobileRules;
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
  if (/^[-./]\d/.test(norm.slice(end, end + 2))) return true;
  return !hasCountryCode && /\d[-./]$/.test(norm.slice(Math.max(0, start - 2), start));
}

/** 备案号 / 公网安备 / ICP … shortly before the number mark it as a registration number. */
function inRegistrationContext(norm: string, start: number, rules: MobileRules): boolean {
  const before = norm.slice(Math.max(0, start - 12), start);
  return rules.rejectContextWords.some((word) => before.includes(word));
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

/** findMobiles on text already passed through normalizeWidth (the detectors share one pass). */
export function findMobilesNormalized(norm: string, opts: MobileOptions = {}): RawSpan[] {
  const rules = opts.rules ?? mobileRules();
  const spans: RawSpan[] = [];
  const re = MOBILE_RE;
  re.lastIndex = 0;
  for (let m = re.exec(norm); m; m = re.exec(norm)) {
    const [whole, country, head = '', sep = '', mid = '', tail = ''] = m;
    const start = m.index;
    if (start > 0 && isRunChar(norm.charCodeAt(start - 1))) {
      // Inside a longer run: try again from the next character, as a lookbehind would.
      re.lastIndex = start + 1;
      continue;
    }
    const end = start + whole.length;
    const digits = head + mid + tail;
    if (continuesAsOtherNumber(norm, start, end, country !== undefined)) continue;
    if (inRegistrationContext(norm, start, rules)) continue;
    if (digits.includes(MASK)) {
      if (isInsufficientMask(digits, rules))
        spans.push({ start, end, insufficient: true, baseConfidence: 0.5 });
    } else if (rules.prefixes.has(head)) {
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
