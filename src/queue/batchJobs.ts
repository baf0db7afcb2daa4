import type { ConnectionOptions, FlowJob } from 'bullmq';
import { loadBullmq } from '../util/lazyModules.js';
import type { Db } from '../store/db.js';
import { storeId } from '../store/storeId.js';
import { loadUnits } from '../store/runs.js';
import { hostGroups } from '../crawl/scope.js';

/**
 * A batch as BullMQ jobs (see worker.ts for what each does):
 *
 *   crawl × host group ─▶ fanout ─▶ check × host group ─▶ finish
 *
 * Crawl and check jobs are per *host group* — the units sharing a host (a 集约化 portal and its
 * columns) — so one job, on one worker, holds a host's whole politeness budget whatever the
 * number of workers, and the portal is checked before its columns (they inherit its 互动
 * channels). Checks wait for every crawl: dead-link facts are run-wide. Two flows, joined by the
 * fanout job, since a BullMQ flow is a tree and "every check after every crawl" is not.
 */
export type BatchJob =
  | { name: 'crawl'; data: GroupJob }
  | { name: 'fanout'; data: RunJob }
  | { name: 'check'; data: GroupJob }
  | { name: 'finish'; data: RunJob };

export interface RunJob {
  runId: number;
  /** The store the batch lives in (storeId), checked by the worker that takes the job. */
  store: string;
}

export interface GroupJob extends RunJob {
  /** The host group's units. */
  unitIds: string[];
  /** Position of the group in the batch, for job ids and progress lines. */
  group: number;
}

/**
 * Two queues per store — crawl jobs, and the rest (fanout, checks, finish) — so a worker takes
 * many crawls at once (they wait on politeness) and few checks (they compute). Named after the
 * store's id: workers of a store take only its jobs, whatever else shares the Redis.
 */
export async function queueNameOf(db: Db): Promise<{ crawl: string; check: string }> {
  const base = `xuncha-${(await storeId(db)).slice(0, 8)}`;
  return { crawl: `${base}-crawl`, check: `${base}-check` };
}

/** Job ids are derived from the batch, so adding a flow twice (a retried fanout) adds nothing. */
export const jobId = (runId: number, step: 'crawl' | 'check' | 'fanout' | 'finish', group?: number) =>
  `run${runId}-${step}${group === undefined ? '' : `-${group}`}`;

/**
 * Child jobs: retried a few times (a store or network blip), and a child that still fails does
 * not hold its parent for ever — the unit is recorded as failed and the batch goes on.
 */
const CHILD_OPTS = {
  attempts: 3,
  backoff: { type: 'exponential', delay: 5_000 },
  ignoreDependencyOnFailure: true,
  removeOnComplete: { age: 30 * 86_400 },
  removeOnFail: { age: 30 * 86_400 },
} as const;

export async function hostGroupsOf(db: Db, runId: number): Promise<string[][]> {
  return hostGroups(await loadUnits(db, runId)).map((g) => g.map((u) => u.id));
}

function groupJobs(step: 'crawl' | 'check', queueName: string, run: RunJob, groups: string[][]): FlowJob[] {
  return groups.map((unitIds, group) => ({
    name: step,
    queueName,
    data: { ...run, unitIds, group } satisfies GroupJob,
    opts: { ...CHILD_OPTS, jobId: jobId(run.runId, step, group) },
  }));
}

/** Enqueue a batch's crawl: one job per host group, and the fanout once all are done. */
export async function enqueueBatch(db: Db, connection: ConnectionOptions, runId: number): Promise<void> {
  const queues = await queueNameOf(db);
  const run: RunJob = { runId, store: await storeId(db) };
  const flows = new (await loadBullmq()).FlowProducer({ connection });
  try {
    await flows.add({
      name: 'fanout',
      queueName: queues.check,
      data: run,
      opts: { jobId: jobId(runId, 'fanout'), attempts: 3, removeOnComplete: { age: 30 * 86_400 } },
      children: groupJobs('crawl', queues.crawl, run, await hostGroupsOf(db, runId)),
    });
  } finally {
    await flows.close();
  }
}

/** Enqueue a batch's checks (one per host group) and the finish once all are done. */
export async function enqueueChecks(db: Db, connection: ConnectionOptions, run: RunJob): Promise<void> {
  const queueName = (await queueNameOf(db)).check;
  const flows = new (await loadBullmq()).FlowProducer({ connection });
  try {
    await flows.add({
      name: 'finish',
      queueName,
      data: run,
      opts: { jobId: jobId(run.runId, 'finish'), attempts: 3, removeOnComplete: { age: 30 * 86_400 } },
      children: groupJobs('check', queueName, run, await hostGroupsOf(db, run.runId)),
    });
  } finally {
    await flows.close();
  }
}

/** The state of a batch's last job, or undefined before its checks were enqueued. */
export async function finishState(
  db: Db,
  connection: ConnectionOptions,
  runId: number,
): Promise<{ state: string; reason?: string } | undefined> {
  const queue = new (await loadBullmq()).Queue((await queueNameOf(db)).check, { connection });
  try {
    const job = await queue.getJob(jobId(runId, 'finish'));
    if (!job) return undefined;
    const state = await job.getState();
    return { state, ...(job.failedReason ? { reason: job.failedReason } : {}) };
  } finally {
    await queue.close();
  }
}
