import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliEntry, runCli } from '../helpers/cli.js';
import { openTestStore, testPostgres, testStoreLocation } from '../helpers/testStore.js';
import {
  startGeneratedCounty,
  type GeneratedCounty,
  type RequestRecord,
} from '../helpers/generatedCounty.js';
import type { Db } from '../../src/store/db.js';

/**
 * A batch spread over queue workers (BullMQ on Redis, store on PostgreSQL), against the same batch
 * run in one process: a worker killed with SIGKILL mid-crawl loses nothing, pages are fetched
 * about once, findings are the same, and a host shared by two units keeps its politeness.
 * Runs in the PostgreSQL pass (scripts/test-pg.mjs starts PostgreSQL and Redis).
 */
const redis = process.env.XUNCHA_TEST_REDIS;
const DELAY_MS = 20;
const PER_HOST = 2;

let county: GeneratedCounty;
let dir: string;
let seeds: string;
const workers: ChildProcess[] = [];

beforeAll(async () => {
  if (!testPostgres || !redis) return;
  // Five hosts, the first carrying two units: six units of 406 pages.
  county = await startGeneratedCounty({ hosts: 5, sharedHosts: 1, latencyMs: 15, columns: 5, listPages: 9 });
  dir = mkdtempSync(join(tmpdir(), 'xuncha-queue-'));
  seeds = join(dir, 'units.yaml');
  writeFileSync(seeds, county.seedsYaml());
});

afterAll(async () => {
  for (const w of workers) if (w.exitCode === null) w.kill('SIGKILL');
  await county?.close();
  if (dir && !process.env.KEEP) rmSync(dir, { recursive: true, force: true });
});

const crawlFlags = [
  '--delay',
  String(DELAY_MS),
  '--per-host',
  String(PER_HOST),
  '--render',
  'never',
  '--no-screenshots',
  '--date',
  '2026-11-24',
  '--quiet',
];

function startWorker(store: string): ChildProcess {
  const child = spawn(
    process.execPath,
    [
      ...cliEntry(),
      'worker',
      '--queue',
      redis!,
      '--db',
      testStoreLocation(store),
      '--concurrency',
      '2',
      '--lock-seconds',
      '10',
    ],
    {
      stdio: ['ignore', openSync(join(dir, `worker${workers.length}.log`), 'w'), 'pipe'],
      env: { ...process.env, FORCE_COLOR: '0' },
    },
  );
  workers.push(child);
  return child;
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 150_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 300));
  }
}

/** (unit, url) of every stored resource. */
async function stored(db: Db): Promise<string[]> {
  const rows = await db.selectFrom('resources').select(['unit_id', 'url']).execute();
  return rows.map((r) => `${r.unit_id} ${new URL(r.url).pathname}`).sort();
}

/** Findings as an office reads them: unit, check, kind, message, page — fetch times aside. */
async function findings(db: Db): Promise<string[]> {
  const rows = await db
    .selectFrom('findings')
    .select(['unit_id', 'check_id', 'kind', 'message', 'url'])
    .execute();
  return rows
    .map((f) =>
      [f.unit_id, f.check_id, f.kind, f.message, f.url]
        .join(' | ')
        .replace(/检测时间 [\d-]+ [\d:]+/g, '')
        .replace(/:\d+\//g, '/'),
    )
    .sort();
}

/** Distinct pages requested (robots.txt aside) and how many of them more than once. */
function fetchedTwice(requests: Map<string, RequestRecord[]>): {
  pages: number;
  twice: number;
  which: string[];
} {
  let pages = 0;
  let twice = 0;
  const which: string[] = [];
  for (const list of requests.values()) {
    const counts = new Map<string, number>();
    for (const r of list) if (r.path !== '/robots.txt') counts.set(r.path, (counts.get(r.path) ?? 0) + 1);
    pages += counts.size;
    for (const [path, n] of counts)
      if (n > 1) {
        twice++;
        which.push(path);
      }
  }
  return { pages, twice, which };
}

function takeRequests(): Map<string, RequestRecord[]> {
  const copy = new Map(county.requests);
  county.requests.clear();
  return copy;
}

describe.skipIf(!testPostgres || !redis)('a batch on three queue workers', () => {
  it('survives a worker killed mid-crawl: every page stored once, the same findings, politeness kept', async () => {
    // The reference: the same county inspected in one process.
    const single = await runCli([
      'run',
      '--seeds',
      seeds,
      '--db',
      join(dir, 'single.db'),
      '--out',
      join(dir, 'out1'),
      ...crawlFlags,
    ]);
    expect(single.stderr).toBe('');
    expect(single.code).toBe(0);
    // One process, no crash: every page fetched exactly once.
    expect(fetchedTwice(takeRequests()).which).toEqual([]);

    const queued = join(dir, 'queued.db');
    const three = [startWorker(queued), startWorker(queued), startWorker(queued)];
    const enqueued = await runCli([
      'run',
      '--queue',
      redis!,
      '--detach',
      '--seeds',
      seeds,
      '--db',
      queued,
      '--out',
      join(dir, 'out2'),
      ...crawlFlags,
    ]);
    expect(enqueued.code).toBe(0);
    const db = await openTestStore(queued);
    try {
      const total = county.pagesPerUnit * county.units.length;
      // Mid-crawl: a quarter of the pages done.
      await until('a quarter of the crawl', async () => {
        const r = await db
          .selectFrom('frontier')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('state', '=', 'done')
          .executeTakeFirstOrThrow();
        return Number(r.n) >= total / 4 ? true : undefined;
      });
      // Kill the worker crawling the shared host (group 1): its crawl must pass to another worker
      // without the host ever seeing two crawlers.
      const holder = await until('the shared host to be taken', async () => {
        const i = [0, 1, 2].find((w) =>
          readFileSync(join(dir, `worker${w}.log`), 'utf8').includes('抓取第 1 组'),
        );
        return i === undefined ? undefined : three[i]!;
      });
      holder.kill('SIGKILL');
      const status = await until('the workers to score the batch', async () => {
        const run = await db.selectFrom('runs').select('status').executeTakeFirst();
        return run?.status === 'scored' ? run.status : undefined;
      });
      expect(status).toBe('scored');
      const shown = await runCli(['status', '1', '--queue', redis!, '--db', queued]);
      expect(shown.code).toBe(0);
      expect(shown.stdout).toContain('抓取任务：完成 5');
      expect(shown.stdout).toContain('检查任务：完成 5');
      expect(shown.stdout).toContain('评分任务：完成');
      const units = await db.selectFrom('units').select(['id', 'crawl_status']).execute();
      expect(units.every((u) => u.crawl_status === 'done')).toBe(true);

      // None missing, none extra: the same resources as the one-process run.
      const reference = await openTestStore(join(dir, 'single.db'));
      try {
        const mine = await stored(db);
        expect(mine).toEqual(await stored(reference));
        expect(mine.length).toBeGreaterThan(total / 2);
        expect(await findings(db)).toEqual(await findings(reference));
        expect((await findings(db)).some((f) => f.includes('personal-data-exposure'))).toBe(true);
      } finally {
        await reference.destroy();
      }

      const requests = takeRequests();
      // Fetched twice: what the killed worker had in flight or not yet written, at most 1 %.
      const { pages, twice, which } = fetchedTwice(requests);
      const resources = (await stored(db)).length;
      expect(pages).toBeGreaterThanOrEqual(resources);
      expect(twice / resources, which.join(' ')).toBeLessThanOrEqual(0.01);

      // The host shared by two units: never more than PER_HOST at once, starts DELAY_MS apart.
      const shared = county.units[0]!.host;
      expect(county.units.filter((u) => u.host === shared)).toHaveLength(2);
      const list = requests.get(shared)!;
      let maxInFlight = 0;
      for (const r of list)
        maxInFlight = Math.max(maxInFlight, list.filter((o) => o.start <= r.start && o.end > r.start).length);
      expect(maxInFlight).toBeLessThanOrEqual(PER_HOST);
      // Starts DELAY_MS apart: arrivals at the server jitter by a few ms under load (the crawler
      // paces starts, the network delivers them), so the pace is judged over the whole crawl.
      const starts = list.map((r) => r.start).sort((a, b) => a - b);
      const pace = (starts[starts.length - 1]! - starts[0]!) / (starts.length - 1);
      expect(pace).toBeGreaterThanOrEqual(DELAY_MS * 0.95);
    } finally {
      await db.destroy();
    }
  }, 300_000);
});
