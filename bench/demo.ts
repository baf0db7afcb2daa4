/**
 * Times the whole pipeline on the bundled sample county: crawl (local servers, demo politeness),
 * checks, scoring and reports. Prints wall time per stage, pages per second and peak RSS.
 * Usage: npx tsx bench/demo.ts [runs=3]
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDemoCounty } from '../src/demo/county.js';
import { closeStore, openStore } from '../src/store/db.js';
import { crawlSettings } from '../src/config/settings.js';
import { createLogger } from '../src/log.js';
import {
  createRunFromSeeds,
  stageCheck,
  stageCrawl,
  stageReport,
  stageScore,
  todayIso,
  type PipelineOptions,
} from '../src/pipeline.js';

const runs = Number(process.argv[2] ?? 3);
const date = todayIso();
const county = await startDemoCounty({ today: new Date(`${date}T00:00:00Z`) });
let peakRss = 0;
const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 20);
const rows: string[] = [];
try {
  for (let i = 0; i < runs; i++) {
    const dir = mkdtempSync(join(tmpdir(), 'xuncha-bench-'));
    const seeds = join(dir, 'units.yaml');
    writeFileSync(seeds, county.seedsText);
    const db = await openStore(join(dir, 'x.db'));
    const settings = crawlSettings({ perHostDelayMs: 100 });
    const o: PipelineOptions = {
      db,
      log: createLogger({ quiet: true }),
      settings,
      rulesDir: 'rules',
      outDir: join(dir, 'out'),
      issuer: '基准测试',
    };
    const runId = await createRunFromSeeds(db, seeds, date, settings);
    const t0 = performance.now();
    const crawled = await stageCrawl(o, runId);
    const t1 = performance.now();
    await stageCheck(o, runId);
    const t2 = performance.now();
    await stageScore(o, runId);
    await stageReport(o, runId);
    const t3 = performance.now();
    const fetched = crawled.reduce((a, s) => a + s.pages + s.attachments, 0);
    rows.push(
      `run ${i + 1}: crawl ${((t1 - t0) / 1000).toFixed(2)} s (${fetched} resources, ${(fetched / ((t1 - t0) / 1000)).toFixed(1)} /s at 100 ms per-host delay), ` +
        `check ${((t2 - t1) / 1000).toFixed(2)} s, score+report ${((t3 - t2) / 1000).toFixed(2)} s, total ${((t3 - t0) / 1000).toFixed(2)} s`,
    );
    await closeStore(db);
  }
} finally {
  clearInterval(sampler);
  await county.close();
}
console.log(rows.join('\n'));
console.log(`peak RSS ${(peakRss / 1024 / 1024).toFixed(0)} MB`);
