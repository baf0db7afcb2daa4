import type { StoredFinding } from '../checks/types.js';
import { findingKey } from './findingIdentity.js';

/**
 * dismissed: 误报 or not applicable — kept out of scoring and notices, still listed in the workbook.
 * confirmed: a person checked it — a needs-review finding becomes a problem.
 */
export type ReviewDecision = 'dismissed' | 'confirmed';

export const DECISION_LABELS: Record<ReviewDecision, string> = {
  dismissed: '已排除',
  confirmed: '已确认',
};

export interface Review {
  findingKey: string;
  unitId: string;
  checkId: string;
  decision: ReviewDecision;
  reason: string;
  reviewer: string;
  /** ISO timestamp. */
  decidedAt: string;
  /** The run whose finding the reviewer looked at. */
  runId: number;
}

export type ReviewedFinding = StoredFinding & { review?: Review };

/** Findings as the people who reviewed them decided. Pure: the stored findings stay as the checks wrote them. */
export function applyReviews(findings: StoredFinding[], reviews: Review[]): ReviewedFinding[] {
  if (!reviews.length) return findings;
  const byKey = new Map(reviews.map((r) => [r.findingKey, r]));
  return findings.map((f) => {
    const review = byKey.get(findingKey(f));
    if (!review) return f;
    if (review.decision === 'dismissed') return { ...f, outcome: 'dismissed', review };
    return { ...f, outcome: f.outcome === 'needs-review' ? 'fail' : f.outcome, review };
  });
}
