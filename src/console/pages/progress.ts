/**
 * GET /api/progress (管理员, 检查员): what console.js polls to keep the overview's and a batch
 * page's 正在进行 table live. The JSON:
 *
 *   {
 *     "now": "2026-12-07T03:00:00.000Z",          // the server's clock (env.now())
 *     "running": [                                // env.jobs.running(), in its order
 *       {
 *         "kind": "batch" | "recheck" | "probe",
 *         "runId": 12 | null,                     // null until the job has created its batch
 *         "stage": "抓取",                        // the job's own stage word
 *         "startedAt": "2026-12-07T02:58:00.000Z",
 *         "startedBy": "张三",
 *         "status": "created" | "crawled" | "checked" | "scored" | "reported" | null,
 *         "statusLabel": "抓取中" | null,
 *         "units": 100, "crawled": 37, "crawlFailed": 1,     // units of the batch, crawl ended / failed
 *         "pagesDone": 5120, "pagesQueued": 830,             // frontier entries fetched / waiting
 *         "text": "单位 38/100 已抓取完（失败 1），页面 5120 已抓、830 待抓"
 *       }
 *     ]
 *   }
 *
 * The figures are null when the batch is not in the store yet. In the pages each running job is a
 * `<tr data-run-id="12">` inside `<section id="running" data-progress-url="/api/progress">` with a
 * `td.stage` and a `td.progress` cell: console.js may replace their text with `stage` and `text`,
 * and reload the page when a runId it showed is no longer running (the batch has finished).
 */
import type { BatchProgress } from '../../queue/batchProgress.js';
import type { PageRoute } from '../types.js';
import { runningJobs, statusLabel } from '../data/batches.js';
import { warmBatchReport } from '../data/report.js';

/** The progress cell's text, shared by the pages and the JSON so both say the same. */
export function progressText(p: BatchProgress): string {
  return (
    `单位 ${p.crawled + p.crawlFailed}/${p.units} 已抓取完（失败 ${p.crawlFailed}），` +
    `页面 ${p.pagesDone} 已抓、${p.pagesQueued} 待抓`
  );
}

export interface ProgressItem {
  kind: 'batch' | 'recheck' | 'probe';
  runId: number | null;
  stage: string;
  startedAt: string;
  startedBy: string;
  status: string | null;
  statusLabel: string | null;
  units: number | null;
  crawled: number | null;
  crawlFailed: number | null;
  pagesDone: number | null;
  pagesQueued: number | null;
  text: string;
}

export const progressRoute: PageRoute = {
  method: 'GET',
  path: '/api/progress',
  roles: ['admin', 'inspector'],
  async handle(env) {
    const jobs = await runningJobs(env);
    // A batch scored while its reports are written: build what its pages will show now, so the
    // reload console.js does when the job ends finds it ready (or nearly).
    for (const { job, progress } of jobs)
      if (job.runId !== null && (progress?.status === 'scored' || progress?.status === 'reported'))
        warmBatchReport(env, job.runId);
    const running: ProgressItem[] = jobs.map(({ job, progress: p }) => ({
      kind: job.kind,
      runId: job.runId,
      stage: job.stage,
      startedAt: job.startedAt,
      startedBy: job.startedBy,
      status: p?.status ?? null,
      statusLabel: p ? statusLabel(p.status) : null,
      units: p?.units ?? null,
      crawled: p?.crawled ?? null,
      crawlFailed: p?.crawlFailed ?? null,
      pagesDone: p?.pagesDone ?? null,
      pagesQueued: p?.pagesQueued ?? null,
      text: p ? progressText(p) : '准备中',
    }));
    return { kind: 'json', data: { now: env.now().toISOString(), running } };
  },
};
