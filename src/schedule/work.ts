import type { ConsoleEnv } from '../console/types.js';
import type { Mailer } from '../mail/mailer.js';
import type { ScheduleJob } from '../store/scheduleJobs.js';
import { listAudit } from '../store/audit.js';
import { listMailLog } from '../store/mailLog.js';
import { getSetting, SETTING_CRAWL } from '../store/consoleSettings.js';
import { crawlSettings, type CrawlSettings } from '../config/settings.js';
import { JobRefused, beijingDate, type ConsoleJobs } from '../jobs/jobControl.js';
import { probeRoster } from '../jobs/probe.js';
import { latestBatchDeadline, workdayCalendar } from './deadlines.js';

/** The outcome of a batch or 复查 that started and has not finished yet. */
export const RUNNING = '运行中';

export interface WorkResult {
  /** Chinese: 完成 …, 跳过：…, 未到复查日期 …; RUNNING while a batch goes on. */
  outcome: string;
  runId?: number;
  /** Refused because other work was running: recorded in the audit log. */
  skipped?: boolean;
}

function numberOption(job: ScheduleJob, key: string, fallback: number): number {
  const v = Number(job.options[key]);
  return Number.isInteger(v) && v >= 0 ? v : fallback;
}

function hasProbe(jobs: ConsoleEnv['jobs']): jobs is ConsoleJobs {
  return typeof (jobs as Partial<ConsoleJobs>).startProbe === 'function';
}

/** A refusal becomes a recorded skip; anything else is the job's failure. */
async function startOrSkip(start: () => Promise<{ runId: number }>): Promise<WorkResult> {
  try {
    const { runId } = await start();
    return { outcome: RUNNING, runId };
  } catch (err) {
    if (err instanceof JobRefused) return { outcome: `跳过：${err.message}`, skipped: true };
    throw err;
  }
}

/** What a due job does, by kind. */
export async function runScheduledWork(
  env: ConsoleEnv,
  job: ScheduleJob,
  mailer?: Mailer,
): Promise<WorkResult> {
  switch (job.kind) {
    case 'batch':
      return startOrSkip(() => env.jobs.startBatch('scheduler'));
    case 'probe':
      return probe(env);
    case 'recheck':
      return recheck(env, job);
    case 'reminder':
      return reminder(env, job, mailer);
    default:
      return { outcome: `跳过：未知的任务类型 ${String(job.kind)}` };
  }
}

async function probe(env: ConsoleEnv): Promise<WorkResult> {
  if (hasProbe(env.jobs)) {
    try {
      await env.jobs.startProbe('scheduler');
    } catch (err) {
      if (err instanceof JobRefused) return { outcome: `跳过：${err.message}`, skipped: true };
      throw err;
    }
    return { outcome: '完成' };
  }
  const stored = (await getSetting<Partial<CrawlSettings>>(env.db, SETTING_CRAWL))?.value ?? {};
  const r = await probeRoster(env.db, env.log, crawlSettings(stored));
  return { outcome: r ? `完成：${r.units - r.failed}/${r.units} 个单位首页可访问` : '跳过：还没有单位名单' };
}

/**
 * The 复查 of the latest batch once its deadline has passed by `workdaysAfterDeadline` working
 * days, once per batch: a 复查 started for it before (by this job or a person, in the audit log)
 * is not repeated.
 */
async function recheck(env: ConsoleEnv, job: ScheduleJob): Promise<WorkResult> {
  const latest = await latestBatchDeadline(env.db, env.rulesDir, env.outDir);
  if (!latest) return { outcome: '无需复查：还没有完成的巡查批次' };
  const after = numberOption(job, 'workdaysAfterDeadline', 2);
  const due = workdayCalendar(env.rulesDir).addWorkdays(latest.deadline, after);
  const today = beijingDate(env.now());
  if (today < due)
    return { outcome: `未到复查日期：第 ${latest.runId} 批次整改期限 ${latest.deadline}，${due} 起复查` };
  const done = await listAudit(env.db, { action: 'batch.recheck', limit: 1000 });
  if (done.some((a) => a.target === `run:${latest.runId}`))
    return { outcome: `无需复查：第 ${latest.runId} 批次已复查过` };
  return startOrSkip(() => env.jobs.startRecheck('scheduler', latest.runId));
}

/**
 * The reminder of the latest batch's deadline, once, on the first check within `workdaysBefore`
 * working days of it (a reminder in the mail log for the batch is not repeated).
 */
async function reminder(env: ConsoleEnv, job: ScheduleJob, mailer?: Mailer): Promise<WorkResult> {
  const latest = await latestBatchDeadline(env.db, env.rulesDir, env.outDir);
  if (!latest) return { outcome: '无需提醒：还没有完成的巡查批次' };
  const today = beijingDate(env.now());
  if (today > latest.deadline)
    return { outcome: `无需提醒：第 ${latest.runId} 批次整改期限 ${latest.deadline} 已过` };
  const before = numberOption(job, 'workdaysBefore', 3);
  const left = workdayCalendar(env.rulesDir).countWorkdays(today, latest.deadline);
  if (left > before)
    return {
      outcome: `未到提醒时间：第 ${latest.runId} 批次整改期限 ${latest.deadline}，还有 ${left} 个工作日`,
    };
  if ((await listMailLog(env.db, { runId: latest.runId, limit: 1000 })).some((m) => m.kind === 'reminder'))
    return { outcome: `无需提醒：第 ${latest.runId} 批次已提醒过` };
  if (!mailer) return { outcome: '跳过：未配置邮件发送' };
  const sent = await mailer.reminder(latest.runId);
  if (!sent.configured) return { outcome: '跳过：尚未设置邮件服务器' };
  return {
    outcome: `完成：第 ${latest.runId} 批次整改期限提醒发出 ${sent.sent} 封，失败 ${sent.failed} 封`,
    runId: latest.runId,
  };
}
