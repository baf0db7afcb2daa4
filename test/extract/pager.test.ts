import { describe, expect, it } from 'vitest';
import * as cheerio from 'cheerio';
import { findPager, hanwebRecords, parseSitemap, parseSitemapEntries } from '../../src/extract/pager.js';

const COL = 'http://www.example.gov.cn/zwgk/tzgg/';
const pagerOf = (body: string, url = COL, maxPages?: number) =>
  findPager(
    cheerio.load(`<html><head><title>通知公告</title></head><body>${body}</body></html>`),
    url,
    maxPages,
  );

describe('TRS createPageHTML', () => {
  it('reads the 4-argument form (0-based: index, index_1 …) and skips the function definition', () => {
    const p = pagerOf(`
      <script>function createPageHTML(_nPageCount, _nCurrIndex, _sPageName, _sPageExt) {
        if (_nPageCount == null || _nPageCount <= 1) { return; } }</script>
      <div class="page"><script type="text/javascript">createPageHTML(3, 1, "index", "shtml");</script></div>`);
    expect(p).toMatchObject({ kind: 'trs-createPageHTML', pageCount: 3, current: 1 });
    expect(p!.urls).toEqual([`${COL}index.shtml`, `${COL}index_1.shtml`, `${COL}index_2.shtml`]);
  });

  it('reads the 6-argument form (div id first, 1-based: list, list_2 …, record count last)', () => {
    const p = pagerOf(`<div id="page_div"></div>
      <script>createPageHTML('page_div',56, 1,'index','shtml',6348);</script>`);
    expect(p).toMatchObject({ kind: 'trs-createPageHTML', pageCount: 56, current: 0, totalRecords: 6348 });
    expect(p!.urls).toHaveLength(56);
    expect(p!.urls.slice(0, 3)).toEqual([`${COL}index.shtml`, `${COL}index_2.shtml`, `${COL}index_3.shtml`]);
    expect(p!.urls.at(-1)).toBe(`${COL}index_56.shtml`);
  });

  it('caps the URLs at maxPages and says so', () => {
    const p = pagerOf(`<script>createPageHTML(900, 0, "index", "html");</script>`, COL, 500);
    expect(p).toMatchObject({ pageCount: 900, truncated: true });
    expect(p!.urls).toHaveLength(500);
  });

  it('reads the inline variables var countPage / currentPage and the extension the script writes', () => {
    const p = pagerOf(`<div class="page"><script language="javascript">
      var countnum= 6348;
      var currentPage=0;
      var prevPage=currentPage-1
      var nextPage=currentPage+1
      var countPage=56
      document.write("<a href=\\"index.html\\" target=\\"_self\\" >首页</a>&nbsp;&nbsp;");
      if(countPage>1&&currentPage!=(countPage-1))
        document.write("<a href=\\"index"+"_"+nextPage+"."+"html\\" target=\\"_self\\">下一页</a>");
    </script></div>`);
    expect(p).toMatchObject({ kind: 'trs-countPage', pageCount: 56, current: 0, totalRecords: 6348 });
    expect(p!.urls[0]).toBe(`${COL}index.html`);
    expect(p!.urls[55]).toBe(`${COL}index_55.html`);
  });
});

describe('rendered pagers', () => {
  it('derives every page from a 尾页 link with the index_N pattern (共 N 页)', () => {
    const p = pagerOf(`<ul class="list"><li><a href="./t1.html">一</a></li></ul>
      <div class="pages">共 4 页\u3000<span>首页</span><span>上一页</span><span class="now">1</span>
      <a href="index_1.html">2</a><a href="index_1.html">下一页</a><a href="index_3.html">尾页</a></div>`);
    expect(p).toMatchObject({ kind: 'rendered', pageCount: 4, current: 0 });
    expect(p!.urls).toEqual([
      `${COL}index.html`,
      `${COL}index_1.html`,
      `${COL}index_2.html`,
      `${COL}index_3.html`,
    ]);
  });

  it('tells a 1-based numbering from the stated count (第1/10页, 尾页 list_10)', () => {
    const p = pagerOf(
      `<div class="fenye">第1/10页 <a href="list_2.shtml">下一页</a> <a href="list_10.shtml">尾页</a></div>`,
    );
    expect(p).toMatchObject({ kind: 'rendered', pageCount: 10 });
    expect(p!.urls.slice(0, 2)).toEqual([`${COL}list.shtml`, `${COL}list_2.shtml`]);
    expect(p!.urls.at(-1)).toBe(`${COL}list_10.shtml`);
    expect(p!.urls).toHaveLength(10);
  });

  it('returns the pager links it found when no URL pattern can be derived', () => {
    const p = pagerOf(`<div class="pagination">共3页 <span>1</span> <a href="?page=2">2</a>
      <a href="?page=3">3</a> <a href="?page=2">下一页</a></div>`);
    expect(p).toMatchObject({ kind: 'rendered', pageCount: 3 });
    expect(p!.urls).toEqual([`${COL}?page=2`, `${COL}?page=3`]);
  });

  it('follows plain index_N page links, but not a menu link to another index_N page', () => {
    const p = pagerOf(`<a href="index_1.html">2</a> <a href="index_2.html">3</a>`);
    expect(p).toMatchObject({ kind: 'links', pageCount: 3 });
    expect(p!.urls).toEqual([`${COL}index.html`, `${COL}index_1.html`, `${COL}index_2.html`]);
    expect(
      pagerOf(`<div class="nav"><a href="/index_763.html">首页</a></div>`, 'http://www.example.gov.cn/'),
    ).toBe(undefined);
  });
});

/** A Hanweb (大汉 jcms) column page: the first 45 records inline, the rest from the data proxy. */
function hanwebColumn(opts: { nextgroup?: boolean; script?: string; total?: number } = {}): string {
  const total = opts.total ?? 100;
  const records = Array.from({ length: Math.min(45, total) }, (_, i) => {
    const d = `2024-${String(12 - Math.floor(i / 4)).padStart(2, '0')}-${String(28 - (i % 4)).padStart(2, '0')}`;
    return `<record><![CDATA[
<li><a target="_blank" href="/art/${d.replace(/-0?/g, '/')}/art_1229_${5000 + i}.html" title="关于第${i + 1}项工作的通知">关于第${i + 1}项工作的通知</a><span>${d}</span></li>]]></record>`;
  }).join('\n');
  const next = opts.nextgroup
    ? `<nextgroup><![CDATA[<a href="/module/web/jpage/dataproxy.jsp?page=1&amp;appid=1&amp;webid=3185&amp;path=/&amp;columnid=1229&amp;unitid=56789&amp;webname=%E7%A4%BA%E8%8C%83&amp;permissiontype=0"></a>]]></nextgroup>`
    : '';
  return `<div id="56789"><script type="text/xml"><datastore>${next}
<totalrecord>${total}</totalrecord><totalpage>${Math.ceil(total / 15)}</totalpage>
<recordset>${records}</recordset></datastore></script>${opts.script ?? ''}</div>`;
}

describe('Hanweb jpage', () => {
  const HANWEB = 'http://www.example.gov.cn/col/col1229/index.html';

  it('exposes the inline CDATA records and builds the data-proxy URLs of the others from nextgroup', () => {
    const $ = cheerio.load(`<html><body>${hanwebColumn({ nextgroup: true })}</body></html>`);
    const records = hanwebRecords($);
    expect(records).toHaveLength(45);
    expect(records[0]).toMatch(/^<li><a target="_blank" href="\/art\/2024\/12\/28\/art_1229_5000.html"/);
    const p = findPager($, HANWEB)!;
    expect(p).toMatchObject({ kind: 'hanweb', pageCount: 7, totalRecords: 100, current: 0 });
    expect(p.urls).toHaveLength(2);
    const first = new URL(p.urls[0]!);
    expect(first.pathname).toBe('/module/web/jpage/dataproxy.jsp');
    expect(Object.fromEntries(first.searchParams)).toEqual({
      startrecord: '46',
      endrecord: '90',
      perpage: '15',
      col: '1',
      appid: '1',
      webid: '3185',
      path: '/',
      columnid: '1229',
      sourceContentType: '1',
      unitid: '56789',
      webname: '示范',
      permissiontype: '0',
    });
    expect(new URL(p.urls[1]!).searchParams.get('startrecord')).toBe('91');
    expect(new URL(p.urls[1]!).searchParams.get('endrecord')).toBe('100');
  });

  it('takes proxyUrl, perPage and ajaxParam from the jpage call, and the column id from the URL', () => {
    const script = `<script>$(function(){$('#56789').jpage({themeName:'default',showMode:'full',totalRecord:100,
      openCookies:false,dataStore:dataStore,groupSize:3,proxyUrl:'/module/jslib/jquery/jpage/dataproxy.jsp',
      perPage:15,barPosition:'bottom',ajaxParam:{col:1,appid:'1',webid:60,path:'/',unitid:'56789',
      webname:'示范区政府',permissiontype:0}});});</script>`;
    const p = findPager(cheerio.load(hanwebColumn({ script })), HANWEB)!;
    const u = new URL(p.urls[0]!);
    expect(u.pathname).toBe('/module/jslib/jquery/jpage/dataproxy.jsp');
    expect(u.searchParams.get('webid')).toBe('60');
    expect(u.searchParams.get('columnid')).toBe('1229');
    expect(u.searchParams.get('unitid')).toBe('56789');
  });

  it('continues after its own records when the page is itself a data-proxy response', () => {
    const proxied = `${new URL(HANWEB).origin}/module/web/jpage/dataproxy.jsp?startrecord=46&endrecord=90&perpage=15&col=1&appid=1&webid=3185&path=%2F&columnid=1229&sourceContentType=1&unitid=56789&webname=&permissiontype=0`;
    const p = findPager(cheerio.load(hanwebColumn({ nextgroup: true })), proxied)!;
    expect(p.current).toBe(3);
    expect(p.urls.map((u) => new URL(u).searchParams.get('startrecord'))).toEqual(['91']);
  });

  it('says which parameters are missing instead of guessing URLs', () => {
    const html = `<div><script type="text/xml"><datastore><totalrecord>60</totalrecord>
      <recordset><record><![CDATA[<li><a href="/art/1.html">一</a><span>2024-01-02</span></li>]]></record></recordset>
      </datastore></script></div>`;
    const p = findPager(cheerio.load(html), 'http://www.example.gov.cn/list.html')!;
    expect(p.urls).toEqual([]);
    expect(p.note).toContain('unitid');
    expect(p.note).toContain('columnid');
  });
});

describe('sitemap.xml', () => {
  it('lists the pages of a urlset (entities and CDATA decoded, other schemes dropped)', () => {
    const xml = `<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
  <url><loc>http://www.example.gov.cn/</loc><lastmod>2026-11-20</lastmod></url>
  <url><loc>http://www.example.gov.cn/list.jsp?col=1&amp;page=2</loc></url>
  <url><loc><![CDATA[http://www.example.gov.cn/zwgk/tzgg/index.html]]></loc></url>
  <url><loc>mailto:zwgk@example.gov.cn</loc></url>
</urlset>`;
    expect(parseSitemap(xml)).toEqual([
      'http://www.example.gov.cn/',
      'http://www.example.gov.cn/list.jsp?col=1&page=2',
      'http://www.example.gov.cn/zwgk/tzgg/index.html',
    ]);
    expect(parseSitemapEntries(xml)).toMatchObject({
      kind: 'urlset',
      entries: [{ loc: 'http://www.example.gov.cn/', lastmod: '2026-11-20' }, {}, {}],
    });
  });

  it('lists the child sitemaps of a sitemapindex', () => {
    const xml = `<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
  <sitemap><loc>http://www.example.gov.cn/sitemap_zwgk.xml</loc></sitemap>
  <sitemap><loc>http://www.example.gov.cn/sitemap_xwzx.xml</loc></sitemap>
</sitemapindex>`;
    expect(parseSitemapEntries(xml).kind).toBe('sitemapindex');
    expect(parseSitemap(xml)).toEqual([
      'http://www.example.gov.cn/sitemap_zwgk.xml',
      'http://www.example.gov.cn/sitemap_xwzx.xml',
    ]);
  });
});

describe('pager targets with any extension', () => {
  const JDIR = 'http://www.example.gov.cn/xxgk/tzgg/';
  const JSP = `${JDIR}index.jsp`;

  it('resolves createPageHTML arguments set as variables before the call', () => {
    const p = pagerOf(
      `<script>var countPage = 7;//共多少页
       var currentPage = 2;
       createPageHTML(countPage, currentPage, "index", "shtml");</script>`,
    );
    expect(p).toMatchObject({ kind: 'trs-createPageHTML', pageCount: 7, current: 2 });
    expect(p!.urls.at(-1)).toBe(`${COL}index_6.shtml`);
    expect(pagerOf(`<script>createPageHTML(countPage, currentPage, "index", "shtml");</script>`)).toBe(
      undefined,
    );
  });

  it('reads an inline var countPage script that writes .htm or .jsp pages', () => {
    const p = pagerOf(
      `<script>var currentPage = 0;//所在页从0开始
       var countPage = 2//共多少页
       document.write("<a href='index_" + (currentPage + 1) + ".htm'>下一页</a>");</script>`,
    );
    expect(p).toMatchObject({ kind: 'trs-countPage', pageCount: 2 });
    expect(p!.urls).toEqual([`${COL}index.htm`, `${COL}index_1.htm`]);
    const jsp = pagerOf(`<script>var countPage = 3; var currentPage = 0;</script>`, JSP);
    expect(jsp!.urls).toEqual([JSP, `${JDIR}index_1.jsp`, `${JDIR}index_2.jsp`]);
  });

  it('derives .aspx and .jsp series from a 尾页 link', () => {
    const p = pagerOf(
      `<div class="pg">共5页 <a href="list_2.aspx">下一页</a> <a href="list_5.aspx">尾页</a></div>`,
    );
    expect(p).toMatchObject({ kind: 'rendered', pageCount: 5 });
    expect(p!.urls).toEqual([1, 2, 3, 4, 5].map((n) => `${COL}list${n === 1 ? '' : `_${n}`}.aspx`));
  });

  it('derives a ?page=N series from a 尾页 link (1-based) and from plain number links', () => {
    const p = pagerOf(
      `<div class="pg"><a href="?page=1">首页</a> <a href="?page=2">下一页</a> <a href="index.jsp?page=12">尾页</a></div>`,
      JSP,
    );
    expect(p).toMatchObject({ kind: 'rendered', pageCount: 12 });
    expect(p!.urls.slice(0, 2)).toEqual([JSP, `${JSP}?page=2`]);
    expect(p!.urls.at(-1)).toBe(`${JSP}?page=12`);
    const links = pagerOf(`<a href="index.jsp?pageNo=2">2</a> <a href="index.jsp?pageNo=3">3</a>`, JSP);
    expect(links).toMatchObject({ kind: 'links', pageCount: 3 });
    expect(links!.urls).toEqual([JSP, `${JSP}?pageNo=2`, `${JSP}?pageNo=3`]);
  });

  it('follows index_N links of any extension, but not number links to other folders or articles', () => {
    expect(pagerOf(`<a href="index_1.jsp">2</a> <a href="index_2.jsp">3</a>`, JSP)!.urls).toEqual([
      JSP,
      `${JDIR}index_1.jsp`,
      `${JDIR}index_2.jsp`,
    ]);
    expect(pagerOf(`<a href="/other/index_1.htm">2</a> <a href="art_1229_2.html">2</a>`, JSP)).toBe(
      undefined,
    );
    expect(pagerOf(`<a href="detail.jsp?id=2">2</a> <a href="detail.jsp?id=3">3</a>`, JSP)).toBe(undefined);
  });
});
