import { describe, expect, it } from 'vitest';
import { columnFreshness } from '../../src/checks/column-freshness.js';
import { evidence, runCheck, listPage } from '../helpers/evidence.js';

describe('column-freshness', () => {
  it('passes fresh columns of each class', () => {
    const ev = evidence({
      pages: {
        '/': listPage('首页', []),
        '/gzdt/': listPage('工作动态', [{ title: '召开会议', date: '2026-11-20' }]),
        '/tzgg/': listPage('通知公告', [{ title: '公告', date: '2026-07-01' }]),
        '/ghjh/': listPage('规划计划', [{ title: '计划', date: '2026-01-05' }]),
      },
    });
    expect(runCheck(columnFreshness, ev)).toEqual([]);
  });

  it('flags stale news and notice columns against their own limits', () => {
    const ev = evidence({
      pages: {
        '/czdt/': listPage('财政动态', [
          { title: '旧动态', date: '2026-10-30' },
          { title: '更旧', date: '2026-09-01' },
        ]),
        '/tzgg/': listPage('通知公告', [{ title: '旧公告', date: '2026-05-08' }]),
      },
    });
    const found = runCheck(columnFreshness, ev);
    expect(found.map((f) => [f.kind, f.message])).toEqual([
      ['news', '栏目「财政动态」已 25 天未更新（超过 14 天）'],
      ['notice', '栏目「通知公告」已 200 天未更新（超过 180 天）'],
    ]);
    expect(found[0]!.evidence).toBe('最新信息：「旧动态」，发布日期 2026-10-30');
  });

  it('counts an undated column as not updated', () => {
    const ev = evidence({
      pages: { '/zcwj/': listPage('政策文件', [{ title: '关于印发办法的通知' }, { title: '实施细则' }]) },
    });
    expect(runCheck(columnFreshness, ev)).toEqual([
      expect.objectContaining({
        kind: 'notice',
        message: '栏目「政策文件」的信息未标注发布日期，视为未更新',
      }),
    ]);
  });

  it('merges pager pages: the newest item on any page counts', () => {
    const ev = evidence({
      pages: {
        '/yjs/index.html': listPage('预决算公开', [{ title: '新', date: '2026-11-01', href: './t1.html' }]),
        '/yjs/index_1.html': listPage('预决算公开', [{ title: '旧', date: '2024-01-01', href: './t2.html' }]),
      },
    });
    expect(runCheck(columnFreshness, ev)).toEqual([]);
    expect(ev.columns).toHaveLength(1);
    expect(ev.columns[0]!.items).toHaveLength(2);
  });

  it('leaves exempt columns and titles with years alone', () => {
    const ev = evidence({
      pages: { '/zn/': listPage('政府信息公开指南', [{ title: '指南', date: '2020-01-01' }]) },
    });
    expect(runCheck(columnFreshness, ev)).toEqual([]);
  });
});
