/**
 * Crawl benchmark: a generated TRS-like site (bench/crawl/site.ts, its own child process) crawled
 * by xuncha, Crawlee's CheerioCrawler and a bare undici+cheerio loop, each in its own child
 * process at the same concurrency. Prints requests per second, the ratio to the limit C/L,
 * peak RSS and dead-link recall, then whether the targets are met. Figures only: never a test.
 *
 * Usage: npx tsx bench/crawl/run.ts [--pages 5000] [--latency 50] [--concurrency 16]
 *          [--dead N] [--crawlers xuncha,crawlee,undici] [--rss-at 10000,50000,100000]
 *          [--timeout 1800] [--repeat 1]
 * With --repeat N every crawler runs N times (interleaved) and the table shows its median run.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { CrawlerResult } from './crawlers/common.js';
import { siteLayout, type SiteStats } from './site.js';

const here = dirname(fileURLToPath(import.meta.url));
const CRAWLERS = ['xuncha', 'crawlee', 'undici'] as const;
const MB = 1024 * 1024;

const { values } = parseArgs({
  options: {
    pages: { type: 'string', default: '5000' },
    latency: { type: 'string', default: '50' },
    concurrency: { type: 'string', default: '16' },
    dead: { type: 'string' },
    crawlers: { type: 'string', default: CRAWLERS.join(',') },
    'rss-at': { type: 'string' },
    timeout: { type: 'string', default: '1800' },
    repeat: { type: 'string', default: '1' },
  },
});
const pages = Number(values.pages);
const latencyMs = Number(values.latency);
const concurrency = Number(values.concurrency);
const dead = values.dead !== undefined ? Number(values.dead) : Math.max(30, Math.round(pages / 200));
const timeoutMs = Number(values.timeout) * 1000;
const repeat = Math.max(1, Number(values.repeat));
const crawlers = values.crawlers.split(',').map((c) => c.trim());
for (const c of crawlers)
  if (!(CRAWLERS as readonly string[]).includes(c)) throw new Error(`unknown crawler ${c}; use ${CRAWLERS}`);
if (crawlers.includes('xuncha') && concurrency > 16)
  throw new Error('xuncha caps perHostConcurrency at 16: use --concurrency 16 or less');

const layout = siteLayout({ pages, dead });
const sitePages = layout.totalPages;
const expectedRequests = sitePages + dead;
const rssAt = (values['rss-at']?.split(',').map(Number) ?? [0.1, 0.5, 0.9].map((f) => f * expectedRequests))
  .map(Math.round)
  .filter((n) => n > 0 && n <= expectedRequests);

/** node --import tsx FILE ARGS, with stdin piped so the child notices when we go away. */
function spawnTs(file: string, args: string[]): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', join(here, file), ...args], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
}

function firstLine(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let buf = '';
    const onData = (d: Buffer) => {
      buf += d.toString();
      const nl = buf.indexOf('\n');
      if (nl < 0) return;
      child.stdout?.off('data', onData);
      resolve(buf.slice(0, nl).trim());
    };
    child.stdout?.on('data', onData);
    child.once('exit', (code) => reject(new Error(`site server exited (${code}) before printing its port`)));
  });
}

function procRss(pid: number): number | undefined {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m?.[1] ? Number(m[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

async function siteStats(origin: string, reset = false): Promise<SiteStats> {
  const res = await fetch(`${origin}/__bench/${reset ? 'reset' : 'stats'}`);
  return (await res.json()) as SiteStats;
}

interface Measured {
  result: CrawlerResult;
  server: SiteStats;
  /** RSS of the child when the server had answered `requests` requests. */
  milestones: { requests: number; rss: number }[];
  /** The highest RSS seen by polling /proc every 100 ms, and the requests answered by then. */
  polledPeak: { requests: number; rss: number };
}

async function measure(name: string, origin: string): Promise<Measured> {
  await siteStats(origin, true);
  const child = spawnTs(`crawlers/${name}.ts`, [
    '--url',
    `${origin}/`,
    '--concurrency',
    String(concurrency),
    '--max-requests',
    String(expectedRequests * 2 + 100),
  ]);
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  const milestones: Measured['milestones'] = [];
  const polledPeak = { requests: 0, rss: 0 };
  let polling = false;
  const poll = setInterval(() => {
    if (polling || child.pid === undefined) return;
    polling = true;
    const pid = child.pid;
    siteStats(origin)
      .then((s) => {
        const rss = procRss(pid);
        if (rss !== undefined && rss > polledPeak.rss)
          Object.assign(polledPeak, { rss, requests: s.requests });
        while (
          rss !== undefined &&
          milestones.length < rssAt.length &&
          s.requests >= rssAt[milestones.length]!
        ) {
          milestones.push({ requests: s.requests, rss });
          console.log(`    ${name}: ${s.requests} requests answered, RSS ${fmt(rss / MB)} MB`);
        }
      })
      .catch(() => undefined)
      .finally(() => (polling = false));
  }, 100);
  const killer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  clearInterval(poll);
  clearTimeout(killer);
  const line = out.split('\n').find((l) => l.startsWith('@@result '));
  if (!line)
    throw new Error(`${name} exited (${code}) without a result${code === null ? ' (timed out?)' : ''}`);
  return {
    result: JSON.parse(line.slice('@@result '.length)) as CrawlerResult,
    server: await siteStats(origin),
    milestones,
    polledPeak,
  };
}

const fmt = (n: number, digits = 0) => n.toFixed(digits);
function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padStart(widths[i]!)).join('  ');
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

const site = spawnTs('site.ts', [
  '--pages',
  String(pages),
  '--latency',
  String(latencyMs),
  '--dead',
  String(dead),
  '--max-seconds',
  String(Math.ceil((timeoutMs * crawlers.length * repeat) / 1000) + 120),
]);
const origin = `http://127.0.0.1:${await firstLine(site)}`;
const planted = new Set(layout.deadUrls(origin));
const limit = latencyMs > 0 ? (concurrency * 1000) / latencyMs : undefined;

console.log(
  `site: ${sitePages} pages (${layout.columns} columns, ${layout.articles} articles), ${dead} dead links, ` +
    `latency ${latencyMs} ms, concurrency ${concurrency}` +
    (limit ? `, limit C/L = ${fmt(limit)} requests/s` : ''),
);
console.log(
  `node ${process.version}, ${cpus().length} cores, load average ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`,
);

const rate = (m: Measured) => m.server.requests / (m.result.elapsedMs / 1000);
const runs = new Map<string, Measured[]>(crawlers.map((c) => [c, []]));
try {
  for (let r = 0; r < repeat; r++)
    for (const name of crawlers) {
      let m: Measured;
      try {
        m = await measure(name, origin);
      } catch (err) {
        console.log(`  ${name}: FAILED: ${(err as Error).message}`);
        continue;
      }
      runs.get(name)!.push(m);
      console.log(
        `  ${name}${repeat > 1 ? ` run ${r + 1}` : ''}: ${m.server.requests} requests in ` +
          `${fmt(m.result.elapsedMs / 1000, 1)} s (site answered ${JSON.stringify(m.server.byStatus)}; ` +
          `crawler failures ${JSON.stringify(m.result.failures)}), load average ${fmt(loadavg()[0]!, 2)}`,
      );
    }
} finally {
  site.kill('SIGTERM');
}
/** Each crawler's median run by pages/s. */
const results = [...runs.values()]
  .filter((ms) => ms.length)
  .map((ms) => [...ms].sort((a, b) => rate(a) - rate(b))[Math.floor((ms.length - 1) / 2)]!);
const peak = (m: Measured) => Math.max(m.result.peakRss, m.result.hwmRss ?? 0);
const found = (m: Measured) => new Set(m.result.dead.filter((u) => planted.has(u))).size;
const falseDead = (m: Measured) => new Set(m.result.dead.filter((u) => !planted.has(u))).size;

console.log('');
console.log(
  table(
    [
      'crawler',
      'requests',
      'pages ok',
      'time s',
      'pages/s',
      ...(limit ? ['% of C/L'] : []),
      'base RSS MB',
      'peak RSS MB',
      'dead recall',
      'false dead',
      ...(limit ? ['in flight max/mean'] : []),
      ...(repeat > 1 ? ['pages/s of every run'] : []),
    ],
    results.map((m) => [
      m.result.crawler,
      String(m.server.requests),
      `${m.result.pagesOk}/${sitePages}`,
      fmt(m.result.elapsedMs / 1000, 1),
      fmt(rate(m), 1),
      ...(limit ? [`${fmt((100 * rate(m)) / limit, 1)} %`] : []),
      fmt(m.result.baseRss / MB),
      fmt(peak(m) / MB),
      `${found(m)}/${dead} (${fmt((100 * found(m)) / dead, 1)} %)`,
      String(falseDead(m)),
      ...(limit ? [`${m.server.maxInFlight}/${fmt(m.server.meanInFlight, 1)}`] : []),
      ...(repeat > 1
        ? [
            runs
              .get(m.result.crawler)!
              .map((r) => fmt(rate(r)))
              .join(' '),
          ]
        : []),
    ]),
  ),
);
console.log(
  'pages/s = requests the site answered (pages, 404s, robots.txt) / crawl wall time; ' +
    'peak RSS = max of 50 ms samples and VmHWM; base RSS = before the crawl (runtime + libraries); ' +
    'in flight = requests the site had in progress at once (max, time-weighted mean; with latency > 0)',
);

if (rssAt.length) {
  console.log('');
  console.log('RSS of each crawler process as the crawl went on (MB at requests answered):');
  for (const m of results)
    console.log(
      `  ${m.result.crawler}: ` +
        (m.milestones.map((s) => `${fmt(s.rss / MB)} @ ${s.requests}`).join(', ') ||
          'no samples (no /proc?)') +
        `; peak ${fmt(peak(m) / MB)} (sampled in the child ${fmt(m.result.peakAtMs / 1000, 1)} s into the crawl; ` +
        `polled: ${fmt(m.polledPeak.rss / MB)} @ ${m.polledPeak.requests})`,
    );
  console.log(
    'Where the sampled peak sat (MB): V8 heap used/total, external (incl. Buffers), rest = code, stacks, native:',
  );
  for (const m of results) {
    const p = m.result.atPeak;
    console.log(
      `  ${m.result.crawler}: rss ${fmt(p.rss / MB)} = heap ${fmt(p.heapUsed / MB)}/${fmt(p.heapTotal / MB)}` +
        ` + external ${fmt(p.external / MB)} + rest ${fmt((p.rss - p.heapTotal - p.external) / MB)}`,
    );
  }
}

console.log('');
const x = results.find((m) => m.result.crawler === 'xuncha');
const c = results.find((m) => m.result.crawler === 'crawlee');
const verdict = (ok: boolean) => (ok ? 'MET' : 'NOT MET');
if (x && limit) {
  const pct = (100 * rate(x)) / limit;
  const named = latencyMs === 50 && concurrency === 16 ? '' : ' (the issue names latency 50 ms, C 16)';
  console.log(`target xuncha >= 90 % of C/L: ${fmt(pct, 1)} % -> ${verdict(pct >= 90)}${named}`);
}
if (x && c && latencyMs === 0) {
  const ratio = rate(x) / rate(c);
  console.log(`target xuncha >= 1.5x Crawlee at latency 0: ${fmt(ratio, 2)}x -> ${verdict(ratio >= 1.5)}`);
}
if (x) {
  const mb = peak(x) / MB;
  const named =
    sitePages >= 100_000 ? '' : ` (the issue names a 100,000-page site; this one has ${sitePages})`;
  console.log(`target xuncha peak RSS < 400 MB: ${fmt(mb)} MB -> ${verdict(mb < 400)}${named}`);
  if (x.milestones.length >= 2) {
    const first = x.milestones[0]!;
    const last = x.milestones[x.milestones.length - 1]!;
    console.log(
      `  RSS growth from ${first.requests} to ${last.requests} requests: ` +
        `${fmt((last.rss - first.rss) / MB)} MB (${fmt(((last.rss - first.rss) / MB / (last.requests - first.requests)) * 1000, 2)} MB per 1,000 requests)`,
    );
  }
}
