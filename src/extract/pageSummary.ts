import type { ListItem, PageFacts, PubDate } from './htmlPage.js';
import type { StringPool } from './linkTable.js';

/**
 * What the evidence keeps of every page once it has been read: the facts checks compare across
 * pages. Its text, tables and links are read while the page streams past (a check's `page` step)
 * and are not kept: on a 100,000-page unit they were gigabytes.
 */
export type PageSummary = Pick<
  PageFacts,
  | 'url'
  | 'title'
  | 'meta'
  | 'jiucuoSiteCode'
  | 'columnName'
  | 'breadcrumb'
  | 'isArticle'
  | 'pubDate'
  | 'writtenDate'
  | 'redirectTo'
  | 'listItems'
  | 'hasList'
  | 'datedItems'
  | 'blankMarker'
>;

/** Most pages list nothing (articles): one shared, frozen empty list. */
const NO_ITEMS = Object.freeze([]) as unknown as ListItem[];

/** A page's summary with its strings pooled (`pool` omitted: the page's own strings). */
export function summarisePage(p: PageSummary, pool?: StringPool): PageSummary {
  const s = pool ? (x: string) => pool.intern(x) : (x: string) => x;
  // A dated list item is often the same object in both lists: keep it one object.
  const items = new Map<ListItem, ListItem>();
  const item = (i: ListItem): ListItem => {
    let out = items.get(i);
    if (!out) {
      out = { title: s(i.title) };
      if (i.url !== undefined) out.url = s(i.url);
      if (i.date !== undefined) out.date = s(i.date);
      items.set(i, out);
    }
    return out;
  };
  const date = (d: PubDate): PubDate => ({
    date: s(d.date),
    source: s(d.source),
    ...(d.raw !== undefined ? { raw: s(d.raw) } : {}),
    ...(d.precision !== undefined ? { precision: d.precision } : {}),
  });
  const meta: Record<string, string> = {};
  for (const [k, v] of Object.entries(p.meta)) meta[s(k)] = s(v);
  return {
    url: s(p.url),
    title: s(p.title),
    meta,
    ...(p.jiucuoSiteCode !== undefined ? { jiucuoSiteCode: s(p.jiucuoSiteCode) } : {}),
    ...(p.columnName !== undefined ? { columnName: s(p.columnName) } : {}),
    breadcrumb: pool ? pool.list(p.breadcrumb) : p.breadcrumb.map(s),
    isArticle: p.isArticle,
    ...(p.pubDate ? { pubDate: date(p.pubDate) } : {}),
    ...(p.writtenDate ? { writtenDate: date(p.writtenDate) } : {}),
    ...(p.redirectTo !== undefined ? { redirectTo: s(p.redirectTo) } : {}),
    listItems: p.listItems.length ? p.listItems.map(item) : NO_ITEMS,
    hasList: p.hasList,
    datedItems: p.datedItems.length ? p.datedItems.map(item) : NO_ITEMS,
    blankMarker: p.blankMarker,
  };
}
