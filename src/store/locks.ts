import { hostname } from 'node:os';
import type { Db } from './db.js';

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
export class LockConflict extends Error {
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

function toRow(r: Record<string, unknown>): LockRow {
  return {
    id: r.id as number,
    runId: r.run_id as number,
    mode: r.mode as LockMode,
    command: r.command as string,
    pid: r.pid as number,
    host: r.host as string,
    startedAt: r.started_at as number,
    heartbeatAt: r.heartbeat_at as number,
  };
}

export function listLocks(db: Db): LockRow[] {
  return (db.prepare('SELECT * FROM batch_locks ORDER BY id').all() as Record<string, unknown>[]).map(toRow);
}

export interface AcquireOptions {
  /** The batch, or a function creating it (called only once the lock is certain). */
  run: number | (() => number);
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
  heartbeat(): boolean;
  /** Refresh the heartbeat every `ms` until released; `onLost` is told once if the lock is gone. */
  keepAlive(ms: number, onLost: (why: string) => void): void;
  /** A `run` moves from crawling to checking: others may start crawling other batches. */
  setMode(mode: LockMode, command?: string): void;
  /** Idempotent; safe in exit handlers. */
  release(): void;
}

/**
 * Take a lock on a batch, atomically with respect to other processes (BEGIN IMMEDIATE): purge
 * stale locks, refuse on a live conflicting one, then create the batch if asked and insert ours.
 */
export function acquireBatchLock(db: Db, o: AcquireOptions): BatchLock {
  const e = env(o.env);
  const take = db.transaction(() => {
    const takenOver: BatchLock['takenOver'] = [];
    const requested = typeof o.run === 'number' ? o.run : undefined;
    for (const row of listLocks(db)) {
      const reason = staleReason(row, e);
      if (reason) {
        db.prepare('DELETE FROM batch_locks WHERE id = ?').run(row.id);
        takenOver.push({ row, reason });
        continue;
      }
      const refused = conflict(row, requested, o.mode, o.allowParallel ?? false);
      if (refused) throw new LockConflict(row, refused);
    }
    const runId = typeof o.run === 'number' ? o.run : o.run();
    const now = e.now();
    const info = db
      .prepare(
        `INSERT INTO batch_locks (run_id, mode, command, pid, host, started_at, heartbeat_at)
         VALUES (?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(runId, o.mode, o.command, e.pid, e.host, now, now);
    return { id: Number(info.lastInsertRowid), runId, takenOver };
  });
  const { id, runId, takenOver } = take.immediate();
  let released = false;
  let timer: NodeJS.Timeout | undefined;
  const lock: BatchLock = {
    id,
    runId,
    takenOver,
    heartbeat() {
      if (released) return false;
      return db.prepare('UPDATE batch_locks SET heartbeat_at = ? WHERE id = ?').run(e.now(), id).changes > 0;
    },
    keepAlive(ms, onLost) {
      clearInterval(timer);
      timer = setInterval(() => {
        try {
          if (lock.heartbeat()) return;
          onLost('锁已被其他进程接管（本进程曾长时间停顿）');
        } catch (err) {
          // A busy store must not crash a crawl; the next beat tries again.
          onLost(`无法更新心跳：${(err as Error).message}`);
          return;
        }
        clearInterval(timer);
      }, ms);
      // The heartbeat alone must not keep a finished process alive.
      timer.unref();
    },
    setMode(mode, command) {
      db.prepare('UPDATE batch_locks SET mode = ?, command = coalesce(?, command) WHERE id = ?').run(
        mode,
        command ?? null,
        id,
      );
    },
    release() {
      if (released) return;
      released = true;
      clearInterval(timer);
      if (db.open) db.prepare('DELETE FROM batch_locks WHERE id = ?').run(id);
    },
  };
  return lock;
}
