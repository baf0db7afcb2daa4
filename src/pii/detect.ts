import { createHmac, randomBytes } from 'node:crypto';
import { cellAnswer, containsAny, containsAnyIn, headerColumnFor, headerFor } from './context.js';
import { maskFound, namedMask } from './mask.js';
import {
  addressRules,
  bankCardRules,
  idCardRules,
  mobileRules,
  normalizeWidth,
  type IdCardForm,
} from './rules.js';
import { scanText, type TypedSpan } from './scan.js';
import type { Masked, PiiMatch, PiiType } from './types.js';
import type { ByColumn } from './wordLists.js';

export interface DetectOptions {
  /** Text that labels the scanned text, e.g. a table's header row; its context words count too. */
  context?: string;
  /** Latest acceptable birth date (tests inject it; default today). */
  today?: Date;
}

// How far before a match a label such as 联系电话： is still read as belonging to it.
const CONTEXT_WINDOW = 20;
// A record-number label must sit right before the number to lower confidence.
const NEGATIVE_WINDOW = 12;
const CONTEXT_BOOST = 0.3;
const NEGATIVE_PENALTY = 0.3;

interface ContextWords {
  positive: readonly string[];
  negative: readonly string[];
  /** Header cell → whether it holds a positive word (cells repeat on every row). */
  cells: Map<string, boolean>;
  /** The same answers by header cell number. */
  byColumn: ByColumn;
}

// Per type, loaded on first use (module fields and a switch: no lookup keyed by the type's name).
let idWords: ContextWords | undefined;
let mobileWords: ContextWords | undefined;
let cardWords: ContextWords | undefined;
let addressWords: ContextWords | undefined;

function wordsFor(type: PiiType): ContextWords {
  switch (type) {
    case 'id-card':
      return (idWords ??= loadWords(type));
    case 'mobile':
      return (mobileWords ??= loadWords(type));
    case 'bank-card':
      return (cardWords ??= loadWords(type));
    case 'address':
      return (addressWords ??= loadWords(type));
  }
}

function loadWords(type: PiiType): ContextWords {
  switch (type) {
    case 'id-card': {
      const r = idCardRules();
      return contextWords(r.contextWords, r.negativeContextWords);
    }
    case 'mobile': {
      const r = mobileRules();
      return contextWords(r.contextWords, r.negativeContextWords);
    }
    case 'bank-card': {
      const r = bankCardRules();
      return contextWords(r.contextWords, r.negativeContextWords);
    }
    case 'address': {
      const r = addressRules();
      return contextWords([...r.personalLabels, ...r.personWords], []);
    }
  }
}

function contextWords(positive: readonly string[], negative: readonly string[]): ContextWords {
  return { positive, negative, cells: new Map(), byColumn: { columns: new Int8Array(0), of: undefined } };
}

/** columnIsPositive(headerFor(text, index, header), words), remembered by the cell's number when it has one. */
function headerIsPositive(text: string, index: number, header: string, words: ContextWords): boolean {
  const k = headerColumnFor(text, index, header);
  if (k < 0) return columnIsPositive(headerFor(text, index, header), words);
  return cellAnswer(words.byColumn, k, columnIsPositive, words, undefined);
}

function columnIsPositive(column: string, words: ContextWords): boolean {
  if (column === '') return false;
  let hit = words.cells.get(column);
  if (hit === undefined) {
    hit = containsAny(column, words.positive);
    if (words.cells.size < 4096) words.cells.set(column, hit);
  }
  return hit;
}

/**
 * Context words near the value, or in the header cell of its column (the whole header when the text
 * is not tab-separated), raise confidence; record labels right before it lower it.
 */
function scoreConfidence(span: TypedSpan, text: string, header: string): number {
  const words = wordsFor(span.type);
  let score = span.baseConfidence;
  // The column first: remembered per header cell, and in a roster it answers for every row.
  if (
    (header !== '' && headerIsPositive(text, span.start, header, words)) ||
    containsAnyIn(text, span.start - CONTEXT_WINDOW, span.start, words.positive)
  )
    score += CONTEXT_BOOST;
  if (
    words.negative.length > 0 &&
    containsAnyIn(text, span.start - NEGATIVE_WINDOW, span.start, words.negative)
  )
    score -= NEGATIVE_PENALTY;
  return Math.round(Math.min(1, Math.max(0.05, score)) * 100) / 100;
}

// Drawn once per process: fingerprints compare values within a run and cannot be brute-forced
// offline (an unkeyed hash of an ID number could be, the number space is small).
const FINGERPRINT_KEY = randomBytes(32);

function fingerprint(type: PiiType, raw: string): string {
  const value = normalizeWidth(raw).replace(/[\s-]/g, '').toUpperCase();
  return createHmac('sha256', FINGERPRINT_KEY).update(`${type}\0${value}`).digest('hex').slice(0, 16);
}

const NOTES: Readonly<Partial<Record<IdCardForm, string>>> = {
  'excel-number': '身份证号以Excel数值形式存储，末位丢失但仍显示前15位（含地区和出生日期），属脱敏不充分',
  'old-15': '15位旧身份证号',
  split: '身份证号被空格或换行拆开',
  embedded: '该编号内含完整的身份证号',
};

/**
 * One match. `fingerprint` is a getter on the class, computed on first read: an HMAC per match
 * would cost more than the scan of a dense roster, and most callers (scan, evidence masking) never
 * read it. An own accessor per match (what Object.keys and spreads would list) costs a
 * defineProperty call per object, about a tenth of a dense row's time; JSON.stringify still shows
 * the fingerprint (toJSON), in the field order of PiiMatch.
 */
class Match implements PiiMatch {
  type: PiiType;
  masked: Masked;
  insufficient: boolean;
  start: number;
  end: number;
  confidence: number;
  declare form?: PiiMatch['form'];
  declare note?: string;
  // The scanned text (not a slice of it): the value is cut out only if the fingerprint is read.
  #text: string;
  #fp: string | undefined;

  constructor(span: TypedSpan, text: string, masked: Masked, confidence: number) {
    this.type = span.type;
    this.masked = masked;
    this.insufficient = span.insufficient;
    this.start = span.start;
    this.end = span.end;
    this.confidence = confidence;
    this.#text = text;
    this.#fp = undefined;
  }

  get fingerprint(): string {
    return (this.#fp ??= fingerprint(this.type, this.#text.slice(this.start, this.end)));
  }

  toJSON(): Record<string, unknown> {
    const o: Record<string, unknown> = {
      type: this.type,
      masked: this.masked,
      insufficient: this.insufficient,
      start: this.start,
      end: this.end,
      confidence: this.confidence,
      fingerprint: this.fingerprint,
    };
    if (this.form !== undefined) o.form = this.form;
    if (this.note !== undefined) o.note = this.note;
    return o;
  }
}

function toMatch(span: TypedSpan, original: string, norm: string, header: string): PiiMatch {
  const masked = maskFound(span.type, norm, span.start, span.end, span.form, span.areaEnd);
  const match = new Match(
    span,
    original,
    span.identifier ? namedMask(span.identifier, masked) : masked,
    scoreConfidence(span, norm, header),
  );
  if (span.form && span.form !== 'standard') {
    match.form = span.form;
    const note = NOTES[span.form];
    if (note) match.note = span.identifier ? `${span.identifier}：${note}` : note;
  }
  return match;
}

// Where scanText leaves the normalised text (one object for every call).
const scanned = { norm: '' };

// The last context normalised: every row of a sheet comes with the same header.
let contextIn = '';
let contextOut = '';

function normalizedContext(context: string): string {
  if (context !== contextIn) {
    contextOut = normalizeWidth(context);
    contextIn = context;
  }
  return contextOut;
}

/**
 * Finds 居民身份证号, 手机号码, 银行卡号 and personal 具体住址 that are unmasked or insufficiently
 * masked, sorted by offset and never overlapping. Values are returned masked only; sufficiently masked
 * values (350502********1234, 138****5678, 6222**********0123, 西山镇后洋村***) are not reported.
 */
export function detectPersonalData(text: string, opts: DetectOptions = {}): PiiMatch[] {
  const header = normalizedContext(opts.context ?? '');
  const spans = scanText(text, header, opts.today, scanned);
  const norm = scanned.norm;
  // The scan's array is this call's own: each span is replaced by its match in place.
  const out = spans as unknown as PiiMatch[];
  for (let i = 0; i < spans.length; i++) out[i] = toMatch(spans[i]!, text, norm, header);
  return out;
}
