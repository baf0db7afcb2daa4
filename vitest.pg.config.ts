import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { defineConfig } from 'vitest/config';
import base from './vitest.config.js';

/**
 * The suite on both engines (scripts/test-pg.mjs starts PostgreSQL and Redis and sets
 * XUNCHA_TEST_PG / XUNCHA_TEST_REDIS): project `sqlite` is the whole suite on SQLite, as npm test
 * runs it; project `postgresql` is every test file that opens a store — directly, through the crawl
 * fixture, or through the CLI (--db) — with its stores on PostgreSQL. Files that never touch a store
 * would only repeat. Both in one run share its workers (`npm run test:pg` runs the second alone).
 */
const STORE_USE = /openTestStore|testStoreLocation|peekTestStore|crawlUnits|'--db'/;

function storeTests(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return e.name === 'fixtures' ? [] : storeTests(path);
    return e.name.endsWith('.test.ts') && STORE_USE.test(readFileSync(path, 'utf8')) ? [path] : [];
  });
}

// Each project names its own files: a project that extends the root appends its include to the
// root's (the PostgreSQL project ran the whole suite while the root had one).
const { include, ...shared } = base.test!;

export default defineConfig({
  test: {
    ...shared,
    projects: [
      // An empty XUNCHA_TEST_PG is no PostgreSQL (test/helpers/testStore.ts).
      { extends: true, test: { name: 'sqlite', include, env: { XUNCHA_TEST_PG: '' } } },
      { extends: true, test: { name: 'postgresql', include: storeTests('test') } },
    ],
  },
});
