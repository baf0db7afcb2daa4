/**
 * The address rules compiled once per rule set: the regexes and tables the address detector, its
 * masking (addressArea.ts) and its column facts (addressColumns.ts) read.
 */
import type { AddressRules } from './rules.js';
import type { ByColumn } from './wordLists.js';

// Chinese filler allowed between two house-level parts (滨江花园小区 between 东湖路66号 and 3幢).
const MAX_FILLER = 12;

export const isCjk = (c: number): boolean => c >= 0x4e00 && c <= 0x9fff;
export const CN_NUMERALS = '一二三四五六七八九十';
const CN_NUMERAL_CODES = new Uint8Array(0x10000);
for (const ch of CN_NUMERALS) CN_NUMERAL_CODES[ch.charCodeAt(0)] = 1;
/** CN_NUMERALS.includes(ch) by code, without a one-character string per test (a table, not a Set). */
export const isCnNumeral = (c: number): boolean => CN_NUMERAL_CODES[c] === 1;

export type LabelKind = 'personal' | 'office' | 'generic';

export interface Compiled {
  rules: AddressRules;
  /** A number followed by a house-level unit: the first part of an address's detail. */
  anchor: RegExp;
  /** Chinese numerals followed by a unit that takes them (三组). */
  cnAnchor: RegExp;
  /** House-level units, longest first. */
  houseUnits: readonly string[];
  /** Filler + number + any detail unit, sticky: continues the detail. */
  next: RegExp;
  /** Labels by their last character, longest first (a reverse scan finds the last label fast). */
  labelsByLast: Map<number, { word: string; kind: LabelKind }[]>;
  /** 1 at the code of every label's last character (most characters end none: no map lookup). */
  labelEnds: Uint8Array;
  /** House-level units by the code of their first character, longest first (none when one is empty). */
  unitsByFirst: (readonly string[] | undefined)[] | undefined;
  /** Organisation words of two characters or more (for the address text itself). */
  organisationWholeWords: readonly string[];
  office: RegExp;
  personalHeader: RegExp;
  person: RegExp;
  columnKinds: Map<string, 'office' | 'personal' | 'none'>;
  /** Words naming an address column (住址, 地址 … of the label lists): how a header row is found. */
  columnNameWords: readonly string[];
  columnNames: RegExp;
  addressColumn: RegExp;
  addressCells: Map<string, boolean>;
  /** columnFacts' answers by header cell number. */
  factsByColumn: ByColumn;
}

const compiledCache = new WeakMap<AddressRules, Compiled>();

const alternation = (words: readonly string[]): string =>
  [...words]
    .sort((a, b) => b.length - a.length)
    .map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('|');

/** A regex matching any of `words`; one that never matches for an empty list. */
const anyOf = (words: readonly string[]): RegExp => new RegExp(words.length ? alternation(words) : '(?!)');

// The last rules compiled (a WeakMap lookup on every call cost more than its use).
let compiledOf: AddressRules | undefined;
let compiledLast: Compiled | undefined;

export function compile(rules: AddressRules): Compiled {
  if (rules === compiledOf) return compiledLast!;
  const hit = compiledCache.get(rules);
  if (hit) {
    compiledOf = rules;
    return (compiledLast = hit);
  }
  const arabic = '[0-9*]+(?:-[0-9*]+)*';
  const cn = `[${CN_NUMERALS}]+`;
  // The lookbehinds keep the anchor from retrying inside a long number (linear, not quadratic).
  const arabicStart = `(?<![0-9*-])${arabic}`;
  const cnStart = `(?<![${CN_NUMERALS}])${cn}`;
  const house = alternation(rules.houseUnits);
  const detail = alternation(rules.detailUnits);
  const cnUnits = alternation(rules.chineseNumeralUnits);
  const cnPart = rules.chineseNumeralUnits.length ? `|${cn}(?:${cnUnits})` : '';
  const cnAnchor = rules.chineseNumeralUnits.length ? `|${cnStart}(?:${cnUnits})` : '';
  const labels: { word: string; kind: LabelKind }[] = [
    ...rules.personalLabels.map((word) => ({ word, kind: 'personal' as const })),
    ...rules.officeLabels.map((word) => ({ word, kind: 'office' as const })),
    ...rules.genericLabels.map((word) => ({ word, kind: 'generic' as const })),
  ];
  // By the code of the last character: a reverse scan looks labels up without a string per character.
  const labelsByLast = new Map<number, { word: string; kind: LabelKind }[]>();
  for (const l of labels.sort((a, b) => b.word.length - a.word.length)) {
    const last = l.word.charCodeAt(l.word.length - 1);
    labelsByLast.set(last, [...(labelsByLast.get(last) ?? []), l]);
  }
  const labelEnds = new Uint8Array(0x10000);
  for (const last of labelsByLast.keys()) labelEnds[last] = 1;
  const houseUnits = [...rules.houseUnits].sort((a, b) => b.length - a.length);
  let unitsByFirst: Map<number, string[]> | undefined = new Map();
  for (const u of houseUnits) {
    const first = u.charCodeAt(0);
    if (u === '') unitsByFirst = undefined;
    else unitsByFirst?.set(first, [...(unitsByFirst.get(first) ?? []), u]);
  }
  const columnNameWords = [
    ...new Set([
      ...rules.personalHeaders,
      ...rules.personalLabels,
      ...rules.genericLabels,
      ...rules.officeLabels,
    ]),
  ].filter((w) => w.length > 1);
  const compiled: Compiled = {
    rules,
    anchor: new RegExp(`${arabicStart}(?:${house})${cnAnchor}`, 'g'),
    cnAnchor: new RegExp(`${cn}(?:${cnUnits || '(?!)'})`, 'g'),
    houseUnits,
    next: new RegExp(`[\\u4e00-\\u9fff]{0,${MAX_FILLER}}?(?:${arabic}(?:${detail})${cnPart})`, 'y'),
    labelsByLast,
    labelEnds,
    // By the code itself, in an array (one load per number instead of a Map lookup).
    unitsByFirst: unitsByFirst
      ? Array.from({ length: 0x10000 }, (_, code) => unitsByFirst?.get(code))
      : undefined,
    organisationWholeWords: rules.organisationWords.filter((w) => w.length > 1),
    office: anyOf(rules.officeLabels),
    personalHeader: anyOf(rules.personalHeaders),
    person: anyOf(rules.personWords),
    columnKinds: new Map(),
    columnNameWords,
    columnNames: anyOf(columnNameWords),
    addressColumn: anyOf(rules.addressColumns),
    addressCells: new Map(),
    factsByColumn: { columns: new Int8Array(0), of: undefined },
  };
  compiledCache.set(rules, compiled);
  compiledOf = rules;
  return (compiledLast = compiled);
}
