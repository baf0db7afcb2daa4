import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { closeStore, type Db } from '../../src/store/db.js';
import { createRun, latestRunId } from '../../src/store/runs.js';
import {
  acquireBatchLock,
  listLocks,
  LockConflict,
  STALE_MS,
  type AcquireOptions,
  type LockEnv,
} from '../../src/store/locks.js';
import { openTestStore } from '../helpers/testStore.js';

/** Two processes, simulated: two connections to one file, each with its own pid and clock. */
let clock = 1_000_000;
const alive = new Set<number>();
const envOf = (pid: number, host = 'inspector-1'): Partial<LockEnv> => ({
  pid,
  host,
  now: () => clock,
  isAlive: (p) => alive.has(p),
});

const handles: Db[] = [];
async function twoHandles(): Promise<[Db, Db]> {
  const file = join(mkdtempSync(join(tmpdir(), 'xuncha-locks-')), 'x.db');
  const a = await openTestStore(file);
  const b = await openTestStore(file);
  handles.push(a, b);
  return [a, b];
}

async function refusal(db: Db, o: AcquireOptions): Promise<string> {
  try {
    await acquireBatchLock(db, o);
  } catch (err) {
    expect(err).toBeInstanceOf(LockConflict);
    return (err as Error).message;
  }
  throw new Error('expected the lock to be refused');
}

/** Creates the batch inside the lock's transaction (the store handle it is given). */
const newRun = (db: Db) => createRun(db, { inspectionDate: '2026-03-02', seedsFile: 's.yaml', settings: {} });

afterEach(async () => {
  alive.clear();
  vi.useRealTimers();
  for (const db of handles.splice(0)) await closeStore(db);
});

describe('batch locks', () => {
  it('never lets two processes crawl the same batch, even with --allow-parallel', async () => {
    const [a, b] = await twoHandles();
    alive.add(101).add(202);
    const first = await acquireBatchLock(a, { run: newRun, mode: 'crawl', command: 'run', env: envOf(101) });
    expect(first.runId).toBe(1);
    const message = await refusal(b, {
      run: 1,
      mode: 'crawl',
      command: 'crawl --resume',
      allowParallel: true,
      env: envOf(202),
    });
    expect(message).toContain('第 1 批次正由另一进程抓取');
    expect(message).toContain('进程号 101');
    expect(message).toContain('xuncha run');
    await first.release();
    expect(await listLocks(a)).toEqual([]);
    const second = await acquireBatchLock(b, {
      run: 1,
      mode: 'crawl',
      command: 'crawl --resume',
      env: envOf(202),
    });
    expect(second.runId).toBe(1);
  });

  it('refuses a second new batch while one is crawling, without creating it, unless allowed', async () => {
    const [a, b] = await twoHandles();
    alive.add(101).add(202);
    await acquireBatchLock(a, { run: newRun, mode: 'crawl', command: 'run', env: envOf(101) });
    const message = await refusal(b, { run: newRun, mode: 'crawl', command: 'run', env: envOf(202) });
    expect(message).toMatch(
      /另一进程正在抓取第 1 批次（xuncha run，主机 inspector-1，进程号 101，开始于 \d{4}-\d\d-\d\d \d\d:\d\d:\d\d）/,
    );
    expect(message).toContain('--allow-parallel');
    // The refused run left no empty batch behind.
    expect(await latestRunId(b)).toBe(1);
    const parallel = await acquireBatchLock(b, {
      run: newRun,
      mode: 'crawl',
      command: 'run',
      allowParallel: true,
      env: envOf(202),
    });
    expect(parallel.runId).toBe(2);
  });

  it('keeps check/score/report off a batch being crawled, and lets them read other batches', async () => {
    const [a, b] = await twoHandles();
    alive.add(101).add(202);
    await createRun(a, { inspectionDate: '2026-03-01', seedsFile: 's.yaml', settings: {} });
    const crawl = await acquireBatchLock(a, {
      run: newRun,
      mode: 'crawl',
      command: 'crawl',
      env: envOf(101),
    });
    expect(crawl.runId).toBe(2);
    expect(await refusal(b, { run: 2, mode: 'read', command: 'check', env: envOf(202) })).toContain(
      '第 2 批次正在抓取',
    );
    const other = await acquireBatchLock(b, { run: 1, mode: 'read', command: 'report', env: envOf(202) });
    await other.release();
    const forced = await acquireBatchLock(b, {
      run: 2,
      mode: 'read',
      command: 'check',
      allowParallel: true,
      env: envOf(202),
    });
    await forced.release();
    // A full run that has finished crawling only reads: a new crawl of another batch may start.
    await crawl.setMode('read');
    expect(await refusal(b, { run: 2, mode: 'crawl', command: 'crawl --resume', env: envOf(202) })).toContain(
      '正被另一进程读取',
    );
    expect(
      (await acquireBatchLock(b, { run: newRun, mode: 'crawl', command: 'run', env: envOf(202) })).runId,
    ).toBe(3);
  });

  it('takes over a lock whose heartbeat stopped, but not one that keeps beating', async () => {
    const [a, b] = await twoHandles();
    // Another host: its pid cannot be looked up here, only its heartbeat tells.
    const lock = await acquireBatchLock(a, {
      run: newRun,
      mode: 'crawl',
      command: 'run',
      env: envOf(101, 'other-host'),
    });
    clock += STALE_MS - 1000;
    expect(await lock.heartbeat()).toBe(true);
    clock += STALE_MS - 1000;
    await refusal(b, { run: 1, mode: 'crawl', command: 'crawl --resume', env: envOf(202) });
    clock += STALE_MS + 1;
    const taken = await acquireBatchLock(b, {
      run: 1,
      mode: 'crawl',
      command: 'crawl --resume',
      env: envOf(202),
    });
    expect(taken.takenOver).toHaveLength(1);
    expect(taken.takenOver[0]!.reason).toContain('秒没有心跳');
    // The old holder learns it lost the lock when it next beats.
    expect(await lock.heartbeat()).toBe(false);
    // …and its release does not free its successor's lock.
    await lock.release();
    expect((await listLocks(b)).map((l) => l.pid)).toEqual([202]);
  });

  it('takes over at once a lock whose process is gone on this host', async () => {
    const [a, b] = await twoHandles();
    alive.add(101);
    await acquireBatchLock(a, { run: newRun, mode: 'crawl', command: 'run', env: envOf(101) });
    alive.delete(101); // killed with SIGKILL: no release, heartbeat still fresh
    const taken = await acquireBatchLock(b, {
      run: 1,
      mode: 'crawl',
      command: 'crawl --resume',
      env: envOf(202),
    });
    expect(taken.takenOver.map((t) => t.reason)).toEqual(['进程 101 已不在运行']);
    expect((await listLocks(b)).map((l) => l.pid)).toEqual([202]);
  });

  it('beats on a timer and stops beating once released', async () => {
    // Only the heartbeat's interval is faked: the store's own I/O keeps real timers.
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    const [a] = await twoHandles();
    alive.add(101);
    const lock = await acquireBatchLock(a, { run: newRun, mode: 'crawl', command: 'run', env: envOf(101) });
    const lost = vi.fn();
    lock.keepAlive(10_000, lost);
    clock += 10_000;
    vi.advanceTimersByTime(10_000);
    // The beat is written asynchronously: wait for it to land.
    await vi.waitFor(async () => expect((await listLocks(a))[0]!.heartbeatAt).toBe(clock));
    await lock.release();
    await lock.release(); // idempotent, as exit handlers may call it again
    vi.advanceTimersByTime(30_000);
    expect(lost).not.toHaveBeenCalled();
    expect(await listLocks(a)).toEqual([]);
  });
});
