import { findAddressesNormalized } from './address.js';
import { findBankCardsNormalized } from './bankCard.js';
import { findIdCardsNormalized } from './idCard.js';
import { findMobilesNormalized } from './mobile.js';
import type { RawSpan } from './rules.js';
import { collectRuns } from './runs.js';
import type { PiiType } from './types.js';

/** A detector hit tagged with its type; internal (the value stays in the scanned text). */
export interface TypedSpan extends RawSpan {
  type: PiiType;
}

export interface ScanOptions {
  /** Table header labelling the text (its words count for their column). */
  context?: string;
  /** Latest acceptable birth date (tests inject it). */
  today?: Date;
}

// When two hits overlap, the better-validated type wins: an 18-digit number passing GB 11643 is an
// ID even if it also passes Luhn; an address never swallows a number found by the others.
const PRIORITY: Readonly<Record<PiiType, number>> = { 'id-card': 0, 'bank-card': 1, mobile: 2, address: 3 };

function better(a: TypedSpan, b: TypedSpan): boolean {
  const pa = PRIORITY[a.type];
  const pb = PRIORITY[b.type];
  return pa < pb || (pa === pb && a.end - a.start > b.end - b.start);
}

/** Non-overlapping spans sorted by offset; of overlapping ones the higher-priority (then longer) wins. */
export function resolveOverlaps(spans: TypedSpan[]): TypedSpan[] {
  const sorted = [...spans].sort((a, b) => a.start - b.start || b.end - a.end);
  const kept: TypedSpan[] = [];
  for (const s of sorted) {
    let wins = true;
    while (kept.length > 0) {
      const last = kept[kept.length - 1]!;
      if (s.start >= last.end) break;
      if (better(s, last)) kept.pop();
      else {
        wins = false;
        break;
      }
    }
    if (wins) kept.push(s);
  }
  return kept;
}

/** Runs every detector over text already passed through normalizeWidth. */
export function scanNormalized(norm: string, opts: ScanOptions = {}): TypedSpan[] {
  const ctx = opts.context === undefined ? {} : { context: opts.context };
  const runs = collectRuns(norm);
  const idOpts = opts.today === undefined ? { ...ctx, runs } : { ...ctx, runs, today: opts.today };
  const all: TypedSpan[] = [];
  const tag = (type: PiiType, spans: RawSpan[]) => {
    for (const s of spans) {
      (s as TypedSpan).type = type;
      all.push(s as TypedSpan);
    }
  };
  const ids = findIdCardsNormalized(norm, idOpts);
  tag('id-card', ids);
  const idStarts = new Set(ids.map((s) => s.start));
  tag('bank-card', findBankCardsNormalized(norm, { ...ctx, runs, skip: (start) => idStarts.has(start) }));
  tag('mobile', findMobilesNormalized(norm));
  tag('address', findAddressesNormalized(norm, { ...ctx, runs }));
  return resolveOverlaps(all);
}
