import { z } from 'zod';
import { defineCheck } from './defineCheck.js';
import { daysBetween } from '../extract/dates.js';
import type { ListItem } from '../extract/htmlPage.js';
import type { UnitEvidence } from '../extract/unitEvidence.js';

const options = z
  .object({
    /** Veto V3: no new item on the home page for this many days. */
    maxAgeDays: z.number().int().positive().default(14),
    /** Early warning (vendor practice) before the veto line. */
    warnAgeDays: z.number().int().positive().default(10),
  })
  .strict();

const newest = (items: ListItem[], today: string) =>
  items.filter((i) => i.date && i.date <= today).sort((a, b) => (a.date! < b.date! ? 1 : -1))[0];

/**
 * The home page's dated items; when it is only a navigation entry (no dated item), the indicator
 * looks at the second-level pages instead: the pages it links to directly.
 */
function datedItemsOf(e: UnitEvidence): { items: ListItem[]; where: string } {
  const home = e.pages.filter((p) => e.homeUrls.has(p.url));
  const own = home.flatMap((p) => p.datedItems);
  if (own.length) return { items: own, where: '首页' };
  const secondLevel = new Set(
    e.resources.filter((r) => r.depth === 1 && r.kind === 'page').map((r) => r.url),
  );
  const pages = e.pages.filter((p) => secondLevel.has(p.url));
  const items = pages.flatMap((p) => [
    ...p.datedItems,
    ...(p.pubDate ? [{ title: p.title, url: p.url, date: p.pubDate.date }] : []),
  ]);
  return { items, where: '首页为导航页，按二级页面' };
}

export const homepageFreshness = defineCheck({
  id: 'homepage-freshness',
  title: '首页更新情况',
  failureTitle: '首页长期未更新',
  category: 'update',
  options,
  run(e, { options: o, inspectionDate }) {
    if (!e.pages.some((p) => e.homeUrls.has(p.url))) return [];
    const { items, where } = datedItemsOf(e);
    const latest = newest(items, inspectionDate);
    const url = e.unit.startUrls[0] ?? '';
    if (!latest)
      return [
        {
          outcome: 'fail',
          kind: 'stale',
          message: '首页没有标注日期的信息，视为未更新',
          url,
          location: where,
          evidence: '未找到带发布日期的信息',
        },
      ];
    const age = daysBetween(latest.date!, inspectionDate);
    if (age < o.warnAgeDays) return [];
    const stale = age >= o.maxAgeDays;
    return [
      {
        outcome: stale ? 'fail' : 'warn',
        kind: stale ? 'stale' : 'early-warning',
        message: stale
          ? `首页已 ${age} 天未更新（超过 ${o.maxAgeDays} 天）`
          : `首页已 ${age} 天未更新，接近 ${o.maxAgeDays} 天的否决线`,
        url,
        location: where,
        evidence: `最新信息：「${latest.title}」，发布日期 ${latest.date}`,
      },
    ];
  },
});
