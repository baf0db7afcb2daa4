import { sql } from 'kysely';
import type { Db } from '../../store/db.js';
import { getRun } from '../../store/runs.js';
import { buildReport, previousRunOf, withTrends } from '../../report/buildReport.js';
import type { InspectionReport, ReportUnit } from '../../report/model.js';
import type { ConsoleEnv } from '../types.js';

/**
 * The console shows a batch through the very object its reports are rendered from: buildReport's
 * InspectionReport (ranking, grades, counts per category, 月度对比 with opened/closed, crawl
 * figures, reviewed outcomes). Nothing the reports compute is computed again here, so a page and
 * the workbook of the same batch can never disagree.
 *
 * Building it reads the whole batch, so it is cached per batch under a fingerprint of everything it
 * depends on that can change while the console runs: the run's status, its findings, scores,
 * screenshots and check errors, and the review ledger (a decision changes outcomes in every batch).
 * A page view costs the fingerprint's few aggregate queries; only a change rebuilds. As buildReport
 * itself does, a batch with a previous one is `withTrends(batch, previous)` of the two built with
 * `trends: false` — here each cached on its own, so a change to the newest batch (a batch being
 * scored, a re-check) does not rebuild the previous one.
 */

interface Cached<T> {
  key: string;
  value: Promise<T>;
}

/** Entries kept per store: the latest few batches are what people look at. */
const MAX_CACHED = 8;
const caches = new WeakMap<Db, Map<string, Cached<InspectionReport>>>();

async function fingerprint(db: Db, runId: number): Promise<string> {
  const run = await db
    .selectFrom('runs')
    .select(['status', 'finished_at'])
    .where('id', '=', runId)
    .executeTakeFirst();
  const counts = await sql<Record<string, number | null>>`
    SELECT (SELECT count(*) FROM findings WHERE run_id = ${runId}) AS findings,
           (SELECT max(id) FROM findings WHERE run_id = ${runId}) AS last_finding,
           (SELECT count(*) FROM scores WHERE run_id = ${runId}) AS scores,
           (SELECT sum(score) FROM scores WHERE run_id = ${runId}) AS score_sum,
           (SELECT sum(rank) FROM scores WHERE run_id = ${runId}) AS rank_sum,
           (SELECT count(*) FROM screenshots WHERE run_id = ${runId}) AS shots,
           (SELECT count(*) FROM check_errors WHERE run_id = ${runId}) AS errors,
           (SELECT max(id) FROM review_log) AS reviews`.execute(db);
  return JSON.stringify([run, counts.rows[0]]);
}

function cacheOf(db: Db): Map<string, Cached<InspectionReport>> {
  let cache = caches.get(db);
  if (!cache) caches.set(db, (cache = new Map()));
  return cache;
}

/** The cached value under `name` when its key still holds, else `make()` cached under the key. */
function cached(db: Db, name: string, key: string, make: () => Promise<InspectionReport>) {
  const cache = cacheOf(db);
  const hit = cache.get(name);
  if (hit && hit.key === key) {
    // Most recently used last: the oldest entry is the one dropped.
    cache.delete(name);
    cache.set(name, hit);
    return hit.value;
  }
  const value = make();
  cache.delete(name);
  cache.set(name, { key, value });
  // A failed build is not kept: the next view tries again.
  value.catch(() => {
    if (cache.get(name)?.value === value) cache.delete(name);
  });
  while (cache.size > MAX_CACHED) cache.delete(cache.keys().next().value!);
  return value;
}

/** The batch as its reports see it, or undefined when there is no such batch. */
export async function batchReport(env: ConsoleEnv, runId: number): Promise<InspectionReport | undefined> {
  if (!(await getRun(env.db, runId))) return undefined;
  const opts = { rulesDir: env.rulesDir, issuer: env.issuer, trends: false };
  const base = async (id: number) => {
    const key = await fingerprint(env.db, id);
    return { key, report: cached(env.db, `base:${id}`, key, () => buildReport(env.db, id, opts)) };
  };
  const previousId = await previousRunOf(env.db, runId);
  const current = await base(runId);
  if (previousId === undefined) return current.report;
  const previous = await base(previousId);
  return cached(env.db, `trends:${runId}:${previousId}`, `${current.key}|${previous.key}`, async () =>
    withTrends(await current.report, await previous.report),
  );
}

/** Forget every cached batch of this store (the bench times a first view with it). */
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
