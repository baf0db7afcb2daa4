import { hostname } from 'node:os';
import type { Selectable } from 'kysely';
import { exclusiveTransaction, type Db } from './db.js';
import type { Schema } from './schema.js';
import { InputError } from '../inputError.js';

/**
 * Batch locks: which process works on which batch of this store. A crawl holds a `crawl` lock so
 * that no second process crawls the same batch (every page fetched twice) or, unless asked, a
 * second batch at the same time (every site carries double load); check/score/report hold a `read`
 * lock so a crawl does not change a batch under them, and they do not read a half-crawled one.
 *
 * A holder refreshes its heartbeat every few seconds. A lock whose heartbeat stopped, or whose
 * process is gone on this host, is stale and taken over: a crawl killed with SIGKILL or by a
 * reboot must not block the next `crawl --resume` for ever.
 */
export type LockMode = 'crawl' | 'read';

export interface LockRow {
  id: number;
  runId: number;
  mode: LockMode;
  /** The xuncha command holding it (run, crawl, check …), shown to whoever is refused. */
  command: string;
  pid: number;
  host: string;
  /** Epoch milliseconds. */
  startedAt: number;
  heartbeatAt: number;
}

/** What the lock logic needs from the world, injectable so tests can move clocks and kill pids. */
export interface LockEnv {
  now(): number;
  pid: number;
  host: string;
  isAlive(pid: number): boolean;
  /** A heartbeat older than this makes a lock stale. */
  staleMs: number;
}

/** Heartbeat period; six missed beats make a lock stale. */
export const HEARTBEAT_MS = 10_000;
export const STALE_MS = 60_000;

export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: the process exists but belongs to another user.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function env(overrides: Partial<LockEnv> = {}): LockEnv {
  return {
    now: Date.now,
    pid: process.pid,
    host: hostname(),
    isAlive: pidAlive,
    staleMs: STALE_MS,
    ...overrides,
  };
}

/** A refused lock: the message says who holds the batch and what to do; the CLI exits 2. */
export class LockConflict extends InputError {
  constructor(
    readonly holder: LockRow,
    message: string,
  ) {
    super(message);
    this.name = 'LockConflict';
  }
}

/** Why a lock is stale, or undefined while its holder is alive. */
export function staleReason(row: LockRow, e: LockEnv): string | undefined {
  // Only a process on this host can be looked up; another host's lock expires by its heartbeat.
  if (row.host === e.host && !e.isAlive(row.pid)) return `进程 ${row.pid} 已不在运行`;
  const silent = e.now() - row.heartbeatAt;
  if (silent > e.staleMs) return `已 ${Math.round(silent / 1000)} 秒没有心跳`;
  return undefined;
}

/** Beijing time, as the inspection dates are. */
export function beijingTime(ms: number): string {
  return new Date(ms + 8 * 3600_000).toISOString().slice(0, 19).replace('T', ' ');
}

export function describeHolder(row: LockRow): string {
  return `xuncha ${row.command}，主机 ${row.host}，进程号 ${row.pid}，开始于 ${beijingTime(row.startedAt)}`;
}

function conflict(
  row: LockRow,
  runId: number | undefined,
  mode: LockMode,
  allowParallel: boolean,
): string | undefined {
  const same = runId !== undefined && row.runId === runId;
  const who = describeHolder(row);
  if (mode === 'crawl' && row.mode === 'crawl') {
    // Never allowed, --allow-parallel or not: both would fetch the same frontier.
    if (same)
      return `第 ${runId} 批次正由另一进程抓取（${who}），同一批次不能同时抓取两次；请等待其结束后再试`;
    if (!allowParallel)
      return `另一进程正在抓取第 ${row.runId} 批次（${who}），同时再抓取会使各网站承受双倍访问；请等待其结束，确需并行时加 --allow-parallel`;
  }
  if (!same || allowParallel) return undefined;
  if (row.mode === 'crawl')
    return `第 ${runId} 批次正在抓取（${who}），现在检查、评分或出报告会读到未抓完的数据；请等待抓取结束，确需时加 --allow-parallel`;
  if (mode === 'crawl')
    return `第 ${runId} 批次正被另一进程读取（${who}），现在继续抓取会改变它正在读的数据；请等待其结束，确需时加 --allow-parallel`;
  return undefined;
}

/** A batch_locks row as the store schema describes it. */
type Row = Selectable<Schema['batch_locks']>;

function toRow(r: Row): LockRow {
  return {
    id: r.id,
    runId: r.run_id,
    mode: r.mode as LockMode,
    command: r.command,
    pid: r.pid,
    host: r.host,
    startedAt: r.started_at,
    heartbeatAt: r.heartbeat_at,
  };
}

export async function listLocks(db: Db): Promise<LockRow[]> {
  return (await db.selectFrom('batch_locks').selectAll().orderBy('id').execute()).map(toRow);
}

export interface AcquireOptions {
  /** The batch, or a function creating it (called only once the lock is certain). */
  run: number | ((db: Db) => Promise<number>);
  mode: LockMode;
  command: string;
  allowParallel?: boolean;
  env?: Partial<LockEnv>;
}

export interface BatchLock {
  readonly id: number;
  readonly runId: number;
  /** Stale locks removed to take this one, for the log. */
  readonly takenOver: { row: LockRow; reason: string }[];
  /** Refresh the heartbeat; false when the lock was lost (taken over after a long pause). */
  heartbeat(): Promise<boolean>;
  /** Refresh the heartbeat every `ms` until released; `onLost` is told once if the lock is gone. */
  keepAlive(ms: number, onLost: (why: string) => void): void;
  /** A `run` moves from crawling to checking: others may start crawling other batches. */
  setMode(mode: LockMode, command?: string): Promise<void>;
  /**
   * Idempotent. Not needed after a crash: a lock whose process is gone on this host is stale at
   * once, one on another host when its heartbeat stops.
   */
  release(): Promise<void>;
}

/**
 * Take a lock on a batch, atomically with respect to other processes: purge stale locks, refuse
 * on a live conflicting one, then create the batch if asked and insert ours.
 */
export async function acquireBatchLock(db: Db, o: AcquireOptions): Promise<BatchLock> {
  const e = env(o.env);
  const { id, runId, takenOver } = await exclusiveTransaction(db, 7215304, async (tx) => {
    const takenOver: BatchLock['takenOver'] = [];
    const requested = typeof o.run === 'number' ? o.run : undefined;
    for (const row of await listLocks(tx)) {
      const reason = staleReason(row, e);
      if (reason) {
        await tx.deleteFrom('batch_locks').where('id', '=', row.id).execute();
        takenOver.push({ row, reason });
        continue;
      }
      const refused = conflict(row, requested, o.mode, o.allowParallel ?? false);
      if (refused) throw new LockConflict(row, refused);
    }
    const runId = typeof o.run === 'number' ? o.run : await o.run(tx);
    const now = e.now();
    const inserted = await tx
      .insertInto('batch_locks')
      .values({
        run_id: runId,
        mode: o.mode,
        command: o.command,
        pid: e.pid,
        host: e.host,
        started_at: now,
        heartbeat_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return { id: Number(inserted.id), runId, takenOver };
  });
  let released = false;
  let timer: NodeJS.Timeout | undefined;
  const lock: BatchLock = {
    id,
    runId,
    takenOver,
    async heartbeat() {
      if (released) return false;
      const r = await db
        .updateTable('batch_locks')
        .set({ heartbeat_at: e.now() })
        .where('id', '=', id)
        .executeTakeFirst();
      return Number(r.numUpdatedRows) > 0;
    },
    keepAlive(ms, onLost) {
      clearInterval(timer);
      timer = setInterval(() => {
        lock.heartbeat().then(
          (held) => {
            if (held || released) return;
            onLost('锁已被其他进程接管（本进程曾长时间停顿）');
            clearInterval(timer);
          },
          // A busy store must not crash a crawl; the next beat tries again.
          (err: Error) => onLost(`无法更新心跳：${err.message}`),
        );
      }, ms);
      // The heartbeat alone must not keep a finished process alive.
      timer.unref();
    },
    async setMode(mode, command) {
      await db
        .updateTable('batch_locks')
        .set((eb) => ({ mode, command: eb.fn.coalesce(eb.val(command ?? null), 'command') }))
        .where('id', '=', id)
        .execute();
    },
    async release() {
      if (released) return;
      released = true;
      clearInterval(timer);
      await db.deleteFrom('batch_locks').where('id', '=', id).execute();
    },
  };
  return lock;
}
