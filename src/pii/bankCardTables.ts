/**
 * Tables the card detector derives from its rules once per rule set: issuer prefixes and bank BINs
 * by six-digit number, and the account columns' words and lengths.
 */
import { containsAny } from './context.js';
import type { AccountColumn, BankCardRules } from './rules.js';

const issuerTables = new WeakMap<BankCardRules, Uint8Array>();

// The last rules asked about and their table (a WeakMap lookup on every call cost more than its use).
let issuerTableOf: BankCardRules | undefined;
let issuerTableLast: Uint8Array | undefined;

/**
 * Per six-digit prefix: 1 when it lies in a network's range or is a listed BIN (1 MB per rule set,
 * built once: a candidate then costs one lookup instead of a pass over every network).
 */
export function issuerTable(rules: BankCardRules): Uint8Array {
  if (rules === issuerTableOf) return issuerTableLast!;
  let t = issuerTables.get(rules);
  if (!t) {
    t = new Uint8Array(1_000_000);
    for (const n of rules.networks) {
      if (n.digits < 1 || n.digits > 6) continue;
      const scale = 10 ** (6 - n.digits);
      t.fill(1, Math.max(0, n.from * scale), Math.min(1_000_000, (n.to + 1) * scale));
    }
    for (const bin of rules.bins.keys()) if (/^\d{6}$/.test(bin)) t[Number(bin)] = 1;
    issuerTables.set(rules, t);
  }
  issuerTableOf = rules;
  return (issuerTableLast = t);
}

const binTables = new WeakMap<BankCardRules, Uint8Array>();

// The last rules asked about and their table (a WeakMap lookup on every call cost more than its use).
let binTableOf: BankCardRules | undefined;
let binTableLast: Uint8Array | undefined;

/** rules.bins by number: 1 for each listed six-digit BIN (rules.bins.has of a six-digit string). */
export function binTable(rules: BankCardRules): Uint8Array {
  if (rules === binTableOf) return binTableLast!;
  let t = binTables.get(rules);
  if (!t) {
    t = new Uint8Array(1_000_000);
    for (const bin of rules.bins.keys()) if (/^\d{6}$/.test(bin)) t[Number(bin)] = 1;
    binTables.set(rules, t);
  }
  binTableOf = rules;
  return (binTableLast = t);
}

/** The six digits at `at` as a number (the caller knows they are digits). */
export function sixDigits(norm: string, at: number): number {
  let v = 0;
  for (let i = at; i < at + 6; i++) v = v * 10 + norm.charCodeAt(i) - 48;
  return v;
}
export interface ColumnWords {
  /** Words of every account column, longest first (the longest match decides the kind). */
  list: readonly { word: string; column: AccountColumn }[];
  /** The same words alone (one stable array: its regex is compiled once). */
  words: readonly string[];
  /** Header cell → the column it names (a roster asks about the same few cells on every row). */
  cells: Map<string, AccountColumn | null>;
  isHeaderCell: (cell: string) => boolean;
}

const columnWordCache = new WeakMap<BankCardRules, ColumnWords>();

// The last rules asked about and their table (a WeakMap lookup on every call cost more than its use).
let columnWordsOf: BankCardRules | undefined;
let columnWordsLast: ColumnWords | undefined;

export function columnWords(rules: BankCardRules): ColumnWords {
  if (rules === columnWordsOf) return columnWordsLast!;
  let c = columnWordCache.get(rules);
  if (!c) {
    const list = rules.accountColumns
      .flatMap((column) => column.words.map((word) => ({ word, column })))
      .sort((a, b) => b.word.length - a.word.length);
    const made: ColumnWords = {
      list,
      words: list.map((w) => w.word),
      cells: new Map(),
      isHeaderCell: (cell) => accountColumnOf(cell, made) !== undefined,
    };
    columnWordCache.set(rules, (c = made));
  }
  columnWordsOf = rules;
  return (columnWordsLast = c);
}

/** The account column a text (a label or a header cell) names, by its longest account word. */
export function accountColumnOf(text: string, cw: ColumnWords): AccountColumn | undefined {
  // One regex pass rules out most texts before the word-by-word search for the longest word.
  if (!containsAny(text, cw.words)) return undefined;
  for (const w of cw.list) if (text.includes(w.word)) return w.column;
  return undefined;
}

/** accountColumnOf for a header cell, remembered (header cells repeat on every row). */
export function cellColumn(cell: string, cw: ColumnWords): AccountColumn | undefined {
  if (cell === '') return undefined;
  let hit = cw.cells.get(cell);
  if (hit === undefined) {
    hit = accountColumnOf(cell, cw) ?? null;
    if (cw.cells.size < 4096) cw.cells.set(cell, hit);
  }
  return hit ?? undefined;
}

const lengthCache = new WeakMap<BankCardRules, { min: number; max: number }>();

// The last rules asked about and their table (a WeakMap lookup on every call cost more than its use).
let columnLengthsOf: BankCardRules | undefined;
let columnLengthsLast: { min: number; max: number } | undefined;

/** Shortest and longest number any account column takes. */
export function columnLengths(rules: BankCardRules): { min: number; max: number } {
  if (rules === columnLengthsOf) return columnLengthsLast!;
  let l = lengthCache.get(rules);
  if (!l) {
    l = { min: Infinity, max: 0 };
    for (const c of rules.accountColumns) {
      l.min = Math.min(l.min, c.minLength);
      l.max = Math.max(l.max, c.maxLength);
    }
    lengthCache.set(rules, l);
  }
  columnLengthsOf = rules;
  return (columnLengthsLast = l);
}
