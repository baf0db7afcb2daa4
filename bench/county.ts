/**
 * A county at its politeness limit on one machine (issue 16): N units, each its own loopback host
 * 127.0.0.(2+i) with a P-page TRS-like site (bench/county/site.ts, one child process, every
 * response delayed by --latency ms), run through the whole pipeline with the default politeness:
 * crawl, check, evidence screenshots (only with --screenshots), score, report. Store and reports
 * in a temp dir under /tmp.
 *
 * Prints the crawl's wall time, requests and requests/s; the politeness limit (the slowest host's
 * requests × the per-host delay, from what the hosts really answered) and crawl time / limit; the
 * whole run's time; peak RSS (VmHWM) of this process, of xuncha's children (PDF parser, Chromium)
 * and of the site server; and, from the servers' side, whether per-host politeness held.
 *
 * Usage: node --expose-gc --import tsx bench/county.ts [--units 100] [--pages 2000]
 *          [--latency 100] [--dead 10] [--screenshots] [--crawl-only] [--keep]
 * (--expose-gc lets it sample the heap after a collection, to show memory per active host group.)
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { crawlSettings } from '../src/config/settings.js';
import { createLogger, type Logger } from '../src/log.js';
import {
  createRunFromUnits,
  stageCheck,
  stageCrawl,
  stageEvidence,
  stageReport,
  stageScore,
  todayIso,
  type PipelineOptions,
} from '../src/pipeline.js';
import { HostScheduler } from '../src/crawl/politeness.js';
import type { Unit } from '../src/seeds/unit.js';
import { closeStore, openStore } from '../src/store/db.js';
import { hostAddress, type CountyStats } from './county/site.js';

const here = dirname(fileURLToPath(import.meta.url));
const MB = 1024 * 1024;

const { values } = parseArgs({
  options: {
    units: { type: 'string', default: '100' },
    pages: { type: 'string', default: '2000' },
    latency: { type: 'string', default: '100' },
    dead: { type: 'string', default: '10' },
    screenshots: { type: 'boolean', default: false },
    'crawl-only': { type: 'boolean', default: false },
    keep: { type: 'boolean', default: false },
  },
});
const unitsN = Number(values.units);
const pages = Number(values.pages);
const latencyMs = Number(values.latency);
const dead = Number(values.dead);
for (let i = 0; i < unitsN; i++) hostAddress(i); // refuses more units than addresses

const settings = crawlSettings({ screenshots: values.screenshots });
const delayMs = settings.perHostDelayMs;

// ---- memory: this process, xuncha's children, the site server ----

function statusKb(pid: number | 'self', field: 'VmHWM' | 'VmRSS'): number {
  try {
    const m = new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

/** Every process below `root` (children, grandchildren: Chromium's zygotes and renderers). */
function descendants(root: number): { pid: number; name: string }[] {
  const parent = new Map<number, { ppid: number; name: string }>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const close = stat.lastIndexOf(')');
      const name = stat.slice(stat.indexOf('(') + 1, close);
      const ppid = Number(stat.slice(close + 2).split(' ')[1]);
      parent.set(Number(entry), { ppid, name });
    } catch {
      // gone meanwhile
    }
  }
  const out: { pid: number; name: string }[] = [];
  const below = new Set([root]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const [pid, p] of parent)
      if (!below.has(pid) && below.has(p.ppid)) {
        below.add(pid);
        out.push({ pid, name: p.name });
        grew = true;
      }
  }
  return out;
}

let sitePid = 0;
/** Highest VmHWM seen per child pid (a child that exits keeps its last reading). */
const childHwm = new Map<number, { name: string; kb: number }>();
/** Highest sum of the children's resident sets at one moment. */
let childrenRssPeakKb = 0;
function sampleChildren(): void {
  let sum = 0;
  for (const { pid, name } of descendants(process.pid)) {
    // The site server is the county, not xuncha; esbuild is tsx compiling this script.
    if (pid === sitePid || name === 'esbuild') continue;
    const hwm = statusKb(pid, 'VmHWM');
    sum += statusKb(pid, 'VmRSS');
    if (hwm > (childHwm.get(pid)?.kb ?? 0)) childHwm.set(pid, { name, kb: hwm });
  }
  childrenRssPeakKb = Math.max(childrenRssPeakKb, sum);
}

// ---- politeness as the crawler keeps it: when each request really starts, per host ----

/** performance.now() of every request start the scheduler allowed, by host. */
const startsByHost = new Map<string, number[]>();
const originalRun = HostScheduler.prototype.run;
HostScheduler.prototype.run = function <T>(this: HostScheduler, host: string, task: () => Promise<T>) {
  return originalRun.call(this, host, () => {
    const list = startsByHost.get(host);
    if (list) list.push(performance.now());
    else startsByHost.set(host, [performance.now()]);
    return task();
  }) as Promise<T>;
};

// ---- the county's sites ----

function startSite(): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(
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
    { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] },
  );
  sitePid = child.pid ?? 0;
  return new Promise((resolve, reject) => {
    child.on('message', (m: { port?: number }) => m.port && resolve({ child, port: m.port }));
    child.once('exit', (code) => reject(new Error(`county site exited (${code}) before listening`)));
  });
}

function siteStats(child: ChildProcess): Promise<CountyStats> {
  return new Promise((resolve) => {
    const onMessage = (m: { stats?: CountyStats }) => {
      if (!m.stats) return;
      child.off('message', onMessage);
      resolve(m.stats);
    };
    child.on('message', onMessage);
    child.send('stats');
  });
}

// ---- the run ----

const fmt = (n: number, digits = 0) =>
  n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');

const dir = mkdtempSync('/tmp/xuncha-county-');
const { child: site, port } = await startSite();
const units: Unit[] = Array.from({ length: unitsN }, (_, i) => ({
  id: `u${String(i + 1).padStart(3, '0')}`,
  name: i % 3 === 2 ? `第${i + 1}镇人民政府` : `县第${i + 1}局`,
  level: i % 3 === 2 ? '乡镇街道' : '部门',
  startUrls: [`http://${hostAddress(i)}:${port}/`],
  catalogues: [],
  hosts: [],
  paths: [],
}));

console.log(
  `county: ${unitsN} units × ${fmt(pages)} pages (${dead} dead links each, a PDF on 1 article in 40), ` +
    `one host each on 127.0.0.2–${hostAddress(unitsN - 1)}:${port}, latency ${latencyMs} ms; ` +
    `politeness ${settings.perHostConcurrency} per host, ${delayMs} ms between starts, ` +
    `global ${settings.globalConcurrency}, concurrent groups ${settings.concurrentUnits ?? 'all'}; ` +
    `screenshots ${settings.screenshots ? 'on' : 'off'}`,
);
console.log(`node ${process.version}, ${cpus().length} cores, load average ${load()}, store ${dir}`);

// The pipeline's own log (progress lines every few seconds off a TTY) goes to a file; the groups
// it shows at once are counted here.
const logFile = createWriteStream(join(dir, 'run.log'));
const fileLog = createLogger({ out: logFile, err: logFile });
let activeGroupsMax = 0;
const log: Logger = {
  ...fileLog,
  progress(lines, data) {
    const shown = (data?.active as number | undefined) ?? (data?.units as unknown[] | undefined)?.length;
    activeGroupsMax = Math.max(activeGroupsMax, shown ?? 0);
    fileLog.progress(lines, data);
  },
};

const db = await openStore(join(dir, 'xuncha.db'));
const o: PipelineOptions = {
  db,
  log,
  settings,
  rulesDir: 'rules',
  outDir: join(dir, 'out'),
  issuer: '基准测试县人民政府办公室',
};
const runId = await createRunFromUnits(db, units, 'bench-county', todayIso(), settings);

const gc = (globalThis as { gc?: () => void }).gc;
let heapAfterGcMax = 0;
const loads: number[] = [];
const sampler = setInterval(() => {
  sampleChildren();
  loads.push(loadavg()[0]!);
}, 1000);
let crawling = true;
const heapSampler = setInterval(() => {
  if (!crawling || !gc) return;
  gc();
  heapAfterGcMax = Math.max(heapAfterGcMax, process.memoryUsage().heapUsed);
}, 10_000);
const t0 = performance.now();
const reporter = setInterval(() => {
  void siteStats(site).then((s) => {
    const requests = s.hosts.reduce((a, h) => a + h.requests, 0);
    const secs = (performance.now() - t0) / 1000;
    console.log(
      `  ${fmt(secs)} s: ${fmt(requests)} requests (${fmt(requests / secs, 1)}/s), ` +
        `groups shown ≤ ${activeGroupsMax}, load ${load()}`,
    );
  });
}, 30_000);

const stages: [string, number][] = [];
/** Each stage's time as soon as it is over: a run stopped midway still tells what it did. */
const stageDone = (name: string, ms: number) => {
  stages.push([name, ms]);
  console.log(`  ${name.padEnd(28)} ${fmt(ms / 1000, 1).padStart(8)} s   (load ${load()})`);
};
try {
  await stageCrawl(o, runId);
  crawling = false;
  const crawlMs = performance.now() - t0;
  clearInterval(reporter);
  await printCrawl(crawlMs, await siteStats(site));
  stageDone('crawl', crawlMs);
  if (!values['crawl-only']) {
    let t = performance.now();
    await stageCheck(o, runId);
    stageDone('check', performance.now() - t);
    t = performance.now();
    await stageEvidence(o, runId);
    stageDone(
      settings.screenshots ? 'evidence screenshots' : 'evidence (screenshots off)',
      performance.now() - t,
    );
    t = performance.now();
    await stageScore(o, runId);
    stageDone('score', performance.now() - t);
    t = performance.now();
    await stageReport(o, runId);
    stageDone('report', performance.now() - t);
  }
} finally {
  clearInterval(reporter);
  clearInterval(sampler);
  clearInterval(heapSampler);
  sampleChildren();
}
const totalMs = performance.now() - t0;
const siteHwmKb = statusKb(sitePid, 'VmHWM');
site.kill('SIGTERM');
await closeStore(db);
logFile.end();

// ---- figures ----

async function printCrawl(crawlMs: number, crawlStats: CountyStats): Promise<void> {
  const hosts = crawlStats.hosts;
  const requests = hosts.reduce((a, h) => a + h.requests, 0);
  // Starts at least `delay` apart: a host answering n requests needs (n - 1) × delay between its
  // first and last start, plus one latency for the last answer.
  const slowest = hosts.reduce((a, h) => (h.requests > a.requests ? h : a));
  const limitMs = Math.max(0, slowest.requests - 1) * delayMs + latencyMs;
  const byStatus: Record<string, number> = {};
  for (const h of hosts)
    for (const [k, v] of Object.entries(h.byStatus)) byStatus[k] = (byStatus[k] ?? 0) + v;
  const resources = await db
    .selectFrom('resources')
    .select((eb) => ['kind', eb.fn.countAll<number>().as('n')])
    .where('run_id', '=', runId)
    .groupBy('kind')
    .orderBy('kind')
    .execute();
  console.log('');
  console.log(
    `crawl: ${fmt(crawlMs / 1000, 1)} s (${fmt(crawlMs / 60_000, 1)} min), ${fmt(requests)} requests ` +
      `(${JSON.stringify(byStatus)}), ${fmt(requests / (crawlMs / 1000), 1)} requests/s; ` +
      `stored ${resources.map((r) => `${fmt(r.n)} ${r.kind}`).join(', ')}`,
  );
  console.log(
    `politeness limit: slowest host ${slowest.address} answered ${fmt(slowest.requests)} requests → ` +
      `(${fmt(slowest.requests)} − 1) × ${delayMs} ms + ${latencyMs} ms = ${fmt(limitMs / 1000, 1)} s ` +
      `(${fmt(limitMs / 60_000, 1)} min); all hosts at that pace: ${fmt((hosts.length * 1000) / delayMs)} requests/s`,
  );
  const ratio = crawlMs / limitMs;
  console.log(`crawl time / limit: ${ratio.toFixed(2)} (target ≤ 1.2: ${ratio <= 1.2 ? 'MET' : 'NOT MET'})`);
  let clientMinGap = Infinity;
  let clientShortGaps = 0;
  for (const starts of startsByHost.values())
    for (let i = 1; i < starts.length; i++) {
      const gap = starts[i]! - starts[i - 1]!;
      clientMinGap = Math.min(clientMinGap, gap);
      // The scheduler checks and takes a start in one synchronous step on the same clock; this
      // wrapper reads the clock a moment later, so a GC pause there can shift a reading by ~2 ms.
      if (gap < delayMs - 5) clientShortGaps++;
    }
  console.log(
    `per host, request starts in the crawler: smallest gap ${fmt(clientMinGap, 1)} ms, ` +
      `${clientShortGaps} gaps under ${delayMs - 5} ms over ${startsByHost.size} hosts ` +
      `(read by a wrapper around the scheduler's task: ±2 ms of GC jitter)`,
  );
  const spans = hosts.map((h) => h.lastAt - h.firstAt);
  console.log(
    `per host, as the site server saw it (its own event loop shifts arrivals under load): in flight at once ≤ ${Math.max(...hosts.map((h) => h.maxInFlight))} ` +
      `(allowed ${settings.perHostConcurrency}); smallest gap between arrivals ${fmt(Math.min(...hosts.map((h) => h.minGapMs)), 1)} ms, ` +
      `${hosts.reduce((a, h) => a + h.gapsBelowDelay, 0)} gaps under ${delayMs - 20} ms (delay ${delayMs}); ` +
      `first-to-last request per host ${fmt(Math.min(...spans) / 1000)}–${fmt(Math.max(...spans) / 1000)} s`,
  );
  console.log(
    `groups shown in progress at once ≤ ${activeGroupsMax}` +
      (gc
        ? `; heap after GC during the crawl ≤ ${fmt(heapAfterGcMax / MB)} MB`
        : ' (run with --expose-gc for heap samples)') +
      `; pipeline VmHWM so far ${fmt(statusKb('self', 'VmHWM') / 1024)} MB`,
  );
  console.log('');
}

console.log(
  `whole run: ${fmt(totalMs / 1000, 1)} s (${fmt(totalMs / 60_000, 1)} min; target ≤ 60 min: ${
    values['crawl-only'] ? 'crawl only' : totalMs <= 3_600_000 ? 'MET' : 'NOT MET'
  })`,
);
const biggestChild = [...childHwm.values()].reduce((a, c) => (c.kb > a.kb ? c : a), { name: '-', kb: 0 });
console.log(
  `peak RSS: this process (pipeline) VmHWM ${fmt(statusKb('self', 'VmHWM') / 1024)} MB; ` +
    `xuncha's children: largest VmHWM ${fmt(biggestChild.kb / 1024)} MB (${biggestChild.name}), ` +
    `most at once ${fmt(childrenRssPeakKb / 1024)} MB over ${childHwm.size} processes; ` +
    `site server ${fmt(siteHwmKb / 1024)} MB (not xuncha)`,
);
console.log(
  `load average during the run: mean ${(loads.reduce((a, l) => a + l, 0) / Math.max(1, loads.length)).toFixed(2)}, ` +
    `max ${Math.max(...loads).toFixed(2)}; now ${load()}`,
);
if (values.keep) console.log(`kept ${dir} (run.log, xuncha.db, out/)`);
else rmSync(dir, { recursive: true, force: true });
