import { MASK, mobileRules, normalizeWidth, type MobileRules, type RawSpan } from './rules.js';

export interface MobileOptions {
  rules?: MobileRules;
}

/**
 * Optional country code, then 3-4-4 digits with one consistent separator (none, space or hyphen).
 * Mask characters may stand in for digits; the lookarounds keep the number off longer runs.
 */
const MOBILE_RE =
  /(?<![0-9A-Za-z*])(\+86[ -]?|86-)?(1[\d*]{2})([ -]?)([\d*]{4})\3([\d*]{4})(?![0-9A-Za-z*])/g;

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
  const rules = opts.rules ?? mobileRules();
  const norm = normalizeWidth(text);
  const spans: RawSpan[] = [];
  for (const m of norm.matchAll(MOBILE_RE)) {
    const [whole, country, head = '', sep = '', mid = '', tail = ''] = m;
    const start = m.index;
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
