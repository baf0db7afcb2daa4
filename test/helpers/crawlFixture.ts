import { PassThrough } from 'node:stream';
import type { Db } from '../../src/store/db.js';
import { createRun, saveUnits } from '../../src/store/runs.js';
import { crawlRun } from '../../src/crawl/crawlRun.js';
import { crawlSettings, type CrawlSettings } from '../../src/config/settings.js';
import { createLogger, type Logger } from '../../src/log.js';
import type { Unit } from '../../src/seeds/unit.js';
import { openTestStore } from './testStore.js';

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

export async function crawlUnits(units: Unit[], overrides: Partial<CrawlSettings> = {}, store?: Db) {
  const db = store ?? (await openTestStore());
  const settings = crawlSettings({ perHostDelayMs: 0, retries: 0, ...overrides });
  const runId = await createRun(db, { inspectionDate: '2026-11-24', seedsFile: 'test', settings });
  await saveUnits(db, runId, units);
  const { log, text } = memoryLogger();
  const summaries = await crawlRun(db, runId, settings, log);
  return { db, runId, summaries, logText: text };
}

/** The URLs a run fetched, in the order they were stored. */
export async function fetchedUrls(db: Db, runId: number): Promise<string[]> {
  const rows = await db
    .selectFrom('resources')
    .select('url')
    .where('run_id', '=', runId)
    .orderBy('id')
    .execute();
  return rows.map((r) => r.url);
}
