import type { Db } from '../store/db.js';
import { startPageFailures } from '../store/crawlData.js';
import { loadUnits, type UnitRow } from '../store/runs.js';
import { maskText } from '../pii/mask.js';
import { replaceScores } from '../store/results.js';
import { listReviewedFindings } from '../store/reviews.js';
import { loadIndicatorSystem } from './indicatorSystem.js';
import { rankUnits, scoreUnit } from './scoreUnit.js';

/** The score stage: findings in the store → scores and ranks in the store. */
export async function scoreRun(db: Db, runId: number, indicatorFile?: string) {
  const system = loadIndicatorSystem(indicatorFile);
  // Reviewers' decisions count: a dismissed 误报 costs no points, a confirmed review item does.
  const findings = await listReviewedFindings(db, runId);
  const scores = [];
  for (const u of await loadUnits(db, runId))
    scores.push(
      scoreUnit(
        system,
        u.id,
        findings.filter((f) => f.unitId === u.id),
        await unreachableEvidence(db, runId, u),
      ),
    );
  const ranked = rankUnits(scores);
  await replaceScores(db, runId, ranked);
  return { system, ranked };
}

/**
 * Why a unit's home page could not be fetched, from what the crawl stored (each start URL and its
 * failure), or undefined when the crawl reached it. URLs are masked: they are evidence in reports.
 */
export async function unreachableEvidence(db: Db, runId: number, unit: UnitRow): Promise<string | undefined> {
  if (unit.crawlStatus !== 'failed') return undefined;
  const failures = (await startPageFailures(db, runId, unit.id)).map(
    (r) => `${r.url}：${r.error ?? (r.status ? `HTTP ${r.status}` : (r.errorKind ?? '无法访问'))}`,
  );
  return maskText(failures.length ? failures.join('；') : (unit.crawlError ?? '首页（起始网址）无法访问'));
}
