import type { ConsoleEnv } from '../console/types.js';
import type { Mailer } from '../mail/mailer.js';
import { recordAudit } from '../store/audit.js';
import { getRun } from '../store/runs.js';
import {
  insertScheduleJobs,
  listScheduleJobs,
  markJobFinished,
  markJobStarted,
  setJobRun,
  type ScheduleJob,
} from '../store/scheduleJobs.js';
import { createMailer } from '../mail/send.js';
import { runScheduledWork, RUNNING } from './work.js';
import { beijingMinute, DEFAULT_JOBS, jobTitle, nextDue, previousDue } from './jobs.js';

/**
 * The scheduler's view of time, injectable so a test can move it. The scheduler keeps no timer of
 * its own and never asks croner to run anything: croner only computes due times (in Beijing time)
 * and the clock wakes the scheduler, so a fake clock drives exactly the code that runs in
 * production.
 */
export interface Clock {
  now(): Date;
  /** Call `fn` after `ms` of this clock's time; returns a cancel function. */
  setTimer(fn: () => void, ms: number): () => void;
}

export const realClock: Clock = {
  now: () => new Date(),
  setTimer(fn, ms) {
    const t = setTimeout(fn, Math.max(0, ms));
    return () => clearTimeout(t);
  },
};

export interface Scheduler {
  stop(): Promise<void>;
  /** The next due time of every enabled job, soonest first (ISO, UTC). */
  next(): { name: string; at: string }[];
  /** Resolves when the scheduler has nothing in progress (a wake-up, a job's start): for tests. */
  settled(): Promise<void>;
}

export interface SchedulerOptions {
  clock?: Clock;
  /** For the deadline reminder; default: SMTP as set in the console (createMailer). */
  mailer?: Mailer;
  /**
   * Longest sleep between two looks at the schedule_jobs table: a cron edited in the console takes
   * effect within this time, and a batch's finish is recorded within it. Default one minute.
   */
  pollMs?: number;
}

/**
 * The built-in scheduler: the jobs of the schedule_jobs table (the defaults when it is empty), due
 * by their cron in Beijing time. Each start and its outcome is stored, so the schedule survives a
 * restart, and a job whose last start is older than its latest due time (it fell due while the
 * process was down) runs once at start — never once per missed time. A batch that falls due while
 * another runs is skipped and recorded, not queued: the next due time tries again.
 */
export function startScheduler(env: ConsoleEnv, opts: SchedulerOptions = {}): Scheduler {
  const clock = opts.clock ?? realClock;
  const pollMs = opts.pollMs ?? 60_000;
  const log = env.log;
  const mailer = opts.mailer ?? createMailer(env);
  let stopped = false;
  let cancel: (() => void) | undefined;
  let jobs: ScheduleJob[] = [];
  /** Dues after this instant and up to now fall due at the next wake-up. */
  let checkedUntil = clock.now();
  const pending = new Set<Promise<unknown>>();

  const track = <T>(p: Promise<T>): Promise<T> => {
    pending.add(p);
    void p.finally(() => pending.delete(p)).catch(() => {});
    return p;
  };

  /** Start a job without waiting for it; its outcome is stored when known. */
  const fire = (job: ScheduleJob, why: string) => {
    void track(
      (async () => {
        const now = clock.now();
        log.info(`定时任务${jobTitle(job)}开始（${why}，北京时间 ${beijingMinute(now)}）`);
        await markJobStarted(env.db, job.name, now);
        const result = await runScheduledWork(env, job, mailer);
        if (result.runId !== undefined) await setJobRun(env.db, job.name, result.runId);
        if (result.outcome === RUNNING) return;
        await markJobFinished(env.db, job.name, clock.now(), result.outcome);
        const after = nextDue(job.cron, clock.now());
        log.info(
          `定时任务${jobTitle(job)}：${result.outcome}` +
            (after ? `；下次运行：北京时间 ${beijingMinute(after)}` : ''),
        );
        if (result.skipped)
          await recordAudit(
            env.db,
            {
              account: null,
              username: 'scheduler',
              action: 'schedule.skip',
              target: `schedule:${job.name}`,
              detail: { reason: result.outcome },
            },
            clock.now(),
          );
      })().catch((err: unknown) => {
        log.error(`定时任务${jobTitle(job)}出错：${String(err)}`);
        return markJobFinished(env.db, job.name, clock.now(), `失败：${String(err)}`).catch(() => {});
      }),
    );
  };

  /** Batches started earlier (by this process or one before a restart) that have ended since. */
  const recordFinished = async () => {
    const running = new Set(env.jobs.running().map((j) => j.runId));
    for (const job of jobs) {
      if (job.lastOutcome !== RUNNING || job.lastRunId === null || running.has(job.lastRunId)) continue;
      // A job whose batch is not known yet is still starting (fire has not stored its id).
      if (job.kind !== 'batch' && job.kind !== 'recheck') continue;
      const status = (await getRun(env.db, job.lastRunId))?.status ?? '不存在';
      const outcome =
        status === 'reported'
          ? `完成：第 ${job.lastRunId} 批次`
          : status === 'failed'
            ? `失败：第 ${job.lastRunId} 批次未能完成，详见日志`
            : `中断：第 ${job.lastRunId} 批次停在“${status}”（进程曾退出）`;
      await markJobFinished(env.db, job.name, clock.now(), outcome);
      log.info(`定时任务${jobTitle(job)}：${outcome}`);
    }
  };

  const arm = () => {
    if (stopped) return;
    const now = clock.now().getTime();
    const soonest = Math.min(...next().map((n) => Date.parse(n.at)), now + pollMs);
    cancel = clock.setTimer(() => void track(wake()), Math.max(0, soonest - now));
  };

  const wake = async () => {
    cancel = undefined;
    if (stopped) return;
    try {
      const now = clock.now();
      jobs = await listScheduleJobs(env.db);
      await recordFinished();
      for (const job of jobs.filter((j) => j.enabled)) {
        const due = nextDue(job.cron, checkedUntil);
        if (due && due <= now) fire(job, `按计划 ${beijingMinute(due)}`);
      }
      checkedUntil = now;
    } catch (err) {
      log.error(`定时任务调度出错：${String(err)}`);
    } finally {
      arm();
    }
  };

  const begin = async () => {
    await insertScheduleJobs(env.db, (await listScheduleJobs(env.db)).length ? [] : DEFAULT_JOBS);
    jobs = await listScheduleJobs(env.db);
    await recordFinished();
    const now = clock.now();
    // A due time exactly now is the regular wake-up's, not a missed one.
    checkedUntil = new Date(now.getTime() - 1);
    for (const job of jobs.filter((j) => j.enabled && j.lastStartedAt !== null)) {
      const missed = previousDue(job.cron, now);
      if (missed && Date.parse(job.lastStartedAt!) < missed.getTime())
        fire(job, `补做：${beijingMinute(missed)} 到期时未运行`);
    }
    arm();
  };

  const next = () => {
    const from = clock.now();
    return jobs
      .filter((j) => j.enabled)
      .flatMap((j) => {
        const at = nextDue(j.cron, from);
        return at ? [{ name: j.name, at: at.toISOString() }] : [];
      })
      .sort((a, b) => a.at.localeCompare(b.at));
  };

  void track(begin().catch((err: unknown) => log.error(`定时任务无法启动：${String(err)}`)));

  const settled = async () => {
    while (pending.size) await Promise.allSettled([...pending]);
  };

  return {
    next,
    settled,
    async stop() {
      stopped = true;
      cancel?.();
      await settled();
    },
  };
}
