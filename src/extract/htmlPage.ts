import * as cheerio from 'cheerio';
import type { Element } from 'domhandler';
import { normaliseUrl, isPlaceholderHref } from '../crawl/urls.js';
import { findDates, firstDate } from './dates.js';
import { detectPager, type PagerInfo } from './pager.js';
import { visibleText } from './visibleText.js';

/**
 * What the crawler and the checks understand of one HTML page. The crawl stage uses `links` and
 * `pager`; checks use the rest. Pure function of (html, url).
 */
export interface PageLink {
  url: string;
  anchor: string;
  tag: string;
}

export interface ListItem {
  title: string;
  url?: string;
  date?: string;
}

export interface TableRow {
  cells: string[];
  links: PageLink[];
}

export interface PageFacts {
  url: string;
  title: string;
  meta: Record<string, string>;
  siteIdCode?: string;
  footerSiteIdCode?: string;
  columnName?: string;
  isArticle: boolean;
  pubDate?: { date: string; source: string };
  links: PageLink[];
  /** Placeholder hrefs seen (never requested, never dead links). */
  placeholderLinks: number;
  pager?: PagerInfo;
  /** Items of the page's main list (column pages). */
  listItems: ListItem[];
  hasList: boolean;
  blankMarker: boolean;
  text: string;
  tables: TableRow[][];
}

const BLANK_MARKERS = /暂无(信息|数据|内容|记录|相关信息)|栏目(正在)?建设中|正在建设中|内容更新中/;
const LIST_CLASS = /(^|[\s_-])(list|lb|news|article|wzlb|xxgk|info)([\s_-]|$)/i;
const CHROME = 'header, nav, footer, .nav, .header, .footer, #nav, #header, #footer, .menu, .top, .bottom';

function metaMap($: cheerio.CheerioAPI): Record<string, string> {
  const meta: Record<string, string> = {};
  $('meta[name]').each((_, el) => {
    const name = $(el).attr('name')?.trim().toLowerCase();
    if (name && !(name in meta)) meta[name] = ($(el).attr('content') ?? '').trim();
  });
  return meta;
}

function collectLinks($: cheerio.CheerioAPI, base: string): { links: PageLink[]; placeholders: number } {
  const links: PageLink[] = [];
  let placeholders = 0;
  $('a[href], area[href], iframe[src], frame[src]').each((_, el) => {
    const raw = $(el).attr('href') ?? $(el).attr('src') ?? '';
    if (isPlaceholderHref(raw)) placeholders++;
    const url = normaliseUrl(raw, base);
    if (!url) return;
    const anchor = ($(el).text() || $(el).attr('title') || '').replace(/\s+/g, ' ').trim().slice(0, 200);
    links.push({ url, anchor, tag: el.tagName.toLowerCase() });
  });
  return { links, placeholders };
}

function itemOf($: cheerio.CheerioAPI, el: Element, base: string): ListItem | undefined {
  const a = $(el).find('a[href]').first();
  if (!a.length) return undefined;
  const title = (a.attr('title') || a.text()).replace(/\s+/g, ' ').trim();
  if (!title) return undefined;
  // The date sits beside the link, not inside its title ("2025年工作要点" is no date).
  const rest = $(el).clone();
  rest.find('a').remove();
  const date = firstDate(rest.text());
  const url = normaliseUrl(a.attr('href') ?? '', base);
  return { title, ...(url ? { url } : {}), ...(date ? { date } : {}) };
}

function listContainers($: cheerio.CheerioAPI): Element[] {
  return $('ul, ol, tbody, table, dl, div')
    .toArray()
    .filter((el) => $(el).closest(CHROME).length === 0);
}

function itemsOf($: cheerio.CheerioAPI, container: Element, base: string): ListItem[] {
  return $(container)
    .children('li, tr, dd, div, p')
    .toArray()
    .map((el) => itemOf($, el, base))
    .filter((i): i is ListItem => i !== undefined);
}

/** The page's main list: the container with most dated items, else a list-classed container. */
function mainList($: cheerio.CheerioAPI, base: string): { items: ListItem[]; found: boolean } {
  let best: ListItem[] = [];
  let hinted: { items: ListItem[]; found: boolean } | undefined;
  for (const el of listContainers($)) {
    const items = itemsOf($, el, base);
    const dated = items.filter((i) => i.date).length;
    if (dated >= 1 && dated > best.filter((i) => i.date).length) best = items;
    if (!hinted && LIST_CLASS.test($(el).attr('class') ?? '') && /^(ul|ol|table|tbody|dl)$/.test(el.tagName))
      hinted = { items, found: true };
  }
  if (best.length) return { items: best, found: true };
  return hinted ?? { items: [], found: false };
}

function pubDateOf(meta: Record<string, string>, text: string): PageFacts['pubDate'] {
  for (const key of ['pubdate', 'firstpublishedtime', 'publishdate', 'dc.date']) {
    const date = firstDate(meta[key]);
    if (date) return { date, source: `meta ${key}` };
  }
  const labelled = /(发布日期|发布时间|发文日期|时间)\s*[:：]?\s*([^\n]{0,20})/.exec(text);
  const date = firstDate(labelled?.[2]);
  return date ? { date, source: `正文「${labelled?.[1]}」` } : undefined;
}

function tablesOf($: cheerio.CheerioAPI, base: string): TableRow[][] {
  return $('table')
    .toArray()
    .filter((t) => $(t).find('table').length === 0)
    .map((t) =>
      $(t)
        .find('tr')
        .toArray()
        .map((tr) => ({
          cells: $(tr)
            .children('td, th')
            .toArray()
            .map((c) => $(c).text().replace(/\s+/g, ' ').trim()),
          links: collectLinks(cheerio.load($.html(tr) ?? ''), base).links,
        })),
    );
}

export function parseHtmlPage(html: string, url: string): PageFacts {
  const $ = cheerio.load(html);
  const base = normaliseUrl($('base[href]').attr('href') ?? '', url) ?? url;
  const meta = metaMap($);
  const text = visibleText($.root().toArray());
  const { links, placeholders } = collectLinks($, base);
  const scripts = $('script:not([src])')
    .map((_, s) => $(s).text())
    .get()
    .join('\n');
  const list = mainList($, base);
  const footerId = /网站标识码\s*[:：]?\s*((?:bm)?\d{8,10})/i.exec(text.replace(/[\u3000\s]+/g, ''));
  const breadcrumb = /当前位置\s*[:：]?[^\n]*?([^>\n»›：:]*[\u4e00-\u9fff][^>\n»›：:]*)\s*$/m.exec(text);
  const isArticle = Boolean(meta.articletitle || meta.pubdate || meta.firstpublishedtime);
  return {
    url,
    title: $('title').first().text().trim(),
    meta,
    siteIdCode: meta.siteidcode || undefined,
    footerSiteIdCode: footerId?.[1],
    columnName: meta.columnname || breadcrumb?.[1]?.trim() || undefined,
    isArticle,
    pubDate: isArticle ? pubDateOf(meta, text) : undefined,
    links,
    placeholderLinks: placeholders,
    pager: detectPager(scripts, url),
    listItems: isArticle ? [] : list.items,
    hasList: !isArticle && list.found,
    blankMarker: BLANK_MARKERS.test(text),
    text,
    tables: tablesOf($, base),
  };
}

export { findDates };
