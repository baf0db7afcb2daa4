import { UnrecoverableError, Worker, type ConnectionOptions, type Job } from 'bullmq';
import type { Db } from '../store/db.js';
import type { Logger } from '../log.js';
import { crawlSettings, type CrawlSettings } from '../config/settings.js';
import { crawlRun } from '../crawl/crawlRun.js';
import { createPageAnalyser, defaultAnalysisWorkers, type PageAnalyser } from '../crawl/pageAnalyser.js';
import { runChecks } from '../checks/runChecks.js';
import { captureEvidence } from '../evidence/captureRun.js';
import { scoreRun } from '../scoring/scoreRun.js';
import { getRun, loadUnits, setCrawlStatus, setRunStatus } from '../store/runs.js';
import { storeId } from '../store/storeId.js';
import { enqueueChecks, queueNameOf, type GroupJob, type RunJob } from './batchJobs.js';

export interface WorkerOptions {
  db: Db;
  connection: ConnectionOptions;
  log: Logger;
  rulesDir: string;
  /**
   * Crawl jobs (host groups) at once. A crawl mostly waits for its hosts' politeness, so a worker
   * takes many: the pace is then set by the hosts, not by the worker's slots.
   */
  concurrency: number;
  /** Check jobs at once: these compute (parse attachments, run checks) and hold a unit in memory. */
  checkConcurrency?: number;
  /**
   * How long a job stays a worker's without a sign of life: a worker killed mid-crawl gives its
   * job back to the queue after this, and another worker resumes it from the stored frontier.
   */
  lockMs?: number;
}

/** A running worker: its two BullMQ workers (crawl and check queues) and what they share. */
export interface RunningWorker {
  close(): Promise<void>;
}

/**
 * A queue worker (`xuncha worker`): takes a store's batch jobs from Redis and runs the same stage
 * functions as `xuncha run`, on the host groups the job names. Every job is idempotent — a crawl
 * resumes from the stored frontier, a check replaces what a previous attempt stored — so a job
 * taken over after a crash, or retried, continues rather than repeats. Crawl jobs and the rest
 * come from two queues, each with its own number of jobs at once; one pool of parsing threads
 * serves every crawl job of the process.
 */
export async function startWorker(o: WorkerOptions): Promise<RunningWorker> {
  const names = await queueNameOf(o.db);
  const store = await storeId(o.db);
  const lockMs = o.lockMs ?? 30_000;
  const analyser = createPageAnalyser(defaultAnalysisWorkers());
  const start = (queue: string, concurrency: number) => {
    const worker: Worker = new Worker(
      queue,
      (job: Job, _token?: string, signal?: AbortSignal) =>
        processJob({ ...o, analyser, checkQueue: names.check }, store, job, signal),
      {
        connection: o.connection,
        concurrency,
        lockDuration: lockMs,
        stalledInterval: Math.max(1_000, Math.round(lockMs / 2)),
        // A job whose worker died is resumed by another; only a job that keeps killing workers fails.
        maxStalledCount: 5,
      },
    );
    worker.on('failed', (job, err) =>
      o.log.warn(`任务 ${job?.id ?? ''} 失败（第 ${job?.attemptsMade ?? 0} 次）：${err.message}`),
    );
    worker.on('error', (err) => o.log.warn(`任务队列出错：${err.message}`));
    // A lock not renewed in time (this process stalled longer than lockMs) means the job may
    // already be another worker's: stop crawling it, so a host never has two crawlers.
    worker.on('lockRenewalFailed', (ids) => {
      for (const id of ids) {
        o.log.warn(`任务 ${id} 的锁未能续期，已停止执行，交由其他工作进程继续`);
        worker.cancelJob(id, 'lock lost');
      }
    });
    return worker;
  };
  const workers = [start(names.crawl, o.concurrency), start(names.check, o.checkConcurrency ?? 2)];
  await Promise.all(workers.map((w) => w.waitUntilReady()));
  return {
    async close() {
      await Promise.all(workers.map((w) => w.close()));
      await analyser.close();
    },
  };
}

type JobContext = WorkerOptions & { analyser: PageAnalyser; checkQueue: string };

async function processJob(o: JobContext, store: string, job: Job, signal?: AbortSignal): Promise<void> {
  const data = job.data as RunJob & Partial<GroupJob>;
  if (data.store !== store)
    throw new UnrecoverableError('该任务属于另一个巡查数据库：请让工作进程与下达批次的命令使用同一个 --db');
  const run = await getRun(o.db, data.runId);
  if (!run) throw new UnrecoverableError(`找不到巡查批次 ${data.runId}`);
  const settings = crawlSettings(run.settings as Partial<CrawlSettings>);
  const units = data.unitIds ?? [];
  const label = `第 ${data.runId} 批次`;
  switch (job.name) {
    case 'crawl':
      o.log.info(`${label}：抓取第 ${(data.group ?? 0) + 1} 组（${units.join('、')}）`);
      await crawlRun(o.db, data.runId, settings, o.log, {
        only: units,
        analyser: o.analyser,
        ...(signal ? { signal } : {}),
      });
      if (signal?.aborted) throw new Error('任务的锁已失效，已交由其他工作进程继续');
      return;
    case 'fanout':
      await afterCrawls(o, data);
      return;
    case 'check':
      o.log.info(`${label}：检查第 ${(data.group ?? 0) + 1} 组（${units.join('、')}）`);
      await runChecks(o.db, data.runId, run.inspectionDate, o.log, o.rulesDir, units);
      if (settings.screenshots) await captureEvidence(o.db, data.runId, settings, o.log, units);
      return;
    case 'finish':
      await setRunStatus(o.db, data.runId, 'checked');
      await scoreRun(o.db, data.runId, `${o.rulesDir}/indicators/national-2019.yaml`);
      await setRunStatus(o.db, data.runId, 'scored');
      o.log.info(`${label}：检查、取证和评分完成，可用 xuncha report --run ${data.runId} 生成报告`);
      return;
    default:
      throw new UnrecoverableError(`未知的任务类型 ${job.name}`);
  }
}

/**
 * Every crawl job has ended: a unit whose job failed for good (retries spent) is recorded as a
 * failed crawl — the batch still finishes, with the failure in its reports — then the checks.
 */
async function afterCrawls(o: JobContext, run: RunJob): Promise<void> {
  for (const u of await loadUnits(o.db, run.runId))
    if (u.crawlStatus !== 'done' && u.crawlStatus !== 'failed')
      await setCrawlStatus(o.db, run.runId, u.id, 'failed', '抓取任务多次失败，未能完成（详见工作进程日志）');
  await setRunStatus(o.db, run.runId, 'crawled');
  await enqueueChecks(o.db, o.connection, { runId: run.runId, store: run.store });
}
