import { sql } from 'kysely';
import type { Db } from '../../store/db.js';
import { batchProgress, type BatchProgress } from '../../queue/batchProgress.js';
import type { ConsoleEnv, RunningJob } from '../types.js';

/** A batch as the lists show it: what the runs and units tables say, nothing computed. */
export interface BatchSummary {
  id: number;
  inspectionDate: string;
  createdAt: string;
  finishedAt: string | null;
  status: string;
  units: number;
  /** Units with a stored score (the scoring stage has run). */
  scored: number;
}

/** run status (src/pipeline.ts) → what the office reads. */
export const STATUS_LABELS: Record<string, string> = {
  created: '抓取中',
  crawled: '已抓取，检查中',
  checked: '已检查，评分中',
  scored: '已评分，生成报告中',
  reported: '已完成',
};

export function statusLabel(status: string): string {
  return STATUS_LABELS[status] ?? status;
}

/** Statuses after which the batch has a ranking. */
const RANKED = ['scored', 'reported'];

export async function listBatches(db: Db): Promise<BatchSummary[]> {
  const rows = await db
    .selectFrom('runs as r')
    .select([
      'r.id',
      'r.inspection_date',
      'r.created_at',
      'r.finished_at',
      'r.status',
      (eb) =>
        eb
          .selectFrom('units as u')
          .select(sql<number>`count(*)`.as('n'))
          .whereRef('u.run_id', '=', 'r.id')
          .as('units'),
      (eb) =>
        eb
          .selectFrom('scores as s')
          .select(sql<number>`count(*)`.as('n'))
          .whereRef('s.run_id', '=', 'r.id')
          .as('scored'),
    ])
    .orderBy('r.id', 'desc')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    inspectionDate: r.inspection_date,
    createdAt: r.created_at,
    finishedAt: r.finished_at,
    status: r.status,
    units: Number(r.units ?? 0),
    scored: Number(r.scored ?? 0),
  }));
}

/** The newest batch with a ranking: what the overview shows. */
export function latestRanked(batches: BatchSummary[]): BatchSummary | undefined {
  return batches.find((b) => RANKED.includes(b.status) && b.scored > 0);
}

/** The batches a unit was inspected in, newest first, with its stored standing in each. */
export interface UnitStanding {
  runId: number;
  inspectionDate: string;
  status: string;
  name: string;
  /** Absent until the batch is scored; unscored units (home page unreachable) have no score. */
  score?: number;
  rank?: number;
  grade?: string;
  unscored: boolean;
}

/** Scores as stored by the scoring stage (the numbers every report prints), per batch. */
export async function unitHistory(db: Db, unitId: string): Promise<UnitStanding[]> {
  const rows = await db
    .selectFrom('units as u')
    .innerJoin('runs as r', 'r.id', 'u.run_id')
    .leftJoin('scores as s', (j) => j.onRef('s.run_id', '=', 'u.run_id').onRef('s.unit_id', '=', 'u.id'))
    .select([
      'r.id as runId',
      'r.inspection_date as inspectionDate',
      'r.status as status',
      'u.name as name',
      's.score as score',
      's.rank as rank',
      's.grade as grade',
      's.unscored as unscored',
    ])
    .where('u.id', '=', unitId)
    .orderBy('r.id', 'desc')
    .execute();
  return rows.map((r) => ({
    runId: r.runId,
    inspectionDate: r.inspectionDate,
    status: r.status,
    name: r.name,
    ...(r.score !== null && r.unscored === null ? { score: r.score } : {}),
    ...(r.rank !== null && r.unscored === null ? { rank: r.rank } : {}),
    ...(r.grade !== null ? { grade: r.grade } : {}),
    unscored: r.unscored !== null,
  }));
}

/** A unit's name in the newest batch that has it (probes have no run), or undefined. */
export async function unitNames(db: Db): Promise<Map<string, string>> {
  const rows = await db
    .selectFrom('units')
    .select(['id', 'name', 'run_id'])
    .orderBy('run_id', 'asc')
    .orderBy('position')
    .execute();
  const out = new Map<string, string>();
  for (const r of rows) {
    out.delete(r.id);
    out.set(r.id, r.name);
  }
  return out;
}

/** A running job and where its batch stands in the store (units crawled, pages fetched). */
export interface RunningView {
  job: RunningJob;
  progress?: BatchProgress;
}

/** `env.jobs.running()` with each batch's progress as `xuncha status` reads it from the store. */
export async function runningJobs(env: ConsoleEnv): Promise<RunningView[]> {
  const out: RunningView[] = [];
  for (const job of env.jobs.running()) {
    let progress: BatchProgress | undefined;
    if (job.runId !== null) {
      try {
        progress = await batchProgress(env.db, job.runId);
      } catch {
        // The job has announced a batch the store does not show yet: no figures this time.
        progress = undefined;
      }
    }
    out.push(progress ? { job, progress } : { job });
  }
  return out;
}
