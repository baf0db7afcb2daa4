import { applyReviews, type Review, type ReviewedFinding } from '../review/ledger.js';
import { listFindings } from './results.js';
import { inTransaction, type Db } from './db.js';

export interface ReviewSubject {
  message: string;
  url: string;
}

/** Record a decision (the latest per finding wins) and keep every decision in the log. */
export async function saveReview(db: Db, review: Review, subject: ReviewSubject): Promise<void> {
  const row = {
    unit_id: review.unitId,
    check_id: review.checkId,
    decision: review.decision,
    reason: review.reason,
    reviewer: review.reviewer,
    decided_at: review.decidedAt,
    run_id: review.runId,
    message: subject.message,
    url: subject.url,
  };
  await inTransaction(db, async (trx) => {
    await trx
      .insertInto('reviews')
      .values({ finding_key: review.findingKey, ...row })
      .onConflict((oc) => oc.column('finding_key').doUpdateSet(row))
      .execute();
    await logDecision(trx, review.findingKey, review.decision, review);
  });
}

/** Withdraw a decision; the withdrawal is logged too. */
export async function clearReview(
  db: Db,
  findingKey: string,
  by: Pick<Review, 'reason' | 'reviewer' | 'decidedAt' | 'runId'>,
): Promise<void> {
  await inTransaction(db, async (trx) => {
    await trx.deleteFrom('reviews').where('finding_key', '=', findingKey).execute();
    await logDecision(trx, findingKey, 'cleared', by);
  });
}

async function logDecision(
  db: Db,
  findingKey: string,
  decision: string,
  r: Pick<Review, 'reason' | 'reviewer' | 'decidedAt' | 'runId'>,
): Promise<void> {
  await db
    .insertInto('review_log')
    .values({
      finding_key: findingKey,
      decision,
      reason: r.reason,
      reviewer: r.reviewer,
      decided_at: r.decidedAt,
      run_id: r.runId,
    })
    .execute();
}

export async function listReviews(db: Db): Promise<Review[]> {
  const rows = await db
    .selectFrom('reviews')
    .select([
      'finding_key as findingKey',
      'unit_id as unitId',
      'check_id as checkId',
      'decision',
      'reason',
      'reviewer',
      'decided_at as decidedAt',
      'run_id as runId',
    ])
    .execute();
  return rows as Review[];
}

/** A run's findings as reviewers decided them: what scoring, reports and `xuncha review` read. */
export async function listReviewedFindings(db: Db, runId: number): Promise<ReviewedFinding[]> {
  return applyReviews(await listFindings(db, runId), await listReviews(db));
}
