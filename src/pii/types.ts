export type PiiType = 'id-card' | 'mobile';

/** A value that mask.ts produced; nothing else may construct one (branded). */
export type Masked = string & { readonly __masked: unique symbol };

export interface PiiMatch {
  type: PiiType;
  /** Always the masked form; the raw value never leaves the detector. */
  masked: Masked;
  /** true: the value is partly masked but still shows too much (e.g. the birth date). */
  insufficient: boolean;
  /** Offsets in the scanned text. */
  start: number;
  end: number;
  /** Detector confidence 0..1 (context words raise it). */
  confidence: number;
}
