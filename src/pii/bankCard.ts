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
  sixDigits,
  type ColumnWords,
} from './bankCardTables.js';
import { candidates, cardNetwork, grownArray, knownIssuer, luhnValid } from './bankCardCandidates.js';
import { byStart, collectRuns, ENDS_X, LETTERS, type Runs } from './runs.js';
import {
  bankCardRules,
  hidesRange,
  MASK,
  maskingRules,
  normalizeWidth,
  rawSpan,
  type AccountColumn,
  type BankCardRules,
  type MaskingRules,
  type RawSpan,
} from './rules.js';
import { withSpan } from './span.js';

export { cardNetwork, luhnValid } from './bankCardCandidates.js';

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
