import { describe, expect, it } from 'vitest';
import { homepageFreshness } from '../../src/checks/homepage-freshness.js';
import { evidence, runCheck, listPage, ORIGIN } from '../helpers/evidence.js';

const home = (dates: string[]) =>
  listPage(
    '首页',
    dates.map((date, i) => ({ title: `要闻${i}`, date, href: `/ywdt/art_${i}.html` })),
  );

describe('homepage-freshness', () => {
  it('passes a home page with an item from last week', () => {
    expect(
      runCheck(homepageFreshness, evidence({ pages: { '/': home(['2026-11-18', '2026-10-01']) } })),
    ).toEqual([]);
  });

  it('vetoes a home page whose newest item is 14 days old or more', () => {
    const found = runCheck(
      homepageFreshness,
      evidence({ pages: { '/': home(['2026-11-10', '2026-09-01']) } }),
    );
    expect(found).toEqual([
      expect.objectContaining({
        outcome: 'fail',
        kind: 'stale',
        message: '首页已 14 天未更新（超过 14 天）',
      }),
    ]);
  });

  it('warns between the early-warning and the veto line', () => {
    expect(runCheck(homepageFreshness, evidence({ pages: { '/': home(['2026-11-13']) } }))).toEqual([
      expect.objectContaining({ outcome: 'warn', kind: 'early-warning' }),
    ]);
  });

  it('ignores a future date when finding the newest item', () => {
    const found = runCheck(
      homepageFreshness,
      evidence({ pages: { '/': home(['2027-01-01', '2026-10-01']) } }),
    );
    expect(found[0]).toMatchObject({ kind: 'stale', evidence: expect.stringContaining('2026-10-01') });
  });

  it('falls back to second-level pages when the home page is only navigation', () => {
    const nav =
      '<html><head><title>门户</title></head><body><a href="/a/">政务公开</a><a href="/b/">办事服务</a></body></html>';
    const ev = evidence({
      pages: {
        '/': nav,
        '/a/': listPage('政务动态', [{ title: '新动态', date: '2026-11-20', href: './x.html' }]),
      },
    });
    ev.resources.find((r) => r.url === `${ORIGIN}/a/`)!.depth = 1;
    expect(runCheck(homepageFreshness, ev)).toEqual([]);
  });
});
