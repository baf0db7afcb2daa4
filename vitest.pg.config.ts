import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { defineConfig } from 'vitest/config';
import base from './vitest.config.js';

/**
 * The PostgreSQL pass (npm run test:pg, started by scripts/test-pg.mjs with XUNCHA_TEST_PG set):
 * every test file that opens a store — directly, through the crawl fixture, or through the CLI (--db) —
 * runs again with its stores on PostgreSQL. Files that never touch a store would only repeat.
 */
const STORE_USE = /openTestStore|testStoreLocation|peekTestStore|crawlUnits|'--db'/;

/**
 * Files that pass --db only to show that bad input is refused before any store is opened (or
 * created): on PostgreSQL nothing of theirs reaches the store, and they would only repeat. And two
 * whose store use is covered on PostgreSQL by other files.
 */
const REFUSED_BEFORE_THE_STORE = new Set([
  join('test', 'cli', 'inputGuard.test.ts'),
  join('test', 'cli', 'cli.test.ts'),
  // The console in Chromium: what it shows a browser does not depend on the engine, and every store
  // function behind its pages runs on PostgreSQL in the console's other files (same routes through
  // app.inject) and in jobControl.test (a batch started by the console): ~110 s that would repeat.
  join('test', 'console', 'browser.test.ts'),
  // The sample county end to end (two inspections, screenshots, every report, 复查), ~150 s: on
  // PostgreSQL each of its stages runs in other files of this pass — a console batch from crawl to
  // reports (jobs/jobControl), two inspections and their 复查 through the CLI (cli/recheck),
  // screenshots (evidence/captureRun), locks, reviews, queue workers. With it the fresh-clone CI
  // took 15 min 52 s against a budget of 15; it passed on PostgreSQL there (2026-12-07).
  join('test', 'e2e', 'demo.test.ts'),
]);

function storeTests(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return e.name === 'fixtures' ? [] : storeTests(path);
    const wanted = e.name.endsWith('.test.ts') && !REFUSED_BEFORE_THE_STORE.has(path);
    return wanted && STORE_USE.test(readFileSync(path, 'utf8')) ? [path] : [];
  });
}

// Not mergeConfig: it would append this list to the base's include (the whole suite).
export default defineConfig({ test: { ...base.test, include: storeTests('test') } });
