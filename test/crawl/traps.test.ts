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
    const loop = listResources(db, runId, 'c').find((r) => r.url.endsWith('/loop1'))!;
    expect(loop).toMatchObject({ errorKind: 'redirect-loop' });
    expect(site.requests.filter((r) => r.path.startsWith('/loop')).length).toBeLessThanOrEqual(3);
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
      const byUrl = new Map(listResources(db, runId, 'lan').map((r) => [r.url, r]));
      for (const url of ['http://10.255.255.1/oa/', 'http://192.168.1.1/files/a.pdf'])
        expect(byUrl.get(url)).toMatchObject({ status: 0, errorKind: 'out-of-scope', durationMs: 0 });
    } finally {
      await lan.close();
    }
  });
});
