import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSiteServer, type RunningSite } from '../../src/demo/siteServer.js';
import { listResources } from '../../src/store/crawlData.js';
import { crawlUnits, unit } from '../helpers/crawlFixture.js';
import { TrapGuard } from '../../src/crawl/traps.js';

let site: RunningSite;

/** An endless calendar, a redirect loop and a link to a private address. */
beforeAll(async () => {
  site = await startSiteServer({
    dir: 'test/fixtures/sites/basic',
    handle: (req, res) => {
      const url = new URL(req.url ?? '/', 'http://x');
      if (url.pathname === '/cal') {
        const day = new Date(`${url.searchParams.get('date') ?? '2026-01-01'}T00:00:00Z`);
        day.setUTCDate(day.getUTCDate() + 1);
        const next = day.toISOString().slice(0, 10);
        res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
        res.end(
          `<html><body><h1>活动日历</h1><a href="/cal?date=${next}">下一天</a><a href="/loop1">循环</a></body></html>`,
        );
        return true;
      }
      const tree = /^\/tree\/(\d+)\/$/.exec(url.pathname);
      if (tree) {
        // Every page links to ten pages never seen before: a path-based trap no query guard sees.
        const n = BigInt(tree[1]!);
        const links = Array.from(
          { length: 10 },
          (_, i) => `<a href="/tree/${n * 10n + BigInt(i + 1)}/">${i}</a>`,
        );
        res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
        res.end(`<html><body><h1>日历</h1>${links.join('')}</body></html>`);
        return true;
      }
      if (url.pathname === '/loop1' || url.pathname === '/loop2') {
        res.writeHead(302, { Location: url.pathname === '/loop1' ? '/loop2' : '/loop1' });
        res.end();
        return true;
      }
      return false;
    },
  });
});
afterAll(() => site.close());

describe('crawler traps', () => {
  it('stops an infinite calendar at the query-variant cap and records a redirect loop', async () => {
    site.requests.length = 0;
    const { db, runId, summaries } = await crawlUnits([unit('c', [`${site.origin}/cal?date=2026-01-01`])], {
      maxDepth: 10_000,
    });
    const calendarRequests = site.requests.filter((r) => r.path.startsWith('/cal')).length;
    expect(calendarRequests).toBeLessThanOrEqual(101);
    expect(calendarRequests).toBeGreaterThanOrEqual(99);
    expect(summaries[0]!.trapped).toBeGreaterThanOrEqual(1);
    const loop = (await listResources(db, runId, 'c')).find((r) => r.url.endsWith('/loop1'))!;
    expect(loop).toMatchObject({ errorKind: 'redirect-loop' });
    expect(site.requests.filter((r) => r.path.startsWith('/loop')).length).toBeLessThanOrEqual(3);
  });

  it('holds --max-pages exactly, counted at enqueue, however many new links each page has', async () => {
    site.requests.length = 0;
    const { db, runId, summaries } = await crawlUnits([unit('t', [`${site.origin}/tree/1/`])], {
      maxPagesPerUnit: 50,
      maxDepth: 10_000,
      checkExternalLinks: false,
    });
    expect(site.requests.filter((r) => r.path.startsWith('/tree/')).length).toBe(50);
    expect((await listResources(db, runId, 't')).filter((r) => r.kind === 'page').length).toBe(50);
    expect(summaries[0]!.pages).toBe(50);
  });

  it('holds --max-depth at enqueue', async () => {
    site.requests.length = 0;
    await crawlUnits([unit('d', [`${site.origin}/tree/1/`])], { maxDepth: 2, checkExternalLinks: false });
    // Depth 0: 1 page, depth 1: 10, depth 2: 100.
    expect(site.requests.filter((r) => r.path.startsWith('/tree/')).length).toBe(111);
  });

  it('counts refused URLs, not the links that repeat them, and keeps admitting known variants', () => {
    const guard = new TrapGuard({ maxUrlLength: 2048, maxSegmentRepeats: 3, maxQueryVariantsPerPath: 2 });
    expect(guard.check('http://a.gov.cn/cal?d=1')).toBeUndefined();
    expect(guard.check('http://a.gov.cn/cal?d=2')).toBeUndefined();
    // The same links on the next page are not new variants.
    expect(guard.check('http://a.gov.cn/cal?d=1')).toBeUndefined();
    expect(guard.check('http://a.gov.cn/cal?d=2')).toBeUndefined();
    for (let page = 0; page < 5; page++) {
      expect(guard.check('http://a.gov.cn/cal?d=3')).toMatch(/查询参数组合超过 2 个/);
      expect(guard.check('http://a.gov.cn/cal?d=4')).toMatch(/查询参数组合超过 2 个/);
    }
    expect(guard.trapped).toBe(2);
  });

  it('refuses repeated path segments and overlong URLs', () => {
    const guard = new TrapGuard();
    expect(guard.check('http://a.gov.cn/a/b/a/b/a/b/a/b/index.html')).toMatch(/重复/);
    expect(guard.check(`http://a.gov.cn/${'x'.repeat(3000)}`)).toMatch(/过长/);
    expect(guard.check('http://a.gov.cn/xxgk/zcwj/index_3.html')).toBeUndefined();
  });

  it('records a link into another private network without requesting it', async () => {
    const lan = await startSiteServer({
      dir: 'test/fixtures/sites/basic',
      handle: (req, res) => {
        if (req.url !== '/') return false;
        res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
        res.end(
          '<html><body><a href="http://10.255.255.1/oa/">内网办公</a><a href="http://192.168.1.1/files/a.pdf">内网附件</a></body></html>',
        );
        return true;
      },
    });
    try {
      const { db, runId } = await crawlUnits([unit('lan', [`${lan.origin}/`])], {
        timeoutMs: 2000,
        render: 'never',
      });
      const byUrl = new Map((await listResources(db, runId, 'lan')).map((r) => [r.url, r]));
      for (const url of ['http://10.255.255.1/oa/', 'http://192.168.1.1/files/a.pdf'])
        expect(byUrl.get(url)).toMatchObject({ status: 0, errorKind: 'out-of-scope', durationMs: 0 });
    } finally {
      await lan.close();
    }
  });
});
