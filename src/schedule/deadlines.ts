import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Db } from '../store/db.js';
import type { InspectionReport } from '../report/model.js';
import { WorkdayCalendar } from '../workdays/calendar.js';
import { loadRectification } from '../config/rectification.js';
import { reportedRuns } from '../store/scheduleJobs.js';
import { recheckedRunOf } from '../jobs/recheck.js';

export interface BatchDeadline {
  runId: number;
  inspectionDate: string;
  /** The 整改 deadline the notices gave (YYYY-MM-DD). */
  deadline: string;
}

/**
 * The deadline of a batch as its notices printed it: run.json of its reports (the InspectionReport
 * the notices were rendered from), else counted as buildReport counts it — the rectification
 * working days from the inspection date on the rules' calendar.
 */
export function batchDeadline(
  rulesDir: string,
  outDir: string,
  run: { id: number; inspectionDate: string },
): string {
  const json = join(resolve(outDir, String(run.id)), 'run.json');
  if (existsSync(json)) {
    const report = JSON.parse(readFileSync(json, 'utf8')) as InspectionReport;
    if (report.notice?.deadline) return report.notice.deadline;
  }
  const calendar = WorkdayCalendar.load(join(rulesDir, 'calendar'));
  return calendar.addWorkdays(run.inspectionDate, loadRectification(rulesDir).deadlineWorkdays);
}

/** The latest reported batch that is not itself a 复查, with its deadline: what 整改 is counted from. */
export async function latestBatchDeadline(
  db: Db,
  rulesDir: string,
  outDir: string,
): Promise<BatchDeadline | undefined> {
  const run = (await reportedRuns(db)).find((r) => recheckedRunOf(r.seedsFile) === undefined);
  if (!run) return undefined;
  return {
    runId: run.id,
    inspectionDate: run.inspectionDate,
    deadline: batchDeadline(rulesDir, outDir, run),
  };
}

export function workdayCalendar(rulesDir: string): WorkdayCalendar {
  return WorkdayCalendar.load(join(rulesDir, 'calendar'));
}
