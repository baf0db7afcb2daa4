import { findIdCards } from './idCard.js';
import { findMobiles } from './mobile.js';
import { normalizeWidth, type RawSpan } from './rules.js';
import type { Masked } from './types.js';

/** Letters, digits and mask characters of a value, with full-width forms folded to ASCII. */
function significantChars(raw: string): string {
  return normalizeWidth(raw).replace(/[^0-9A-Za-z*]/g, '');
}

/** The only place a string becomes `Masked`. */
function brand(text: string): Masked {
  return text as Masked;
}

/** 身份证号 → first 6 + ******** + last 4 (e.g. 350502********1234); hides the whole birth date. */
export function maskIdCard(raw: string): Masked {
  const chars = significantChars(raw);
  // Anything too short to keep 10 characters around 8 masks is hidden entirely, never echoed.
  if (chars.length < 14) return brand('*'.repeat(Math.max(chars.length, 8)));
  return brand(`${chars.slice(0, 6)}********${chars.slice(-4)}`);
}

/** 手机号 → first 3 + **** + last 4 (e.g. 138****5678); a +86 country code is dropped. */
export function maskMobile(raw: string): Masked {
  let chars = significantChars(raw);
  if (chars.length === 13 && chars.startsWith('86')) chars = chars.slice(2);
  if (chars.length !== 11) return brand('*'.repeat(Math.max(chars.length, 8)));
  return brand(`${chars.slice(0, 3)}****${chars.slice(-4)}`);
}

/** Replaces spans right to left so earlier offsets stay valid; overlapping spans are skipped. */
function replaceSpans(text: string, spans: (RawSpan & { mask: (raw: string) => Masked })[]): string {
  let out = text;
  let limit = Infinity;
  for (const span of [...spans].sort((a, b) => b.start - a.start)) {
    if (span.end > limit) continue;
    out = out.slice(0, span.start) + span.mask(text.slice(span.start, span.end)) + out.slice(span.end);
    limit = span.start;
  }
  return out;
}

/**
 * Masks every detected ID and mobile (unmasked or insufficiently masked) in arbitrary text. Use it for
 * logs, error messages and evidence snippets: nothing that reaches a user may skip this function.
 */
export function maskText(text: string): Masked {
  const spans = [
    ...findIdCards(text).map((s) => ({ ...s, mask: maskIdCard })),
    ...findMobiles(text).map((s) => ({ ...s, mask: maskMobile })),
  ];
  return brand(spans.length === 0 ? text : replaceSpans(text, spans));
}
