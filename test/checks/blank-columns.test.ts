import { describe, expect, it } from 'vitest';
import { blankColumns } from '../../src/checks/blank-columns.js';
import { evidence, runCheck, listPage } from '../helpers/evidence.js';

describe('blank-columns', () => {
  it('passes a column with items', () => {
    const ev = evidence({ pages: { '/gzdt/': listPage('工作动态', [{ title: 'a', date: '2026-11-01' }]) } });
    expect(runCheck(blankColumns, ev)).toEqual([]);
  });

  it('flags a column with an empty list and the 暂无信息 marker', () => {
    const ev = evidence({ pages: { '/ghjh/': listPage('规划计划', [], '<p class="empty">暂无信息</p>') } });
    expect(runCheck(blankColumns, ev)).toEqual([
      expect.objectContaining({
        kind: 'blank',
        message: '栏目「规划计划」没有任何信息（空白栏目）',
        evidence: '页面显示「暂无信息」',
      }),
    ]);
  });

  it('does not treat the home page, articles or the 专栏 index as columns', () => {
    const article =
      '<html><head><meta name="ArticleTitle" content="x"><meta name="PubDate" content="2026-11-01"></head><body><p>正文</p></body></html>';
    const ev = evidence({ pages: { '/': listPage('首页', []), '/a/art.html': article } });
    expect(runCheck(blankColumns, ev)).toEqual([]);
  });
});
