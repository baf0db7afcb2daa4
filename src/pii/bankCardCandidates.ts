/**
 * The card detector's candidates: whole runs of 16–19 digits (or digits and masks) and numbers
 * grouped in fours, the plain ones checked in place against the issuer table and Luhn's digit.
 */
import { issuerTable } from './bankCardTables.js';
import { ENDS_X, LETTERS, MASKED, type Runs } from './runs.js';
import type { BankCardRules, CardPrefix } from './rules.js';

/** Luhn (ISO/IEC 7812) check over a digit string. */
export function luhnValid(digits: string): boolean {
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return false;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return sum % 10 === 0;
}

/** The issuer network whose prefix range the visible leading digits fall in. */
export function cardNetwork(digits: string, rules: BankCardRules): CardPrefix | undefined {
  return rules.networks.find((n) => {
    if (digits.length < n.digits) return false;
    let v = 0;
    for (let i = 0; i < n.digits; i++) {
      const d = digits.charCodeAt(i) - 48;
      if (d < 0 || d > 9) return false;
      v = v * 10 + d;
    }
    return v >= n.from && v <= n.to;
  });
}

/** A known network prefix, or a bank BIN listed outside the networks (601382 中国银行). */
export function knownIssuer(digits: string, rules: BankCardRules): boolean {
  return cardNetwork(digits, rules) !== undefined || rules.bins.has(digits.slice(0, 6));
}

/** luhnValid(norm.slice(start, end)) without the slice. */
function luhnAt(norm: string, start: number, end: number): boolean {
  // Two digits a step from the right, the second doubled by table; `bad` turns negative if any
  // unit is not a digit (d or 9 - d is then negative), tested once at the end.
  let sum = 0;
  let bad = 0;
  let i = end - 1;
  for (; i > start; i -= 2) {
    const a = norm.charCodeAt(i) - 48;
    const b = norm.charCodeAt(i - 1) - 48;
    bad |= a | (9 - a) | b | (9 - b);
    sum += a + DOUBLED[b & 15]!;
  }
  if (i === start) {
    const a = norm.charCodeAt(i) - 48;
    bad |= a | (9 - a);
    sum += a;
  }
  return bad >= 0 && sum % 10 === 0;
}

/** A digit doubled as Luhn's algorithm wants it (digit sum of 2d); 16 entries so any 4 bits index it. */
const DOUBLED = Int8Array.from([0, 2, 4, 6, 8, 1, 3, 5, 7, 9, 0, 0, 0, 0, 0, 0]);

/**
 * knownIssuer(digits) && luhnValid(digits) for the unmasked run norm[start, end): -1 when not, else
 * its first six digits as a number (the BIN lookup needs them next), or -2 when they were not read.
 */
function plainCardAt(norm: string, start: number, end: number, rules: BankCardRules): number {
  // The first six digits decide: every network prefix and bank BIN is at most six digits long.
  let v = 0;
  if (end - start >= 6)
    for (let i = 0; i < 6; i++) {
      const d = norm.charCodeAt(start + i) - 48;
      if (d < 0 || d > 9) return plainCardAtSlow(norm, start, end, rules) ? -2 : -1;
      v = v * 10 + d;
    }
  else return plainCardAtSlow(norm, start, end, rules) ? -2 : -1;
  return issuerTable(rules)[v] === 1 && luhnAt(norm, start, end) ? v : -1;
}

/** plainCardAt for a run that does not start with six digits (never a card of the rule lengths). */
function plainCardAtSlow(norm: string, start: number, end: number, rules: BankCardRules): boolean {
  let network = false;
  for (const n of rules.networks) {
    if (end - start < n.digits) continue;
    let v = 0;
    let ok = true;
    for (let i = 0; i < n.digits; i++) {
      const d = norm.charCodeAt(start + i) - 48;
      if (d < 0 || d > 9) {
        ok = false;
        break;
      }
      v = v * 10 + d;
    }
    if (ok && v >= n.from && v <= n.to) {
      network = true;
      break;
    }
  }
  if (!network && !rules.bins.has(norm.slice(start, start + 6))) return false;
  return luhnAt(norm, start, end);
}

/**
 * The candidates of the scan in progress, as parallel arrays reused by every scan (scans do not
 * nest; an array and an object per row cost more than a roster row's card checks). Candidate `i`
 * spans start[i]..end[i]; six[i] is -1 unless it is already known to fit an issuer and pass Luhn
 * (a plain run of digits checked in place), else its first six digits as a number (-2: not read);
 * digits[i] is the number without separators, '' for those known valid.
 */
export interface Candidates {
  count: number;
  start: Int32Array;
  end: Int32Array;
  six: Int32Array;
  digits: string[];
}

const scratch: Candidates = {
  count: 0,
  start: new Int32Array(16),
  end: new Int32Array(16),
  six: new Int32Array(16),
  digits: [],
};

function addCandidate(out: Candidates, start: number, end: number, six: number, digits: string): void {
  const i = out.count;
  if (i === out.start.length) {
    out.start = grownArray(out.start);
    out.end = grownArray(out.end);
    out.six = grownArray(out.six);
  }
  out.start[i] = start;
  out.end[i] = end;
  out.six[i] = six;
  out.digits[i] = digits;
  out.count = i + 1;
}

export function grownArray(xs: Int32Array): Int32Array {
  const out = new Int32Array(xs.length * 2);
  out.set(xs);
  return out;
}

/** One hyphen or one space between groups; all gaps of a number use the same one. */
function groupGap(norm: string, from: number, to: number): number {
  if (to - from !== 1) return -1;
  const c = norm.charCodeAt(from);
  return c === 32 || c === 45 ? c : -1;
}

/**
 * Whole runs of 16–19 digits (or digits and masks), and numbers grouped in fours by one space or
 * hyphen (6222 0212 3456 7890 123, the last group 1–4 long). A group chain must be maximal: a
 * longer chain of groups is some other list of numbers, not a card.
 */
export function candidates(norm: string, runs: Runs, rules: BankCardRules): Candidates {
  const out = scratch;
  out.count = 0;
  const min = rules.minLength;
  const max = rules.maxLength;
  let chainFrom = -1;
  let gapChar = -1;
  for (let k = 0; k < runs.count; k++) {
    const start = runs.start[k]!;
    const end = runs.end[k]!;
    const len = end - start;
    const plain = !(runs.flags[k]! & (LETTERS | ENDS_X));
    // Unmasked runs are checked in place: most are IDs or other numbers failing issuer or Luhn.
    if (plain && len >= min && len <= max) {
      if (runs.flags[k]! & MASKED) addCandidate(out, start, end, -1, norm.slice(start, end));
      // Digits only, read in place when needed (no string per card).
      else {
        const six = plainCardAt(norm, start, end, rules);
        if (six !== -1) addCandidate(out, start, end, six, '');
      }
    }
    // No chain open (most runs): only a group of 4 starts one.
    if (chainFrom < 0) {
      if (plain && len === 4) chainFrom = k;
      continue;
    }
    // Grouped: extend the chain while the previous group is 4 long and gaps are one same character.
    const gap = groupGap(norm, runs.end[k - 1]!, start);
    const prevFull = runs.end[k - 1]! - runs.start[k - 1]! === 4;
    if (plain && len <= 4 && gap >= 0 && (gapChar < 0 || gap === gapChar) && prevFull) {
      gapChar = gap;
      // A group shorter than 4 ends the number; so does a sixth group (too long for any card).
      if (len < 4) {
        closeChain(norm, runs, chainFrom, k, min, max, out);
        chainFrom = -1;
        gapChar = -1;
      } else if (k - chainFrom >= 5) {
        chainFrom = -1;
        gapChar = -1;
      }
      continue;
    }
    closeChain(norm, runs, chainFrom, k - 1, min, max, out);
    chainFrom = plain && len === 4 ? k : -1;
    gapChar = -1;
  }
  closeChain(norm, runs, chainFrom, runs.count - 1, min, max, out);
  return out;
}

/** A chain of groups from run `from` to run `last` (at least 4 groups) is a candidate when its digits fit. */
function closeChain(
  norm: string,
  runs: Runs,
  from: number,
  last: number,
  min: number,
  max: number,
  out: Candidates,
): void {
  if (from < 0 || last - from < 3) return;
  const start = runs.start[from]!;
  const end = runs.end[last]!;
  const digits = norm.slice(start, end).replace(/[ -]/g, '');
  if (digits.length >= min && digits.length <= max) addCandidate(out, start, end, -1, digits);
}
