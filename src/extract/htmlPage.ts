import * as cheerio from 'cheerio';
import type { AnyNode, Element } from 'domhandler';
import { normaliseUrl } from '../crawl/urls.js';
import { collectLinks } from '../crawl/discoverLinks.js';
import { findDates, firstDate } from './dates.js';
import {
  belowTitleDate,
  isUpdateLabel,
  labelledPubDate,
  singleDates,
  sourceLineDate,
  urlPubDate,
  type PubDate,
} from './pageDates.js';
import { findPager, hanwebRecordsFromXml, isDatastoreXml, type PagerInfo } from './pager.js';
import { visibleText } from './visibleText.js';
import { writtenDate } from './writtenDate.js';
import { clientRedirect, isStubText } from './clientRedirect.js';
import { htmlSegments, segmentsOf } from './formats/html.js';
import type { TextSegment } from './formats/types.js';

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

export type { PubDate } from './pageDates.js';

export interface PageFacts {
  url: string;
  title: string;
  meta: Record<string, string>;
  /** meta SiteName, else the site part of <title>. */
  siteName?: string;
  /** meta SiteIDCode (undefined when the tag is absent or empty; see `meta.siteidcode`). */
  siteIdCode?: string;
  /** 网站标识码 as printed on the page (footer). */
  footerSiteIdCode?: string;
  /** sitecode="…" of the 纠错 (jiucuo.js) script tag. */
  jiucuoSiteCode?: string;
  columnName?: string;
  /** "meta ColumnName" | "面包屑" */
  columnSource?: string;
  /** 当前位置 items, home first ([] when the page shows none). */
  breadcrumb: string[];
  isArticle: boolean;
  pubDate?: PubDate;
  /** 成文日期 from the page's metadata block (articles only). */
  writtenDate?: PubDate;
  /** Where a stub page forwards its visitors (meta refresh or a script), absolute. */
  redirectTo?: string;
  links: PageLink[];
  /** Placeholder and script hrefs seen (never requested, never dead links). */
  placeholderLinks: number;
  /** Link attributes (href, src, ng-href …) holding unrendered template placeholders ({{…}}, ${…}). */
  templateLinks: number;
  pager?: PagerInfo;
  /** Items of the page's main list (column pages). */
  listItems: ListItem[];
  hasList: boolean;
  /** Every link on the page with a date beside it (all lists, any page kind), in page order. */
  datedItems: ListItem[];
  blankMarker: boolean;
  text: string;
  tables: TableRow[][];
  /** What looked wrong or could not be read (Chinese, for people). */
  warnings: string[];
}

const BLANK_MARKERS = /暂无(信息|数据|内容|记录|相关信息)|栏目(正在)?建设中|正在建设中|内容更新中/;
const LIST_CLASS = /(^|[\s_-])(list|lb|news|article|wzlb|xxgk|info)([\s_-]|$)/i;
const CHROME = 'header, nav, footer, .nav, .header, .footer, #nav, #header, #footer, .menu, .top, .bottom';
const TEMPLATE_HREF = /\{\{|\}\}|\$\{|<%|%>|\[\[/;
/** Anchors that are navigation, never list items. */
const NAV_ANCHOR =
  /^[\s[【(（]*(更多|more|首页|网站首页|上一页|下一页|上页|下页|尾页|末页|前页|后页|返回|打印|关闭|\d+|>+|<+|»|«)[\s\]】)）>]*$/i;
const SITE_ID = /((?:bm|BM)\d{8}|\d{10})(?![\dA-Za-z])/;

// ---------------------------------------------------------------- small helpers

function squash(s: string): string {
  return s.replace(/[\s\u00a0\u3000]+/g, ' ').trim();
}

function metaMap($: cheerio.CheerioAPI): { meta: Record<string, string>; names: Record<string, string> } {
  const meta: Record<string, string> = {};
  const names: Record<string, string> = {};
  $('meta[name], meta[property]').each((_, el) => {
    const original = ($(el).attr('name') ?? $(el).attr('property'))?.trim();
    const name = original?.toLowerCase();
    if (name && original && !(name in meta)) {
      meta[name] = ($(el).attr('content') ?? '').trim();
      names[name] = original;
    }
  });
  return { meta, names };
}

const LINK_ATTR =
  /^(?:href|src|ng-href|ng-src|data-href|data-src|v-bind:href|:href|v-bind:src|:src|xlink:href|ng-attr-xlink:href)$/i;

/** Link attributes still holding template placeholders ({{x.docId}}): none is ever requested. */
function templateLinkCount($: cheerio.CheerioAPI): number {
  let n = 0;
  $('a, area, iframe, frame, img, image, link, script, source, embed').each((_, el) => {
    const attrs = (el as Element).attribs ?? {};
    if (Object.entries(attrs).some(([k, v]) => LINK_ATTR.test(k) && TEMPLATE_HREF.test(v))) n++;
  });
  return n;
}

/** 网站标识码 as printed on the page (often after a U+3000 space). */
export function footerSiteIdCode(text: string): string | undefined {
  return SITE_ID.exec(
    /(?:政府)?网站标识码[\s\u3000\u00a0]*[:：]?[\s\u3000\u00a0]*(\S{0,14})/.exec(text)?.[1] ?? '',
  )?.[1];
}

// ---------------------------------------------------------------- Hanweb records

/** Put the CDATA records of Hanweb datastores into the DOM where the list renders. */
function expandHanwebRecords($: cheerio.CheerioAPI): void {
  $('script').each((_, s) => {
    const xml = $(s).text();
    if (!/<datastore[\s>]/i.test(xml)) return;
    const records = hanwebRecordsFromXml(xml);
    if (!records.length) return;
    const body = records.join('\n');
    const wrapped = /^\s*<tr[\s>]/i.test(records[0]!)
      ? `<table class="xuncha-datastore"><tbody>${body}</tbody></table>`
      : /^\s*<li[\s>]/i.test(records[0]!)
        ? `<ul class="xuncha-datastore">${body}</ul>`
        : `<div class="xuncha-datastore">${records.map((r) => `<div>${r}</div>`).join('')}</div>`;
    $(s).after(wrapped);
  });
}

// ---------------------------------------------------------------- list items

interface ItemCandidate {
  el: Element;
  item: ListItem;
  /** Sibling nodes the date was read from (a list of links separated by <br>, a <dt>'s <dd>). */
  beside?: AnyNode[];
}

function anchorTitle($: cheerio.CheerioAPI, a: Element): string {
  return squash($(a).attr('title') || $(a).text());
}

function isItemAnchor($: cheerio.CheerioAPI, a: Element): boolean {
  const t = anchorTitle($, a);
  return t.length >= 1 && !NAV_ANCHOR.test(t);
}

/** Column of a table whose header names the publication date (发布日期 over 成文日期). */
const dateColumnCache = new WeakMap<Element, number | null>();
function dateColumn($: cheerio.CheerioAPI, table: Element): number | undefined {
  const cached = dateColumnCache.get(table);
  if (cached !== undefined) return cached ?? undefined;
  const header = $(table).find('tr').first().children('th, td').toArray();
  const names = header.map((c) => squash($(c).text()));
  let col = names.findIndex((t) => /^(发布|公开|发文)(日期|时间)$/.test(t));
  if (col < 0) col = names.findIndex((t) => /^(日期|时间|发布)$/.test(t));
  dateColumnCache.set(table, col >= 0 ? col : null);
  return col >= 0 ? col : undefined;
}

/** The date of an item element, read outside its links (a title "2025年工作要点" is no date). */
function itemDate($: cheerio.CheerioAPI, el: Element): string | undefined {
  if (el.tagName === 'tr') {
    const table = $(el).closest('table')[0] as Element | undefined;
    const col = table ? dateColumn($, table) : undefined;
    const cell = col !== undefined ? $(el).children('td, th').eq(col) : undefined;
    const d = cell?.length ? singleDates(squash(cell.text()))[0] : undefined;
    if (d) return d.iso;
  }
  const rest = $(el).clone();
  rest.find('a, script, style').remove();
  const text = squash(rest.text());
  if (text.length > 160) return undefined;
  // "（2019年4月3日修订）" after a cited law is the law's history, not an item date.
  const dates = singleDates(text).filter(
    (d) => !LAW_HISTORY.test(text.slice(d.index + d.text.length, d.index + d.text.length + 8)),
  );
  return labelledPubDate(text)?.date ?? dates[0]?.iso;
}

const LAW_HISTORY =
  /^\s*(?:起)?\s*(?:第[一二三四五六七八九十\d]+次)?(?:施行|修订|修正|通过|公布|颁布|实施|生效|印发)/;

/** A date written inside the link itself, in its own element: <a><span>标题</span><em>2024-01-02</em></a>. */
function dateInsideAnchor($: cheerio.CheerioAPI, a: Element): { date: string; title: string } | undefined {
  for (const child of $(a).find('*').toArray()) {
    const t = squash($(child).text());
    if (!/^[[【(（]?\s*(?:19|20)\d{2}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}\s*日?\s*[\]】)）]?$/.test(t))
      continue;
    const date = firstDate(t);
    if (!date) continue;
    const rest = $(a).clone();
    rest
      .find('*')
      .filter((_, c) => squash($(c).text()) === t)
      .remove();
    return { date, title: squash($(a).attr('title') || rest.text()) };
  }
  // The date at the end of the link's own text: "关于春耕的通知 2024-03-12", "…通知（2024/03/10）".
  const text = squash($(a).text());
  const tail = TRAILING_DATE.exec(text);
  const date = tail && tail.index >= 4 ? firstDate(tail[1]) : undefined;
  if (date) return { date, title: squash($(a).attr('title') || text.slice(0, tail!.index)) };
  return undefined;
}

const TRAILING_DATE =
  /[\s[【(（]*((?:19|20)\d{2}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}\s*日?)(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?[\s\]】)）]*$/;

function toItem($: cheerio.CheerioAPI, a: Element, base: string, date?: string, title?: string): ListItem {
  const url = normaliseUrl($(a).attr('href') ?? '', base);
  return {
    title: title ?? anchorTitle($, a),
    ...(url ? { url } : {}),
    ...(date ? { date } : {}),
  };
}

/**
 * Every link with a date beside it: from the link, climb at most four levels until an ancestor holds
 * a date outside its links, stopping where another item link joins (that ancestor is the list).
 */
function datedCandidates($: cheerio.CheerioAPI, base: string): ItemCandidate[] {
  const out: ItemCandidate[] = [];
  const seen = new Set<Element>();
  for (const a of $('a').toArray()) {
    if (!isItemAnchor($, a) || $(a).closest(CHROME).length) continue;
    if (!normaliseUrl($(a).attr('href') ?? '', base)) continue;
    const inside = dateInsideAnchor($, a);
    if (inside) {
      if (!seen.has(a)) out.push({ el: a, item: toItem($, a, base, inside.date, inside.title) });
      seen.add(a);
      continue;
    }
    const titleLen = anchorTitle($, a).length;
    let cur: Element = a;
    for (let depth = 0; depth < 4; depth++) {
      const el = cur.parent;
      if (!el || el.type !== 'tag') break;
      const top = /^(body|html)$/.test((el as Element).tagName);
      const others = $(el)
        .find('a')
        .toArray()
        .filter((o) => o !== a && isItemAnchor($, o));
      // Another item link here: this is the list, not an item. A longer one claims the item.
      if (
        top ||
        others.some((o) => anchorTitle($, o).length >= 4 && anchorTitle($, o).length >= titleLen) ||
        others.length > 2
      ) {
        // Items as fragments of one container: "<a>…</a> 2024-03-12<br>", "<dt><a>…</a></dt><dd>日期</dd>".
        const beside = others.length ? siblingDate($, cur) : undefined;
        if (beside && !seen.has(cur)) {
          out.push({ el: cur, item: toItem($, a, base, beside.date), beside: beside.nodes });
          seen.add(cur);
        }
        break;
      }
      const date = itemDate($, el as Element);
      if (date) {
        if (!seen.has(el as Element)) out.push({ el: el as Element, item: toItem($, a, base, date) });
        seen.add(el as Element);
        break;
      }
      cur = el as Element;
    }
  }
  return out;
}

const INLINE = /^(span|font|i|em|small|b|strong|label|time|dd|td|div|p|cite|ins|sub|sup)$/;

/**
 * A date written just after an item (or, failing that, just before it) among its siblings, up to the
 * next link, line break or sibling holding a link: "<a>标题</a> (2024-03-12)<br>". Only a date with
 * nothing but brackets and a 发布日期-like label around it: "（2019年4月3日修订）" is no item date.
 */
function siblingDate($: cheerio.CheerioAPI, el: Element): { date: string; nodes: AnyNode[] } | undefined {
  const read = (step: (n: AnyNode) => AnyNode | null): { date: string; nodes: AnyNode[] } | undefined => {
    const nodes: AnyNode[] = [];
    let text = '';
    for (let n = step(el); n; n = step(n)) {
      if (n.type === 'tag') {
        const t = n as Element;
        if (t.tagName === 'a' || t.tagName === 'br' || !INLINE.test(t.tagName) || $(t).find('a').length)
          break;
        text += ` ${$(t).text()}`;
      } else if (n.type === 'text') text += (n as unknown as { data: string }).data;
      else continue;
      nodes.push(n);
      if (text.length > 60) return undefined;
    }
    const d = singleDates(text)[0];
    if (!d) return undefined;
    const rest = text
      .replace(d.text, '')
      .replace(/\d{1,2}[:：]\d{2}(?::\d{2})?/, '')
      .replace(/发布|公开|更新|日期|时间/g, '')
      .replace(/[\s\p{P}\p{S}]/gu, '');
    return rest ? undefined : { date: d.iso, nodes };
  };
  return read((n) => n.nextSibling as AnyNode | null) ?? read((n) => n.prev as AnyNode | null);
}

/** An item from one child of a list container: its longest link, and the date beside it. */
function itemOf($: cheerio.CheerioAPI, el: Element, base: string): ListItem | undefined {
  const anchors = ($(el).is('a') ? [el] : $(el).find('a').toArray()).filter((a) => isItemAnchor($, a));
  const a = anchors.sort((x, y) => anchorTitle($, y).length - anchorTitle($, x).length)[0];
  if (!a) return undefined;
  const inside = dateInsideAnchor($, a);
  if (inside) return toItem($, a, base, inside.date, inside.title);
  const date = ($(el).is('a') ? undefined : itemDate($, el)) ?? siblingDate($, el)?.date;
  return toItem($, a, base, date);
}

function itemsOf($: cheerio.CheerioAPI, container: Element, base: string): ListItem[] {
  return $(container)
    .children()
    .toArray()
    .filter((c) => c.type === 'tag' && !/^(script|style|th|thead)$/.test(c.tagName))
    .map((c) => itemOf($, c, base))
    .filter((i): i is ListItem => i !== undefined);
}

/**
 * The rows of the page's lists: dated candidates that are list elements (li, tr, dd, dt) or that
 * share their parent with another one. A lone dated line ("发布时间：… 来源：<a>…</a>") is the page's own.
 */
function listRows(candidates: ItemCandidate[]): Set<AnyNode> {
  const perParent = new Map<AnyNode | null, number>();
  for (const c of candidates) perParent.set(c.el.parent, (perParent.get(c.el.parent) ?? 0) + 1);
  return new Set(
    candidates
      .filter((c) => /^(li|tr|dd|dt)$/.test(c.el.tagName) || (perParent.get(c.el.parent) ?? 0) >= 2)
      .flatMap((c) => [c.el, ...(c.beside ?? [])]),
  );
}

/** An item element climbed out of wrappers that hold nothing else: <div><a>标题 2024-03-12</a></div>. */
function rowOf(el: Element): Element {
  let row = el;
  while (
    row.parent?.type === 'tag' &&
    !/^(li|tr|td|th|dt|dd)$/.test(row.tagName) &&
    !/^(body|html|ul|ol|dl|table|tbody|thead)$/.test((row.parent as Element).tagName) &&
    (row.parent as Element).children.filter((c) => c.type === 'tag').length === 1
  )
    row = row.parent as Element;
  return row;
}

/** The page's main list: the container with most dated items, else a list-classed container. */
function mainList(
  $: cheerio.CheerioAPI,
  base: string,
  candidates: ItemCandidate[],
): { items: ListItem[]; found: boolean; dated: number } {
  const byParent = new Map<AnyNode, number>();
  for (const c of candidates) {
    const parent = rowOf(c.el).parent;
    if (parent) byParent.set(parent, (byParent.get(parent) ?? 0) + 1);
  }
  let best: AnyNode | undefined;
  for (const [parent, n] of byParent) if (!best || n > byParent.get(best)!) best = parent;
  if (best && best.type === 'tag') {
    const items = itemsOf($, best as Element, base);
    return { items, found: true, dated: items.filter((i) => i.date).length };
  }
  for (const el of $('ul, ol, tbody, table, dl').toArray()) {
    if ($(el).closest(CHROME).length || !LIST_CLASS.test($(el).attr('class') ?? '')) continue;
    return {
      items: itemsOf($, el.tagName === 'table' ? ($(el).children('tbody')[0] ?? el) : el, base),
      found: true,
      dated: 0,
    };
  }
  return { items: [], found: false, dated: 0 };
}

// ---------------------------------------------------------------- breadcrumb and column

const CRUMB_LABEL =
  /^\s*(当前位置|您的位置|你的位置|您现在的位置(?:是)?|你现在的位置|所在位置|当前的位置|位置)\s*[:：]?\s*/;
const CRUMB_CLASS =
  /bread|crumb|position|locat|loca\b|c_loca|dqwz|curpos|currentpos|mm_current|nav-?path|mbx|weizhi/i;
const NOT_COLUMN = /^(正文|详情|内容|正文内容|文章|阅读|浏览|文章内容|详细内容|信息内容)$/;

const SEP_ONLY = /^[\s>›»＞→/|｜-]*$/;
const LEADING_SEP = /^\s*(?:>>|->|>|›|»|＞|→|\/|\||｜)\s*/;

/**
 * Breadcrumb items of one element: its links in order while only separators stand between them,
 * then the current page's plain-text name when a separator introduces it ("首页 > 要闻 > 山西要闻").
 */
function crumbItems($: cheerio.CheerioAPI, el: Element): string[] {
  const tokens: { link: boolean; text: string }[] = [];
  const walk = (node: AnyNode): void => {
    if (node.type === 'text') {
      const t = (node as unknown as { data: string }).data.replace(/&gt;/g, '>');
      const last = tokens[tokens.length - 1];
      if (last && !last.link) last.text += t;
      else tokens.push({ link: false, text: t });
      return;
    }
    if (node.type !== 'tag') return;
    const e = node as Element;
    if (/^(script|style)$/.test(e.tagName)) return;
    if (e.tagName === 'a') {
      tokens.push({ link: true, text: squash($(e).attr('title') || $(e).text()) });
      return;
    }
    for (const c of e.children) walk(c);
  };
  walk(el);
  const items: string[] = [];
  let pendingText = '';
  for (const t of tokens) {
    if (!t.link) {
      pendingText += t.text;
      continue;
    }
    // Only separators may stand between crumbs; a menu's links (no separator at all) are no breadcrumb.
    if (items.length && !(SEP_ONLY.test(pendingText) && /[>›»＞→/|｜-]/.test(pendingText))) return items;
    if (t.text) items.push(t.text);
    pendingText = '';
  }
  const tail = squash(pendingText.replace(/&gt;/g, '>'));
  if (items.length && LEADING_SEP.test(tail)) {
    const name = tail
      .replace(LEADING_SEP, '')
      .split(/\s*(?:>>|->|>|›|»|＞|→|\||｜)\s*|\s{2,}/)[0]
      ?.trim();
    if (name && name.length <= 40) items.push(name);
  }
  return items;
}

function breadcrumbOf($: cheerio.CheerioAPI, siteName: string | undefined, text: string): string[] {
  // Breadcrumbs are small elements around links: climb from every link while the text stays short.
  const elements = new Set<Element>();
  for (const a of $('a').toArray()) {
    let el = a.parent;
    for (let up = 0; el && el.type === 'tag' && up < 5; up++, el = el.parent) {
      if (elements.has(el as Element)) continue;
      if ($(el).text().length > 600) break;
      elements.add(el as Element);
    }
  }
  const candidates: { items: string[]; size: number; strong: boolean }[] = [];
  for (const el of elements) {
    const clone = $(el).clone();
    clone.find('script, style').remove();
    const text = squash(clone.text());
    if (text.length > 300) continue;
    const items = crumbItems($, el);
    if (items.length < 2) continue;
    const labelled = CRUMB_LABEL.test(text) && /[:：]/.test(text.slice(0, 12));
    const classed = CRUMB_CLASS.test(`${$(el).attr('class') ?? ''} ${$(el).attr('id') ?? ''}`);
    const trs = $(el).find('a.CurrChnlCls').length >= 2;
    const home = items[0] ?? '';
    const arrows = /(?:>|›|»|＞|→)/.test(text) && (/首页|主页|^home$/i.test(home) || home === siteName);
    if (labelled || classed || trs || arrows)
      candidates.push({ items, size: text.length, strong: labelled || classed || trs });
  }
  const rank = (a: (typeof candidates)[number], b: (typeof candidates)[number]) =>
    b.items.length - a.items.length || a.size - b.size;
  const best = candidates.filter((c) => c.strong).sort(rank)[0] ?? candidates.sort(rank)[0];
  if (best) return best.items.filter((s) => s.length <= 40);
  // A plain-text breadcrumb: "当前位置：首页 > 通知公告".
  const line =
    /(?:^|\n)\s*(?:当前位置|您的位置|您现在的位置|所在位置)\s*[:：]([^\n]{1,200})/.exec(text)?.[1] ?? '';
  const items = line
    .split(/\s*(?:>>|->|>|›|»|＞|→)\s*/)
    .map((x) => squash(x))
    .filter(Boolean);
  return items.length >= 2 ? items.filter((s) => s.length <= 40) : [];
}

function columnFromCrumb(crumb: string[], articleTitle: string | undefined): string | undefined {
  for (let i = crumb.length - 1; i >= 1; i--) {
    const c = crumb[i]!;
    if (
      NOT_COLUMN.test(c) ||
      (articleTitle && (c === articleTitle || articleTitle.startsWith(c.replace(/\.{2,}|…+$/, ''))))
    )
      continue;
    return c;
  }
  return undefined;
}

// ---------------------------------------------------------------- publication date

const META_DATES = [
  'pubdate',
  'publishdate',
  'firstpublishedtime',
  'dc.date',
  'dcterms.created',
  'article:published_time',
];
const STANDARD_META_DATE = /^\d{4}-\d{2}-\d{2}(?: \d{2}:\d{2}(?::\d{2})?)?$/;
// ---------------------------------------------------------------- the page

function articleHeading(meta: Record<string, string>, title: string): string | undefined {
  if (meta.articletitle) return squash(meta.articletitle);
  const parts = title.split(/\s*[_|｜]\s*|\s+-\s+|-(?=[^-]*$)/).map(squash);
  return parts.sort((a, b) => b.length - a.length)[0];
}

function siteNameOf(meta: Record<string, string>, title: string): string | undefined {
  if (meta.sitename) return meta.sitename;
  const parts = title
    .split(/\s*[_|｜]\s*|\s+-\s+|-(?=[^-]*$)/)
    .map(squash)
    .filter(Boolean);
  return parts.length >= 2 ? parts[parts.length - 1] : undefined;
}

export function parseHtmlPage(html: string, url: string): PageFacts {
  // A bare data-proxy response (Hanweb XML) is read as a page holding only its records.
  const source = isDatastoreXml(html)
    ? `<html><head></head><body><script type="text/xml">${html}</script></body></html>`
    : html;
  return pageFactsOf(cheerio.load(source), url);
}

/**
 * The page's facts and its text segments (for the personal-data checks) from one parse. Segments
 * are read first: reading the facts expands Hanweb records into the document.
 */
export function parseHtmlPageWithSegments(
  html: string,
  url: string,
): { page: PageFacts; segments: TextSegment[] } {
  if (isDatastoreXml(html)) return { page: parseHtmlPage(html, url), segments: htmlSegments(html) };
  const $ = cheerio.load(html);
  const segments = segmentsOf($);
  return { page: pageFactsOf($, url), segments };
}

/** Mutates `$`: Hanweb records are appended to the body so they read like list rows. */
function pageFactsOf($: cheerio.CheerioAPI, url: string): PageFacts {
  const warnings: string[] = [];
  const base = normaliseUrl($('base[href]').attr('href') ?? '', url) ?? url;
  const { meta, names } = metaMap($);
  const title = squash($('title').first().text());
  const pager = findPager($, url);
  expandHanwebRecords($);
  const text = visibleText($.root().toArray());
  const { links, placeholders } = collectLinks($, base);
  const templates = templateLinkCount($);

  const candidates = datedCandidates($, base);
  const list = mainList($, base, candidates);
  // One entry per list row: an article shown in two tabs of a portal counts twice, as a reader sees it.
  const datedItems = candidates.map((c) => c.item);

  // Site identification: meta, the printed 网站标识码 (often after a U+3000 space), the 纠错 tag.
  const metaCode = meta.siteidcode || undefined;
  const footerCode = footerSiteIdCode(text);
  const jiucuo = $('[sitecode]').first().attr('sitecode')?.trim() || undefined;
  if ('siteidcode' in meta && !metaCode)
    warnings.push(
      footerCode
        ? `meta SiteIDCode 为空，页脚为 ${footerCode}`
        : 'meta SiteIDCode 为空，页脚也未标注网站标识码',
    );
  else if (metaCode && !SITE_ID.test(metaCode))
    warnings.push(`meta SiteIDCode「${metaCode}」不是有效的网站标识码`);
  if (metaCode && footerCode && metaCode !== footerCode)
    warnings.push(`meta SiteIDCode ${metaCode} 与页脚网站标识码 ${footerCode} 不一致`);
  if (!('siteidcode' in meta) && !footerCode)
    warnings.push('未找到网站标识码（无 meta SiteIDCode，页脚也未标注）');
  const code = metaCode ?? footerCode;
  if (jiucuo && code && jiucuo !== code)
    warnings.push(`纠错代码 sitecode ${jiucuo} 与网站标识码 ${code} 不一致`);

  // Column: the CMS meta, unless a list page's breadcrumb names another column.
  const siteName = siteNameOf(meta, title);
  const heading = articleHeading(meta, title);
  const breadcrumb = breadcrumbOf($, siteName, text);
  const metaArticle = Boolean(meta.articletitle || meta.pubdate || meta.firstpublishedtime);
  const crumbColumn = columnFromCrumb(breadcrumb, metaArticle ? heading : undefined);
  let columnName = meta.columnname || undefined;
  let columnSource = columnName ? `meta ${names.columnname}` : undefined;
  if (crumbColumn && (!columnName || (!metaArticle && !breadcrumb.includes(columnName)))) {
    columnName = crumbColumn;
    columnSource = '面包屑';
  }

  // Publication date: meta first, then the labelled date, then the source line, then under the title.
  let metaDate: PubDate | undefined;
  for (const key of META_DATES) {
    const raw = meta[key];
    const date = firstDate(raw);
    if (!raw || !date) continue;
    metaDate = { date, source: `meta ${names[key]}`, raw };
    if (!STANDARD_META_DATE.test(raw))
      warnings.push(`meta ${names[key]}「${raw}」不是标准格式（应为 YYYY-MM-DD hh:mm），已按 ${date} 读取`);
    break;
  }
  // The page's own dates are read outside its list rows: a row's 发布时间 is the row's, not the page's.
  const rows = listRows(candidates);
  const ownText = rows.size ? visibleText($.root().toArray(), rows) : text;
  const labelled = labelledPubDate(ownText);
  if (metaDate && labelled && labelled.date !== metaDate.date)
    warnings.push(`${metaDate.source}（${metaDate.date}）与${labelled.source}（${labelled.date}）不一致`);
  const listLike = list.dated >= 3;
  const unlabelled = listLike ? undefined : (sourceLineDate(ownText) ?? belowTitleDate(ownText, heading));
  const linkChars = $('a')
    .toArray()
    .reduce((n, a) => n + squash($(a).text()).length, 0);
  // Without meta, an article is a page with a date of its own (not a list row's, not a CMS entry or
  // update time) and a body of text.
  const ownDate = (labelled && !isUpdateLabel(labelled)) || unlabelled;
  const isArticle = metaArticle || (Boolean(ownDate) && !listLike && squash(text).length - linkChars >= 200);
  // Labelled dates count on any page; unlabelled ones on articles; the URL's date last, never on a list.
  const fromUrl = metaDate || labelled || (isArticle && unlabelled) || listLike ? undefined : urlPubDate(url);
  const pubDate = metaDate ?? labelled ?? (isArticle ? unlabelled : undefined) ?? fromUrl;
  if (fromUrl) warnings.push(`页面未标注发布日期，按网址中的日期 ${fromUrl.raw} 读取为 ${fromUrl.date}`);
  else if (isArticle && !pubDate) warnings.push('未找到发布日期');
  const written = writtenDate(ownText);
  // Only a stub is "really" its target: a full page with a conditional mobile redirect is itself.
  const redirectTo = isStubText(text) ? normaliseUrl(clientRedirect($) ?? '', base) : undefined;

  if (templates) warnings.push(`${templates} 个模板占位链接未请求`);
  if (pager?.note) warnings.push(pager.note);
  if (pager?.truncated) warnings.push(`分页共 ${pager.pageCount} 页，只列出前 ${pager.urls.length} 个地址`);

  return {
    url,
    title,
    meta,
    ...(siteName ? { siteName } : {}),
    siteIdCode: metaCode,
    footerSiteIdCode: footerCode,
    ...(jiucuo ? { jiucuoSiteCode: jiucuo } : {}),
    columnName,
    ...(columnSource ? { columnSource } : {}),
    breadcrumb,
    isArticle,
    pubDate,
    ...(written ? { writtenDate: written } : {}),
    ...(redirectTo ? { redirectTo } : {}),
    links,
    placeholderLinks: placeholders,
    templateLinks: templates,
    pager,
    listItems: isArticle ? [] : list.items,
    hasList: !isArticle && list.found,
    datedItems,
    blankMarker: BLANK_MARKERS.test(text),
    text,
    tables: tablesOf($, base),
    warnings,
  };
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

export { findDates };
