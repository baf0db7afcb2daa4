import { applyReviews, type Review, type ReviewedFinding } from '../review/ledger.js';
import { listFindings } from './results.js';
import { statement, type Db } from './db.js';

export interface ReviewSubject {
  message: string;
  url: string;
}

/** Record a decision (the latest per finding wins) and keep every decision in the log. */
export function saveReview(db: Db, review: Review, subject: ReviewSubject): void {
  db.transaction(() => {
    statement(
      db,
      `INSERT OR REPLACE INTO reviews (finding_key, unit_id, check_id, decision, reason, reviewer, decided_at, run_id, message, url)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      review.findingKey,
      review.unitId,
      review.checkId,
      review.decision,
      review.reason,
      review.reviewer,
      review.decidedAt,
      review.runId,
      subject.message,
      subject.url,
    );
    logDecision(db, review.findingKey, review.decision, review);
  })();
}

/** Withdraw a decision; the withdrawal is logged too. */
export function clearReview(
  db: Db,
  findingKey: string,
  by: Pick<Review, 'reason' | 'reviewer' | 'decidedAt' | 'runId'>,
) {
  db.transaction(() => {
    statement(db, 'DELETE FROM reviews WHERE finding_key = ?').run(findingKey);
    logDecision(db, findingKey, 'cleared', by);
  })();
}

function logDecision(
  db: Db,
  findingKey: string,
  decision: string,
  r: Pick<Review, 'reason' | 'reviewer' | 'decidedAt' | 'runId'>,
): void {
  statement(
    db,
    'INSERT INTO review_log (finding_key, decision, reason, reviewer, decided_at, run_id) VALUES (?, ?, ?, ?, ?, ?)',
  ).run(findingKey, decision, r.reason, r.reviewer, r.decidedAt, r.runId);
}

export function listReviews(db: Db): Review[] {
  return statement(
    db,
    `SELECT finding_key AS findingKey, unit_id AS unitId, check_id AS checkId, decision, reason, reviewer,
            decided_at AS decidedAt, run_id AS runId FROM reviews`,
  ).all() as Review[];
}

/** A run's findings as reviewers decided them: what scoring, reports and `xuncha review` read. */
export function listReviewedFindings(db: Db, runId: number): ReviewedFinding[] {
  return applyReviews(listFindings(db, runId), listReviews(db));
}
