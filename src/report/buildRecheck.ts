import type { Db } from '../store/db.js';
import { getRun, loadUnits } from '../store/runs.js';
import { eachResource } from '../store/crawlData.js';
import { buildReport, type ReportOptions } from './buildReport.js';
import type { InspectionReport } from './model.js';
import { listFeedback } from '../store/feedback.js';
import {
  compareInspections,
  type AcceptedFeedback,
  type RecheckCoverage,
  type RecheckReport,
} from './recheck.js';

/** 整改反馈 on the earlier batch's findings that an inspector accepted (the latest per finding). */
async function acceptedFeedback(db: Db, previousRunId: number): Promise<Map<string, AcceptedFeedback>> {
  const out = new Map<string, AcceptedFeedback>();
  for (const f of await listFeedback(db, { runId: previousRunId, state: 'accepted' })) {
    const kept = out.get(f.findingKey);
    if (kept && kept.decidedAt > (f.decidedAt ?? '')) continue;
    out.set(f.findingKey, {
      note: f.note,
      submittedBy: f.submittedBy,
      submittedAt: f.submittedAt,
      decidedBy: f.decidedBy ?? '',
      decidedAt: f.decidedAt ?? '',
    });
  }
  return out;
}

/** What the later run's crawl reached, read from the store. */
async function coverageOf(db: Db, runId: number): Promise<RecheckCoverage> {
  const crawlFailed = new Set<string>();
  const fetched = new Map<string, Set<string>>();
  for (const unit of await loadUnits(db, runId)) {
    if (unit.crawlStatus !== 'done') crawlFailed.add(unit.id);
    const urls = new Set<string>();
    for await (const r of eachResource(db, runId, unit.id))
      if (((r.status >= 200 && r.status < 300) || r.status === 304) && !r.errorKind)
        urls.add(r.url).add(r.finalUrl);
    fetched.set(unit.id, urls);
  }
  return { crawlFailed, fetched };
}

/** Store → RecheckReport: the earlier inspection against the later one (both checked and scored). */
export async function buildRecheck(
  db: Db,
  previousRunId: number,
  currentRunId: number,
  opts: ReportOptions,
): Promise<RecheckReport> {
  return (await buildRecheckWithReports(db, previousRunId, currentRunId, opts)).recheck;
}

/** The RecheckReport and the two InspectionReports it compares (the 督办通知 need all three). */
export async function buildRecheckWithReports(
  db: Db,
  previousRunId: number,
  currentRunId: number,
  opts: ReportOptions,
): Promise<{ recheck: RecheckReport; previous: InspectionReport; current: InspectionReport }> {
  for (const id of [previousRunId, currentRunId])
    if (!(await getRun(db, id))) throw new Error(`找不到巡查批次 ${id}`);
  const previous = await buildReport(db, previousRunId, opts);
  const current = await buildReport(db, currentRunId, opts);
  return {
    recheck: compareInspections(previous, current, {
      ...(await coverageOf(db, currentRunId)),
      feedback: await acceptedFeedback(db, previousRunId),
    }),
    previous,
    current,
  };
}
