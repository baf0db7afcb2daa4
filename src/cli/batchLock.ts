import type { Db } from '../store/db.js';
import type { Logger } from '../log.js';
import {
  acquireBatchLock,
  describeHolder,
  HEARTBEAT_MS,
  type AcquireOptions,
  type BatchLock,
} from '../store/locks.js';

/** Exit codes of a process stopped by a signal, as a shell reports them (128 + signal number). */
const SIGNAL_EXIT: Record<'SIGINT' | 'SIGTERM', number> = { SIGINT: 130, SIGTERM: 143 };

/**
 * Hold a batch lock while `body` runs: heartbeat every HEARTBEAT_MS, released when the body ends
 * (normally or by an error) and on Ctrl+C / SIGTERM, so the next command never waits for a lock
 * to go stale after an ordinary stop. A process that dies otherwise leaves a lock that is stale at
 * once on this host (its pid is gone) and after STALE_MS elsewhere.
 */
export async function withBatchLock<T>(
  db: Db,
  log: Logger,
  options: AcquireOptions,
  body: (lock: BatchLock) => Promise<T>,
): Promise<T> {
  const lock = await acquireBatchLock(db, options);
  for (const { row, reason } of lock.takenOver)
    log.warn(`已接管失效的锁：第 ${row.runId} 批次（${describeHolder(row)}；${reason}）`);
  lock.keepAlive(HEARTBEAT_MS, (why) => log.warn(`第 ${lock.runId} 批次的锁：${why}`));
  const onSignal = (signal: 'SIGINT' | 'SIGTERM') => {
    const resumable = options.mode === 'crawl' ? `，可用 xuncha crawl --resume ${lock.runId} 继续` : '';
    const exit = () => {
      log.warn(`收到 ${signal}，已释放第 ${lock.runId} 批次的锁并退出${resumable}`);
      process.exit(SIGNAL_EXIT[signal]);
    };
    // A store that does not answer within a second must not keep a stopping process alive.
    setTimeout(exit, 1000).unref();
    lock.release().then(exit, exit);
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    return await body(lock);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await lock.release();
  }
}
