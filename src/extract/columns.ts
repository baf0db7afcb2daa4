import type { ListItem, PageFacts } from './htmlPage.js';

/** What grouping reads of a page (the check stage hands it page summaries). */
type ColumnSource = Pick<
  PageFacts,
  'url' | 'title' | 'columnName' | 'isArticle' | 'meta' | 'hasList' | 'listItems' | 'blankMarker'
>;

/** A 栏目: one or more list pages (its pager pages) with the items they show. */
export interface Column {
  name: string;
  /** URL of the column's first page. */
  url: string;
  pages: string[];
  items: ListItem[];
  blankMarker: boolean;
}

function columnKey(url: string): string {
  const u = new URL(url);
  u.search = '';
  u.pathname = u.pathname.replace(/(index|default)(_\d+)?\.(s?html?|jsp|php|aspx?)$/i, '');
  return u.toString();
}

/** A page that only lists sub-columns (专栏 index) is navigation, not a column of its own. */
function isNavigationList(items: ListItem[]): boolean {
  const toIndexes = items.filter(
    (i) => i.url && /\/$|\/(index|default)\.\w+$/i.test(new URL(i.url).pathname),
  ).length;
  return items.length > 0 && toIndexes / items.length > 0.5 && !items.some((i) => i.date);
}

export function isColumnPage(page: Pick<PageFacts, 'isArticle' | 'meta' | 'hasList' | 'listItems'>): boolean {
  if (page.isArticle) return false;
  return (
    Boolean(page.meta.columnname || page.meta.columntype) ||
    (page.hasList && page.listItems.some((i) => i.date))
  );
}

/** Group a unit's list pages into columns; `exclude` holds the home page and catalogue pages. */
export function groupColumns(pages: readonly ColumnSource[], exclude: Set<string>): Column[] {
  const byKey = new Map<string, Column>();
  for (const page of pages) {
    if (exclude.has(page.url) || !isColumnPage(page) || isNavigationList(page.listItems)) continue;
    const key = columnKey(page.url);
    let col = byKey.get(key);
    if (!col) {
      col = { name: page.columnName ?? page.title, url: page.url, pages: [], items: [], blankMarker: false };
      byKey.set(key, col);
    }
    col.pages.push(page.url);
    if (/\/(index|default)\.\w+$|\/$/.test(new URL(page.url).pathname) && !/_\d+\./.test(page.url))
      col.url = page.url;
    const seen = new Set(col.items.map((i) => i.url ?? i.title));
    for (const item of page.listItems) if (!seen.has(item.url ?? item.title)) col.items.push(item);
    col.blankMarker ||= page.blankMarker && page.listItems.length === 0;
  }
  return [...byKey.values()];
}

export function newestItem(col: Column): ListItem | undefined {
  return col.items
    .filter((i) => i.date)
    .sort((a, b) => (b.date! < a.date! ? -1 : b.date! > a.date! ? 1 : 0))[0];
}
