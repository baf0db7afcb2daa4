import type { Selectable } from 'kysely';
import type { Db } from './db.js';
import type { Schema } from './schema.js';

export type ScheduleKind = 'batch' | 'probe' | 'recheck' | 'reminder';

/** A job of the built-in scheduler, with what happened at its last start (kept across restarts). */
export interface ScheduleJob {
  name: string;
  kind: ScheduleKind;
  /** Five-field cron in Asia/Shanghai time. */
  cron: string;
  enabled: boolean;
  /** recheck: { workdaysAfterDeadline }; reminder: { workdaysBefore }. */
  options: Record<string, unknown>;
  lastStartedAt: string | null;
  lastFinishedAt: string | null;
  /** Chinese: 完成 / 失败：… / 跳过：… */
  lastOutcome: string | null;
  /** The batch the last start created (batch, recheck) or concerned (reminder). */
  lastRunId: number | null;
}

function toJob(r: Selectable<Schema['schedule_jobs']>): ScheduleJob {
  return {
    name: r.name,
    kind: r.kind as ScheduleKind,
    cron: r.cron,
    enabled: Number(r.enabled) === 1,
    options: JSON.parse(r.options) as Record<string, unknown>,
    lastStartedAt: r.last_started_at,
    lastFinishedAt: r.last_finished_at,
    lastOutcome: r.last_outcome,
    lastRunId: r.last_run_id === null ? null : Number(r.last_run_id),
  };
}

export async function listScheduleJobs(db: Db): Promise<ScheduleJob[]> {
  return (await db.selectFrom('schedule_jobs').selectAll().orderBy('name').execute()).map(toJob);
}

export async function getScheduleJob(db: Db, name: string): Promise<ScheduleJob | undefined> {
  const row = await db.selectFrom('schedule_jobs').selectAll().where('name', '=', name).executeTakeFirst();
  return row ? toJob(row) : undefined;
}

/** Insert jobs that are not there yet (by name); existing ones keep their settings and history. */
export async function insertScheduleJobs(
  db: Db,
  jobs: Pick<ScheduleJob, 'name' | 'kind' | 'cron' | 'enabled' | 'options'>[],
): Promise<void> {
  for (const j of jobs)
    await db
      .insertInto('schedule_jobs')
      .values({
        name: j.name,
        kind: j.kind,
        cron: j.cron,
        enabled: j.enabled ? 1 : 0,
        options: JSON.stringify(j.options),
      })
      .onConflict((oc) => oc.column('name').doNothing())
      .execute();
}

/** An administrator's change: cron, enabled, options. */
export async function updateScheduleJob(
  db: Db,
  name: string,
  change: Partial<Pick<ScheduleJob, 'cron' | 'enabled' | 'options'>>,
): Promise<void> {
  await db
    .updateTable('schedule_jobs')
    .set({
      ...(change.cron !== undefined ? { cron: change.cron } : {}),
      ...(change.enabled !== undefined ? { enabled: change.enabled ? 1 : 0 } : {}),
      ...(change.options !== undefined ? { options: JSON.stringify(change.options) } : {}),
    })
    .where('name', '=', name)
    .execute();
}

/**
 * A start: the finish, outcome and batch of the previous one are cleared, so the previous batch's
 * end is never taken for this start's.
 */
export async function markJobStarted(db: Db, name: string, at: Date): Promise<void> {
  await db
    .updateTable('schedule_jobs')
    .set({
      last_started_at: at.toISOString(),
      last_finished_at: null,
      last_outcome: '运行中',
      last_run_id: null,
    })
    .where('name', '=', name)
    .execute();
}

export async function markJobFinished(
  db: Db,
  name: string,
  at: Date,
  outcome: string,
  runId?: number | null,
): Promise<void> {
  await db
    .updateTable('schedule_jobs')
    .set({
      last_finished_at: at.toISOString(),
      last_outcome: outcome,
      ...(runId !== undefined ? { last_run_id: runId } : {}),
    })
    .where('name', '=', name)
    .execute();
}

/** The batch a job's start created, recorded as soon as it is known (its finish comes later). */
export async function setJobRun(db: Db, name: string, runId: number): Promise<void> {
  await db.updateTable('schedule_jobs').set({ last_run_id: runId }).where('name', '=', name).execute();
}

/** Reported batches, newest first, with the label they were created from (seeds_file). */
export async function reportedRuns(
  db: Db,
  limit = 50,
): Promise<{ id: number; seedsFile: string; inspectionDate: string }[]> {
  const rows = await db
    .selectFrom('runs')
    .select(['id', 'seeds_file', 'inspection_date'])
    .where('status', '=', 'reported')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
  return rows.map((r) => ({ id: Number(r.id), seedsFile: r.seeds_file, inspectionDate: r.inspection_date }));
}
