import { describe, expect, it } from 'vitest';
import { LinkTable, StringPool } from '../../src/extract/linkTable.js';
import { summarisePage } from '../../src/extract/pageSummary.js';
import { parseHtmlPage } from '../../src/extract/htmlPage.js';

describe('LinkTable', () => {
  const links = [
    { fromUrl: 'http://x/a', toUrl: 'http://x/dead', anchor: '附件', tag: 'a' },
    { fromUrl: 'http://x/a', toUrl: 'http://x/b', anchor: '栏目', tag: 'a' },
    { fromUrl: 'http://x/b', toUrl: 'http://x/dead', anchor: '', tag: 'a' },
  ];

  it('gives the links back in the order they were added, past its first growth', () => {
    const many = Array.from({ length: 3000 }, (_, i) => ({ ...links[i % 3]!, anchor: `a${i}` }));
    const table = LinkTable.of(many);
    expect(table.length).toBe(3000);
    expect([...table]).toEqual(many);
  });

  it('finds the links into given URLs in one pass, in link order, and none for unknown URLs', () => {
    const into = LinkTable.of(links).linksToAny(['http://x/dead', 'http://x/none']);
    expect(into.get('http://x/dead')!.map((l) => l.fromUrl)).toEqual(['http://x/a', 'http://x/b']);
    expect(into.get('http://x/none')).toEqual([]);
  });

  it('keeps one copy of each string it is given', () => {
    const pool = new StringPool();
    const a = pool.intern(['http://x/', 'a'].join(''));
    expect(pool.intern('http://x/a')).toBe(a);
    expect(pool.list(['首页', '栏目'])).toBe(pool.list(['首页', '栏目']));
    expect(() => pool.list(['首页']).push('x')).toThrow();
  });
});

describe('summarisePage', () => {
  it('keeps every fact a check compares across pages, and no text, tables or links', () => {
    const page = parseHtmlPage(
      `<html><head><title>关于印发办法的通知_某县</title><meta name="ColumnName" content="通知公告">
       <meta name="PubDate" content="2026-11-02"></head><body><div>当前位置：首页 &gt; 通知公告</div>
       <h1>关于印发办法的通知</h1><p>成文日期：2026-10-30</p><p>正文</p><a href="/b.html">附件</a></body></html>`,
      'http://x/a.html',
    );
    const summary = summarisePage(page, new StringPool());
    const {
      text: _t,
      tables: _tb,
      links: _l,
      placeholderLinks: _p,
      templateLinks: _tl,
      warnings: _w,
      ...kept
    } = page;
    const {
      pager: _pg,
      siteName: _sn,
      siteIdCode: _sc,
      footerSiteIdCode: _fc,
      columnSource: _cs,
      ...facts
    } = kept;
    expect(summary).toEqual(facts);
    expect('text' in summary).toBe(false);
  });
});
