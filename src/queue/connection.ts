import type { ConnectionOptions } from 'bullmq';

/** Is this a Redis address (`redis://…` or `rediss://…`)? */
export function isRedisUrl(value: string): boolean {
  return /^rediss?:\/\//i.test(value);
}

/**
 * BullMQ connection options from `redis://[:password@]host[:port][/db]`. Workers block on Redis
 * for jobs, so a request must never give up after a few retries (maxRetriesPerRequest: null).
 */
export function redisConnection(url: string): ConnectionOptions {
  if (!isRedisUrl(url)) throw new Error(`任务队列地址应为 redis://主机:端口，实际为 ${url}`);
  const u = new URL(url);
  const db = u.pathname.replace(/^\//, '');
  return {
    host: u.hostname || '127.0.0.1',
    port: u.port ? Number(u.port) : 6379,
    ...(u.username ? { username: decodeURIComponent(u.username) } : {}),
    ...(u.password ? { password: decodeURIComponent(u.password) } : {}),
    ...(db ? { db: Number(db) } : {}),
    ...(u.protocol === 'rediss:' ? { tls: {} } : {}),
    maxRetriesPerRequest: null,
  };
}
