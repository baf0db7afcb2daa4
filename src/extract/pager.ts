import type { CheerioAPI } from 'cheerio';
import type { AnyNode, Element } from 'domhandler';

/**
 * CMS list pagers → the URLs of every page of a column. Recognised, in this order:
 *
 * - Hanweb (大汉 jcms) `jpage`: an inline `<script type="text/xml"><datastore>` holding the first
 *   group of records; later groups come from `/module/web/jpage/dataproxy.jsp?startrecord=…`.
 * - TRS `createPageHTML(count, current, "index", "html")` (4 args, pages index.html, index_1.html …)
 *   and `createPageHTML('page_div', count, current, 'list', 'shtml', records)` (6 args, 1-based:
 *   list.shtml, list_2.shtml …).
 * - TRS inline variables `var countPage = 56; var currentPage = 0;`.
 * - A rendered pager: 共N页 / 第1/56页 with 下一页 / 尾页 links.
 * - Plain links to index_N pages of the same folder.
 *
 * `current` is always the 0-based index of the page being read.
 */
export type PagerKind = 'hanweb' | 'trs-createPageHTML' | 'trs-countPage' | 'rendered' | 'links';

export interface PagerInfo {
  kind: PagerKind;
  /** Pages of the column as the pager states it (a lower bound for kind 'links'). */
  pageCount: number;
  current: number;
  /** URLs of the column's pages (for Hanweb: the data-proxy URLs of the records not inline). */
  urls: string[];
  /** What the pager was read from, for evidence. */
  source: string;
  totalRecords?: number;
  /** More pages exist than `urls` lists (maxPages reached). */
  truncated?: boolean;
  /** Why the URLs could not all be derived (Chinese, shown to users). */
  note?: string;
}

const SEP_PAGE = /^(.*?)_(\d+)\.(\w+)$/;
/** Query parameters that number a list's pages: ?page=2, ?pageNo=2, &curpage=3, ?p=4 … */
const PAGE_PARAM =
  /^(?:page|pageno|pagenum|pagenumber|pageindex|pageidx|curpage|currpage|currentpage|cpage|p|pn|pg|pageid)$/i;

/** How one page of a series is addressed: prefix_N.ext in a folder, or a page-number parameter. */
interface PagePattern {
  /** Same key: same series. */
  key: string;
  n: number;
  query: boolean;
  /** The series' first page (index.ext, or the address without the parameter). */
  first: string;
  make(n: number): string;
}

function pagePattern(u: string): PagePattern | undefined {
  let p: URL;
  try {
    p = new URL(u);
  } catch {
    return undefined;
  }
  for (const [k, v] of p.searchParams) {
    if (!PAGE_PARAM.test(k) || !/^\d{1,5}$/.test(v)) continue;
    const first = new URL(p);
    first.searchParams.delete(k);
    return {
      key: `${p.origin}${p.pathname}?${k}`,
      n: Number(v),
      query: true,
      first: first.toString(),
      make: (n) => {
        const x = new URL(p);
        x.searchParams.set(k, String(n));
        return x.toString();
      },
    };
  }
  const m = SEP_PAGE.exec(p.pathname.split('/').pop() ?? '');
  if (!m) return undefined;
  const dir = new URL('.', p).toString();
  const [prefix, ext] = [m[1]!, m[3]!];
  return {
    key: `${dir}${prefix}.${ext}`,
    n: Number(m[2]),
    query: false,
    first: new URL(`${prefix}.${ext}`, dir).toString(),
    make: (n) => new URL(`${prefix}_${n}.${ext}`, dir).toString(),
  };
}

/** The first page, then pages `from`, from+1 … until `count` URLs. */
function patternUrls(p: PagePattern, count: number, from: number): string[] {
  const urls = [p.first];
  for (let n = from; urls.length < count; n++) urls.push(p.make(n));
  return urls;
}

function resolve(href: string, base: string): string | undefined {
  try {
    const u = new URL(href, base);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') return undefined;
    u.hash = '';
    return u.toString();
  } catch {
    return undefined;
  }
}

/** prefix.ext, then prefix_{first}.ext … prefix_{first+count-2}.ext, relative to `base`. */
function seriesUrls(base: string, prefix: string, ext: string, count: number, first: number): string[] {
  const urls = [new URL(`${prefix}.${ext}`, base).toString()];
  for (let i = 0; urls.length < count; i++)
    urls.push(new URL(`${prefix}_${first + i}.${ext}`, base).toString());
  return urls;
}

function capped(info: Omit<PagerInfo, 'urls' | 'truncated'>, urls: string[], maxPages: number): PagerInfo {
  return {
    ...info,
    urls: urls.slice(0, maxPages),
    ...(urls.length > maxPages || info.pageCount > maxPages ? { truncated: true } : {}),
  };
}

function inlineScriptBlocks($: CheerioAPI): string[] {
  return $('script:not([src])')
    .toArray()
    .map((s) => $(s).text());
}

// ---------------------------------------------------------------- TRS createPageHTML

const LITERAL = /^\s*(?:\d+|'[^']*'|"[^"]*")\s*$/;

function unquote(arg: string): string {
  return arg.trim().replace(/^["']|["']$/g, '');
}

/** The literal last assigned to `name` before `at` (var countPage = 56; countPage="56"). */
function scriptVariable(scripts: string, name: string, at: number): string | undefined {
  if (!/^[A-Za-z_$][\w$]*$/.test(name)) return undefined;
  const re = new RegExp(`(?<![\\w$.])${name.replace(/\$/g, '\\$')}\\s*=(?!=)\\s*(\\d+|'[^']*'|"[^"]*")`, 'g');
  let value: string | undefined;
  for (const m of scripts.slice(0, at).matchAll(re)) value = m[1];
  return value;
}

function fromCreatePageHtml(scripts: string, url: string, maxPages: number): PagerInfo | undefined {
  // Calls only: the function's own definition (`function createPageHTML(_nPageCount, …)`) is skipped
  // by requiring literal arguments.
  for (const m of scripts.matchAll(/(?<!function\s*)\bcreatePageHTML\s*\(([^()]*)\)/g)) {
    const raw = (m[1] ?? '').split(',');
    // Variables the page set before the call: createPageHTML(countPage, currentPage, "index", "shtml").
    const resolved = raw.map((a) => (LITERAL.test(a) ? a : scriptVariable(scripts, a.trim(), m.index)));
    if (raw.length < 4 || !resolved.every((a) => a !== undefined && LITERAL.test(a))) continue;
    const args = (resolved as string[]).map(unquote);
    const divFirst = !/^\d+$/.test(args[0] ?? '');
    const at = divFirst ? 1 : 0;
    const count = Number(args[at]);
    const currentArg = Number(args[at + 1]);
    const prefix = args[at + 2] || 'index';
    const ext = args[at + 3] || 'html';
    if (!Number.isInteger(count) || count < 1 || !Number.isInteger(currentArg)) continue;
    const total =
      args[at + 4] !== undefined && /^\d+$/.test(args[at + 4]!) ? Number(args[at + 4]) : undefined;
    // 4-arg form: 0-based index, pages prefix_1 … ; 6-arg form: 1-based, pages prefix_2 …
    const current = divFirst ? Math.max(0, currentArg - 1) : currentArg;
    const urls = seriesUrls(url, prefix, ext, Math.min(count, maxPages), divFirst ? 2 : 1);
    return capped(
      {
        kind: 'trs-createPageHTML',
        pageCount: count,
        current,
        source: `createPageHTML(${raw.map((a) => a.trim()).join(', ')})`,
        ...(total !== undefined ? { totalRecords: total } : {}),
      },
      urls,
      maxPages,
    );
  }
  return undefined;
}

// ---------------------------------------------------------------- TRS countPage variables

function fromCountPageVar(blocks: string[], url: string, maxPages: number): PagerInfo | undefined {
  for (const script of blocks) {
    const count = /\bcountPage\s*=\s*["']?(\d+)/i.exec(script);
    if (!count?.[1]) continue;
    const pageCount = Number(count[1]);
    if (pageCount < 1) continue;
    const current = Number(/\bcurrentPage\s*=\s*["']?(\d+)/i.exec(script)?.[1] ?? 0);
    const total = /\b(?:countnum|recordCount|countRecord)\s*=\s*["']?(\d+)/i.exec(script)?.[1];
    // The script writes its own links: href=\"index."+"html\" or "index"+"_"+i+"."+"html".
    const prefix = /href=\\?["']([A-Za-z]\w*)(?:["']\s*\+\s*["'])?[._]/.exec(script)?.[1] ?? 'index';
    const ext =
      /\.(?:["']\s*\+\s*["'])?(s?html?|jsp|aspx?|php)\b/.exec(script)?.[1] ??
      /\.(s?html?|jsp|aspx?|php)$/i.exec(new URL(url).pathname)?.[1] ??
      'html';
    return capped(
      {
        kind: 'trs-countPage',
        pageCount,
        current,
        source: `var countPage = ${pageCount}`,
        ...(total ? { totalRecords: Number(total) } : {}),
      },
      seriesUrls(url, prefix, ext, Math.min(pageCount, maxPages), 1),
      maxPages,
    );
  }
  return undefined;
}

// ---------------------------------------------------------------- Hanweb jpage

interface Datastore {
  totalRecord?: number;
  totalPage?: number;
  nextGroup?: string;
  records: string[];
}

const CDATA = /<!\[CDATA\[([\s\S]*?)\]\]>/;

function parseDatastore(xml: string): Datastore {
  const num = (tag: string) => {
    const v = new RegExp(`<${tag}>\\s*(?:<!\\[CDATA\\[)?\\s*(\\d+)`, 'i').exec(xml)?.[1];
    return v === undefined ? undefined : Number(v);
  };
  const records = [...xml.matchAll(/<record>([\s\S]*?)<\/record>/gi)]
    .map((m) => {
      const body = m[1] ?? '';
      return (CDATA.exec(body)?.[1] ?? body).trim();
    })
    .filter(Boolean);
  const next = /<nextgroup>([\s\S]*?)<\/nextgroup>/i.exec(xml)?.[1] ?? '';
  const href = /href\s*=\s*["']([^"']+)["']/i.exec(CDATA.exec(next)?.[1] ?? next)?.[1];
  return {
    totalRecord: num('totalrecord'),
    totalPage: num('totalpage'),
    nextGroup: href?.replace(/&amp;/g, '&'),
    records,
  };
}

/** Datastore XML texts on the page: inline `<script type="text/xml">` blocks. */
function datastoreTexts($: CheerioAPI): string[] {
  return $('script')
    .toArray()
    .map((s) => $(s).text())
    .filter((t) => /<datastore[\s>]/i.test(t));
}

/** True for a bare data-proxy response (an XML `<datastore>` document, not an HTML page). */
export function isDatastoreXml(text: string): boolean {
  return /^\s*(?:<\?xml[^>]*>\s*)?<datastore[\s>]/i.test(text);
}

/** Hanweb list records (HTML snippets, one per list item) from the page's inline datastores. */
export function hanwebRecords($: CheerioAPI): string[] {
  return datastoreTexts($).flatMap((t) => parseDatastore(t).records);
}

/** Records of a text that is itself a datastore document (a dataproxy.jsp response). */
export function hanwebRecordsFromXml(xml: string): string[] {
  return parseDatastore(xml).records;
}

const HANWEB_KEYS = ['col', 'appid', 'webid', 'path', 'columnid', 'sourceContentType', 'unitid', 'webname'];

function jpageOptions(scripts: string): Record<string, string> {
  const out: Record<string, string> = {};
  const call = /\.jpage\s*\(\s*\{([\s\S]*?)\}\s*\)/.exec(scripts)?.[1] ?? '';
  for (const m of call.matchAll(/(\w+)\s*:\s*(?:'([^']*)'|"([^"]*)"|([\w.-]+))/g))
    if (m[1] && !(m[1] in out)) out[m[1]] = m[2] ?? m[3] ?? m[4] ?? '';
  return out;
}

function fromHanweb($: CheerioAPI, url: string, maxPages: number): PagerInfo | undefined {
  const stores = datastoreTexts($);
  if (!stores.length) return undefined;
  const store = parseDatastore(stores.join('\n'));
  const scripts = inlineScriptBlocks($).join('\n');
  const opts = jpageOptions(scripts);
  const params = new Map<string, string>();
  const take = (k: string, v: string | undefined | null) => {
    if (v !== undefined && v !== null && v !== '' && !params.has(k)) params.set(k, v);
  };
  let proxy = '/module/web/jpage/dataproxy.jsp';
  if (store.nextGroup) {
    const next = new URL(store.nextGroup, url);
    proxy = next.pathname;
    for (const k of HANWEB_KEYS) take(k, next.searchParams.get(k));
  }
  if (opts.proxyUrl) proxy = opts.proxyUrl.split('?')[0]!;
  for (const k of HANWEB_KEYS) take(k, opts[k]);
  for (const k of ['unitid', 'webid', 'columnid']) {
    const m = new RegExp(`\\b${k}\\b\\s*["']?\\s*[=:]\\s*["']?(\\d+)`, 'i').exec(scripts);
    take(k, m?.[1]);
  }
  take('columnid', /\/col\/col(\d+)\//.exec(new URL(url).pathname)?.[1]);
  // The list's container div carries the unit id: <div id="56789"><script type="text/xml">.
  const holder = $('script')
    .toArray()
    .find((s) => /<datastore[\s>]/i.test($(s).text()));
  take('unitid', holder ? /^\d+$/.exec($(holder).parent().attr('id') ?? '')?.[0] : undefined);
  take('webname', $('meta[name="SiteName" i]').attr('content')?.trim());

  const perPage = Number(opts.perPage ?? opts.perpage ?? 0) || 15;
  const groupSize = Number(opts.groupSize ?? 0) || 3;
  const inline = store.records.length;
  const total = store.totalRecord ?? (Number(opts.totalRecord ?? NaN) || inline);
  const pageCount = store.totalPage ?? Math.max(1, Math.ceil(total / perPage));
  const self = new URL(url);
  const start0 = Number(self.searchParams.get('startrecord') ?? 1);
  const current = Math.max(0, Math.floor((start0 - 1) / perPage));
  const missing = ['unitid', 'columnid'].filter((k) => !params.has(k));
  const base = {
    kind: 'hanweb' as const,
    pageCount,
    current,
    source: `大汉 jpage datastore（共 ${total} 条，本页内嵌 ${inline} 条）`,
    totalRecords: total,
  };
  if (missing.length && total > inline)
    return {
      ...base,
      urls: [],
      note: `大汉 jpage 分页缺少参数 ${missing.join('、')}，无法生成后续页地址`,
    };
  const guessed =
    total > inline && !params.has('webid') ? { note: '大汉 jpage 分页未找到 webid，按 1 生成地址' } : {};
  const group = perPage * groupSize;
  // A data-proxy response continues after its own group; a column page after its inline records.
  const endSelf = Number(self.searchParams.get('endrecord') ?? 0);
  const from = self.searchParams.has('startrecord') ? Math.max(endSelf, start0 - 1 + inline) : inline;
  const urls: string[] = [];
  for (let start = from + 1; start <= total && urls.length < maxPages; start += group) {
    const q = new URLSearchParams({
      startrecord: String(start),
      endrecord: String(Math.min(start + group - 1, total)),
      perpage: String(perPage),
      col: params.get('col') ?? '1',
      appid: params.get('appid') ?? '1',
      webid: params.get('webid') ?? '1',
      path: params.get('path') ?? '/',
      columnid: params.get('columnid') ?? '',
      sourceContentType: params.get('sourceContentType') ?? '1',
      unitid: params.get('unitid') ?? '',
      webname: params.get('webname') ?? '',
      permissiontype: '0',
    });
    const u = new URL(proxy, url);
    u.search = q.toString();
    urls.push(u.toString());
  }
  const groups = Math.ceil(Math.max(0, total - from) / group);
  return { ...base, urls, ...guessed, ...(groups > maxPages ? { truncated: true } : {}) };
}

// ---------------------------------------------------------------- rendered pagers

const NEXT = /^\s*(下一页|下页|后一页|下一頁|next|>|›|»)\s*$/i;
const LAST = /^\s*(尾页|末页|最后一页|尾\s*页|last|>>|»»)\s*$/i;
const COUNT = [
  /共\s*计?\s*(\d+)\s*页/,
  /第\s*\d+\s*\/\s*(\d+)\s*页/,
  /(?<!\d)\d+\s*\/\s*(\d+)\s*页/,
  /页次\s*[:：]?\s*\d+\s*\/\s*(\d+)/,
];
const CURRENT = [/第\s*(\d+)\s*\/\s*\d+\s*页/, /当前\s*第?\s*(\d+)\s*页/, /(?<!\d)(\d+)\s*\/\s*\d+\s*页/];

function visible($: CheerioAPI, el: Element): string {
  const c = $(el).clone();
  c.find('script, style').remove();
  return c.text().replace(/\s+/g, ' ').trim();
}

/** The smallest element holding the page's 下一页/尾页 links or its 共N页 text. */
function pagerContainer($: CheerioAPI): Element | undefined {
  const anchors = $('a')
    .toArray()
    .filter((a) => NEXT.test($(a).text()) || LAST.test($(a).text()));
  const strong = anchors.filter((a) => /[\u4e00-\u9fff]/.test($(a).text()));
  for (const a of strong.length ? strong : anchors) {
    let el: Element | null = a.parent as Element | null;
    while (el && el.type === 'tag' && visible($, el).length < 400) {
      const t = visible($, el);
      // "›" or "next" alone may be a carousel arrow: such a box must also speak of pages.
      const pagey = strong.length > 0 || /页|page/i.test(t);
      if (pagey && ($(el).find('a').length >= 2 || COUNT.some((re) => re.test(t)))) return el;
      el = el.parent as Element | null;
    }
  }
  // No links: a bare "共 2 页". Climb from the text nodes that mention 页 (the number may sit in a <font>).
  const seen = new Set<Element>();
  let best: { el: Element; len: number } | undefined;
  const visit = (node: AnyNode): void => {
    if (node.type === 'text') {
      if (!/页/.test((node as unknown as { data: string }).data)) return;
      let el = node.parent as Element | null;
      for (let up = 0; el && el.type === 'tag' && up < 3; up++, el = el.parent as Element | null) {
        if (seen.has(el)) break;
        seen.add(el);
        const t = visible($, el);
        if (t.length > 300) break;
        if (COUNT.some((re) => re.test(t)) && (!best || t.length < best.len)) best = { el, len: t.length };
      }
      return;
    }
    if (node.type !== 'tag' && node.type !== 'root') return;
    if (node.type === 'tag' && /^(script|style|head)$/.test((node as Element).tagName)) return;
    for (const c of (node as Element).children) visit(c);
  };
  for (const n of $.root().toArray()) visit(n);
  return best?.el;
}

function fromRendered($: CheerioAPI, url: string, maxPages: number): PagerInfo | undefined {
  const box = pagerContainer($);
  if (!box) return undefined;
  const text = visible($, box);
  const stated = COUNT.map((re) => re.exec(text)?.[1]).find(Boolean);
  const count = stated ? Number(stated) : undefined;
  const currentNo = CURRENT.map((re) => re.exec(text)?.[1]).find(Boolean);
  const links = $(box)
    .find('a[href]')
    .toArray()
    .map((a) => ({ text: $(a).text().trim(), url: resolve($(a).attr('href') ?? '', url) }))
    .filter((l): l is { text: string; url: string } => Boolean(l.url) && !/^javascript:/i.test(l.url!));
  const last = links.find((l) => LAST.test(l.text));
  const next = links.find((l) => NEXT.test(l.text));
  const lastPattern = last ? pagePattern(last.url) : undefined;
  const source = `分页条「${text.slice(0, 60)}」`;
  if (lastPattern) {
    const n = lastPattern.n;
    const same = links.map((l) => pagePattern(l.url)).filter((q) => q?.key === lastPattern.key);
    const hasFirst = same.some((q) => q!.n === 1);
    const hasZero = same.some((q) => q!.n === 0);
    const nextN = next ? pagePattern(next.url)?.n : undefined;
    // File series are 0-based (TRS: index, index_1 … index_N) and page parameters 1-based (?page=1 …
    // ?page=N), unless the stated count or the links say otherwise.
    const oneBased =
      count !== undefined
        ? count === n && count !== n + 1
        : lastPattern.query
          ? !hasZero
          : !hasFirst && nextN === 2 && currentNo !== '2';
    const pageCount = oneBased ? n : n + 1;
    return capped(
      {
        kind: 'rendered',
        pageCount,
        current: currentNo ? Number(currentNo) - 1 : 0,
        source,
      },
      patternUrls(lastPattern, Math.min(pageCount, maxPages), oneBased ? 2 : 1),
      maxPages,
    );
  }
  const self = resolve(url, url);
  const pages = [...new Set(links.map((l) => l.url))].filter((u) => u !== self);
  if (!pages.length && count === undefined) return undefined;
  if (!pages.length && count !== undefined && count <= 1)
    return { kind: 'rendered', pageCount: count, current: 0, urls: [], source };
  return capped(
    {
      kind: 'rendered',
      pageCount: Math.max(count ?? 0, pages.length + 1),
      current: currentNo ? Number(currentNo) - 1 : 0,
      source,
      ...(count !== undefined && count > pages.length + 1
        ? { note: `分页共 ${count} 页，只找到 ${pages.length} 个翻页链接` }
        : {}),
    },
    pages,
    maxPages,
  );
}

// ---------------------------------------------------------------- index_N links

function fromIndexLinks($: CheerioAPI, url: string, maxPages: number): PagerInfo | undefined {
  const dir = new URL('.', url).toString();
  const self = new URL(url);
  const found = new Map<number, string>();
  let series: PagePattern | undefined;
  for (const a of $('a[href]').toArray()) {
    // Pager links read "2", "3", "下一页": a menu link to index_763.html is no page of this list.
    const text = $(a).text().trim();
    if (!/^\d{1,4}$/.test(text) && !NEXT.test(text) && !LAST.test(text)) continue;
    const u = resolve($(a).attr('href') ?? '', url);
    if (!u) continue;
    const p = pagePattern(u);
    if (!p) continue;
    // Same folder for prefix_N pages (index_2.jsp, list_3.aspx …); same path for ?page=N.
    if (p.query ? new URL(u).pathname !== self.pathname : new URL('.', u).toString() !== dir) continue;
    if (
      !p.query &&
      !/^[A-Za-z][A-Za-z-]*$/.test(
        new URL(p.first).pathname
          .split('/')
          .pop()!
          .replace(/\.\w+$/, ''),
      )
    )
      continue;
    series ??= p;
    if (p.key === series.key) found.set(p.n, u);
  }
  if (!series) return undefined;
  // The run of pages from index_1 (TRS) or index_2 / ?page=2 (1-based) on.
  let n = found.has(1) && !series.query ? 1 : found.has(2) ? 2 : found.has(1) ? 1 : 0;
  if (!n) return undefined;
  const run: string[] = [];
  for (; found.has(n); n++) if (found.get(n) !== series.first) run.push(found.get(n)!);
  const name = series.query
    ? `?${/\?(\w+)$/.exec(series.key)?.[1] ?? 'page'}=N`
    : `${new URL(series.first).pathname
        .split('/')
        .pop()!
        .replace(/(\.\w+)$/, '_N$1')}`;
  const current = pagePattern(url);
  return capped(
    {
      kind: 'links',
      pageCount: run.length + 1,
      current: current?.key === series.key ? Math.max(0, current.n - (series.query ? 1 : 0)) : 0,
      source: `${name} 翻页链接 ${found.size} 个`,
    },
    [series.first, ...run],
    maxPages,
  );
}

/** The list pager of a page, or undefined when it has none. */
export function findPager($: CheerioAPI, url: string, maxPages = 500): PagerInfo | undefined {
  const blocks = inlineScriptBlocks($);
  const scripted =
    fromHanweb($, url, maxPages) ??
    fromCreatePageHtml(blocks.join('\n'), url, maxPages) ??
    fromCountPageVar(blocks, url, maxPages);
  // An article (指引 meta ArticleTitle) has no list pager to render; walking its DOM for one cost
  // ~10 % of crawl CPU in bench/crawl. Its own pager script, if any, was read above.
  if (scripted || $('meta[name="ArticleTitle" i]').length) return scripted;
  return fromRendered($, url, maxPages) ?? fromIndexLinks($, url, maxPages);
}

// ---------------------------------------------------------------- sitemap.xml

export interface SitemapEntries {
  kind: 'urlset' | 'sitemapindex' | 'unknown';
  entries: { loc: string; lastmod?: string }[];
}

function xmlText(s: string): string {
  const inner = CDATA.exec(s)?.[1] ?? s;
  return inner
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&#(\d+);/g, (_, d: string) => String.fromCodePoint(Number(d)))
    .replace(/&amp;/g, '&')
    .trim();
}

/** sitemap.xml: a <urlset> of pages or a <sitemapindex> of further sitemaps. */
export function parseSitemapEntries(xml: string): SitemapEntries {
  const kind = /<(?:\w+:)?sitemapindex[\s>]/i.test(xml)
    ? 'sitemapindex'
    : /<(?:\w+:)?urlset[\s>]/i.test(xml)
      ? 'urlset'
      : 'unknown';
  const entries: SitemapEntries['entries'] = [];
  for (const m of xml.matchAll(/<(?:\w+:)?(?:url|sitemap)>([\s\S]*?)<\/(?:\w+:)?(?:url|sitemap)>/gi)) {
    const body = m[1] ?? '';
    const loc = /<(?:\w+:)?loc>([\s\S]*?)<\/(?:\w+:)?loc>/i.exec(body)?.[1];
    if (!loc) continue;
    const lastmod = /<(?:\w+:)?lastmod>([\s\S]*?)<\/(?:\w+:)?lastmod>/i.exec(body)?.[1];
    const url = xmlText(loc);
    if (!/^https?:\/\//i.test(url)) continue;
    entries.push({ loc: url, ...(lastmod ? { lastmod: xmlText(lastmod) } : {}) });
  }
  return { kind, entries };
}

/** The <loc> URLs of a sitemap (pages for a urlset, sitemaps for a sitemapindex). */
export function parseSitemap(xml: string): string[] {
  return [...new Set(parseSitemapEntries(xml).entries.map((e) => e.loc))];
}
