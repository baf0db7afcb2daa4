/** 居民身份证号, 手机号码, 银行卡号, 具体住址. */
export type PiiType = 'id-card' | 'mobile' | 'bank-card' | 'address';

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
  /**
   * Tells distinct values apart without revealing them (masked forms collide: three households of
   * one village all mask to 示范区西山镇后洋村***). An HMAC of the normalised value under a key drawn
   * at random per process: equal within one run, meaningless across runs, not reversible offline.
   * Computed when first read (a getter, not an own property: spreads and Object.keys leave it out;
   * JSON.stringify includes it).
   */
  fingerprint: string;
  /** ID numbers: the form found, when not the usual 18 characters. */
  form?: 'old-15' | 'split' | 'excel-number' | 'embedded';
  /** Chinese remark for the user, e.g. that the ID was stored as an Excel number. */
  note?: string;
}
