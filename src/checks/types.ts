import type { Masked } from '../pii/types.js';

/** 'dismissed' is never produced by a check: it is a reviewer's decision applied at scoring and report time. */
export type Outcome = 'fail' | 'warn' | 'needs-review' | 'error' | 'dismissed';
export type Category = 'links' | 'update' | 'disclosure' | 'interaction' | 'privacy' | 'site';

/** One failing subject of one check. Evidence is always masked text. */
export interface Finding {
  checkId: string;
  unitId: string;
  outcome: Outcome;
  /** Sub-kind inside the check, used by indicators (e.g. dead-links: home-page | inner-page | attachment | external). */
  kind: string;
  /** Short Chinese statement of the problem. */
  message: string;
  /** Page or attachment URL the problem is on (or the failing URL for dead links). */
  url: string;
  /** Where inside the subject: referring page, sheet/cell, PDF page … (Chinese, masked). */
  location: string;
  /** Masked evidence snippet. */
  evidence: Masked | string;
}

export interface StoredFinding extends Finding {
  id: number;
  runId: number;
}
