import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/db.js';
import { migrations } from '../../src/store/migrations.js';
import { crawlStats, listLinks, saveLinks, saveResource } from '../../src/store/crawlData.js';

const dirs: string[] = [];
const tempDb = () => {
  const dir = mkdtempSync(join(tmpdir(), 'xuncha-store-'));
  dirs.push(dir);
  return join(dir, 'store.db');
};
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

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
  it('keeps links of a store written before links were grouped per page', () => {
    const file = tempDb();
    const old = new Database(file);
    for (const m of migrations.filter((m) => m.version <= 2)) old.exec(m.sql);
    old.pragma('user_version = 2');
    const insert = old.prepare('INSERT INTO links VALUES (?, ?, ?, ?, ?, ?)');
    insert.run(1, 'u', 'http://a/', 'http://a/x.html', '通知', 'a');
    insert.run(1, 'u', 'http://a/', 'http://a/y.pdf', '附件', 'a');
    insert.run(1, 'u', 'http://a/list.html', 'http://a/x.html', '', 'iframe');
    old.close();

    const db = openStore(file);
    const links = listLinks(db, 1, 'u').sort((a, b) =>
      (a.fromUrl + a.toUrl).localeCompare(b.fromUrl + b.toUrl),
    );
    expect(links).toEqual([
      { fromUrl: 'http://a/', toUrl: 'http://a/x.html', anchor: '通知', tag: 'a' },
      { fromUrl: 'http://a/', toUrl: 'http://a/y.pdf', anchor: '附件', tag: 'a' },
      { fromUrl: 'http://a/list.html', toUrl: 'http://a/x.html', anchor: '', tag: 'iframe' },
    ]);
    db.close();
  });

  it('stores a page once when a resumed crawl stores it again, and counts dead targets', () => {
    const db = openStore(':memory:');
    saveLinks(db, 1, 'u', 'http://a/', [{ toUrl: 'http://a/gone.html', anchor: '旧', tag: 'a' }]);
    saveLinks(db, 1, 'u', 'http://a/', [
      { toUrl: 'http://a/gone.html', anchor: '旧', tag: 'a' },
      { toUrl: 'http://a/ok.html', anchor: '新', tag: 'a' },
    ]);
    expect(listLinks(db, 1, 'u')).toHaveLength(2);
    saveResource(db, 1, 'u', resource('http://a/', null));
    saveResource(db, 1, 'u', resource('http://a/gone.html', 'http-4xx'));
    saveResource(db, 1, 'u', resource('http://a/ok.html', null));
    // The home page is not a link target: 2 links checked, 1 dead.
    expect(crawlStats(db, 1, 'u', ['robots'])).toMatchObject({ links: 2, deadLinks: 1 });
    // What counts as dead is the caller's (the dead-links rule's) decision.
    expect(crawlStats(db, 1, 'u', ['robots', 'http-4xx'])).toMatchObject({ links: 2, deadLinks: 0 });
  });
});
