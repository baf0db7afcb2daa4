/**
 * A simulated province on queue workers (issue 16 point 6): N units (default 300), each its own
 * loopback host (bench/county/site.ts, 127.0.0.2 … then 127.0.1.2 …, every
 * response --latency ms late), inspected at the default politeness by W `xuncha worker` processes
 * sharing one PostgreSQL and one Redis (scripts/services.sh start), for each W in --workers.
 *
 * For each W: a fresh site server and a fresh PostgreSQL schema; W workers
 * (`xuncha worker --queue … --db …?schema=… --concurrency C`) are started and ready before the
 * batch is enqueued with `xuncha run --queue … --detach --render never --no-screenshots`; then the
 * store is polled every 500 ms until the batch is 'scored'. Figures: wall time (enqueued → scored),
 * crawl time (enqueued → every unit's crawl done or failed), requests and requests/s (as the site
 * server counted them), the per-host politeness limit (slowest host's requests − 1, × the delay,
 * + one latency, as bench/county computes it) and the job-slot bound (the crawl runs at most W × C
 * host groups at once), politeness as the servers saw it (in flight per host, gaps between
 * arrivals), pages stored, and per worker the peak RSS (VmHWM of the node process, the highest sum
 * over its process tree in 500 ms samples) and its CPU time. Then a table over W and a summary.
 *
 * Everything it starts (site server, workers, the enqueuing command) is killed at the end, also on
 * error or Ctrl+C; the schemas and the Redis queues it made are dropped unless --keep.
 *
 * Usage: npx tsx bench/province.ts [--units 300] [--pages 60] [--workers 1,2,3] [--latency 100]
 *          [--concurrency 32] [--dead 2] [--pg postgres://…] [--redis redis://…]
 *          [--timeout-minutes 120] [--keep]
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, openSync, closeSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Queue } from 'bullmq';
import { sql } from 'kysely';
import { crawlSettings } from '../src/config/settings.js';
import { closeStore, openStore, redact, type Db } from '../src/store/db.js';
import { getRun } from '../src/store/runs.js';
import { redisConnection } from '../src/queue/connection.js';
import { queueNameOf, finishState } from '../src/queue/batchJobs.js';
import { batchProgress, describeProgress } from '../src/queue/batchProgress.js';
import { hostAddress, type CountyStats } from './county/site.js';
import { TreeSampler, cpuSeconds, statusNumber } from './province/procs.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');

const { values } = parseArgs({
  options: {
    units: { type: 'string', default: '300' },
    pages: { type: 'string', default: '60' },
    workers: { type: 'string', default: '1,2,3' },
    latency: { type: 'string', default: '100' },
    concurrency: { type: 'string', default: '32' },
    dead: { type: 'string', default: '2' },
    pg: {
      type: 'string',
      default: process.env.XUNCHA_TEST_PG ?? 'postgres://xuncha@127.0.0.1:55432/xuncha_test',
    },
    redis: { type: 'string', default: process.env.XUNCHA_TEST_REDIS ?? 'redis://127.0.0.1:56379' },
    'timeout-minutes': { type: 'string', default: '120' },
    keep: { type: 'boolean', default: false },
  },
});
const unitsN = Number(values.units);
const pages = Number(values.pages);
const latencyMs = Number(values.latency);
const concurrency = Number(values.concurrency);
const dead = Number(values.dead);
const workerCounts = values.workers.split(',').map(Number);
const timeoutMs = Number(values['timeout-minutes']) * 60_000;
for (const [name, v] of [
  ['--units', unitsN],
  ['--pages', pages],
  ['--concurrency', concurrency],
  ...workerCounts.map((w) => ['--workers', w] as const),
] as const)
  if (!Number.isInteger(v) || v < 1) throw new Error(`${name} 应为正整数 (a positive integer)`);
hostAddress(unitsN - 1); // refuses more units than addresses

// The defaults a batch gets when `xuncha run` is given no --delay / --per-host.
const settings = crawlSettings({});
const delayMs = settings.perHostDelayMs;
const perHost = settings.perHostConcurrency;

// ---- everything this script starts, killed whatever happens ----

const started = new Set<ChildProcess>();
function track(child: ChildProcess): ChildProcess {
  started.add(child);
  child.once('exit', () => started.delete(child));
  return child;
}
process.on('exit', () => {
  for (const c of started) c.kill('SIGKILL');
});
// On Ctrl+C the children are killed at once; the run in progress then fails on its next poll and
// its `finally` drops its schema and queue. A second signal, or 20 s, ends the script outright.
let interrupted = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const)
  process.on(signal, () => {
    if (interrupted) process.exit(130);
    interrupted = true;
    console.error(`\n收到 ${signal}，结束本脚本启动的全部进程 (killing everything this script started)`);
    for (const c of started) c.kill('SIGKILL');
    setTimeout(() => process.exit(130), 20_000).unref();
  });

function exited(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

/** SIGTERM, then SIGKILL after `graceMs`. */
async function stop(child: ChildProcess, graceMs = 15_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited(child);
  clearTimeout(timer);
}

// ---- helpers ----

const fmt = (n: number, digits = 0) =>
  n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const secs = (ms: number) => `${fmt(ms / 1000, 1)} s`;
const mb = (kb: number) => fmt(kb / 1024);
const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const tail = (file: string, lines = 15) => {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
};

function withSchema(location: string, schema: string): string {
  const u = new URL(location);
  u.searchParams.set('schema', schema);
  return u.toString();
}

function startSite(): Promise<{ child: ChildProcess; port: number }> {
  const child = track(
    spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        join(here, 'county/site.ts'),
        '--units',
        String(unitsN),
        '--pages',
        String(pages),
        '--latency',
        String(latencyMs),
        '--dead',
        String(dead),
        '--delay',
        String(delayMs),
      ],
      { cwd: root, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] },
    ),
  );
  return new Promise((resolve, reject) => {
    child.on('message', (m: { port?: number }) => m.port && resolve({ child, port: m.port }));
    child.once('exit', (code) => reject(new Error(`province site exited (${code}) before listening`)));
  });
}

function siteStats(child: ChildProcess): Promise<CountyStats> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('site server did not answer stats')), 30_000);
    const onMessage = (m: { stats?: CountyStats }) => {
      if (!m.stats) return;
      child.off('message', onMessage);
      clearTimeout(timer);
      resolve(m.stats);
    };
    child.on('message', onMessage);
    child.send('stats');
  });
}

function seedsYaml(port: number): string {
  const lines = ['units:'];
  for (let i = 0; i < unitsN; i++) {
    const town = i % 3 === 2;
    lines.push(
      `  - id: u${String(i + 1).padStart(3, '0')}`,
      `    name: ${town ? `第${i + 1}镇人民政府` : `省第${i + 1}厅局`}`,
      `    level: ${town ? '乡镇街道' : '部门'}`,
      `    start: ["http://${hostAddress(i)}:${port}/"]`,
    );
  }
  return lines.join('\n') + '\n';
}

const cli = (args: string[], log: string) => {
  const fd = openSync(log, 'a');
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], {
    cwd: root,
    stdio: ['ignore', 'pipe', fd],
    env: { ...process.env, FORCE_COLOR: '0' },
  });
  closeSync(fd);
  return track(child);
};

function startWorker(location: string, log: string): ChildProcess {
  const child = cli(
    ['worker', '--queue', values.redis, '--db', location, '--concurrency', String(concurrency)],
    log,
  );
  child.stdout!.on('data', (chunk: Buffer) => writeFileSync(log, chunk, { flag: 'a' }));
  return child;
}

async function until<T>(what: string, ms: number, probe: () => T | undefined): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = probe();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`等待超时 (timed out): ${what}`);
    await sleep(200);
  }
}

// ---- one W ----

interface WorkerFigures {
  pid: number;
  hwmKb: number;
  treePeakKb: number;
  threads: number;
  cpuS: number;
  children: string[];
}

interface Result {
  w: number;
  enqueueCmdMs: number;
  crawlMs: number;
  wallMs: number;
  requests: number;
  byStatus: Record<string, number>;
  slowestRequests: number;
  hostLimitMs: number;
  slotLimitMs: number;
  maxInFlight: number;
  minGapMs: number;
  gapsBelow: number;
  loopDelayMaxMs: number;
  /** Crawl jobs started (per worker log) and host groups whose crawl was started more than once. */
  crawlStarts: number;
  groupsRestarted: number;
  resources: { kind: string; n: number }[];
  pagesDone: number;
  crawlFailed: number;
  workers: WorkerFigures[];
  failedJobs: number;
  warnings: string[];
  loadMean: number;
  loadMax: number;
}

async function runOne(w: number, dir: string): Promise<Result> {
  const schema = `bench_province_${process.pid}_w${w}`;
  const location = withSchema(values.pg, schema);
  const connection = redisConnection(values.redis);
  const workers: { child: ChildProcess; log: string; mem: TreeSampler }[] = [];
  let site: ChildProcess | undefined;
  let db: Db | undefined;
  let queueNames: { crawl: string; check: string } | undefined;
  try {
    const s = await startSite();
    site = s.child;
    const seeds = join(dir, `province-w${w}.yaml`);
    writeFileSync(seeds, seedsYaml(s.port));

    // The schema is created and migrated here, so W workers starting at once do not race for it.
    db = await openStore(location);
    queueNames = await queueNameOf(db);
    console.log(`  schema ${schema}, queues ${queueNames.crawl}, ${queueNames.check}`);

    for (let i = 0; i < w; i++) {
      const log = join(dir, `w${w}-worker${i + 1}.log`);
      const child = startWorker(location, log);
      workers.push({ child, log, mem: new TreeSampler(child.pid!) });
    }
    for (const x of workers)
      await until(`worker ${x.child.pid} to start (${x.log})`, 120_000, () => {
        if (x.child.exitCode !== null || x.child.signalCode !== null)
          throw new Error(
            `工作进程退出 (worker exited ${x.child.exitCode ?? x.child.signalCode}):\n${tail(x.log)}`,
          );
        return readFileSync(x.log, 'utf8').includes('工作进程已启动') ? true : undefined;
      });

    // Enqueue: the clock starts when `xuncha run` says the batch is on the queue.
    const runLog = join(dir, `w${w}-run.log`);
    const spawnedAt = Date.now();
    const run = cli(
      [
        'run',
        '--queue',
        values.redis,
        '--detach',
        '--seeds',
        seeds,
        '--db',
        location,
        '--out',
        join(dir, `out-w${w}`),
        '--render',
        'never',
        '--no-screenshots',
      ],
      runLog,
    );
    let t0 = 0;
    let runId = 0;
    let out = '';
    run.stdout!.on('data', (chunk: Buffer) => {
      const text = chunk.toString();
      writeFileSync(runLog, text, { flag: 'a' });
      out += text;
      const m = /第 (\d+) 批次已下达/.exec(out);
      if (m && !t0) {
        t0 = Date.now();
        runId = Number(m[1]);
      }
    });
    const code = await exited(run);
    if (code !== 0 || !t0) throw new Error(`xuncha run --queue 失败 (exit ${code}):\n${tail(runLog)}`);
    const enqueueCmdMs = Date.now() - spawnedAt;

    const loads: number[] = [];
    let crawlMs = 0;
    let wallMs = 0;
    let lastReport = Date.now();
    let lastFinishCheck = 0;
    let crawlFailed = 0;
    for (;;) {
      for (const x of workers) {
        x.mem.sample();
        if (x.child.exitCode !== null || x.child.signalCode !== null)
          throw new Error(
            `工作进程 ${x.child.pid} 中途退出 (worker exited: ${x.child.exitCode ?? x.child.signalCode}):\n${tail(x.log)}`,
          );
      }
      loads.push(loadavg()[0]!);
      const now = Date.now();
      if (!crawlMs) {
        const rows = await db
          .selectFrom('units')
          .select((eb) => ['crawl_status', eb.fn.countAll<number>().as('n')])
          .where('run_id', '=', runId)
          .groupBy('crawl_status')
          .execute();
        const ended = rows
          .filter((r) => r.crawl_status === 'done' || r.crawl_status === 'failed')
          .reduce((a, r) => a + Number(r.n), 0);
        if (ended === unitsN) {
          crawlMs = now - t0;
          crawlFailed = Number(rows.find((r) => r.crawl_status === 'failed')?.n ?? 0);
          console.log(`  ${secs(crawlMs)}: 抓取结束 (crawl over), load ${load()}`);
        }
      }
      const status = (await getRun(db, runId))?.status;
      if (status === 'scored' || status === 'reported') {
        wallMs = now - t0;
        break;
      }
      if (crawlMs && now - lastFinishCheck > 5_000) {
        lastFinishCheck = now;
        const finish = await finishState(db, connection, runId);
        if (finish?.state === 'failed')
          throw new Error(`评分任务失败 (finish job failed): ${finish.reason ?? ''}`);
      }
      if (now - t0 > timeoutMs) {
        const p = await batchProgress(db, runId, connection);
        throw new Error(
          `超过 ${values['timeout-minutes']} 分钟未完成 (timed out):\n${describeProgress(p).join('\n')}`,
        );
      }
      if (now - lastReport >= 30_000) {
        lastReport = now;
        const stats = await siteStats(site);
        const requests = stats.hosts.reduce((a, h) => a + h.requests, 0);
        const p = await batchProgress(db, runId);
        console.log(
          `  ${secs(now - t0)}: ${p.crawled + p.crawlFailed}/${unitsN} 个单位抓取结束, ${fmt(requests)} requests ` +
            `(${fmt(requests / ((now - t0) / 1000), 1)}/s), status ${p.status}, ` +
            `RSS ${workers.map((x) => mb(statusNumber(x.child.pid!, 'VmRSS'))).join(' / ')} MB, load ${load()}`,
        );
      }
      await sleep(500);
    }

    for (const x of workers) x.mem.sample();
    const stats = await siteStats(site);
    const hosts = stats.hosts;
    const requests = hosts.reduce((a, h) => a + h.requests, 0);
    const byStatus: Record<string, number> = {};
    for (const h of hosts)
      for (const [k, v] of Object.entries(h.byStatus)) byStatus[k] = (byStatus[k] ?? 0) + v;
    const slowest = hosts.reduce((a, h) => (h.requests > a.requests ? h : a));
    const hostLimitMs = Math.max(0, slowest.requests - 1) * delayMs + latencyMs;
    // A worker runs C host groups at once: the crawl takes at least ⌈groups / (W × C)⌉ host limits.
    const slotLimitMs = Math.ceil(unitsN / (w * concurrency)) * hostLimitMs;
    const resources = (
      await db
        .selectFrom('resources')
        .select((eb) => ['kind', eb.fn.countAll<number>().as('n')])
        .where('run_id', '=', runId)
        .groupBy('kind')
        .orderBy('kind')
        .execute()
    ).map((r) => ({ kind: r.kind, n: Number(r.n) }));
    const done = await db
      .selectFrom('frontier')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('run_id', '=', runId)
      .where('state', '!=', 'queued')
      .executeTakeFirstOrThrow();
    let failedJobs = 0;
    for (const name of [queueNames.crawl, queueNames.check]) {
      const queue = new Queue(name, { connection });
      failedJobs += (await queue.getJobCounts('failed')).failed ?? 0;
      await queue.close();
    }
    const counts = { failed: failedJobs };
    // One host group's crawl started on two workers (a job taken over or retried) is the one way a
    // host could see two crawlers; each start is logged as 抓取第 N 组.
    const starts = new Map<number, number>();
    for (const x of workers)
      for (const m of readFileSync(x.log, 'utf8').matchAll(/批次：抓取第 (\d+) 组/g))
        starts.set(Number(m[1]), (starts.get(Number(m[1])) ?? 0) + 1);
    const warnings = workers.flatMap((x) =>
      readFileSync(x.log, 'utf8')
        .split('\n')
        .filter((l) => l.startsWith('警告') || l.startsWith('错误')),
    );
    return {
      w,
      enqueueCmdMs,
      crawlMs,
      wallMs,
      requests,
      byStatus,
      slowestRequests: slowest.requests,
      hostLimitMs,
      slotLimitMs,
      maxInFlight: Math.max(...hosts.map((h) => h.maxInFlight)),
      minGapMs: Math.min(...hosts.map((h) => h.minGapMs)),
      gapsBelow: hosts.reduce((a, h) => a + h.gapsBelowDelay, 0),
      loopDelayMaxMs: stats.loopDelayMaxMs,
      crawlStarts: [...starts.values()].reduce((a, n) => a + n, 0),
      groupsRestarted: [...starts.values()].filter((n) => n > 1).length,
      resources,
      pagesDone: Number(done.n),
      crawlFailed,
      workers: workers.map((x) => ({
        pid: x.child.pid!,
        hwmKb: x.mem.hwmKb,
        treePeakKb: x.mem.treePeakKb,
        threads: x.mem.threadsMax,
        cpuS: Math.max(x.mem.cpuS, cpuSeconds(x.child.pid!)),
        children: [...x.mem.children],
      })),
      failedJobs: counts.failed ?? 0,
      warnings,
      loadMean: loads.reduce((a, l) => a + l, 0) / Math.max(1, loads.length),
      loadMax: Math.max(...loads),
    };
  } finally {
    await Promise.all(workers.map((x) => stop(x.child)));
    if (site) await stop(site, 5_000);
    if (!values.keep) {
      for (const name of queueNames ? [queueNames.crawl, queueNames.check] : []) {
        const queue = new Queue(name, { connection });
        await queue.obliterate({ force: true }).catch(() => {});
        await queue.close();
      }
      if (db) await sql`DROP SCHEMA IF EXISTS ${sql.id(schema)} CASCADE`.execute(db).catch(() => {});
    }
    if (db) await closeStore(db);
  }
}

// ---- figures ----

/**
 * Politeness as the site server saw it. In flight per host is exact. An arrival is timed when the
 * server's event loop reaches it, so a short gap no shorter than the delay minus the loop's longest
 * stall (+ the 20 ms the counter allows) is the server's own lateness, not the crawler's; a gap
 * shorter than that is client-side jitter (the worker's loop sending late) or a real breach.
 */
function politeness(r: Result): { held: boolean; text: string } {
  if (r.maxInFlight > perHost) return { held: false, text: '未保持 (NOT held: too many in flight)' };
  if (r.gapsBelow === 0) return { held: true, text: '保持 (held)' };
  if (delayMs - r.minGapMs <= r.loopDelayMaxMs + 20 && r.groupsRestarted === 0)
    return {
      held: true,
      text: '保持 (held; short gaps within the server loop stalls, every host crawled by one job)',
    };
  return { held: false, text: '存疑 (suspect: short gaps beyond the server loop stalls)' };
}

function printResult(r: Result): void {
  console.log(
    `  下达 (enqueue): xuncha run --detach 用时 ${secs(r.enqueueCmdMs)}（含 tsx 启动、读种子、建批次；计时从“已下达”起）`,
  );
  console.log(
    `  抓取 (crawl): ${secs(r.crawlMs)}，${fmt(r.requests)} requests ${JSON.stringify(r.byStatus)}，` +
      `${fmt(r.requests / (r.crawlMs / 1000), 1)} requests/s；抓取失败单位 ${r.crawlFailed}`,
  );
  console.log(
    `  全程 (wall, enqueued → scored): ${secs(r.wallMs)}（抓取后检查与评分 ${secs(r.wallMs - r.crawlMs)}）`,
  );
  console.log(
    `  单主机礼貌上限 (per-host limit): 最慢主机 ${fmt(r.slowestRequests)} 次请求 → (${fmt(r.slowestRequests)} − 1) × ${delayMs} ms + ${latencyMs} ms = ${secs(r.hostLimitMs)}；` +
      `抓取 / 上限 = ${(r.crawlMs / r.hostLimitMs).toFixed(2)}`,
  );
  console.log(
    `  任务槽下限 (job slots): ${r.w} × ${concurrency} 个主机组同时抓取，⌈${unitsN} / ${r.w * concurrency}⌉ × ${secs(r.hostLimitMs)} = ${secs(r.slotLimitMs)}；` +
      `抓取 / 下限 = ${(r.crawlMs / r.slotLimitMs).toFixed(2)}`,
  );
  console.log(
    `  礼貌 (politeness, as the servers saw it): 每主机同时 ≤ ${r.maxInFlight}（允许 ${perHost}），最小到达间隔 ${fmt(r.minGapMs, 1)} ms，` +
      `间隔 < ${delayMs - 20} ms 共 ${r.gapsBelow} 次（站点事件循环最长滞后 ${fmt(r.loopDelayMaxMs)} ms）→ ${politeness(r).text}`,
  );
  console.log(
    `  已存 (stored): ${r.resources.map((x) => `${fmt(x.n)} ${x.kind}`).join('，')}；frontier 已处理 ${fmt(r.pagesDone)}`,
  );
  for (const [i, x] of r.workers.entries())
    console.log(
      `  工作进程 ${i + 1} (pid ${x.pid}): VmHWM ${mb(x.hwmKb)} MB，进程树峰值 (tree peak) ${mb(x.treePeakKb)} MB，线程 ≤ ${x.threads}` +
        `${x.children.length ? `（子进程 ${x.children.join('、')}）` : ''}，CPU ${fmt(x.cpuS, 1)} s`,
    );
  console.log(
    `  任务 (jobs): 抓取任务启动 ${r.crawlStarts} 次（${unitsN} 个主机组，重复启动的组 ${r.groupsRestarted}），最终失败 ${r.failedJobs}，工作进程警告/错误 ${r.warnings.length} 行；load average 平均 ${r.loadMean.toFixed(2)}，最高 ${r.loadMax.toFixed(2)}`,
  );
  for (const l of r.warnings.slice(0, 5)) console.log(`    ${l}`);
}

function printTable(results: Result[]): void {
  const rows = [
    [
      'W',
      '全程 wall',
      '抓取 crawl',
      'requests/s',
      '抓取/单主机上限',
      '抓取/任务槽下限',
      '每进程 VmHWM MB',
      '进程树峰值 MB',
      '礼貌 politeness',
      '已存 pages',
      'load',
    ],
    ...results.map((r) => [
      String(r.w),
      secs(r.wallMs),
      secs(r.crawlMs),
      fmt(r.requests / (r.crawlMs / 1000), 1),
      (r.crawlMs / r.hostLimitMs).toFixed(2),
      (r.crawlMs / r.slotLimitMs).toFixed(2),
      r.workers.map((x) => mb(x.hwmKb)).join(' / '),
      r.workers.map((x) => mb(x.treePeakKb)).join(' / '),
      `≤ ${r.maxInFlight} in flight; ${r.gapsBelow} gaps < ${delayMs - 20} ms (min ${fmt(r.minGapMs)}, loop lag ≤ ${fmt(r.loopDelayMaxMs)}); ${politeness(r).held ? 'held' : 'NOT held'}`,
      fmt(r.resources.reduce((a, x) => a + x.n, 0)),
      r.loadMean.toFixed(1),
    ]),
  ];
  console.log('');
  for (const [i, row] of rows.entries()) {
    console.log(`| ${row.join(' | ')} |`);
    if (i === 0) console.log(`|${row.map(() => '---').join('|')}|`);
  }
}

function printSummary(results: Result[]): void {
  const first = results[0]!;
  const last = results[results.length - 1]!;
  const speedup = (a: number, b: number) => `${(a / b).toFixed(2)}×`;
  const held = results.every((r) => politeness(r).held);
  const peak = Math.max(...results.flatMap((r) => r.workers.map((x) => x.hwmKb)));
  console.log('');
  if (results.length === 1) {
    console.log(
      `小结 (summary): W ${first.w}：全程 ${secs(first.wallMs)}，抓取 ${secs(first.crawlMs)}，` +
        `${fmt(first.requests / (first.crawlMs / 1000), 1)} requests/s；礼貌${held ? '保持 (held)' : '未保持 (NOT held)'}；` +
        `每个工作进程 VmHWM ≤ ${mb(peak)} MB；单主机上限 ${secs(first.hostLimitMs)}`,
    );
    return;
  }
  console.log(
    `小结 (summary): W ${first.w}→${last.w}：全程 ${secs(first.wallMs)} → ${secs(last.wallMs)}（${speedup(first.wallMs, last.wallMs)}），` +
      `抓取 ${secs(first.crawlMs)} → ${secs(last.crawlMs)}（${speedup(first.crawlMs, last.crawlMs)}），` +
      `${fmt(first.requests / (first.crawlMs / 1000), 1)} → ${fmt(last.requests / (last.crawlMs / 1000), 1)} requests/s；` +
      `礼貌${held ? '全部保持 (held everywhere)' : '有未保持 (NOT held somewhere)'}；每个工作进程 VmHWM ≤ ${mb(peak)} MB；` +
      `单主机上限 ${secs(last.hostLimitMs)}`,
  );
}

// ---- main ----

const dir = mkdtempSync('/tmp/xuncha-province-');
console.log(
  `province: ${unitsN} units × ${fmt(pages)} pages (${dead} dead links each, a PDF on 1 article in 40), ` +
    `one host each on ${hostAddress(0)}–${hostAddress(unitsN - 1)}, latency ${latencyMs} ms; ` +
    `default politeness ${perHost} per host, ${delayMs} ms between starts; workers ${workerCounts.join(', ')}, ` +
    `each --concurrency ${concurrency} (host groups at once); render never, screenshots off`,
);
console.log(
  `store ${redact(values.pg)} (a fresh schema per W), queue ${values.redis}; node ${process.version}, ` +
    `${cpus().length} cores, load average ${load()}; logs in ${dir}`,
);
const results: Result[] = [];
let failed = false;
try {
  for (const w of workerCounts) {
    console.log('');
    console.log(`W = ${w}：${w} 个工作进程 (workers) × 并发 ${concurrency}，load ${load()}`);
    const r = await runOne(w, dir);
    results.push(r);
    printResult(r);
  }
} catch (err) {
  failed = true;
  if (interrupted) console.error(`\n已中断 (interrupted): ${(err as Error).message.split('\n')[0]}`);
  else console.error(`\n出错 (error): ${(err as Error).stack ?? String(err)}`);
  console.error(`日志保留在 (logs kept in) ${dir}`);
}
if (results.length) {
  printTable(results);
  printSummary(results);
}
console.log(`load average now ${load()}`);
if (!failed && !values.keep) rmSync(dir, { recursive: true, force: true });
else if (!failed) console.log(`kept ${dir}`);
process.exit(interrupted ? 130 : failed ? 1 : 0);
