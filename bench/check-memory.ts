/**
 * Memory and time of the check stage on one large unit. The generated TRS-like site of
 * bench/crawl/site.ts is crawled once per size into a store under --dir (kept and reused: a 100k
 * crawl takes minutes), then `runChecks` runs in a fresh child process per repeat, which prints its
 * wall time, peak RSS (VmHWM) and findings; the findings, check errors and 专栏 parts are written as
 * canonical JSON beside the store so two code versions can be compared byte for byte.
 * Figures only: never a test.
 *
 * Usage: npx tsx bench/check-memory.ts [--pages 21000,100000] [--dir /tmp/xuncha-check-bench]
 *          [--repeat 1] [--tag now] [--demo]
 * --demo adds the bundled sample county (crawled once into --dir, as `npm run demo` serves it):
 * every check has findings there, so its canonical JSON is the equivalence test that matters.
 * Children (internal): --crawl-child --db F --url U; --demo-child --db F; --check-child --db F --out F
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const self = fileURLToPath(import.meta.url);
const here = join(self, '..');
const MB = 1024 * 1024;
const DATE = '2025-07-01';

const { values } = parseArgs({
  options: {
    pages: { type: 'string', default: '21000,100000' },
    dir: { type: 'string', default: '/tmp/xuncha-check-bench' },
    repeat: { type: 'string', default: '1' },
    tag: { type: 'string', default: 'now' },
    'crawl-child': { type: 'boolean', default: false },
    'check-child': { type: 'boolean', default: false },
    'demo-child': { type: 'boolean', default: false },
    demo: { type: 'boolean', default: false },
    db: { type: 'string' },
    url: { type: 'string' },
    out: { type: 'string' },
  },
});

/** VmHWM of this process in bytes (Linux): the kernel's peak RSS, no sampling gaps. */
function vmHwm(): number {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
  return m?.[1] ? Number(m[1]) * 1024 : process.resourceUsage().maxRSS * 1024;
}

function spawnTs(file: string, args: string[], stdin: 'pipe' | 'ignore' = 'ignore'): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', file, ...args], {
    stdio: [stdin, 'pipe', 'inherit'],
  });
}

async function resultOf(child: ChildProcess): Promise<Record<string, unknown>> {
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  const line = out.split('\n').find((l) => l.startsWith('@@result '));
  if (!line) throw new Error(`child exited (${code}) without a result`);
  return JSON.parse(line.slice('@@result '.length)) as Record<string, unknown>;
}

/** Child: crawl the site at --url into a new store --db, as bench/crawl's xuncha child does. */
async function crawlChild(): Promise<void> {
  const { crawlSettings } = await import('../src/config/settings.js');
  const { crawlRun } = await import('../src/crawl/crawlRun.js');
  const { createLogger } = await import('../src/log.js');
  const { closeStore, openStore } = await import('../src/store/db.js');
  const { createRun, saveUnits, setRunStatus } = await import('../src/store/runs.js');
  const db = await openStore(values.db!);
  const settings = crawlSettings({
    perHostConcurrency: 16,
    perHostDelayMs: 0,
    globalConcurrency: 16,
    concurrentUnits: 1,
    retries: 0,
    timeoutMs: 30_000,
    maxPagesPerUnit: 1_000_000,
    maxDepth: 10_000,
    respectRobots: false,
    checkExternalLinks: false,
  });
  const runId = await createRun(db, { inspectionDate: DATE, seedsFile: 'bench', settings });
  await saveUnits(db, runId, [
    { id: 'bench', name: '基准县', level: '区县', startUrls: [values.url!], catalogues: [], hosts: [] },
  ]);
  const t0 = performance.now();
  await crawlRun(db, runId, settings, createLogger({ quiet: true }));
  await setRunStatus(db, runId, 'crawled');
  const n = await db
    .selectFrom('resources')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('run_id', '=', runId)
    .executeTakeFirstOrThrow();
  await closeStore(db);
  console.log(
    `@@result ${JSON.stringify({ runId, resources: Number(n.n), elapsedMs: performance.now() - t0 })}`,
  );
}

/** Child: the sample county crawled into a new store --db (one batch, as the demo's first). */
async function demoChild(): Promise<void> {
  const { startDemoCounty } = await import('../src/demo/county.js');
  const { crawlSettings } = await import('../src/config/settings.js');
  const { createLogger } = await import('../src/log.js');
  const { closeStore, openStore } = await import('../src/store/db.js');
  const { createRunFromSeeds, stageCrawl, todayIso } = await import('../src/pipeline.js');
  const date = todayIso();
  const county = await startDemoCounty({ today: new Date(`${date}T00:00:00Z`) });
  try {
    const seeds = `${values.db!}.seeds.yaml`;
    writeFileSync(seeds, county.seedsText);
    const db = await openStore(values.db!);
    const settings = crawlSettings({ perHostDelayMs: 100 });
    const runId = await createRunFromSeeds(db, seeds, date, settings);
    const o = {
      db,
      log: createLogger({ quiet: true }),
      settings,
      rulesDir: 'rules',
      outDir: '/dev/null',
      issuer: 'bench',
    };
    await stageCrawl(o, runId);
    await closeStore(db);
    console.log(`@@result ${JSON.stringify({ runId })}`);
  } finally {
    await county.close();
  }
}

/** Child: the check stage on the store's latest run; canonical findings to --out. */
async function checkChild(): Promise<void> {
  const { closeStore, openStore } = await import('../src/store/db.js');
  const { getRun, latestRunId } = await import('../src/store/runs.js');
  const { runChecks } = await import('../src/checks/runChecks.js');
  const { createLogger } = await import('../src/log.js');
  const { listCheckErrors, listDisclosure, listFindings } = await import('../src/store/results.js');
  const db = await openStore(values.db!);
  const runId = (await latestRunId(db))!;
  const base = vmHwm();
  const t0 = performance.now();
  const date = (await getRun(db, runId))!.inspectionDate;
  const summaries = await runChecks(db, runId, date, createLogger({ quiet: true }));
  const elapsedMs = performance.now() - t0;
  const peak = vmHwm();
  const findings = (await listFindings(db, runId)).map(({ id: _id, runId: _run, ...f }) => f);
  const canonical = JSON.stringify(
    {
      findings: findings.map((f) => JSON.stringify(f)).sort(),
      errors: (await listCheckErrors(db, runId)).map((e) => JSON.stringify(e)).sort(),
      disclosure: await Promise.all(
        summaries.map(async (s) => ({ unit: s.unitId, parts: await listDisclosure(db, runId, s.unitId) })),
      ),
    },
    null,
    1,
  );
  writeFileSync(values.out!, canonical);
  await closeStore(db);
  const byCheck: Record<string, number> = {};
  for (const f of findings) byCheck[f.checkId] = (byCheck[f.checkId] ?? 0) + 1;
  console.log(
    `@@result ${JSON.stringify({
      elapsedMs,
      baseRss: base,
      peakRss: peak,
      findings: findings.length,
      errors: summaries.reduce((a, s) => a + s.errors, 0),
      byCheck,
      sha256: createHash('sha256').update(canonical).digest('hex').slice(0, 16),
    })}`,
  );
}

function firstLine(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let buf = '';
    child.stdout?.on('data', (d: Buffer) => {
      buf += d.toString();
      const nl = buf.indexOf('\n');
      if (nl >= 0) resolve(buf.slice(0, nl).trim());
    });
    child.once('exit', (code) => reject(new Error(`site server exited (${code}) before printing its port`)));
  });
}

/** The store for `pages`, crawled on first use. */
async function storeFor(pages: number): Promise<string> {
  const file = join(values.dir, `unit-${pages}.db`);
  if (existsSync(file)) return file;
  const dead = Math.max(30, Math.round(pages / 200));
  const site = spawnTs(
    join(here, 'crawl/site.ts'),
    ['--pages', String(pages), '--latency', '0', '--dead', String(dead)],
    'pipe',
  );
  try {
    const url = `http://127.0.0.1:${await firstLine(site)}/`;
    console.log(`crawling ${pages} pages from ${url} into ${file} …`);
    const partial = `${file}.partial`;
    const r = await resultOf(spawnTs(self, ['--crawl-child', '--db', partial, '--url', url]));
    renameSync(partial, file);
    console.log(
      `  crawled ${String(r.resources)} resources in ${((r.elapsedMs as number) / 1000).toFixed(1)} s`,
    );
  } finally {
    site.stdin?.end();
  }
  return file;
}

/** The sample county's store, crawled on first use. */
async function demoStore(): Promise<string> {
  const file = join(values.dir, 'demo.db');
  if (existsSync(file)) return file;
  console.log(`crawling the sample county into ${file} …`);
  const partial = `${file}.partial`;
  await resultOf(spawnTs(self, ['--demo-child', '--db', partial]));
  renameSync(partial, file);
  return file;
}

async function main(): Promise<void> {
  mkdirSync(values.dir, { recursive: true });
  const sizes = values.pages
    .split(',')
    .map(Number)
    .filter((n) => n > 0);
  const repeat = Math.max(1, Number(values.repeat));
  console.log(
    `node ${process.version}, ${cpus().length} cores, load average ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
  if (values.demo) sizes.unshift(0);
  for (const pages of sizes) {
    const db = pages ? await storeFor(pages) : await demoStore();
    for (let r = 0; r < repeat; r++) {
      const out = join(values.dir, `findings-${pages || 'demo'}-${values.tag}.json`);
      const res = await resultOf(spawnTs(self, ['--check-child', '--db', db, '--out', out]));
      console.log(
        `${pages ? `${pages} pages` : 'demo county'}${repeat > 1 ? ` run ${r + 1}` : ''}: check ${((res.elapsedMs as number) / 1000).toFixed(1)} s, ` +
          `peak RSS (VmHWM) ${((res.peakRss as number) / MB).toFixed(0)} MB ` +
          `(${((res.baseRss as number) / MB).toFixed(0)} MB before the stage), ` +
          `${String(res.findings)} findings ${JSON.stringify(res.byCheck)}, ${String(res.errors)} check errors, ` +
          `canonical sha256 ${String(res.sha256)} (${out}), load average ${loadavg()[0]!.toFixed(2)}`,
      );
    }
  }
}

if (values['crawl-child']) await crawlChild();
else if (values['check-child']) await checkChild();
else if (values['demo-child']) await demoChild();
else await main();
