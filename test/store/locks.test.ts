import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { openStore, type Db } from '../../src/store/db.js';
import { createRun, latestRunId } from '../../src/store/runs.js';
import {
  acquireBatchLock,
  listLocks,
  LockConflict,
  STALE_MS,
  type AcquireOptions,
  type LockEnv,
} from '../../src/store/locks.js';

/** Two processes, simulated: two connections to one file, each with its own pid and clock. */
let clock = 1_000_000;
const alive = new Set<number>();
const envOf = (pid: number, host = 'inspector-1'): Partial<LockEnv> => ({
  pid,
  host,
  now: () => clock,
  isAlive: (p) => alive.has(p),
});

function twoHandles(): [Db, Db] {
  const file = join(mkdtempSync(join(tmpdir(), 'xuncha-locks-')), 'x.db');
  return [openStore(file), openStore(file)];
}

function refusal(db: Db, o: AcquireOptions): string {
  try {
    acquireBatchLock(db, o);
  } catch (err) {
    expect(err).toBeInstanceOf(LockConflict);
    return (err as Error).message;
  }
  throw new Error('expected the lock to be refused');
}

const newRun = (db: Db) => () =>
  createRun(db, { inspectionDate: '2026-03-02', seedsFile: 's.yaml', settings: {} });

afterEach(() => {
  alive.clear();
  vi.useRealTimers();
});

describe('batch locks', () => {
  it('never lets two processes crawl the same batch, even with --allow-parallel', () => {
    const [a, b] = twoHandles();
    alive.add(101).add(202);
    const first = acquireBatchLock(a, { run: newRun(a), mode: 'crawl', command: 'run', env: envOf(101) });
    expect(first.runId).toBe(1);
    const message = refusal(b, {
      run: 1,
      mode: 'crawl',
      command: 'crawl --resume',
      allowParallel: true,
      env: envOf(202),
    });
    expect(message).toContain('第 1 批次正由另一进程抓取');
    expect(message).toContain('进程号 101');
    expect(message).toContain('xuncha run');
    first.release();
    expect(listLocks(a)).toEqual([]);
    const second = acquireBatchLock(b, { run: 1, mode: 'crawl', command: 'crawl --resume', env: envOf(202) });
    expect(second.runId).toBe(1);
  });

  it('refuses a second new batch while one is crawling, without creating it, unless allowed', () => {
    const [a, b] = twoHandles();
    alive.add(101).add(202);
    acquireBatchLock(a, { run: newRun(a), mode: 'crawl', command: 'run', env: envOf(101) });
    const message = refusal(b, { run: newRun(b), mode: 'crawl', command: 'run', env: envOf(202) });
    expect(message).toMatch(
      /另一进程正在抓取第 1 批次（xuncha run，主机 inspector-1，进程号 101，开始于 \d{4}-\d\d-\d\d \d\d:\d\d:\d\d）/,
    );
    expect(message).toContain('--allow-parallel');
    // The refused run left no empty batch behind.
    expect(latestRunId(b)).toBe(1);
    const parallel = acquireBatchLock(b, {
      run: newRun(b),
      mode: 'crawl',
      command: 'run',
      allowParallel: true,
      env: envOf(202),
    });
    expect(parallel.runId).toBe(2);
  });

  it('keeps check/score/report off a batch being crawled, and lets them read other batches', () => {
    const [a, b] = twoHandles();
    alive.add(101).add(202);
    createRun(a, { inspectionDate: '2026-03-01', seedsFile: 's.yaml', settings: {} });
    const crawl = acquireBatchLock(a, { run: newRun(a), mode: 'crawl', command: 'crawl', env: envOf(101) });
    expect(crawl.runId).toBe(2);
    expect(refusal(b, { run: 2, mode: 'read', command: 'check', env: envOf(202) })).toContain(
      '第 2 批次正在抓取',
    );
    const other = acquireBatchLock(b, { run: 1, mode: 'read', command: 'report', env: envOf(202) });
    other.release();
    const forced = acquireBatchLock(b, {
      run: 2,
      mode: 'read',
      command: 'check',
      allowParallel: true,
      env: envOf(202),
    });
    forced.release();
    // A full run that has finished crawling only reads: a new crawl of another batch may start.
    crawl.setMode('read');
    expect(refusal(b, { run: 2, mode: 'crawl', command: 'crawl --resume', env: envOf(202) })).toContain(
      '正被另一进程读取',
    );
    expect(
      acquireBatchLock(b, { run: newRun(b), mode: 'crawl', command: 'run', env: envOf(202) }).runId,
    ).toBe(3);
  });

  it('takes over a lock whose heartbeat stopped, but not one that keeps beating', () => {
    const [a, b] = twoHandles();
    // Another host: its pid cannot be looked up here, only its heartbeat tells.
    const lock = acquireBatchLock(a, {
      run: newRun(a),
      mode: 'crawl',
      command: 'run',
      env: envOf(101, 'other-host'),
    });
    clock += STALE_MS - 1000;
    expect(lock.heartbeat()).toBe(true);
    clock += STALE_MS - 1000;
    refusal(b, { run: 1, mode: 'crawl', command: 'crawl --resume', env: envOf(202) });
    clock += STALE_MS + 1;
    const taken = acquireBatchLock(b, { run: 1, mode: 'crawl', command: 'crawl --resume', env: envOf(202) });
    expect(taken.takenOver).toHaveLength(1);
    expect(taken.takenOver[0]!.reason).toContain('秒没有心跳');
    // The old holder learns it lost the lock when it next beats.
    expect(lock.heartbeat()).toBe(false);
    // …and its release does not free its successor's lock.
    lock.release();
    expect(listLocks(b).map((l) => l.pid)).toEqual([202]);
  });

  it('takes over at once a lock whose process is gone on this host', () => {
    const [a, b] = twoHandles();
    alive.add(101);
    acquireBatchLock(a, { run: newRun(a), mode: 'crawl', command: 'run', env: envOf(101) });
    alive.delete(101); // killed with SIGKILL: no release, heartbeat still fresh
    const taken = acquireBatchLock(b, { run: 1, mode: 'crawl', command: 'crawl --resume', env: envOf(202) });
    expect(taken.takenOver.map((t) => t.reason)).toEqual(['进程 101 已不在运行']);
    expect(listLocks(b).map((l) => l.pid)).toEqual([202]);
  });

  it('beats on a timer and stops beating once released', () => {
    vi.useFakeTimers();
    const [a] = twoHandles();
    alive.add(101);
    const lock = acquireBatchLock(a, { run: newRun(a), mode: 'crawl', command: 'run', env: envOf(101) });
    const lost = vi.fn();
    lock.keepAlive(10_000, lost);
    clock += 10_000;
    vi.advanceTimersByTime(10_000);
    expect(listLocks(a)[0]!.heartbeatAt).toBe(clock);
    lock.release();
    lock.release(); // idempotent, as exit handlers may call it again
    vi.advanceTimersByTime(30_000);
    expect(lost).not.toHaveBeenCalled();
    expect(listLocks(a)).toEqual([]);
  });
});
