import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSiteServer, type RunningSite } from '../../src/demo/siteServer.js';
import { cliEntry, runCli } from '../helpers/cli.js';
import { peekTestStore, testStoreLocation } from '../helpers/testStore.js';

/**
 * Real processes on one store. The site holds every request until the test opens its gate, so a
 * crawl stays "in progress" for as long as the test needs.
 */
let site: RunningSite;
let openGate: () => void;
let dir: string;
let db: string;
let seeds: string;

beforeAll(async () => {
  const gate = new Promise<void>((resolve) => (openGate = resolve));
  site = await startSiteServer({
    dir: 'test/fixtures/sites/basic',
    handle: async () => {
      await gate;
      return false;
    },
  });
  dir = mkdtempSync(join(tmpdir(), 'xuncha-lock-'));
  db = join(dir, 'x.db');
  seeds = join(dir, 'units.yaml');
  writeFileSync(
    seeds,
    `units:\n  - id: a\n    name: 甲单位\n    level: 部门\n    start: ["${site.origin}/"]\n`,
  );
});
afterAll(async () => {
  openGate();
  await site.close();
});

interface Background {
  child: ChildProcess;
  stderr: () => string;
  exit: Promise<number | null>;
}

function background(args: string[]): Background {
  const child = spawn(process.execPath, [...cliEntry(), ...args, '--db', testStoreLocation(db)], {
    env: { ...process.env, FORCE_COLOR: '0' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
  const exit = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  return { child, stderr: () => stderr, exit };
}

async function locks(): Promise<{ run_id: number; pid: number; mode: string }[]> {
  const rows = await peekTestStore(db, (store) =>
    store.selectFrom('batch_locks').select(['run_id', 'pid', 'mode']).orderBy('id').execute(),
  );
  if (!rows) throw new Error(`no store at ${db}`);
  return rows;
}

async function until(what: string, ok: () => boolean | Promise<boolean>): Promise<void> {
  for (let i = 0; i < 600 && !(await ok()); i++) await new Promise((r) => setTimeout(r, 100));
  if (!(await ok())) throw new Error(`timed out waiting for ${what}`);
}

describe('one crawl per batch, one crawl per store', { timeout: 180_000 }, () => {
  it('refuses a second crawl, a resume of the same batch and a check while crawling; frees the lock', async () => {
    // Held requests must not time out (15 s by default) while the refused commands run: the crawl
    // would move on to its next page and the site would see a request the test did not expect.
    const first = background(['crawl', '--seeds', seeds, '--timeout', '600000']);
    await until('the first crawl to reach the site', () => site.requests.length > 0);
    expect(await locks()).toEqual([{ run_id: 1, pid: first.child.pid, mode: 'crawl' }]);
    const seen = site.requests.length;

    const second = await runCli(['run', '--seeds', seeds, '--db', db]);
    expect(second.code).toBe(2);
    expect(second.stderr).toMatch(
      new RegExp(
        `另一进程正在抓取第 1 批次（xuncha crawl，主机 [^，]+，进程号 ${first.child.pid}，开始于 \\d{4}-`,
      ),
    );
    const resume = await runCli(['crawl', '--resume', '1', '--allow-parallel', '--db', db]);
    expect(resume.code).toBe(2);
    expect(resume.stderr).toContain('第 1 批次正由另一进程抓取');
    const check = await runCli(['check', '--run', '1', '--db', db]);
    expect(check.code).toBe(2);
    expect(check.stderr).toContain('第 1 批次正在抓取');
    // Refused commands fetched nothing and created no batch.
    expect(site.requests.length).toBe(seen);
    expect(
      await peekTestStore(db, (store) =>
        store
          .selectFrom('runs')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirst(),
      ),
    ).toEqual({ n: 1 });

    // Killed outright: the lock stays behind, and the next resume takes it over at once.
    first.child.kill('SIGKILL');
    await first.exit;
    expect(await locks()).toHaveLength(1);
    const taker = background(['crawl', '--resume', '1']);
    // The log line travels through a pipe: wait for it as well as for the lock row.
    await until(
      'the resumed crawl to take over the lock',
      async () => (await locks())[0]?.pid === taker.child.pid && taker.stderr().includes('已接管失效的锁'),
    );
    expect(taker.stderr()).toContain(`已接管失效的锁：第 1 批次`);
    expect(taker.stderr()).toContain(`进程 ${first.child.pid} 已不在运行`);

    // Stopped politely: the lock is released on the way out.
    taker.child.kill('SIGTERM');
    expect(await taker.exit).toBe(143);
    expect(taker.stderr()).toContain(
      '收到 SIGTERM，已释放第 1 批次的锁并退出，可用 xuncha crawl --resume 1 继续',
    );
    expect(await locks()).toEqual([]);

    openGate();
    const done = await runCli(['crawl', '--resume', '1', '--delay', '0', '--db', db]);
    expect(done.code, done.stderr).toBe(0);
    expect(await locks()).toEqual([]);
  });
});
