import * as cheerio from 'cheerio';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientRedirect } from '../../src/extract/clientRedirect.js';
import { discoverLinks } from '../../src/crawl/discoverLinks.js';
import { homepageFreshness } from '../../src/checks/homepage-freshness.js';
import { startSiteServer, type RunningSite } from '../../src/demo/siteServer.js';
import { listLinks, listResources } from '../../src/store/crawlData.js';
import { crawlUnits, unit } from '../helpers/crawlFixture.js';
import { evidence, listPage, runCheck } from '../helpers/evidence.js';

const redirectOf = (html: string) => clientRedirect(cheerio.load(html));
const stub = (head: string, body = '') =>
  `<html><head><meta charset="utf-8"><title>示范区人民政府</title>${head}</head><body>${body}</body></html>`;

describe('clientRedirect', () => {
  it('reads meta refresh and literal location assignments', () => {
    expect(redirectOf(stub('<meta http-equiv="Refresh" content="0; URL=\'/col/col1234/index.html\'">'))).toBe(
      '/col/col1234/index.html',
    );
    expect(redirectOf(stub('', '<script>window.location.href = "/portal/";</script>'))).toBe('/portal/');
    expect(redirectOf(stub('', "<script>location.replace('http://www.example.gov.cn/');</script>"))).toBe(
      'http://www.example.gov.cn/',
    );
    expect(redirectOf(stub('', '<script>self.location="index_1.html"</script>'))).toBe('index_1.html');
  });

  it('ignores computed targets, script calls and pages that stay', () => {
    expect(redirectOf(stub('', '<script>location.href = base + "/m/";</script>'))).toBeUndefined();
    expect(redirectOf(stub('', '<script>location.href = "javascript:void(0)";</script>'))).toBeUndefined();
    expect(redirectOf(stub('<meta http-equiv="refresh" content="300">'))).toBeUndefined();
    expect(redirectOf(stub('', '<script src="/js/jump.js"></script>'))).toBeUndefined();
  });
});

const PORTAL = listPage('示范区人民政府', [
  { title: '区政府召开常务会议', date: '2026-11-20', href: '/zwdt/a1.html' },
  { title: '关于做好冬季供暖工作的通知', date: '2026-11-18', href: '/tzgg/a2.html' },
]);

let site: RunningSite;
beforeAll(async () => {
  site = await startSiteServer({
    dir: 'test/fixtures/sites/basic',
    handle: (req, res) => {
      const pages: Record<string, string> = {
        '/': stub('<meta http-equiv="refresh" content="0;url=/portal/index.html">', '正在跳转……'),
        '/portal/index.html': PORTAL,
        '/zwdt/a1.html': stub('', '<p>会议内容</p>'),
        '/tzgg/a2.html': stub('', '<p>通知内容</p>'),
      };
      const html = pages[new URL(req.url ?? '/', 'http://x').pathname];
      if (!html) return false;
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
      res.end(html);
      return true;
    },
  });
});
afterAll(() => site.close());

describe('a home page that forwards its visitors', () => {
  it('is followed by the crawler, and the forwarded link is stored', async () => {
    const { db, runId } = await crawlUnits([unit('qzf', [`${site.origin}/`])], { render: 'never' });
    const fetched = (await listResources(db, runId, 'qzf')).map((r) => new URL(r.url).pathname);
    expect(fetched).toEqual(
      expect.arrayContaining(['/', '/portal/index.html', '/zwdt/a1.html', '/tzgg/a2.html']),
    );
    expect(await listLinks(db, runId, 'qzf')).toContainEqual({
      fromUrl: `${site.origin}/`,
      toUrl: `${site.origin}/portal/index.html`,
      anchor: '（页面自动跳转）',
      tag: 'redirect',
    });
  });

  it('is not followed from a full page, where a script redirect is a mobile-device switch', () => {
    const full = listPage(
      '示范区人民政府',
      [{ title: '区政府召开常务会议', date: '2026-11-20' }],
      '<p>' + '政务公开'.repeat(80) + '</p>',
    );
    const page = full.replace(
      '</head>',
      '<script>if (/Mobile/.test(navigator.userAgent)) location.href = "/m/";</script></head>',
    );
    expect(redirectOf(page)).toBe('/m/');
    const ev = evidence({ pages: { '/': page } });
    expect(ev.pages[0]!.redirectTo).toBeUndefined();
    expect([...ev.homeUrls]).toEqual(['http://127.0.0.1:9/']);
    // …and the crawler does not queue the mobile site from it, while a stub's target is queued.
    const tags = (html: string) => discoverLinks(html, 'http://127.0.0.1:9/').links.map((l) => l.tag);
    expect(tags(page)).not.toContain('redirect');
    expect(tags(stub('', '<script>location.href = "/m/";</script>'))).toContain('redirect');
  });

  it('counts its target as the home page for the checks', () => {
    const ev = evidence({
      pages: {
        '/': stub('<meta http-equiv="refresh" content="0;url=/portal/index.html">'),
        '/portal/index.html': PORTAL,
      },
    });
    expect([...ev.homeUrls]).toContain('http://127.0.0.1:9/portal/index.html');
    expect(runCheck(homepageFreshness, ev, '2026-11-24')).toEqual([]);
  });
});
