import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import iconv from 'iconv-lite';
import { startSiteServer, type RunningSite } from '../../src/demo/siteServer.js';
import { listLinks, listResources } from '../../src/store/crawlData.js';
import { crawlUnits, fetchedUrls, unit } from '../helpers/crawlFixture.js';

const GBK_PAGE =
  '<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312"><title>财政信息公开</title></head>' +
  '<body><ul class="list"><li><a href="/list/art1.html">二〇二六年预算公开</a><span>2026-03-01</span></li></ul></body></html>';

let site: RunningSite;

beforeAll(async () => {
  site = await startSiteServer({
    dir: 'test/fixtures/sites/basic',
    handle: (req, res) => {
      if (req.url !== '/gbk.html') return false;
      res.writeHead(200, { 'Content-Type': 'text/html' });
      res.end(iconv.encode(GBK_PAGE, 'gbk'));
      return true;
    },
  });
});
afterAll(() => site.close());

describe('crawl of a small TRS-like site', () => {
  it('follows pagers, obeys robots.txt, skips placeholders and records failures', async () => {
    site.requests.length = 0;
    const { db, runId, summaries } = await crawlUnits([unit('t', [`${site.origin}/`])]);
    const paths = site.requests.map((r) => r.path);
    // TRS pager: every page of the column is fetched.
    expect(paths).toEqual(
      expect.arrayContaining(['/list/index.html', '/list/index_1.html', '/list/index_2.html']),
    );
    expect(paths).toEqual(expect.arrayContaining(['/list/art5.html', '/list/art6.html']));
    // robots.txt is read and its Disallow obeyed.
    expect(paths).toContain('/robots.txt');
    expect(paths).not.toContain('/admin/secret.html');
    // Template placeholders and javascript: links are never requested.
    expect(paths.some((p) => p.includes('{{') || p.includes('%7B%7B') || p.includes('el.url'))).toBe(false);
    // Every request names the tool.
    expect(site.requests.every((r) => r.userAgent.startsWith('xuncha/'))).toBe(true);
    const resources = await listResources(db, runId, 't');
    const byPath = (p: string) => resources.find((r) => r.url === `${site.origin}${p}`);
    expect(byPath('/missing.html')).toMatchObject({ status: 404, errorKind: 'http-4xx', kind: 'page' });
    expect(byPath('/files/report.pdf')).toMatchObject({ status: 404, kind: 'attachment' });
    expect(byPath('/admin/secret.html')).toMatchObject({ errorKind: 'robots', status: 0 });
    expect(summaries[0]).toMatchObject({ status: 'done' });
    expect((await fetchedUrls(db, runId)).filter((u) => u.includes('mailto'))).toEqual([]);
  });

  it('decodes a GBK page served without a charset header', async () => {
    const { db, runId } = await crawlUnits([unit('g', [`${site.origin}/gbk.html`])], { maxDepth: 0 });
    const page = (await listResources(db, runId, 'g')).find((r) => r.url.endsWith('/gbk.html'))!;
    expect(page.charset).toBe('gb18030');
    const links = await listLinks(db, runId, 'g');
    expect(links.map((l) => l.anchor)).toContain('二〇二六年预算公开');
  });

  it('keeps the configured gap between requests to one host', async () => {
    site.requests.length = 0;
    await crawlUnits([unit('d', [`${site.origin}/list/index.html`])], {
      perHostDelayMs: 150,
      perHostConcurrency: 2,
      maxDepth: 0,
    });
    const starts = site.requests.map((r) => r.at).sort((a, b) => a - b);
    expect(starts.length).toBeGreaterThanOrEqual(3);
    const gaps = starts.slice(1).map((t, i) => t - starts[i]!);
    // Timer granularity: allow a few ms of jitter below the configured delay.
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(140);
  });

  it('honours Retry-After on 429 before retrying', async () => {
    let calls = 0;
    const limited = await startSiteServer({
      dir: 'test/fixtures/sites/basic',
      handle: (req, res) => {
        if (req.url !== '/') return false;
        calls++;
        if (calls === 1) {
          res.writeHead(429, { 'Retry-After': '1', 'Content-Type': 'text/plain' });
          res.end('slow down');
          return true;
        }
        return false;
      },
    });
    try {
      const { db, runId } = await crawlUnits([unit('r', [`${limited.origin}/`])], {
        retries: 2,
        maxDepth: 0,
        render: 'never',
      });
      const home = limited.requests.filter((r) => r.path === '/');
      expect(home).toHaveLength(2);
      expect(home[1]!.at - home[0]!.at).toBeGreaterThanOrEqual(950);
      expect((await listResources(db, runId, 'r')).find((r) => r.url === `${limited.origin}/`)).toMatchObject(
        {
          status: 200,
          errorKind: null,
        },
      );
    } finally {
      await limited.close();
    }
  });

  it('records a unit whose server is down and finishes the others', async () => {
    const down = await startSiteServer({ dir: 'test/fixtures/sites/basic' });
    const deadOrigin = down.origin;
    await down.close();
    const { db, runId, summaries } = await crawlUnits(
      [unit('down', [`${deadOrigin}/`]), unit('up', [`${site.origin}/list/index.html`])],
      { maxDepth: 0 },
    );
    const byId = new Map(summaries.map((s) => [s.unitId, s]));
    expect(byId.get('down')).toMatchObject({ status: 'failed', error: '首页（起始网址）无法访问' });
    expect(byId.get('up')).toMatchObject({ status: 'done' });
    expect(byId.get('up')!.pages).toBeGreaterThanOrEqual(3);
    expect((await listResources(db, runId, 'down'))[0]).toMatchObject({ status: 0, errorKind: 'refused' });
  });

  it('honours robots.txt Crawl-delay above the configured delay', async () => {
    const slow = await startSiteServer({
      dir: 'test/fixtures/sites/basic',
      handle: (req, res) => {
        if (req.url !== '/robots.txt') return false;
        res.writeHead(200, { 'Content-Type': 'text/plain' });
        res.end('User-agent: *\nCrawl-delay: 1\nDisallow: /admin/\n');
        return true;
      },
    });
    try {
      await crawlUnits([unit('cd', [`${slow.origin}/list/index.html`])], { perHostDelayMs: 0, maxDepth: 0 });
      const starts = slow.requests.filter((r) => r.path.startsWith('/list/')).map((r) => r.at);
      expect(starts.length).toBe(3);
      const gaps = starts.slice(1).map((t, i) => t - starts[i]!);
      expect(Math.min(...gaps)).toBeGreaterThanOrEqual(990);
    } finally {
      await slow.close();
    }
  });

  it('crawls pages a site lists only in its sitemap', async () => {
    const mapped = await startSiteServer({
      dir: 'test/fixtures/sites/basic',
      handle: (req, res) => {
        const body: Record<string, string> = {
          '/robots.txt': 'User-agent: *\nSitemap: /maps/index.xml\n',
          '/maps/index.xml': `<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><sitemap><loc>${origin}/maps/pages.xml</loc></sitemap></sitemapindex>`,
          '/maps/pages.xml': `<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>${origin}/list/art5.html</loc></url></urlset>`,
        };
        const text = body[req.url ?? ''];
        if (text === undefined) return false;
        res.writeHead(200, { 'Content-Type': req.url === '/robots.txt' ? 'text/plain' : 'application/xml' });
        res.end(text);
        return true;
      },
    });
    const origin = mapped.origin;
    try {
      // The start page links nowhere near art5.html; only the sitemap names it.
      const { db, runId } = await crawlUnits([unit('sm', [`${origin}/list/art1.html`])], { maxDepth: 1 });
      expect((await listResources(db, runId, 'sm')).map((r) => r.url)).toContain(`${origin}/list/art5.html`);
    } finally {
      await mapped.close();
    }
  });

  it('retries a 403 politely and keeps a persistent one as a blocked warning, not a dead link', async () => {
    let calls = 0;
    const waf = await startSiteServer({
      dir: 'test/fixtures/sites/basic',
      handle: (req, res) => {
        if (req.url !== '/list/art1.html' && req.url !== '/list/art2.html') return false;
        calls += req.url === '/list/art1.html' ? 1 : 0;
        // art1: refused once, then served; art2: always refused.
        if (req.url === '/list/art2.html' || calls === 1) {
          res.writeHead(403, { 'Content-Type': 'text/html' });
          res.end('<html><body>Forbidden</body></html>');
          return true;
        }
        return false;
      },
    });
    try {
      const { db, runId } = await crawlUnits([unit('w', [`${waf.origin}/list/index.html`])], {
        retries: 1,
        maxDepth: 1,
        render: 'never',
      });
      const byPath = new Map((await listResources(db, runId, 'w')).map((r) => [new URL(r.url).pathname, r]));
      expect(byPath.get('/list/art1.html')).toMatchObject({ status: 200, errorKind: null });
      expect(byPath.get('/list/art2.html')).toMatchObject({ status: 403, errorKind: 'blocked' });
      expect(waf.requests.filter((r) => r.path === '/list/art2.html')).toHaveLength(2);
    } finally {
      await waf.close();
    }
  });
});
