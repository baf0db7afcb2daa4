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

function storeTests(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return e.name === 'fixtures' ? [] : storeTests(path);
    return e.name.endsWith('.test.ts') && STORE_USE.test(readFileSync(path, 'utf8')) ? [path] : [];
  });
}

// Not mergeConfig: it would append this list to the base's include (the whole suite).
export default defineConfig({ test: { ...base.test, include: storeTests('test') } });
