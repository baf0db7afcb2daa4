import Database from 'better-sqlite3';
import { Kysely, SqliteDialect, sql } from 'kysely';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { closeStore } from '../../src/store/db.js';
import { createRun, saveUnits, setCrawlStatus } from '../../src/store/runs.js';
import { migrations } from '../../src/store/migrations.js';
import { crawlStats, listLinks, saveLinks, saveResource } from '../../src/store/crawlData.js';
import { openTestStore, testPostgres } from '../helpers/testStore.js';

const dirs: string[] = [];
const tempDb = () => {
  const dir = mkdtempSync(join(tmpdir(), 'xuncha-store-'));
  dirs.push(dir);
  return join(dir, 'store.db');
};
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

/** SQLite's column types, as the migrations were given them when they ran on an old store. */
const sqliteTypes: Parameters<(typeof migrations)[number]['up']>[1] = {
  engine: 'sqlite',
  int: sql.raw('integer'),
  real: sql.raw('real'),
  blob: sql.raw('blob'),
  id: (auto) => [sql.raw('integer'), (c) => (auto ? c.primaryKey().autoIncrement() : c.primaryKey())],
};

const resource = (url: string, errorKind: string | null) => ({
  url,
  finalUrl: url,
  kind: 'page' as const,
  depth: 1,
  status: errorKind ? 404 : 200,
  errorKind,
  error: null,
  contentType: 'text/html',
  charset: 'utf-8',
  headers: {},
  fetchedAt: '2026-11-01T00:00:00Z',
  durationMs: 5,
  size: 10,
  contentHash: null,
});

describe('page links', () => {
  // SQLite only: stores older than migration 3 exist only as SQLite files (a PostgreSQL store
  // starts at the latest version), and the old store is built as such a file.
  it.skipIf(testPostgres)('keeps links of a store written before links were grouped per page', async () => {
    const file = tempDb();
    // A version-2 store, built by the migrations as they ran then.
    const old = new Kysely<any>({ dialect: new SqliteDialect({ database: new Database(file) }) }); // eslint-disable-line @typescript-eslint/no-explicit-any
    for (const m of migrations.filter((m) => m.version <= 2)) await m.up(old, sqliteTypes);
    await sql`PRAGMA user_version = 2`.execute(old);
    await old
      .insertInto('links')
      .values([
        {
          run_id: 1,
          unit_id: 'u',
          from_url: 'http://a/',
          to_url: 'http://a/x.html',
          anchor: '通知',
          tag: 'a',
        },
        {
          run_id: 1,
          unit_id: 'u',
          from_url: 'http://a/',
          to_url: 'http://a/y.pdf',
          anchor: '附件',
          tag: 'a',
        },
        {
          run_id: 1,
          unit_id: 'u',
          from_url: 'http://a/list.html',
          to_url: 'http://a/x.html',
          anchor: '',
          tag: 'iframe',
        },
      ])
      .execute();
    await old.destroy();

    const db = await openTestStore(file);
    const links = (await listLinks(db, 1, 'u')).sort((a, b) =>
      (a.fromUrl + a.toUrl).localeCompare(b.fromUrl + b.toUrl),
    );
    expect(links).toEqual([
      { fromUrl: 'http://a/', toUrl: 'http://a/x.html', anchor: '通知', tag: 'a' },
      { fromUrl: 'http://a/', toUrl: 'http://a/y.pdf', anchor: '附件', tag: 'a' },
      { fromUrl: 'http://a/list.html', toUrl: 'http://a/x.html', anchor: '', tag: 'iframe' },
    ]);
    await closeStore(db);
  });

  it('stores a page once when a resumed crawl stores it again, and counts dead targets', async () => {
    const db = await openTestStore();
    await saveLinks(db, 1, 'u', 'http://a/', [{ toUrl: 'http://a/gone.html', anchor: '旧', tag: 'a' }]);
    await saveLinks(db, 1, 'u', 'http://a/', [
      { toUrl: 'http://a/gone.html', anchor: '旧', tag: 'a' },
      { toUrl: 'http://a/ok.html', anchor: '新', tag: 'a' },
    ]);
    expect(await listLinks(db, 1, 'u')).toHaveLength(2);
    await saveResource(db, 1, 'u', resource('http://a/', null));
    await saveResource(db, 1, 'u', resource('http://a/gone.html', 'http-4xx'));
    await saveResource(db, 1, 'u', resource('http://a/ok.html', null));
    // The home page is not a link target: 2 links checked, 1 dead.
    expect(await crawlStats(db, 1, 'u', ['robots'])).toMatchObject({ links: 2, deadLinks: 1 });
    // What counts as dead is the caller's (the dead-links rule's) decision.
    expect(await crawlStats(db, 1, 'u', ['robots', 'http-4xx'])).toMatchObject({ links: 2, deadLinks: 0 });
    await closeStore(db);
  });

  it("keeps an ended crawl's figures, and counts again once the crawl status changes", async () => {
    const db = await openTestStore();
    const runId = await createRun(db, { inspectionDate: '2026-12-01', seedsFile: 't.yaml', settings: {} });
    await saveUnits(db, runId, [
      { id: 'u', name: '单位', level: '部门', startUrls: ['http://a/'], catalogues: [], hosts: [] },
    ]);
    await saveLinks(db, runId, 'u', 'http://a/', [{ toUrl: 'http://a/gone.html', anchor: '旧', tag: 'a' }]);
    await saveResource(db, runId, 'u', resource('http://a/', null));
    await saveResource(db, runId, 'u', resource('http://a/gone.html', 'http-4xx'));
    const kept = async () => (await db.selectFrom('crawl_stats').selectAll().execute()).length;
    // Still crawling: counted, not kept.
    expect(await crawlStats(db, runId, 'u', ['robots'])).toMatchObject({ pages: 2, links: 1, deadLinks: 1 });
    expect(await kept()).toBe(0);
    await setCrawlStatus(db, runId, 'u', 'done');
    expect(await crawlStats(db, runId, 'u', ['robots'])).toMatchObject({ pages: 2, links: 1, deadLinks: 1 });
    expect(await kept()).toBe(1);
    // A page stored behind the store's back is not seen while the kept figures stand …
    await saveLinks(db, runId, 'u', 'http://a/', [
      { toUrl: 'http://a/gone.html', anchor: '旧', tag: 'a' },
      { toUrl: 'http://a/new.html', anchor: '新', tag: 'a' },
    ]);
    await saveResource(db, runId, 'u', resource('http://a/new.html', null));
    expect(await crawlStats(db, runId, 'u', ['robots'])).toMatchObject({ pages: 2, links: 1 });
    // … another notion of "dead" is counted afresh …
    expect(await crawlStats(db, runId, 'u', ['robots', 'http-4xx'])).toMatchObject({
      pages: 3,
      deadLinks: 0,
    });
    // … and a resumed crawl (status changes) drops them.
    await setCrawlStatus(db, runId, 'u', 'pending');
    await setCrawlStatus(db, runId, 'u', 'done');
    expect(await crawlStats(db, runId, 'u', ['robots'])).toMatchObject({ pages: 3, links: 2, deadLinks: 1 });
    await closeStore(db);
  });
});
