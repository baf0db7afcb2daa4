import { sql } from 'kysely';
import type { Db } from '../../store/db.js';
import { getRun, loadUnits } from '../../store/runs.js';
import { listScores } from '../../store/results.js';
import { listReviewedFindings } from '../../store/reviews.js';
import { maskText } from '../../pii/mask.js';
import { buildReport, previousRunOf, standingOf, withTrends } from '../../report/buildReport.js';
import { problemsByCategory } from '../../report/counts.js';
import type { InspectionReport, ReportFinding, ReportUnit } from '../../report/model.js';
import type { ConsoleEnv } from '../types.js';

/**
 * The console shows a batch through the very object its reports are rendered from: buildReport's
 * InspectionReport (ranking, grades, counts per category, 月度对比 with opened/closed, crawl
 * figures, reviewed outcomes), so a page and the workbook of the same batch never disagree.
 *
 * Building it reads the whole crawl (link and crawl figures per unit, the pages publishing
 * attachments): seconds for a 100-unit county. It is therefore cached per batch under two
 * fingerprints. The crawl key (findings, screenshots, check errors) changes only when a stage
 * re-runs: then buildReport runs again (the run's status is not in it: buildReport does not read
 * it, so a batch built when scored stays valid once its reports are written). The decision key (the review ledger, the stored
 * scores) changes with every review decision: then only what those decide is re-read onto the
 * cached report — each finding's outcome and review through the ledger's own `applyReviews`
 * (listReviewedFindings), the counts per category through counts.ts's `isProblem`, the stored
 * scores — as buildReport maps them; test/console/pages.test.ts holds the result equal to a fresh
 * buildReport. As buildReport itself does, a batch with a previous one is `withTrends(batch,
 * previous)` of the two built with `trends: false`.
 */

interface Cached<T> {
  key: string;
  value: Promise<T>;
}

interface Base {
  crawlKey: string;
  decisionKey: string;
  report: Promise<InspectionReport>;
}

/** Batches kept per store: the latest few are what people look at. */
const MAX_CACHED = 8;
const bases = new WeakMap<Db, Map<number, Base>>();
const trends = new WeakMap<Db, Map<string, Cached<InspectionReport>>>();

async function fingerprints(db: Db, runId: number): Promise<{ crawlKey: string; decisionKey: string }> {
  const c = await sql<Record<string, number | null>>`
    SELECT (SELECT count(*) FROM findings WHERE run_id = ${runId}) AS findings,
           (SELECT max(id) FROM findings WHERE run_id = ${runId}) AS last_finding,
           (SELECT count(*) FROM screenshots WHERE run_id = ${runId}) AS shots,
           (SELECT count(*) FROM check_errors WHERE run_id = ${runId}) AS errors,
           (SELECT count(*) FROM scores WHERE run_id = ${runId}) AS scores,
           (SELECT sum(score) FROM scores WHERE run_id = ${runId}) AS score_sum,
           (SELECT sum(rank) FROM scores WHERE run_id = ${runId}) AS rank_sum,
           (SELECT sum(vetoed) FROM scores WHERE run_id = ${runId}) AS vetoed,
           (SELECT max(id) FROM review_log) AS reviews`.execute(db);
  const r = c.rows[0] ?? {};
  return {
    crawlKey: JSON.stringify([r.findings, r.last_finding, r.shots, r.errors]),
    decisionKey: JSON.stringify([r.scores, r.score_sum, r.rank_sum, r.vetoed, r.reviews]),
  };
}

/** Drop the least recently used entries past MAX_CACHED. */
function trim<K, V>(map: Map<K, V>): void {
  while (map.size > MAX_CACHED) map.delete(map.keys().next().value!);
}

/**
 * A cached report with the review decisions and stored scores read again: the part of buildReport
 * that decisions change (its toReportFinding review mapping, its counts and standings — the same
 * problemsByCategory and standingOf — and its sort by rank over the seed order). The crawl-derived rest stays as built.
 */
async function withDecisions(db: Db, runId: number, report: InspectionReport): Promise<InspectionReport> {
  const reviewed = new Map((await listReviewedFindings(db, runId)).map((f) => [f.id, f]));
  const scores = new Map((await listScores(db, runId)).map((s) => [s.unitId, s]));
  const order = new Map((await loadUnits(db, runId)).map((u, i) => [u.id, i]));
  const units = report.units.map((u): ReportUnit => {
    const findings = u.findings.map((f): ReportFinding => {
      const r = f.findingId === undefined ? undefined : reviewed.get(f.findingId);
      if (!r) return f;
      const { review: _old, ...rest } = f;
      const review = r.review && {
        decision: r.review.decision,
        reason: maskText(r.review.reason),
        reviewer: r.review.reviewer,
        decidedAt: r.review.decidedAt,
      };
      return { ...rest, outcome: r.outcome, ...(review ? { review } : {}) };
    });
    const { unscored: _unscored, ...rest } = u;
    return { ...rest, ...standingOf(scores.get(u.id)), counts: problemsByCategory(findings), findings };
  });
  units.sort((a, b) => (order.get(a.id) ?? 0) - (order.get(b.id) ?? 0)).sort((a, b) => a.rank - b.rank);
  return { ...report, units };
}

/** A batch built with `trends: false`, from the cache when its crawl key holds. */
async function baseReport(
  env: ConsoleEnv,
  runId: number,
): Promise<{ key: string; report: Promise<InspectionReport> }> {
  const { crawlKey, decisionKey } = await fingerprints(env.db, runId);
  let cache = bases.get(env.db);
  if (!cache) bases.set(env.db, (cache = new Map()));
  const hit = cache.get(runId);
  cache.delete(runId);
  let report: Promise<InspectionReport>;
  if (hit && hit.crawlKey === crawlKey && hit.decisionKey === decisionKey) report = hit.report;
  else if (hit && hit.crawlKey === crawlKey) report = hit.report.then((r) => withDecisions(env.db, runId, r));
  else report = buildReport(env.db, runId, { rulesDir: env.rulesDir, issuer: env.issuer, trends: false });
  const entry = { crawlKey, decisionKey, report };
  cache.set(runId, entry);
  trim(cache);
  // A failed build is not kept: the next view tries again.
  report.catch(() => {
    if (cache.get(runId) === entry) cache.delete(runId);
  });
  return { key: `${crawlKey}|${decisionKey}`, report };
}

/** The batch as its reports see it, or undefined when there is no such batch. */
export async function batchReport(env: ConsoleEnv, runId: number): Promise<InspectionReport | undefined> {
  if (!(await getRun(env.db, runId))) return undefined;
  const current = await baseReport(env, runId);
  const previousId = await previousRunOf(env.db, runId);
  if (previousId === undefined) return current.report;
  const previous = await baseReport(env, previousId);
  let cache = trends.get(env.db);
  if (!cache) trends.set(env.db, (cache = new Map()));
  const name = `${runId}:${previousId}`;
  const key = `${current.key}||${previous.key}`;
  const hit = cache.get(name);
  cache.delete(name);
  if (hit && hit.key === key) {
    cache.set(name, hit);
    return hit.value;
  }
  const value = Promise.all([current.report, previous.report]).then(([c, p]) => withTrends(c, p));
  const entry = { key, value };
  cache.set(name, entry);
  trim(cache);
  value.catch(() => {
    if (cache.get(name) === entry) cache.delete(name);
  });
  return value;
}

/**
 * Start building a batch's report in the background (its first view then waits less or not at
 * all): /api/progress calls it once a running batch is scored, and the server may call it for the
 * newest batch at start. Failures are logged, never thrown.
 */
export function warmBatchReport(env: ConsoleEnv, runId: number): void {
  batchReport(env, runId).catch((err: unknown) =>
    env.log.warn(`第 ${runId} 批的汇总数据未能预先生成：${err instanceof Error ? err.message : String(err)}`),
  );
}

/** Forget every cached batch of this store (the bench times a first view with it). */
export function forgetReports(db: Db): void {
  bases.delete(db);
  trends.delete(db);
}

export { standingChange, unitsInRankOrder } from '../../report/standing.js';
