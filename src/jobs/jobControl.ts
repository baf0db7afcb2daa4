import type { Db } from '../store/db.js';
import type { Logger } from '../log.js';
import type { Account, JobControl, RunningJob } from '../console/types.js';
import type { Mailer } from '../mail/mailer.js';
import type { Unit } from '../seeds/unit.js';
import { crawlSettings, type CrawlSettings } from '../config/settings.js';
import { checkSeedsAgainstRules, RulesError, validateRules } from '../config/validateRules.js';
import { ConfigError } from '../config/yamlFile.js';
import { ZodError } from 'zod';
import { isCalendarDate } from '../workdays/calendar.js';
import { createRunFromUnits, runAllStages, type PipelineOptions } from '../pipeline.js';
import { withBatchLock } from '../cli/batchLock.js';
import { LockConflict } from '../store/locks.js';
import { getRun, loadUnits, setRunStatus } from '../store/runs.js';
import { recordAudit } from '../store/audit.js';
import { getSetting, SETTING_CRAWL } from '../store/consoleSettings.js';
import { rosterUnits } from './roster.js';
import { stageLogger, type StageLogger } from './stageLog.js';
import { recheckAgainst, recheckSource } from './recheck.js';
import { probeRoster } from './probe.js';
import { createMailer } from '../mail/send.js';

export interface JobControlOptions {
  db: Db;
  log: Logger;
  rulesDir: string;
  outDir: string;
  issuer: string;
  now(): Date;
  /** Default: SMTP as set in the console (createMailer); nothing is sent until it is set. */
  mailer?: Mailer;
}

/** A start refused (another batch runs, no roster …): the message is for the user (HTTP 409). */
export class JobRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'JobRefused';
  }
}

export interface ConsoleJobs extends JobControl {
  /** One availability probe round of the roster (`xuncha probe --once`), tracked in running(). */
  startProbe(by: Account | 'scheduler'): Promise<void>;
  /** Resolves when every job started so far has ended (tests, shutdown). */
  settled(): Promise<void>;
  /** Refuse new jobs and wait for the running ones to end. */
  close(): Promise<void>;
}

/** Inspection dates are Beijing dates, as `todayIso` in the pipeline reads them. */
export function beijingDate(d: Date): string {
  return new Date(d.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
}

/** A roster or rules mistake refuses the start with the reader's message (file, line, field). */
async function inputError<T>(body: () => Promise<T>): Promise<T> {
  try {
    return await body();
  } catch (err) {
    if (err instanceof ConfigError || err instanceof RulesError) throw new JobRefused(err.message);
    if (err instanceof ZodError)
      throw new JobRefused(`控制台的抓取设置（crawl）无效：${err.issues[0]?.message ?? ''}`);
    throw err;
  }
}

function who(by: Account | 'scheduler'): string {
  return by === 'scheduler' ? '定时任务' : by.displayName || by.username;
}

function auditWho(by: Account | 'scheduler') {
  return by === 'scheduler' ? { account: null, username: 'scheduler' } : { account: by };
}

/**
 * Batches, 复查 and probes run in the console's (or `xuncha schedule`'s) own process, under the
 * batch lock every xuncha command takes: a batch is refused while this process runs one, and while
 * any process (a CLI `xuncha run` on the same store) crawls one. A failed batch is logged and
 * stored as failed; it never takes the process down.
 */
export function createJobControl(o: JobControlOptions): ConsoleJobs {
  const mailer = o.mailer ?? createMailer(o);
  const active = new Set<RunningJob & { log: StageLogger }>();
  const tasks = new Set<Promise<void>>();
  let closing = false;

  const refuseIfBusy = () => {
    if (closing) throw new JobRefused('控制台正在关闭，不再启动新的任务');
    const busy = [...active].find((j) => j.kind !== 'probe');
    if (busy)
      throw new JobRefused(
        `第 ${busy.runId ?? '?'} 批次正在进行（${busy.log.stage()}，${busy.startedBy} 于 ${busy.startedAt} 启动），两个批次不能同时进行；请等待其结束后再试`,
      );
  };

  /** The batch is reported whatever the mail does: a mail problem is logged, never the batch's failure. */
  const mailAfter = (runId: number) =>
    mailer.afterBatch(runId).then(
      () => undefined,
      (err: unknown) => o.log.error(`第 ${runId} 批次的邮件未能发送：${String(err)}`),
    );

  const settingsOf = async (): Promise<CrawlSettings> =>
    crawlSettings((await getSetting<Partial<CrawlSettings>>(o.db, SETTING_CRAWL))?.value ?? {});

  const pipeline = (log: Logger, settings: CrawlSettings): PipelineOptions => ({
    db: o.db,
    log,
    settings,
    rulesDir: o.rulesDir,
    outDir: o.outDir,
    issuer: o.issuer,
  });

  /**
   * Take the lock (creating the batch), then run `body` in the background. Resolves with the new
   * batch's id once the lock is held; rejects only when the batch could not start.
   */
  function launch(
    kind: 'batch' | 'recheck',
    by: Account | 'scheduler',
    units: Unit[],
    source: string,
    date: string,
    settings: CrawlSettings,
    body: (runId: number, p: PipelineOptions) => Promise<void>,
  ): Promise<{ runId: number }> {
    const log = stageLogger(o.log, '准备');
    const job = {
      kind,
      runId: null as number | null,
      startedAt: o.now().toISOString(),
      startedBy: who(by),
      stage: '准备',
      log,
    };
    active.add(job);
    return new Promise((resolveStart, rejectStart) => {
      const create = (tx: Db) => createRunFromUnits(tx, units, source, date, settings);
      const lockOptions = { run: create, mode: 'crawl', command: 'serve', allowParallel: false } as const;
      const task = withBatchLock(o.db, log, lockOptions, async (lock) => {
        job.runId = lock.runId;
        resolveStart({ runId: lock.runId });
        try {
          await body(lock.runId, { ...pipeline(log, settings), lock });
        } catch (err) {
          log.error(`第 ${lock.runId} 批次失败：${(err as Error).stack ?? String(err)}`);
          await setRunStatus(o.db, lock.runId, 'failed').catch(() => {});
          await recordAudit(
            o.db,
            {
              account: null,
              username: 'system',
              action: `${kind}.fail`,
              target: `run:${lock.runId}`,
              detail: { error: String(err) },
            },
            o.now(),
          ).catch(() => {});
        }
      })
        .catch((err: unknown) => {
          // Before the lock was held: the start itself failed (another process crawls).
          const message = err instanceof LockConflict ? err.message : `无法启动批次：${String(err)}`;
          if (job.runId === null) rejectStart(new JobRefused(message));
          else log.error(message);
        })
        .finally(() => {
          active.delete(job);
          tasks.delete(task);
        });
      tasks.add(task);
    });
  }

  async function startBatch(
    by: Account | 'scheduler',
    options: { inspectionDate?: string } = {},
  ): Promise<{ runId: number }> {
    refuseIfBusy();
    if (options.inspectionDate !== undefined && !isCalendarDate(options.inspectionDate))
      throw new JobRefused(`检查日期应为真实日期 YYYY-MM-DD，实际为 ${options.inspectionDate}`);
    const roster = await inputError(async () => {
      const r = await rosterUnits(o.db);
      if (!r) throw new JobRefused('还没有单位名单：请先在“设置 → 单位名单”导入种子文件');
      checkSeedsAgainstRules(r.units, r.source, validateRules(o.rulesDir));
      return r;
    });
    refuseIfBusy();
    const date = options.inspectionDate ?? beijingDate(o.now());
    const settings = await inputError(settingsOf);
    return launch('batch', by, roster.units, roster.source, date, settings, async (runId, p) => {
      await recordAudit(
        o.db,
        {
          ...auditWho(by),
          action: 'batch.start',
          target: `run:${runId}`,
          detail: { inspectionDate: date, units: roster.units.length, source: roster.source },
        },
        o.now(),
      );
      await runAllStages(p, runId);
      o.log.info(`第 ${runId} 批次已完成（${who(by)}启动）`);
      await mailAfter(runId);
    });
  }

  async function startRecheck(by: Account | 'scheduler', previousId: number): Promise<{ runId: number }> {
    refuseIfBusy();
    const previous = await getRun(o.db, previousId);
    if (!previous) throw new JobRefused(`找不到巡查批次 ${previousId}`);
    if (!['checked', 'scored', 'reported'].includes(previous.status))
      throw new JobRefused(`批次 ${previousId} 尚未完成检查（状态：${previous.status}），不能复查`);
    // A 复查 inspects the same units with the same settings as the batch it follows up.
    const units = (await loadUnits(o.db, previousId)).map(
      ({ crawlStatus: _s, crawlError: _e, ...unit }) => unit as Unit,
    );
    const settings = crawlSettings(previous.settings as Partial<CrawlSettings>);
    const date = beijingDate(o.now());
    refuseIfBusy();
    return launch('recheck', by, units, recheckSource(previousId), date, settings, async (runId, p) => {
      await recordAudit(
        o.db,
        {
          ...auditWho(by),
          action: 'batch.recheck',
          target: `run:${previousId}`,
          detail: { recheckRunId: runId },
        },
        o.now(),
      );
      await runAllStages(p, runId);
      await recheckAgainst(p, previousId, runId);
      o.log.info(`第 ${previousId} 批次的整改复查已完成（第 ${runId} 批次）`);
      await mailAfter(runId);
    });
  }

  async function startProbe(by: Account | 'scheduler'): Promise<void> {
    if (closing) throw new JobRefused('控制台正在关闭，不再启动新的任务');
    if ([...active].some((j) => j.kind === 'probe')) throw new JobRefused('上一轮可用性监测尚未结束');
    const log = stageLogger(o.log, '可用性监测');
    const job = {
      kind: 'probe' as const,
      runId: null,
      startedAt: o.now().toISOString(),
      startedBy: who(by),
      stage: '可用性监测',
      log,
    };
    active.add(job);
    const task = probeRoster(o.db, log, await settingsOf())
      .then(() => undefined)
      .catch((err: unknown) => log.error(`可用性监测失败：${String(err)}`))
      .finally(() => {
        active.delete(job);
        tasks.delete(task);
      });
    tasks.add(task);
    await task;
  }

  const settled = async () => {
    while (tasks.size) await Promise.allSettled([...tasks]);
  };

  return {
    startBatch,
    startRecheck,
    startProbe,
    running: () =>
      [...active].map((j) => ({
        kind: j.kind,
        runId: j.runId,
        startedAt: j.startedAt,
        startedBy: j.startedBy,
        stage: j.log.stage(),
      })),
    settled,
    async close() {
      closing = true;
      await settled();
    },
  };
}
