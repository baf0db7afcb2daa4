/** The shape of a detector's hit (every detector makes its spans here). */
import type { PiiType } from './types.js';

/** Variants of an ID number the detector recognises; `standard` is the 18-character form. */
export type IdCardForm = 'standard' | 'old-15' | 'split' | 'excel-number' | 'embedded';

/** A raw hit of one detector; the value itself stays in the scanned text. */
export interface RawSpan {
  type: PiiType;
  start: number;
  end: number;
  /** Partly masked, but the masked part leaves too much visible. */
  insufficient: boolean;
  /** Detector's own confidence before context words are considered. */
  baseConfidence: number;
  /** ID numbers only: which form was found (absent = standard). */
  form?: IdCardForm;
  /** Form 'embedded': the longer identifier holding the ID (残疾人证号) and where the ID starts in it. */
  identifier?: string;
  idOffset?: number;
  /** Addresses: where the place-name part ends (the first house-level part starts). */
  areaEnd?: number;
}

/**
 * A detector's span, always made here with every field: one object shape for every detector and
 * form, so the scan merges the detectors' own objects (a copy of each with its type cost more than
 * a short row's matching; objects of several shapes would leave the readers polymorphic).
 */
export function rawSpan(
  type: PiiType,
  start: number,
  end: number,
  insufficient: boolean,
  baseConfidence: number,
  form?: IdCardForm,
  identifier?: string,
  idOffset?: number,
  areaEnd?: number,
): RawSpan {
  return { type, start, end, insufficient, baseConfidence, form, identifier, idOffset, areaEnd };
}

/** `spans` with `span` added: a new array holding it when there is none yet (see findMobilesNormalized). */
export function withSpan(spans: RawSpan[] | undefined, span: RawSpan): RawSpan[] {
  if (spans === undefined) return [span];
  spans.push(span);
  return spans;
}
