import type { PublishedCatalogue, PublishedCatalogueRow } from '../../src/extract/catalogue/types.js';

/** A published catalogue row with all eight elements, overridable. */
export function row(
  first: string,
  second: string,
  extra: Partial<PublishedCatalogueRow> = {},
): PublishedCatalogueRow {
  return {
    first,
    second,
    content: '公开内容',
    basis: '《社会救助暂行办法》',
    timeLimit: { text: '信息形成或者变更之日起20个工作日内', workdays: 20, kind: 'workdays' },
    subject: '县民政局',
    channels: ['政府网站'],
    audience: ['全社会'],
    mode: ['主动'],
    levels: ['县级'],
    links: [],
    problems: [],
    location: `第${second.length}行`,
    ...extra,
  };
}

export function published(domain: string, rows: PublishedCatalogueRow[], title?: string): PublishedCatalogue {
  return {
    domain,
    title: title ?? `示范区${domain}领域基层政务公开标准目录`,
    format: 'html',
    rows: rows.map((r, i) => ({ ...r, location: `表1第${i + 2}行` })),
    problems: [],
  };
}
