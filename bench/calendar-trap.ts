/**
 * A path-based calendar trap crawled with --max-pages 2000 and 50: every page links to 10 pages
 * never seen before (/cal/<n>/ → /cal/<10n+1>/ … /cal/<10n+10>/, the way a calendar's day, week and
 * month views multiply), each a new path, so no query-variant guard can see it. Prints, per cap: the
 * pages the server was asked for, the distinct URLs the trap guards refused, wall time and peak
 * RSS. Each case runs in a child process so its RSS is its own.
 *
 *   npx tsx bench/calendar-trap.ts            # both caps
 *   npx tsx bench/calendar-trap.ts --cap 50   # one case (what the parent runs per child)
 */
import { spawnSync } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { crawlSettings } from '../src/config/settings.js';
import { crawlRun } from '../src/crawl/crawlRun.js';
import { createLogger } from '../src/log.js';
import { closeStore, openStore } from '../src/store/db.js';
import { createRun, saveUnits } from '../src/store/runs.js';

const LINKS_PER_PAGE = 10;
const capArg = process.argv.indexOf('--cap');

function child(path: string, i: number): string {
  const n = BigInt(/\/cal\/(\d+)\//.exec(path)?.[1] ?? '1');
  return `/cal/${n * 10n + BigInt(i)}/`;
}

async function one(cap: number): Promise<void> {
  let requests = 0;
  const server = createServer((req, res) => {
    requests++;
    const path = req.url ?? '/';
    if (!path.startsWith('/cal/')) {
      res.writeHead(404).end();
      return;
    }
    const links = Array.from(
      { length: LINKS_PER_PAGE },
      (_, i) => `<a href="${child(path, i + 1)}">第${i + 1}天</a>`,
    );
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
    res.end(
      `<html><head><title>活动日历</title></head><body><h1>活动日历</h1>${links.join('')}</body></html>`,
    );
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const db = await openStore(':memory:');
  const settings = crawlSettings({
    perHostConcurrency: 8,
    perHostDelayMs: 0,
    retries: 0,
    render: 'never',
    maxPagesPerUnit: cap,
    maxDepth: 100_000,
    checkExternalLinks: false,
  });
  const runId = await createRun(db, { inspectionDate: '2026-12-06', seedsFile: 'bench', settings });
  await saveUnits(db, runId, [
    {
      id: 'cal',
      name: '日历陷阱',
      level: '部门',
      startUrls: [`${origin}/cal/1/`],
      catalogues: [],
      hosts: [],
    },
  ]);
  const started = performance.now();
  const [summary] = await crawlRun(db, runId, settings, createLogger({ quiet: true }));
  const seconds = (performance.now() - started) / 1000;
  server.close();
  const calendarPages = Number(
    (
      await db
        .selectFrom('resources')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('run_id', '=', runId)
        .where('url', 'like', '%/cal/%')
        .executeTakeFirstOrThrow()
    ).n,
  );
  await closeStore(db);
  console.log(
    JSON.stringify({
      cap,
      requests,
      calendarPages,
      trapped: summary?.trapped,
      seconds: +seconds.toFixed(1),
      peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
    }),
  );
}

if (capArg > 0) await one(Number(process.argv[capArg + 1]));
else
  for (const cap of [50, 2000]) {
    const r = spawnSync(process.execPath, ['--import', 'tsx', process.argv[1]!, '--cap', String(cap)], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const line = r.stdout.trim().split('\n').pop() ?? '';
    const f = JSON.parse(line) as Record<string, number>;
    console.log(
      `--max-pages ${f.cap}: 请求 ${f.requests}，日历页 ${f.calendarPages}，跳过陷阱网址 ${f.trapped}，用时 ${f.seconds} 秒，峰值内存 ${f.peakRssMb} MB`,
    );
  }
