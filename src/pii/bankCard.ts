import { TextColumns } from './columns.js';
import {
  clauseStart,
  containsAny,
  containsAnyCell,
  containsAnyHeader,
  containsAnyIn,
  containsAnyInSentence,
  continuesAsOtherNumber,
  headerFor,
  rejectedByHeader,
  rejectedByLabelIn,
} from './context.js';
import {
  accountColumnOf,
  binTable,
  cellColumn,
  columnLengths,
  columnWords,
  issuerTable,
  sixDigits,
  type ColumnWords,
} from './bankCardTables.js';
import { byStart, collectRuns, ENDS_X, LETTERS, MASKED, type Runs } from './runs.js';
import {
  bankCardRules,
  hidesRange,
  MASK,
  maskingRules,
  normalizeWidth,
  rawSpan,
  type AccountColumn,
  type BankCardRules,
  type CardPrefix,
  type MaskingRules,
  type RawSpan,
} from './rules.js';
import { withSpan } from './span.js';

export interface BankCardOptions {
  rules?: BankCardRules;
  masking?: MaskingRules;
  /** Table header labelling the text (its account/organisation words count for the column). */
  context?: string;
  /** Runs of the normalised text when the caller already collected them (scan.ts shares them). */
  runs?: Runs;
  /** Spans another detector already claimed (IDs in the roster), sorted by start: not read as accounts. */
  claimed?: readonly RawSpan[];
  /** The table header already passed through normalizeWidth: used instead of `context`. */
  header?: string;
}

// A rejecting label (订单号, 流水号 …) this close before the number makes it a record number.
const REJECT_WINDOW = 12;
// 开户行/账号 labels this close before the number make it an account line…
const ACCOUNT_WINDOW = 20;
// …and an organisation named this far back (same sentence) makes it an organisation's account.
const ORGANISATION_WINDOW = 60;

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
function knownIssuer(digits: string, rules: BankCardRules): boolean {
  return cardNetwork(digits, rules) !== undefined || rules.bins.has(digits.slice(0, 6));
}

/**
 * Masked candidates (6222021234******0123): insufficient when a digit between the first 6 and the last
 * 4 shows. The visible start must still fit a known issuer, or it is some other masked code.
 */
function insufficientlyMaskedCard(digits: string, rules: BankCardRules, masking: MaskingRules): boolean {
  if (!/^\d{4}[\d*]+$/.test(digits)) return false;
  if (hidesRange(digits, masking.bankCard.mustHide)) return false;
  const visible = /^\d+/.exec(digits)?.[0] ?? '';
  return visible.length >= 6 ? knownIssuer(visible, rules) : cardNetwork(visible, rules) !== undefined;
}

/** An account line (开户行/账号) of an organisation (单位/公司/财政局 …): public, never reported. */
function organisationAccount(norm: string, start: number, rules: BankCardRules, header: string): boolean {
  // The remembered header answers first (pure tests either way: the order only saves window scans).
  // Windows stay inside the sentence: an earlier sentence naming an office says nothing about this
  // number (containsAnyInSentence cuts them after the last 。；！).
  const accountLine =
    (header !== '' && containsAnyHeader(norm, start, header, rules.accountWords)) ||
    containsAnyInSentence(norm, start, ACCOUNT_WINDOW, rules.accountWords);
  if (!accountLine) return false;
  return (
    containsAnyCell(header, rules.organisationWords) ||
    containsAnyInSentence(norm, start, ORGANISATION_WINDOW, rules.organisationWords)
  );
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
interface Candidates {
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

function grownArray(xs: Int32Array): Int32Array {
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
function candidates(norm: string, runs: Runs, rules: BankCardRules): Candidates {
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

interface AccountScan {
  rules: BankCardRules;
  cw: ColumnWords;
  masking: MaskingRules;
  header: string;
  columns?: TextColumns;
}

/** The account column labelling the number at `start`: its label, its header cell, or a header in the text. */
function accountColumnAt(
  norm: string,
  start: number,
  end: number,
  a: AccountScan,
): AccountColumn | undefined {
  // The clause right before the number (开户账号：), cut at the previous cell or sentence.
  const from = clauseStart(norm, start, ACCOUNT_WINDOW);
  const label = containsAnyIn(norm, from, start, a.cw.words)
    ? accountColumnOf(norm.slice(from, start), a.cw)
    : undefined;
  if (label) return label;
  if (a.header !== '') return cellColumn(headerFor(norm, start, a.header), a.cw);
  a.columns ??= new TextColumns(norm, a.cw.words, a.cw.isHeaderCell);
  return cellColumn(a.columns.headerAt(start, end), a.cw);
}

/**
 * A number in a personal-account column (开户账号, 一卡通账号, 社保卡号 …) whose BIN is not listed:
 * its length must fit the column, card columns still need a valid Luhn digit; masked ones count
 * when the digits that must be hidden show.
 */
function columnAccount(norm: string, start: number, end: number, a: AccountScan): RawSpan | undefined {
  const column = accountColumnAt(norm, start, end, a);
  if (!column) return undefined;
  const digits = norm.slice(start, end);
  if (digits.length < column.minLength || digits.length > column.maxLength) return undefined;
  if (digits.includes(MASK)) {
    if (!/^\d{4}[\d*]+$/.test(digits) || hidesRange(digits, a.masking.bankCard.mustHide)) return undefined;
    return rawSpan('bank-card', start, end, true, 0.5);
  }
  if (column.luhn && !luhnValid(digits)) return undefined;
  return rawSpan('bank-card', start, end, false, 0.6);
}

/**
 * Plain runs of digits (or digits and masks) no longer than the longest account column allows, that
 * neither start a card already found nor a span another detector claimed (both sorted by start).
 */
function columnCandidates(
  runs: Runs,
  rules: BankCardRules,
  found: Int32Array,
  foundCount: number,
  claimed: readonly RawSpan[],
): readonly number[] {
  const { min, max } = columnLengths(rules);
  let out: number[] | undefined;
  let f = 0;
  let i = 0;
  for (let k = 0; k < runs.count; k++) {
    const start = runs.start[k]!;
    const len = runs.end[k]! - start;
    if (len < min || len > max || runs.flags[k]! & (LETTERS | ENDS_X)) continue;
    while (f < foundCount && found[f]! < start) f++;
    while (i < claimed.length && claimed[i]!.start < start) i++;
    if ((f < foundCount && found[f] === start) || (i < claimed.length && claimed[i]!.start === start))
      continue;
    (out ??= []).push(k);
  }
  return out ?? NO_RUNS;
}

/** Reports a candidate unless a label, its column or an organisation's account line rejects it. */
function keep(
  norm: string,
  span: RawSpan,
  rules: BankCardRules,
  header: string,
  spans: RawSpan[] | undefined,
): RawSpan[] | undefined {
  if (continuesAsOtherNumber(norm, span.start, span.end)) return spans;
  if (
    rejectedByLabelIn(
      norm,
      span.start - REJECT_WINDOW,
      span.start,
      rules.rejectContextWords,
      rules.contextWords,
    )
  )
    return spans;
  if (header !== '' && rejectedByHeader(norm, span.start, header, rules.rejectContextWords, NO_WORDS))
    return spans;
  return organisationAccount(norm, span.start, rules, header) ? spans : withSpan(spans, span);
}

const NO_SPANS: readonly RawSpan[] = [];
const NO_RUNS: readonly number[] = [];
// Starts of the cards a scan found (sorted for columnCandidates), reused by every scan.
let foundStarts: Int32Array = new Int32Array(16);
const NO_WORDS: readonly string[] = [];

/** findBankCards on text already passed through normalizeWidth (the detectors share one pass). */
export function findBankCardsNormalized(norm: string, opts: BankCardOptions = {}): RawSpan[] {
  const rules = opts.rules ?? bankCardRules();
  const masking = opts.masking ?? maskingRules();
  const header = opts.header ?? normalizeWidth(opts.context ?? '');
  // Made with its first span (an empty array grows, by a builtin call, on its first push).
  let spans: RawSpan[] | undefined;
  const runs = opts.runs ?? collectRuns(norm);
  // Starts of the cards found, in `foundStarts` (reused like the candidates' arrays).
  let found = 0;
  const c = candidates(norm, runs, rules);
  for (let i = 0; i < c.count; i++) {
    const start = c.start[i]!;
    const end = c.end[i]!;
    const six = c.six[i]!;
    // The cheap checks first: most candidates are IDs or other numbers failing issuer or Luhn.
    let span: RawSpan | undefined;
    if (six !== -1) {
      // Six digits at least (plainCardAt checked them): the BIN by number.
      const bankBin = binTable(rules)[six >= 0 ? six : sixDigits(norm, start)] === 1;
      span = rawSpan('bank-card', start, end, false, bankBin ? 0.75 : 0.6);
    } else {
      const digits = c.digits[i]!;
      if (digits.includes(MASK)) {
        if (insufficientlyMaskedCard(digits, rules, masking))
          span = rawSpan('bank-card', start, end, true, 0.5);
      } else if (knownIssuer(digits, rules) && luhnValid(digits)) {
        const bankBin = rules.bins.has(digits.slice(0, 6));
        span = rawSpan('bank-card', start, end, false, bankBin ? 0.75 : 0.6);
      }
    }
    if (!span) continue;
    if (found === foundStarts.length) foundStarts = grownArray(foundStarts);
    foundStarts[found++] = start;
    spans = keep(norm, span, rules, header, spans);
  }
  if (rules.accountColumns.length > 0) {
    if (found > 1) foundStarts.subarray(0, found).sort();
    const ks = columnCandidates(runs, rules, foundStarts, found, opts.claimed ?? NO_SPANS);
    if (ks.length > 0) {
      const cw = columnWords(rules);
      // The header first: remembered, and in a roster it names the account column on every row.
      if (containsAnyCell(header, cw.words) || containsAny(norm, cw.words)) {
        const a: AccountScan = { rules, cw, masking, header };
        for (const k of ks) {
          const span = columnAccount(norm, runs.start[k]!, runs.end[k]!, a);
          if (span) spans = keep(norm, span, rules, header, spans);
        }
      }
    }
  }
  // (A builtin call less for the one card of a roster row.)
  if (spans === undefined) return [];
  return spans.length > 1 ? spans.sort(byStart) : spans;
}

/**
 * Finds 银行卡号: 16–19 digits (contiguous or grouped in fours) with a valid Luhn check digit and a
 * known issuer prefix (rules/pii/bank-card.yaml), full or insufficiently masked. Record numbers
 * (订单号, 流水号 …) and organisations' accounts beside 开户行/账号 are not reported.
 */
export function findBankCards(text: string, opts: BankCardOptions = {}): RawSpan[] {
  return findBankCardsNormalized(normalizeWidth(text), opts);
}
