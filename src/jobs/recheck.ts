import { dirname, join } from 'node:path';
import type { PipelineOptions } from '../pipeline.js';
import { buildRecheckWithReports } from '../report/buildRecheck.js';
import { writeRecheck } from '../report/writeRecheck.js';
import { unfinished, type RecheckReport } from '../report/recheck.js';
import { planSupervision, type SupervisionReport } from '../report/supervision.js';
import { loadSupervisionTemplate, type SupervisionTemplate } from '../report/supervisionTemplate.js';
import {
  supervisionFileStem,
  writeSupervisionNotices,
  type WrittenSupervision,
} from '../report/supervisionFiles.js';
import { loadNoticeTemplate, type NoticeTemplate } from '../report/noticeTemplate.js';
import type { InspectionReport } from '../report/model.js';
import { formatChineseDate } from '../report/noticeContent.js';
import { WorkdayCalendar } from '../workdays/calendar.js';
import { formatTable, type Logger } from '../log.js';

/**
 * A 复查's outputs, for `xuncha recheck`, `xuncha demo --recheck` and the console's 复查 alike: the
 * comparison of the two batches, the 整改复查 workbook and the 督办通知 (the new batch is run by the
 * caller).
 */
export async function recheckAgainst(o: PipelineOptions, previousId: number, runId: number): Promise<void> {
  // Templates first: a broken one stops the 复查 before anything is written.
  const templates = { notice: loadNoticeTemplate(), supervision: loadSupervisionTemplate() };
  const { recheck, previous, current } = await buildRecheckWithReports(o.db, previousId, runId, {
    rulesDir: o.rulesDir,
    issuer: o.issuer,
    ...(o.docNumber ? { docNumber: o.docNumber } : {}),
  });
  printRecheck(o.log, recheck);
  const written = await writeRecheck(recheck, o.outDir);
  o.log.info(`复查表已生成：${written.workbook}`);
  await writeSupervision(o.log, {
    rulesDir: o.rulesDir,
    recheck,
    previous,
    current,
    dir: dirname(written.workbook),
    templates,
  });
}

export function printRecheck(log: Logger, report: RecheckReport): void {
  log.info(
    `整改复查：第 ${report.previousRunId} 批（${report.previousDate}）→ 第 ${report.currentRunId} 批（${report.currentDate}）`,
  );
  const rows = report.units.map((u) => [
    u.name,
    String(u.counts.fixed),
    String(unfinished(u.counts)),
    String(u.counts.new),
    String(u.counts.unverifiable),
    u.fixRate === undefined ? '—' : `${(u.fixRate * 100).toFixed(0)}%`,
  ]);
  for (const line of formatTable([['单位', '已整改', '未整改', '新发现', '无法复查', '整改率'], ...rows]))
    log.info(line);
}

/**
 * The 督办通知 of a re-check into `dir` (beside 整改复查.xlsx), with the Chinese summary lines and a
 * warning when PDFs could not be printed. Also for other commands that re-check (the demo).
 */
export async function writeSupervision(
  log: Logger,
  o: {
    rulesDir: string;
    recheck: RecheckReport;
    previous: InspectionReport;
    current: InspectionReport;
    dir: string;
    templates?: { notice: NoticeTemplate; supervision: SupervisionTemplate };
  },
): Promise<WrittenSupervision> {
  const notice = o.templates?.notice ?? loadNoticeTemplate();
  const supervision = o.templates?.supervision ?? loadSupervisionTemplate();
  const calendar = WorkdayCalendar.load(join(o.rulesDir, 'calendar'));
  const plan = planSupervision(o.recheck, o.previous, o.current, calendar, supervision.deadlineWorkdays);
  const files = await writeSupervisionNotices(plan, o.dir, notice, supervision);
  printSupervision(log, plan, o.dir, files.pdfs.length);
  for (const warning of files.warnings) log.warn(warning);
  return files;
}

/** Where the 督办通知 are and for whom (Chinese), or that none was needed. */
export function printSupervision(log: Logger, plan: SupervisionReport, dir: string, pdfs: number): void {
  if (!plan.units.length) {
    log.info('督办通知：没有单位存在未整改的问题，未生成督办通知。');
    return;
  }
  const overdue = plan.overdueWorkdays ? `，截至复查已逾期 ${plan.overdueWorkdays} 个工作日` : '';
  log.info(
    `督办通知已生成 ${plan.units.length} 份（DOCX${pdfs ? ' 和 PDF' : ''}），在 ${dir}：原整改期限 ${formatChineseDate(plan.first.deadline)}${overdue}；督办整改期限 ${formatChineseDate(plan.deadline)}（${plan.deadlineWorkdays} 个工作日）`,
  );
  for (const su of plan.units)
    log.info(
      `  ${supervisionFileStem(su.unit.name)}.docx（未整改 ${unfinished(su.recheck.counts)} 项，新发现 ${su.recheck.counts.new} 项）`,
    );
}

const RECHECK_PREFIX = '整改复查：第 ';

/**
 * The `seeds_file` a 复查 batch is created with. It names the batch it follows up, so the scheduler
 * can tell a 复查 from a regular batch (a 复查 is not itself re-checked).
 */
export function recheckSource(previousId: number): string {
  return `${RECHECK_PREFIX}${previousId} 批次`;
}

/** The batch a 复查 batch followed up, or undefined for a regular batch. */
export function recheckedRunOf(seedsFile: string): number | undefined {
  if (!seedsFile.startsWith(RECHECK_PREFIX)) return undefined;
  const n = Number.parseInt(seedsFile.slice(RECHECK_PREFIX.length), 10);
  return Number.isInteger(n) ? n : undefined;
}
