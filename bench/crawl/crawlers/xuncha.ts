/**
 * xuncha's own crawler through its public API: a store in a temp dir, one run with one unit,
 * crawlRun with politeness reduced to the concurrency cap. Dead links = resources with an error.
 * Child of bench/crawl/run.ts: node --import tsx bench/crawl/crawlers/xuncha.ts --url U --concurrency C
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crawlSettings } from '../../../src/config/settings.js';
import { crawlRun } from '../../../src/crawl/crawlRun.js';
import { createLogger } from '../../../src/log.js';
import { sql } from 'kysely';
import { closeStore, openStore } from '../../../src/store/db.js';
import { createRun, saveUnits } from '../../../src/store/runs.js';
import { countFailure, crawlerArgs, runMeasured } from './common.js';

const args = crawlerArgs();
const dir = mkdtempSync(join(tmpdir(), 'xuncha-crawl-bench-'));
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
const db = await openStore(join(dir, 'bench.db'));
const settings = crawlSettings({
  perHostConcurrency: args.concurrency,
  perHostDelayMs: 0,
  globalConcurrency: args.concurrency,
  concurrentUnits: 1,
  retries: 0,
  timeoutMs: 30_000,
  maxPagesPerUnit: args.maxRequests,
  maxDepth: 10_000,
  respectRobots: false,
  checkExternalLinks: false,
});
const runId = await createRun(db, { inspectionDate: '2025-07-01', seedsFile: 'bench', settings });
await saveUnits(db, runId, [
  { id: 'bench', name: '基准县', level: '区县', startUrls: [args.url], catalogues: [], hosts: [] },
]);

await runMeasured('xuncha', async () => {
  await crawlRun(db, runId, settings, createLogger({ quiet: true }));
  const row = await db
    .selectFrom('resources')
    .select((eb) => [
      eb.fn.countAll<number>().as('requests'),
      sql<
        number | null
      >`sum(case when kind = 'page' AND status BETWEEN 200 AND 299 AND error_kind IS NULL then 1 else 0 end)`.as(
        'pagesOk',
      ),
    ])
    .where('run_id', '=', runId)
    .executeTakeFirstOrThrow();
  const counts = { requests: Number(row.requests), pagesOk: Number(row.pagesOk ?? 0) };
  const failed = (
    await db
      .selectFrom('resources')
      .select(['url', 'error_kind as kind'])
      .where('run_id', '=', runId)
      .where('error_kind', 'is not', null)
      .orderBy('id')
      .execute()
  ).map((f) => ({ url: f.url, kind: f.kind! }));
  await closeStore(db);
  const failures: Record<string, number> = {};
  for (const f of failed) countFailure(failures, f.kind);
  return { ...counts, dead: failed.map((f) => f.url), failures };
});
