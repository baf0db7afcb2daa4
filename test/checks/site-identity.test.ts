import { describe, expect, it } from 'vitest';
import { siteIdentity } from '../../src/checks/site-identity.js';
import { evidence, runCheck, ORIGIN } from '../helpers/evidence.js';

const SITE = { SiteName: '示范区人民政府', SiteDomain: 'www.sfq.gov.cn', SiteIDCode: '3505000012' };
const COLUMN = {
  ColumnName: '通知公告',
  ColumnDescription: '示范区人民政府通知公告',
  ColumnKeywords: '通知公告',
  ColumnType: '通知公告',
};
const ARTICLE = {
  ArticleTitle: '关于开展自查的通知',
  PubDate: '2026-11-20 09:30',
  ContentSource: '区政府办',
};
const FOOTER = `<div class="footer"><p>主办单位：示范区人民政府\u3000联系电话：0595-22580000</p>
<p>网站标识码：3505000012\u3000闽ICP备05012345号\u3000闽公网安备 35050202000123号</p>
<p><a href="https://bszs.conac.cn/sitename?method=show&id=0123456789ABCDEF" target="_blank"><img src="/images/red.png" alt=""></a></p></div>`;

function html(meta: Record<string, string>, body: string, footer = FOOTER, extra = ''): string {
  const tags = Object.entries(meta)
    .map(([k, v]) => `<meta name="${k}" content="${v}">`)
    .join('');
  return `<html><head><meta charset="utf-8"><title>${meta.ArticleTitle ?? meta.ColumnName ?? '示范区人民政府'}</title>${tags}</head>
<body>${extra}<div class="nav"><a href="/">首页</a><a href="/tzgg/">通知公告</a></div>${body}${footer}</body></html>`;
}

const HOME_BODY = `<div class="box"><h2>通知公告</h2><ul><li><a href="/tzgg/art_1.html">关于开展自查的通知</a><span>2026-11-20</span></li></ul></div>`;
const LIST_BODY = `<div class="crumb">当前位置：<a href="/">首页</a> &gt; <a href="/tzgg/">通知公告</a></div>
<ul class="list"><li><a href="./art_1.html">关于开展自查的通知</a><span class="date">2026-11-20</span></li>
<li><a href="./art_2.html">关于调整办公时间的通知</a><span class="date">2026-11-02</span></li></ul>`;
const ART_BODY = `<div class="crumb">当前位置：<a href="/">首页</a> &gt; <a href="/tzgg/">通知公告</a></div>
<h1>关于开展自查的通知</h1><p>发布时间：2026-11-20\u3000来源：区政府办</p>
<div class="content"><p>各乡镇人民政府、街道办事处，区直各单位：为进一步加强政府网站管理，提升政务公开水平，现就开展政府网站和政务新媒体自查整改工作通知如下：各单位对照检查指标逐项自查，发现问题立即整改，整改情况于本月底前报区政府办公室。区政府办公室将适时组织抽查，抽查结果纳入年度政务公开考核。</p></div>`;

function site(overrides: Record<string, string> = {}) {
  return evidence({
    pages: {
      '/': html(SITE, HOME_BODY),
      '/tzgg/': html({ ...SITE, ...COLUMN }, LIST_BODY),
      '/tzgg/art_1.html': html({ ...SITE, ...COLUMN, ...ARTICLE }, ART_BODY),
      ...overrides,
    },
  });
}

describe('site-identity', () => {
  it('passes a site whose pages carry their tags and whose home footer shows all four items', () => {
    expect(runCheck(siteIdentity, site())).toEqual([]);
  });

  it('reports each missing tag once per unit, with a count and three example URLs', () => {
    const { ContentSource: _, ...noSource } = ARTICLE;
    const pages: Record<string, string> = {};
    for (let i = 1; i <= 5; i++)
      pages[`/tzgg/art_${i}.html`] = html({ ...SITE, ...COLUMN, ...noSource }, ART_BODY);
    const found = runCheck(siteIdentity, site(pages));
    expect(found).toEqual([
      {
        outcome: 'warn',
        kind: 'meta-missing',
        message: '5 个页面缺少网页标签 ContentSource',
        url: `${ORIGIN}/tzgg/art_1.html`,
        location: '共 5 个页面（文章页 5 个）',
        evidence: `未设置或内容为空：<meta name="ContentSource" content="…">；例：${ORIGIN}/tzgg/art_1.html；${ORIGIN}/tzgg/art_2.html；${ORIGIN}/tzgg/art_3.html 等 5 个页面`,
      },
    ]);
  });

  it('asks column pages for the column tags, and every page for the site tags', () => {
    const { ColumnType: _, ...noType } = COLUMN;
    const found = runCheck(
      siteIdentity,
      site({
        '/tzgg/': html({ SiteName: SITE.SiteName, SiteIDCode: SITE.SiteIDCode, ...noType }, LIST_BODY),
      }),
    );
    expect(found.map((f) => [f.kind, f.message, f.location])).toEqual([
      ['meta-missing', '1 个页面缺少网页标签 SiteDomain', '共 1 个页面（栏目页 1 个）'],
      ['meta-missing', '1 个页面缺少网页标签 ColumnType', '共 1 个页面（栏目页 1 个）'],
    ]);
  });

  it('names both codes when meta SiteIDCode is empty but the footer prints one (Hanweb detail page)', () => {
    const found = runCheck(
      siteIdentity,
      site({ '/tzgg/art_1.html': html({ ...SITE, ...COLUMN, ...ARTICLE, SiteIDCode: '' }, ART_BODY) }),
    );
    expect(found).toEqual([
      expect.objectContaining({
        outcome: 'warn',
        kind: 'meta-code-empty',
        message: '1 个页面的 meta SiteIDCode 为空，页脚网站标识码为 3505000012',
        url: `${ORIGIN}/tzgg/art_1.html`,
      }),
    ]);
    expect(found[0]!.evidence).toContain(
      '<meta name="SiteIDCode" content="">，页脚「网站标识码：3505000012」',
    );
  });

  it('reads a bm code printed after a U+3000 space, and finds no mismatch', () => {
    const footer = FOOTER.replace('网站标识码：3505000012', '网站标识码\u3000bm01000001');
    const meta = { ...SITE, SiteIDCode: 'bm01000001' };
    const ev = evidence({
      pages: {
        '/': html(meta, HOME_BODY, footer),
        '/tzgg/': html({ ...meta, ...COLUMN }, LIST_BODY, footer),
      },
    });
    expect(runCheck(siteIdentity, ev)).toEqual([]);
  });

  it('fails a meta code that differs from the footer, once per pair of codes', () => {
    const other = { ...SITE, SiteIDCode: '3505000023' };
    const found = runCheck(
      siteIdentity,
      site({
        '/tzgg/': html({ ...other, ...COLUMN }, LIST_BODY),
        '/tzgg/art_1.html': html({ ...other, ...COLUMN, ...ARTICLE }, ART_BODY),
      }),
    );
    expect(found).toEqual([
      expect.objectContaining({
        outcome: 'fail',
        kind: 'code-mismatch',
        message: 'meta SiteIDCode 3505000023 与页脚网站标识码 3505000012 不一致',
        location: '共 2 个页面（栏目页 1 个、文章页 1 个）',
      }),
    ]);
  });

  it('fails malformed codes in meta and in the footer', () => {
    const footer = FOOTER.replace('3505000012', '35050000123');
    const ev = evidence({
      pages: {
        '/': html({ ...SITE, SiteIDCode: '350500001' }, HOME_BODY, footer),
      },
    });
    expect(runCheck(siteIdentity, ev).map((f) => [f.outcome, f.kind, f.message])).toEqual([
      [
        'fail',
        'code-malformed',
        'meta SiteIDCode「350500001」不是有效的网站标识码（应为10位数字，或 bm 加8位数字）',
      ],
      [
        'fail',
        'code-malformed',
        '页脚网站标识码「35050000123」不是有效的网站标识码（应为10位数字，或 bm 加8位数字）',
      ],
    ]);
  });

  it('fails a 纠错 sitecode that is not the site code', () => {
    const jiucuo =
      '<script id="_jiucuo_" sitecode="3505000099" src="https://zfwzgl.www.gov.cn/exposure/jiucuo.js"></script>';
    const found = runCheck(siteIdentity, site({ '/': html(SITE, HOME_BODY, FOOTER, jiucuo) }));
    expect(found.map((f) => [f.kind, f.message])).toEqual([
      ['code-mismatch', '纠错代码 sitecode 3505000099 与网站标识码 3505000012 不一致'],
    ]);
  });

  it('checks the footer items on the home page only, once per unit', () => {
    const bare = '<div class="footer"><p>主办单位：示范区人民政府</p><p>网站标识码：3505000012</p></div>';
    const found = runCheck(
      siteIdentity,
      evidence({
        pages: {
          '/': html(SITE, HOME_BODY, bare),
          '/tzgg/': html({ ...SITE, ...COLUMN }, LIST_BODY, bare),
          '/tzgg/art_1.html': html({ ...SITE, ...COLUMN, ...ARTICLE }, ART_BODY, bare),
        },
      }),
    );
    expect(found.map((f) => [f.outcome, f.kind, f.message, f.url])).toEqual([
      ['warn', 'footer-missing', '首页页脚未标注ICP备案编号', `${ORIGIN}/`],
      ['warn', 'footer-missing', '首页页脚未标注公安机关备案号', `${ORIGIN}/`],
      ['warn', 'footer-missing', '首页页脚未标注党政机关网站标识', `${ORIGIN}/`],
    ]);
    expect(found[2]!.evidence).toContain('bszs.conac.cn');
  });

  it('counts a footer label with no code after it as no 网站标识码', () => {
    const footer = FOOTER.replace('网站标识码：3505000012', '网站标识码：');
    const found = runCheck(siteIdentity, site({ '/': html(SITE, HOME_BODY, footer) }));
    expect(found.map((f) => f.message)).toEqual(['首页页脚未标注网站标识码']);
  });
});
