import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSiteServer, type RunningSite } from '../../src/demo/siteServer.js';
import { listResources } from '../../src/store/crawlData.js';
import { crawlUnits, unit } from '../helpers/crawlFixture.js';

const TOTAL = 100;
const record = (i: number) =>
  `<record><![CDATA[<li><a href="/art/2026/art_1229_${i}.html" title="通知${i}">通知${i}</a><span>2026-10-${String((i % 28) + 1).padStart(2, '0')}</span></li>]]></record>`;
const datastore = (from: number, to: number, next = '') =>
  `<datastore>${next}<totalrecord>${TOTAL}</totalrecord><totalpage>${Math.ceil(TOTAL / 15)}</totalpage><recordset>${Array.from({ length: to - from + 1 }, (_, k) => record(from + k)).join('')}</recordset></datastore>`;
const NEXT =
  '<nextgroup><![CDATA[<a href="/module/web/jpage/dataproxy.jsp?page=1&amp;appid=1&amp;webid=3185&amp;path=/&amp;columnid=1229&amp;unitid=56789&amp;webname=%E7%A4%BA%E8%8C%83&amp;permissiontype=0"></a>]]></nextgroup>';

let site: RunningSite;
beforeAll(async () => {
  site = await startSiteServer({
    dir: 'test/fixtures/sites/basic',
    handle: (req, res) => {
      const url = new URL(req.url ?? '/', 'http://x');
      let body: string | undefined;
      let type = 'text/html; charset=utf-8';
      if (url.pathname === '/col/col1229/index.html')
        body = `<html><head><meta charset="utf-8"><meta name="ColumnName" content="通知公告"></head><body><div id="56789"><script type="text/xml">${datastore(1, 45, NEXT)}</script></div></body></html>`;
      else if (url.pathname === '/module/web/jpage/dataproxy.jsp') {
        body = `<?xml version="1.0" encoding="UTF-8"?>${datastore(Number(url.searchParams.get('startrecord')), Math.min(TOTAL, Number(url.searchParams.get('endrecord'))))}`;
        type = 'text/xml; charset=utf-8';
      } else if (url.pathname.startsWith('/art/'))
        body =
          '<html><head><meta name="ArticleTitle" content="通知"><meta name="PubDate" content="2026-10-01"></head><body>正文</body></html>';
      if (body === undefined) return false;
      res.writeHead(200, { 'Content-Type': type });
      res.end(body);
      return true;
    },
  });
});
afterAll(() => site.close());

describe('Hanweb (大汉) jpage columns', () => {
  it('reads the inline records and every data-proxy page, reaching all articles', async () => {
    const { db, runId } = await crawlUnits([unit('h', [`${site.origin}/col/col1229/index.html`])], {
      maxDepth: 2,
      render: 'never',
    });
    const urls = new Set((await listResources(db, runId, 'h')).map((r) => r.url));
    const articles = Array.from(
      { length: TOTAL },
      (_, i) => `${site.origin}/art/2026/art_1229_${i + 1}.html`,
    );
    expect(articles.filter((a) => !urls.has(a))).toEqual([]);
    const proxies = (await listResources(db, runId, 'h')).filter((r) => r.url.includes('dataproxy.jsp'));
    expect(proxies.length).toBeGreaterThanOrEqual(2);
    expect(proxies.every((p) => p.kind === 'page')).toBe(true);
  });
});
