import { PassThrough } from 'node:stream';
import { openStore, type Db } from '../../src/store/db.js';
import { createRun, saveUnits } from '../../src/store/runs.js';
import { crawlRun } from '../../src/crawl/crawlRun.js';
import { crawlSettings, type CrawlSettings } from '../../src/config/settings.js';
import { createLogger, type Logger } from '../../src/log.js';
import type { Unit } from '../../src/seeds/unit.js';

/** A logger whose output is kept in memory (tests assert on it, and it never clutters the run). */
export function memoryLogger(): { log: Logger; text: () => string } {
  const chunks: string[] = [];
  const sink = new PassThrough();
  sink.on('data', (c: Buffer) => chunks.push(c.toString()));
  return { log: createLogger({ out: sink, err: sink }), text: () => chunks.join('') };
}

export function unit(id: string, startUrls: string[], extra: Partial<Unit> = {}): Unit {
  return { id, name: `单位${id}`, level: '部门', startUrls, catalogues: [], hosts: [], ...extra };
}

export async function crawlUnits(
  units: Unit[],
  overrides: Partial<CrawlSettings> = {},
  db: Db = openStore(':memory:'),
) {
  const settings = crawlSettings({ perHostDelayMs: 0, retries: 0, ...overrides });
  const runId = createRun(db, { inspectionDate: '2026-11-24', seedsFile: 'test', settings });
  saveUnits(db, runId, units);
  const { log, text } = memoryLogger();
  const summaries = await crawlRun(db, runId, settings, log);
  return { db, runId, summaries, logText: text };
}

export function fetchedUrls(db: Db, runId: number): string[] {
  return (db.prepare('SELECT url FROM resources WHERE run_id = ?').all(runId) as { url: string }[]).map(
    (r) => r.url,
  );
}
