import { findIdCards } from './idCard.js';
import { maskIdCard, maskMobile } from './mask.js';
import { findMobiles } from './mobile.js';
import { idCardRules, mobileRules, normalizeWidth, type RawSpan } from './rules.js';
import type { PiiMatch, PiiType } from './types.js';

export interface DetectOptions {
  /** Text that labels the scanned text, e.g. a table's header row; its context words count too. */
  context?: string;
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
}

function wordsFor(type: PiiType): ContextWords {
  const rules = type === 'id-card' ? idCardRules() : mobileRules();
  return { positive: rules.contextWords, negative: rules.negativeContextWords };
}

const containsAny = (text: string, words: readonly string[]): boolean => words.some((w) => text.includes(w));

/** Context words near the value or in the supplied header raise confidence; record labels lower it. */
function scoreConfidence(span: RawSpan, type: PiiType, text: string, header: string): number {
  const words = wordsFor(type);
  const near = text.slice(Math.max(0, span.start - CONTEXT_WINDOW), span.start);
  const close = text.slice(Math.max(0, span.start - NEGATIVE_WINDOW), span.start);
  let score = span.baseConfidence;
  if (containsAny(near, words.positive) || containsAny(header, words.positive)) score += CONTEXT_BOOST;
  if (containsAny(close, words.negative)) score -= NEGATIVE_PENALTY;
  return Math.round(Math.min(1, Math.max(0.05, score)) * 100) / 100;
}

function toMatch(span: RawSpan, type: PiiType, text: string, header: string): PiiMatch {
  const raw = text.slice(span.start, span.end);
  return {
    type,
    masked: type === 'id-card' ? maskIdCard(raw) : maskMobile(raw),
    insufficient: span.insufficient,
    start: span.start,
    end: span.end,
    confidence: scoreConfidence(span, type, text, header),
  };
}

/** Keeps the first of overlapping matches; on equal starts the longer (more specific) one wins. */
function dropOverlaps(matches: PiiMatch[]): PiiMatch[] {
  const sorted = [...matches].sort((a, b) => a.start - b.start || b.end - a.end);
  const kept: PiiMatch[] = [];
  for (const m of sorted) {
    const last = kept.at(-1);
    if (!last || m.start >= last.end) kept.push(m);
  }
  return kept;
}

/**
 * Finds 居民身份证号 and mobile numbers that are unmasked or insufficiently masked. Values are
 * returned masked only; sufficiently masked values (350502********1234, 138****5678) are not reported.
 */
export function detectPersonalData(text: string, opts: DetectOptions = {}): PiiMatch[] {
  const norm = normalizeWidth(text);
  const header = normalizeWidth(opts.context ?? '');
  const matches = [
    ...findIdCards(text).map((s) => toMatch(s, 'id-card', norm, header)),
    ...findMobiles(text).map((s) => toMatch(s, 'mobile', norm, header)),
  ];
  return dropOverlaps(matches);
}
