import type { IncomingMessage, ServerResponse } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSiteServer, type RunningSite } from '../../src/demo/siteServer.js';
import { hostGroups, RunScope } from '../../src/crawl/scope.js';
import { listLinks, listResources } from '../../src/store/crawlData.js';
import { runChecks } from '../../src/checks/runChecks.js';
import { listFindings } from '../../src/store/results.js';
import { crawlUnits, memoryLogger, unit } from '../helpers/crawlFixture.js';

/** Links are `path` or `path|anchor text`; BODY adds text to a page. */
const page = (title: string, links: string[]) =>
  `<!DOCTYPE html><html><head><meta charset="utf-8"><title>${title}</title></head><body><h1>${title}</h1>${links
    .map((l) => {
      const [href, anchor] = l.split('|');
      return `<a href="${href}">${anchor ?? href}</a>`;
    })
    .join('')}${BODY[title] ?? ''}</body></html>`;

const BODY: Record<string, string> = {
  '/zwgk/bm/mzj/tzgg/': '<p>低保申请联系人：王某某，联系电话 13812345678</p>',
};

/** One 集约化 portal: the county government at /, two 部门 as columns, shared folders for articles. */
const PAGES: Record<string, string[]> = {
  '/': [
    '/xwzx/',
    '/zwgk/bm/mzj/',
    '/zwgk/bm/czj/',
    '/gone-portal.html',
    '/hdjl/ldxx/|领导信箱',
    '/zwgk/bm/czj/moved.html',
  ],
  '/xwzx/': ['/'],
  '/hdjl/ldxx/': ['/'],
  '/zwgk/bm/mzj/': [
    '/',
    '/zwgk/bm/mzj/tzgg/',
    '/xwzx/',
    '/content/mzj-1.html',
    '/uploadfiles/mzj-roster.xls',
    '/gone-portal.html',
    '/zwgk/bm/mzj/gone.html',
  ],
  '/zwgk/bm/mzj/tzgg/': ['/zwgk/bm/mzj/', '/shared/notice.html'],
  '/content/mzj-1.html': ['/zwgk/bm/mzj/'],
  '/zwgk/bm/czj/': ['/', '/xwzx/', '/shared/notice.html', '/zwgk/bm/czj/a.pdf'],
  '/shared/notice.html': ['/'],
};

let site: RunningSite;

beforeAll(async () => {
  site = await startSiteServer({
    dir: 'test/fixtures/sites/basic',
    handle: (req: IncomingMessage, res: ServerResponse) => {
      const path = (req.url ?? '/').split('?')[0]!;
      const links = PAGES[path];
      if (links) {
        res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
        res.end(page(path, links));
        return true;
      }
      if (path.endsWith('.xls') || path.endsWith('.pdf')) {
        res.writeHead(200, { 'Content-Type': 'application/octet-stream' });
        res.end('file');
        return true;
      }
      if (path === '/robots.txt') return false;
      res.writeHead(404, { 'Content-Type': 'text/html; charset=utf-8' });
      res.end('<html><body>404</body></html>');
      return true;
    },
  });
});
afterAll(() => site.close());

describe('RunScope', () => {
  const o = 'http://www.xx.gov.cn';
  const scope = new RunScope([
    unit('qzf', [`${o}/`]),
    unit('mzj', [`${o}/zwgk/bm/mzj/index.html`], {
      paths: [`${o}/xwzx/mzdt/`],
      disclosure: { guide: `${o}/xxgk/zn/mzj.html` },
    }),
    unit('shjz', [`${o}/zwgk/bm/mzj/shjz/`]),
    unit('czj', [`${o}/zwgk/bm/czj`], {
      catalogues: [{ domain: '财政预决算', url: `${o}/xxgk/czyjs/ml.html` }],
    }),
    unit('own', ['http://mzj.yy.gov.cn/']),
  ]);

  it('gives a URL to the longest prefix that holds it', () => {
    expect(scope.ownerOf(`${o}/zwgk/bm/mzj/tzgg/1.html`)).toBe('mzj');
    expect(scope.ownerOf(`${o}/ZWGK/BM/MZJ/`)).toBe('mzj');
    expect(scope.ownerOf(`${o}/zwgk/bm/mzj/shjz/list_2.html`)).toBe('shjz');
    expect(scope.ownerOf(`${o}/zwgk/bm/mzjx/`)).toBe('qzf');
    expect(scope.ownerOf(`${o}/zwgk/bm/czj`)).toBe('czj');
    expect(scope.ownerOf(`${o}/xwzx/mzdt/2026/a.html`)).toBe('mzj');
    expect(scope.ownerOf(`${o}/xwzx/`)).toBe('qzf');
    expect(scope.ownerOf(`${o}/xxgk/czyjs/ml.html`)).toBe('czj');
    expect(scope.ownerOf(`${o}/xxgk/czyjs/other.html`)).toBe('qzf');
    // A pinned 专栏 page is the unit's, wherever the portal keeps it.
    expect(scope.ownerOf(`${o}/xxgk/zn/mzj.html`)).toBe('mzj');
    expect(scope.ownerOf(`${o}/xxgk/zn/czj.html`)).toBe('qzf');
    expect(scope.ownerOf('http://mzj.yy.gov.cn/a/b.html')).toBe('own');
    expect(scope.ownerOf('http://www.gov.cn/')).toBeUndefined();
  });

  it('places attachments with the column that links them unless a column path holds them', () => {
    expect(scope.place(`${o}/uploadfiles/2026/roster.xls`, 'mzj')).toEqual({
      unitId: 'mzj',
      kind: 'attachment',
    });
    expect(scope.place(`${o}/zwgk/bm/czj/a.pdf`, 'mzj')).toEqual({ unitId: 'czj', kind: 'attachment' });
    expect(scope.place('http://www.gov.cn/a.html', 'mzj')).toEqual({ unitId: 'mzj', kind: 'external' });
  });

  it('matches a 大汉 article under its column', () => {
    const hanweb = new RunScope([unit('portal', [`${o}/`]), unit('col', [`${o}/col/col1229/index.html`])]);
    expect(hanweb.ownerOf(`${o}/art/2026/12/1/art_1229_57.html`)).toBe('col');
    expect(hanweb.ownerOf(`${o}/art/2026/12/1/art_1300_58.html`)).toBe('portal');
  });

  it('groups units that share a host', () => {
    const groups = hostGroups([
      unit('a', [`${o}/`]),
      unit('b', ['http://b.gov.cn/']),
      unit('c', [`${o}/zwgk/c/`]),
      unit('d', ['http://d.gov.cn/'], { hosts: ['b.gov.cn'] }),
    ]);
    expect(groups.map((g) => g.map((u) => u.id))).toEqual([
      ['a', 'c'],
      ['b', 'd'],
    ]);
  });
});

describe('units that are columns of one portal', () => {
  it('fetch each page once, keep one politeness budget for the host, and store each page with its owner', async () => {
    site.requests.length = 0;
    const o = site.origin;
    const { db, runId } = await crawlUnits(
      [unit('qzf', [`${o}/`]), unit('mzj', [`${o}/zwgk/bm/mzj/`]), unit('czj', [`${o}/zwgk/bm/czj/`])],
      { perHostDelayMs: 150, perHostConcurrency: 2, render: 'never', checkExternalLinks: false },
    );
    const paths = site.requests.map((r) => r.path).filter((p) => p !== '/robots.txt' && p !== '/sitemap.xml');
    // Every page once, however many units link it (the soft-404 probe is the only extra).
    const counted = paths.filter((p) => !p.startsWith('/xuncha-'));
    expect(counted.length).toBe(new Set(counted).size);
    expect(counted).toEqual(expect.arrayContaining(['/shared/notice.html', '/xwzx/', '/gone-portal.html']));
    // One host, three units: the gap between request starts holds.
    const starts = site.requests.map((r) => r.at).sort((a, b) => a - b);
    const gaps = starts.slice(1).map((t, i) => t - starts[i]!);
    // Arrival times at the server: allow timer and socket jitter on a loaded machine (< 15 %).
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(130);

    const owned = async (id: string) =>
      (await listResources(db, runId, id)).map((r) => new URL(r.url).pathname).sort();
    // What no column claims is the portal's, shared folders included (a column claims more with `paths:`).
    expect(await owned('qzf')).toEqual([
      '/',
      '/content/mzj-1.html',
      '/gone-portal.html',
      '/hdjl/ldxx/',
      '/shared/notice.html',
      '/xwzx/',
    ]);
    // mzj's roster in the shared /uploadfiles/ folder is mzj's: a column's files are its own.
    expect(await owned('mzj')).toEqual([
      '/uploadfiles/mzj-roster.xls',
      '/zwgk/bm/mzj/',
      '/zwgk/bm/mzj/gone.html',
      '/zwgk/bm/mzj/tzgg/',
    ]);
    // A czj page linked only from the portal's home page is still czj's page.
    expect(await owned('czj')).toEqual(['/zwgk/bm/czj/', '/zwgk/bm/czj/a.pdf', '/zwgk/bm/czj/moved.html']);
    // A page's links are stored with the page's unit.
    expect(
      (await listLinks(db, runId, 'mzj')).every((l) =>
        new URL(l.fromUrl).pathname.startsWith('/zwgk/bm/mzj/'),
      ),
    ).toBe(true);
    expect((await listLinks(db, runId, 'czj')).map((l) => l.toUrl)).toContain(`${o}/shared/notice.html`);
    expect((await listLinks(db, runId, 'qzf')).some((l) => l.fromUrl.includes('/zwgk/'))).toBe(false);
  });

  it('charge each finding to the unit whose page it is on, and the template of the portal once', async () => {
    const o = site.origin;
    const { db, runId } = await crawlUnits(
      [
        unit('qzf', [`${o}/`], { level: '区县政府' }),
        unit('mzj', [`${o}/zwgk/bm/mzj/`]),
        unit('czj', [`${o}/zwgk/bm/czj/`]),
      ],
      { perHostDelayMs: 0, render: 'never', checkExternalLinks: false },
    );
    await runChecks(db, runId, '2026-12-07', memoryLogger().log, 'rules');
    const findings = await listFindings(db, runId);
    const of = (unitId: string, checkId: string) =>
      findings
        .filter((f) => f.unitId === unitId && f.checkId === checkId)
        .map((f) => `${f.kind} ${new URL(f.url).pathname}`)
        .sort();
    // mzj's own dead link is mzj's; the portal's header link, also on mzj's pages, is the portal's only;
    // the portal's link into czj's column is the portal's dead link, not czj's.
    expect(of('mzj', 'dead-links')).toEqual(['home-page /zwgk/bm/mzj/gone.html']);
    expect(of('qzf', 'dead-links')).toEqual([
      'home-page /gone-portal.html',
      'home-page /zwgk/bm/czj/moved.html',
    ]);
    expect(of('czj', 'dead-links')).toEqual([]);
    // The phone number on mzj's page is mzj's alone.
    // (Its roster in the shared upload folder is its own too: unreadable here, so a review item.)
    expect(of('mzj', 'personal-data-exposure')).toEqual([
      'mobile /zwgk/bm/mzj/tzgg/',
      'review /uploadfiles/mzj-roster.xls',
    ]);
    expect(of('qzf', 'personal-data-exposure')).toEqual([]);
    expect(of('czj', 'personal-data-exposure')).toEqual(['review /zwgk/bm/czj/a.pdf']);
    // V5: the portal has a 领导信箱; its 部门 columns rely on it.
    expect(of('qzf', 'interaction-replies')).toEqual(['not-checked /hdjl/ldxx/']);
    expect(of('mzj', 'interaction-replies')).toEqual([]);
    // The site's identity (footer codes) is judged once, on the portal.
    expect(of('mzj', 'site-identity')).toEqual([]);
    expect(of('qzf', 'site-identity').length).toBeGreaterThan(0);
  });
});
