import type { Command } from 'commander';
import type { Db } from '../store/db.js';
import { getRun, latestRunId } from '../store/runs.js';
import { dirname, join } from 'node:path';
import { buildRecheckWithReports } from '../report/buildRecheck.js';
import { validateRules } from '../config/validateRules.js';
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
import {
  UserError,
  docNumberFlag,
  action,
  openExistingFromFlags,
  resolveRunId,
  withCommonOptions,
  type CommonFlags,
} from './common.js';

type Flags = CommonFlags & { run?: string; against?: string };

/** Stages a run must have passed before its findings can be compared. */
const CHECKED = new Set(['checked', 'scored', 'reported']);

async function requireChecked(db: Db, runId: number): Promise<void> {
  const status = (await getRun(db, runId))!.status;
  if (!CHECKED.has(status))
    throw new UserError(
      `批次 ${runId} 尚未完成检查（状态：${status}），请先运行 xuncha check --run ${runId}`,
    );
}

/** The run to compare against: the one given, else the latest run before `runId`. */
async function earlierRun(db: Db, runId: number, against: string | undefined): Promise<number> {
  if (against !== undefined) return resolveRunId(db, against);
  const id = await latestRunId(db, runId);
  if (!id) throw new UserError(`批次 ${runId} 之前没有可供对比的巡查批次，请用 --against 指定`);
  return id;
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

export function registerRecheckCommand(program: Command): void {
  withCommonOptions(program.command('recheck'))
    .description(
      '整改复查：对比两次巡查，列出各单位已整改、未整改和新发现的问题，并向仍有未整改问题的单位生成督办通知',
    )
    .option('--run <id>', '复查批次号（默认最近一次）')
    .option('--against <id>', '对比的原巡查批次号（默认复查批次之前的最近一次）')
    .action(
      action(async (flags: Flags) => {
        validateRules(flags.rules);
        const { db, log } = await openExistingFromFlags(flags, flags.run);
        const runId = await resolveRunId(db, flags.run);
        const previousId = await earlierRun(db, runId, flags.against);
        if (previousId === runId) throw new UserError('复查批次与原巡查批次不能相同');
        await requireChecked(db, previousId);
        await requireChecked(db, runId);
        // Templates first: a broken one stops the command before anything is written.
        const templates = { notice: loadNoticeTemplate(), supervision: loadSupervisionTemplate() };
        const { recheck, previous, current } = await buildRecheckWithReports(db, previousId, runId, {
          rulesDir: flags.rules,
          issuer: flags.issuer,
          ...(flags.docNumber !== undefined ? { docNumber: docNumberFlag(flags.docNumber) } : {}),
        });
        printRecheck(log, recheck);
        const written = await writeRecheck(recheck, flags.out);
        log.info(`复查表已生成：${written.workbook}`);
        await writeSupervision(log, {
          rulesDir: flags.rules,
          recheck,
          previous,
          current,
          dir: dirname(written.workbook),
          templates,
        });
      }),
    );
}
