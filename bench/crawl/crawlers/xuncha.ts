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
import { openStore } from '../../../src/store/db.js';
import { createRun, saveUnits } from '../../../src/store/runs.js';
import { countFailure, crawlerArgs, runMeasured } from './common.js';

const args = crawlerArgs();
const dir = mkdtempSync(join(tmpdir(), 'xuncha-crawl-bench-'));
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
const db = openStore(join(dir, 'bench.db'));
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
const runId = createRun(db, { inspectionDate: '2025-07-01', seedsFile: 'bench', settings });
saveUnits(db, runId, [
  { id: 'bench', name: '基准县', level: '区县', startUrls: [args.url], catalogues: [], hosts: [] },
]);

await runMeasured('xuncha', async () => {
  await crawlRun(db, runId, settings, createLogger({ quiet: true }));
  const counts = db
    .prepare(
      `SELECT count(*) AS requests,
              coalesce(sum(kind = 'page' AND status BETWEEN 200 AND 299 AND error_kind IS NULL), 0) AS pagesOk
       FROM resources WHERE run_id = ?`,
    )
    .get(runId) as { requests: number; pagesOk: number };
  const failed = db
    .prepare('SELECT url, error_kind AS kind FROM resources WHERE run_id = ? AND error_kind IS NOT NULL')
    .all(runId) as { url: string; kind: string }[];
  db.close();
  const failures: Record<string, number> = {};
  for (const f of failed) countFailure(failures, f.kind);
  return { ...counts, dead: failed.map((f) => f.url), failures };
});
