import type { Db } from '../store/db.js';
import { loadUnits } from '../store/runs.js';
import { replaceScores } from '../store/results.js';
import { listReviewedFindings } from '../store/reviews.js';
import { loadIndicatorSystem } from './indicatorSystem.js';
import { rankUnits, scoreUnit } from './scoreUnit.js';

/** The score stage: findings in the store → scores and ranks in the store. */
export function scoreRun(db: Db, runId: number, indicatorFile?: string) {
  const system = loadIndicatorSystem(indicatorFile);
  // Reviewers' decisions count: a dismissed 误报 costs no points, a confirmed review item does.
  const findings = listReviewedFindings(db, runId);
  const scores = loadUnits(db, runId).map((u) =>
    scoreUnit(
      system,
      u.id,
      findings.filter((f) => f.unitId === u.id),
    ),
  );
  const ranked = rankUnits(scores);
  replaceScores(db, runId, ranked);
  return { system, ranked };
}
