import type { Db } from '../store/db.js';
import { getRun, loadUnits } from '../store/runs.js';
import { listResources } from '../store/crawlData.js';
import { buildReport, type ReportOptions } from './buildReport.js';
import type { InspectionReport } from './model.js';
import { compareInspections, type RecheckCoverage, type RecheckReport } from './recheck.js';

/** What the later run's crawl reached, read from the store. */
function coverageOf(db: Db, runId: number): RecheckCoverage {
  const crawlFailed = new Set<string>();
  const fetched = new Map<string, Set<string>>();
  for (const unit of loadUnits(db, runId)) {
    if (unit.crawlStatus !== 'done') crawlFailed.add(unit.id);
    const ok = listResources(db, runId, unit.id).filter(
      (r) => ((r.status >= 200 && r.status < 300) || r.status === 304) && !r.errorKind,
    );
    fetched.set(unit.id, new Set(ok.flatMap((r) => [r.url, r.finalUrl])));
  }
  return { crawlFailed, fetched };
}

/** Store → RecheckReport: the earlier inspection against the later one (both checked and scored). */
export function buildRecheck(
  db: Db,
  previousRunId: number,
  currentRunId: number,
  opts: ReportOptions,
): RecheckReport {
  return buildRecheckWithReports(db, previousRunId, currentRunId, opts).recheck;
}

/** The RecheckReport and the two InspectionReports it compares (the 督办通知 need all three). */
export function buildRecheckWithReports(
  db: Db,
  previousRunId: number,
  currentRunId: number,
  opts: ReportOptions,
): { recheck: RecheckReport; previous: InspectionReport; current: InspectionReport } {
  for (const id of [previousRunId, currentRunId])
    if (!getRun(db, id)) throw new Error(`找不到巡查批次 ${id}`);
  const previous = buildReport(db, previousRunId, opts);
  const current = buildReport(db, currentRunId, opts);
  return { recheck: compareInspections(previous, current, coverageOf(db, currentRunId)), previous, current };
}
