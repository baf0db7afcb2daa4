import type { ConnectionOptions } from 'bullmq';
import { loadBullmq } from '../util/lazyModules.js';
import type { Db } from '../store/db.js';
import { getRun } from '../store/runs.js';
import { hostGroupsOf, jobId, queueNameOf } from './batchJobs.js';
import { maskText } from '../pii/mask.js';

/** Where a batch stands, from the store (and the queue, when given): what `xuncha status` shows. */
export interface BatchProgress {
  runId: number;
  status: string;
  units: number;
  crawled: number;
  crawlFailed: number;
  pagesDone: number;
  pagesQueued: number;
  /** Host groups, and their crawl and check jobs by state (queue only). */
  groups: number;
  jobs?: {
    crawl: Record<string, number>;
    check: Record<string, number>;
    finish?: string;
    finishReason?: string;
  };
}

export async function batchProgress(
  db: Db,
  runId: number,
  connection?: ConnectionOptions,
): Promise<BatchProgress> {
  const run = await getRun(db, runId);
  if (!run) throw new Error(`找不到巡查批次 ${runId}`);
  const units = await db
    .selectFrom('units')
    .select((eb) => ['crawl_status', eb.fn.countAll<number>().as('n')])
    .where('run_id', '=', runId)
    .groupBy('crawl_status')
    .execute();
  const frontier = await db
    .selectFrom('frontier')
    .select((eb) => ['state', eb.fn.countAll<number>().as('n')])
    .where('run_id', '=', runId)
    .groupBy('state')
    .execute();
  const count = (rows: { n: number }[], pick: (r: never) => boolean) =>
    rows.filter((r) => pick(r as never)).reduce((a, r) => a + Number(r.n), 0);
  const groups = await hostGroupsOf(db, runId);
  const progress: BatchProgress = {
    runId,
    status: run.status,
    units: count(units, () => true),
    crawled: count(units, (r: { crawl_status: string }) => r.crawl_status === 'done'),
    crawlFailed: count(units, (r: { crawl_status: string }) => r.crawl_status === 'failed'),
    pagesDone: count(frontier, (r: { state: string }) => r.state !== 'queued'),
    pagesQueued: count(frontier, (r: { state: string }) => r.state === 'queued'),
    groups: groups.length,
  };
  if (!connection) return progress;
  const names = await queueNameOf(db);
  const { Queue } = await loadBullmq();
  const queues = {
    crawl: new Queue(names.crawl, { connection }),
    check: new Queue(names.check, { connection }),
  };
  try {
    const states = async (step: 'crawl' | 'check') => {
      const out: Record<string, number> = {};
      for (let g = 0; g < groups.length; g++) {
        const job = await queues[step].getJob(jobId(runId, step, g));
        const state = job ? await job.getState() : 'not-yet';
        out[state] = (out[state] ?? 0) + 1;
      }
      return out;
    };
    const finish = await queues.check.getJob(jobId(runId, 'finish'));
    progress.jobs = {
      crawl: await states('crawl'),
      check: await states('check'),
      ...(finish ? { finish: await finish.getState() } : {}),
      // A job's error may quote a page (an exception message with scraped text): masked like a log line.
      ...(finish?.failedReason ? { finishReason: maskText(finish.failedReason) } : {}),
    };
  } finally {
    await Promise.all([queues.crawl.close(), queues.check.close()]);
  }
  return progress;
}

const STATE_WORDS: Record<string, string> = {
  completed: '完成',
  active: '进行中',
  waiting: '排队',
  'waiting-children': '等待前序',
  delayed: '待重试',
  prioritized: '排队',
  failed: '失败',
  'not-yet': '未下达',
  unknown: '已清理',
};

const states = (r: Record<string, number>) =>
  Object.entries(r)
    .map(([s, n]) => `${STATE_WORDS[s] ?? s} ${n}`)
    .join('，');

/** One line per aspect, in Chinese. */
export function describeProgress(p: BatchProgress): string[] {
  const lines = [
    `第 ${p.runId} 批次（状态：${p.status}）：${p.units} 个单位，${p.groups} 个主机组`,
    `  抓取：${p.crawled + p.crawlFailed}/${p.units} 个单位已结束（失败 ${p.crawlFailed}），页面 ${p.pagesDone} 已抓、${p.pagesQueued} 待抓`,
  ];
  if (p.jobs) {
    lines.push(`  抓取任务：${states(p.jobs.crawl)}`);
    lines.push(`  检查任务：${states(p.jobs.check)}`);
    if (p.jobs.finish)
      lines.push(
        `  评分任务：${STATE_WORDS[p.jobs.finish] ?? p.jobs.finish}${p.jobs.finishReason ? `（${p.jobs.finishReason}）` : ''}`,
      );
  }
  return lines;
}
