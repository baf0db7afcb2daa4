import { sql } from 'kysely';
import type { Db } from '../../store/db.js';
import { getRun } from '../../store/runs.js';
import { buildReport, previousRunOf } from '../../report/buildReport.js';
import type { InspectionReport, ReportUnit } from '../../report/model.js';
import type { ConsoleEnv } from '../types.js';

/**
 * The console shows a batch through the very object its reports are rendered from: buildReport's
 * InspectionReport (ranking, grades, counts per category, 月度对比 with opened/closed, crawl
 * figures, reviewed outcomes). Nothing the reports compute is computed again here, so a page and
 * the workbook of the same batch can never disagree.
 *
 * Building it reads the whole batch (and the previous one), so it is cached per batch under a
 * fingerprint of everything it depends on that can change while the console runs: the run's status,
 * its findings, scores, screenshots and check errors, the previous run's, and the review ledger
 * (a decision changes outcomes in every batch). A page view costs the fingerprint's few
 * aggregate queries; only a change rebuilds.
 */

interface Cached {
  key: string;
  report: Promise<InspectionReport>;
}

/** Batches kept per store: the latest few are what people look at. */
const MAX_CACHED = 6;
const caches = new WeakMap<Db, Map<number, Cached>>();

async function fingerprint(db: Db, runId: number, previous: number | undefined): Promise<string> {
  const ids = previous === undefined ? [runId] : [runId, previous];
  const runs = await db
    .selectFrom('runs')
    .select(['id', 'status', 'finished_at'])
    .where('id', 'in', ids)
    .orderBy('id')
    .execute();
  const findings = await db
    .selectFrom('findings')
    .select(['run_id', sql<number>`count(*)`.as('n'), sql<number | null>`max(id)`.as('last')])
    .where('run_id', 'in', ids)
    .groupBy('run_id')
    .orderBy('run_id')
    .execute();
  const scores = await db
    .selectFrom('scores')
    .select([
      'run_id',
      sql<number>`count(*)`.as('n'),
      sql<number | null>`sum(score)`.as('s'),
      sql<number | null>`sum(rank)`.as('r'),
    ])
    .where('run_id', 'in', ids)
    .groupBy('run_id')
    .orderBy('run_id')
    .execute();
  const small = await sql<{ shots: number; errors: number; reviews: number | null }>`
    SELECT (SELECT count(*) FROM screenshots WHERE run_id = ${runId}) AS shots,
           (SELECT count(*) FROM check_errors WHERE run_id = ${runId}) AS errors,
           (SELECT max(id) FROM review_log) AS reviews`.execute(db);
  return JSON.stringify([runs, findings, scores, small.rows[0]]);
}

/** The batch as its reports see it, or undefined when there is no such batch. */
export async function batchReport(env: ConsoleEnv, runId: number): Promise<InspectionReport | undefined> {
  if (!(await getRun(env.db, runId))) return undefined;
  const previous = await previousRunOf(env.db, runId);
  const key = await fingerprint(env.db, runId, previous);
  let cache = caches.get(env.db);
  if (!cache) caches.set(env.db, (cache = new Map()));
  const hit = cache.get(runId);
  if (hit && hit.key === key) return hit.report;
  const report = buildReport(env.db, runId, { rulesDir: env.rulesDir, issuer: env.issuer });
  cache.delete(runId);
  cache.set(runId, { key, report });
  // A failed build is not kept: the next view tries again.
  report.catch(() => {
    if (cache.get(runId)?.report === report) cache.delete(runId);
  });
  while (cache.size > MAX_CACHED) cache.delete(cache.keys().next().value!);
  return report;
}

/** Forget every cached batch of this store (tests, and after writes that bypass the fingerprint). */
export function forgetReports(db: Db): void {
  caches.delete(db);
}

/**
 * A unit against the previous batch, as the workbook's 月度对比 and 报告.html show it: places gained
 * (上次名次 − 本次名次, positive is up) and the score change rounded to 0.01; absent where either side
 * was not scored. (Those renderers keep their own private copies of these two subtractions.)
 */
export function standingChange(unit: ReportUnit): { places?: number; score?: number } {
  const p = unit.previous;
  if (!p || unit.unscored !== undefined) return {};
  return {
    ...(p.rank !== undefined ? { places: p.rank - unit.rank } : {}),
    ...(p.score !== undefined ? { score: Math.round((unit.score - p.score) * 100) / 100 } : {}),
  };
}

export function unitsInRankOrder(report: InspectionReport): ReportUnit[] {
  return [...report.units].sort((a, b) => a.rank - b.rank);
}
