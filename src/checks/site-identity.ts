import { z } from 'zod';
import { defineCheck, pageNotes, type CheckFinding } from './defineCheck.js';
import { isColumnPage } from '../extract/columns.js';
import type { PageFacts } from '../extract/htmlPage.js';
import type { PageSummary, UnitEvidence } from '../extract/unitEvidence.js';

const footerItem = z
  .object({
    id: z.string().min(1),
    title: z.string().min(1),
    /** Shown when the home page's text matches this (case-insensitive)… */
    text: z.string().optional(),
    /** …or one of its links points to a URL matching this. */
    link: z.string().optional(),
    /** Why a crawler may not see it (added to the finding). */
    caveat: z.string().optional(),
  })
  .strict()
  .refine((f) => f.text !== undefined || f.link !== undefined, { message: '需要 text 或 link' });

const options = z
  .object({
    /** Meta tags (网页标签) each kind of page carries; names as the 指引 writes them. */
    pageTags: z
      .object({
        every: z.array(z.string().min(1)),
        column: z.array(z.string().min(1)),
        article: z.array(z.string().min(1)),
      })
      .strict(),
    /** A valid 网站标识码. */
    codePattern: z.string().default('^(?:bm|BM)\\d{8}$|^\\d{10}$'),
    /** Identity items the home page footer shows. 网站标识码 is also checked for its format. */
    // At most 31: which items a page shows is kept as the bits of one number per page.
    footer: z.array(footerItem).max(31),
    /** Example URLs listed in an aggregated finding. */
    examples: z.number().int().positive().default(3),
  })
  .strict();

type Options = z.output<typeof options>;

const KIND_TITLES = { home: '首页', column: '栏目页', article: '文章页', other: '其他页面' } as const;
type PageKind = keyof typeof KIND_TITLES;

/** 网站标识码 as printed: the label, an optional colon and spaces (U+3000 too), then the code as written. */
const FOOTER_CODE = /(?:政府)?网站标识码[\s\u3000\u00a0]*[:：]?[\s\u3000\u00a0]*((?:bm|BM)?\d*)/;

function footerCode(page: PageFacts): { raw: string } | undefined {
  const m = FOOTER_CODE.exec(page.text);
  return m ? { raw: m[1] ?? '' } : undefined;
}

/** What is kept of a page's text and links: its footer code as printed, and which footer items it shows. */
interface PageNote {
  code?: string;
  /** Bit i: the page shows footer item i of the options. */
  shows: number;
}

const NO_NOTE: PageNote = { shows: 0 };

/** The footer items' patterns, compiled once per options object. */
const footerPatterns = new WeakMap<Options, { text?: RegExp; link?: RegExp }[]>();

function patternsOf(o: Options): { text?: RegExp; link?: RegExp }[] {
  let p = footerPatterns.get(o);
  if (!p)
    footerPatterns.set(
      o,
      (p = o.footer.map((item) => ({
        ...(item.text ? { text: new RegExp(item.text, 'i') } : {}),
        ...(item.link ? { link: new RegExp(item.link, 'i') } : {}),
      }))),
    );
  return p;
}

function pageNote(p: PageFacts, o: Options, intern: (s: string) => string): PageNote | undefined {
  let shows = 0;
  patternsOf(o).forEach(({ text, link }, i) => {
    if ((text && text.test(p.text)) || (link && p.links.some((l) => link.test(l.url)))) shows |= 1 << i;
  });
  const code = footerCode(p)?.raw || undefined;
  if (!code && !shows) return undefined;
  // Every page of a site shows the same footer: one shared (frozen) note per distinct footer rather
  // than one per page. Bounded, so a site printing a different code on each page cannot grow it.
  const key = `${shows}\u0001${code ?? ''}`;
  const known = sharedNotes.get(key);
  if (known) return known;
  const note: PageNote = Object.freeze({ ...(code ? { code: intern(code) } : {}), shows });
  if (sharedNotes.size < 256) sharedNotes.set(key, note);
  return note;
}

const sharedNotes = new Map<string, PageNote>();

function kindOf(e: UnitEvidence, p: PageSummary): PageKind {
  if (e.homeUrls.has(p.url)) return 'home';
  if (p.isArticle) return 'article';
  if (isColumnPage(p)) return 'column';
  return 'other';
}

/** HTML pages of the unit's own site (a bare datastore XML answer has no head to judge). */
function htmlPages(e: UnitEvidence): PageSummary[] {
  return e.pages.filter((p) => /html/i.test(e.resourceByUrl.get(p.url)?.contentType ?? 'text/html'));
}

class Tally {
  private readonly groups = new Map<string, { urls: string[]; kinds: Map<PageKind, number> }>();
  add(key: string, url: string, kind: PageKind): void {
    let g = this.groups.get(key);
    if (!g) this.groups.set(key, (g = { urls: [], kinds: new Map() }));
    g.urls.push(url);
    g.kinds.set(kind, (g.kinds.get(kind) ?? 0) + 1);
  }
  entries() {
    return [...this.groups.entries()];
  }
}

function breakdown(kinds: Map<PageKind, number>): string {
  return (Object.keys(KIND_TITLES) as PageKind[])
    .filter((k) => kinds.get(k))
    .map((k) => `${KIND_TITLES[k]} ${kinds.get(k)} 个`)
    .join('、');
}

function examples(urls: string[], n: number): string {
  return `例：${urls.slice(0, n).join('；')}${urls.length > n ? ` 等 ${urls.length} 个页面` : ''}`;
}

function footerFindings(
  e: UnitEvidence,
  pages: PageSummary[],
  o: Options,
  notes: ReadonlyMap<string, PageNote>,
): CheckFinding[] {
  const homes = pages.filter((p) => e.homeUrls.has(p.url));
  const out: CheckFinding[] = [];
  for (const [i, item] of o.footer.entries()) {
    const lacking = homes.filter((p) => !((notes.get(p.url) ?? NO_NOTE).shows & (1 << i)));
    if (!lacking.length) continue;
    out.push({
      outcome: 'warn',
      kind: 'footer-missing',
      message: `首页页脚未标注${item.title}`,
      url: lacking[0]!.url,
      location: '首页页脚',
      evidence: `首页未找到${item.title}${item.caveat ? `（${item.caveat}）` : ''}`,
    });
  }
  return out;
}

export const siteIdentity = defineCheck({
  id: 'site-identity',
  title: '网站标识与网页标签',
  failureTitle: '网站标识码错误或网页标签缺失',
  category: 'site',
  options,
  page: (page, { options: o }, step) => pageNote(page, o, step.intern),
  run(e, { options: o }, notes) {
    const noted = pageNotes('site-identity', notes);
    // A column of a 集约化 portal shows the portal's 网站标识码, ICP and footer: the site's identity
    // is the portal's to answer for, once.
    if (e.cross.hostOwner) return [];
    const valid = new RegExp(o.codePattern);
    const pages = htmlPages(e);
    if (!pages.length) return [];
    const missing = new Tally();
    const emptyCode = new Tally();
    const malformed = new Tally();
    const mismatch = new Tally();

    for (const p of pages) {
      const kind = kindOf(e, p);
      const meta = p.meta.siteidcode;
      const footer = noted.get(p.url)?.code;
      const footerOk = footer !== undefined && valid.test(footer);
      const tags = [
        ...o.pageTags.every,
        ...(kind === 'column' ? o.pageTags.column : kind === 'article' ? o.pageTags.article : []),
      ];
      for (const tag of new Set(tags)) {
        if (p.meta[tag.toLowerCase()]) continue;
        // An empty SiteIDCode beside a printed code is reported once, naming both.
        if (tag.toLowerCase() === 'siteidcode' && meta === '' && footerOk) continue;
        missing.add(tag, p.url, kind);
      }
      if (meta === '' && footerOk) emptyCode.add(footer!, p.url, kind);
      if (meta && !valid.test(meta)) malformed.add(`meta SiteIDCode「${meta}」`, p.url, kind);
      if (footer && !footerOk) malformed.add(`页脚网站标识码「${footer}」`, p.url, kind);
      if (meta && valid.test(meta) && footerOk && meta !== footer)
        mismatch.add(`meta SiteIDCode ${meta} 与页脚网站标识码 ${footer} 不一致`, p.url, kind);
      const code = meta && valid.test(meta) ? meta : footerOk ? footer : undefined;
      if (p.jiucuoSiteCode && code && p.jiucuoSiteCode !== code)
        mismatch.add(`纠错代码 sitecode ${p.jiucuoSiteCode} 与网站标识码 ${code} 不一致`, p.url, kind);
    }

    const out: CheckFinding[] = footerFindings(e, pages, o, noted);
    // One finding per group of pages with the same problem: first URL, page count, examples.
    const grouped = (g: { urls: string[]; kinds: Parameters<typeof breakdown>[0] }) => ({
      url: g.urls[0]!,
      location: `共 ${g.urls.length} 个页面（${breakdown(g.kinds)}）`,
      evidence: examples(g.urls, o.examples),
    });
    for (const [what, g] of malformed.entries())
      out.push({
        ...grouped(g),
        outcome: 'fail',
        kind: 'code-malformed',
        message: `${what}不是有效的网站标识码（应为10位数字，或 bm 加8位数字）`,
      });
    for (const [what, g] of mismatch.entries())
      out.push({ ...grouped(g), outcome: 'fail', kind: 'code-mismatch', message: what });
    for (const [code, g] of emptyCode.entries())
      out.push({
        outcome: 'warn',
        kind: 'meta-code-empty',
        message: `${g.urls.length} 个页面的 meta SiteIDCode 为空，页脚网站标识码为 ${code}`,
        url: g.urls[0]!,
        location: `共 ${g.urls.length} 个页面（${breakdown(g.kinds)}）`,
        evidence: `<meta name="SiteIDCode" content="">，页脚「网站标识码：${code}」；${examples(g.urls, o.examples)}`,
      });
    for (const [tag, g] of missing.entries())
      out.push({
        outcome: 'warn',
        kind: 'meta-missing',
        message: `${g.urls.length} 个页面缺少网页标签 ${tag}`,
        url: g.urls[0]!,
        location: `共 ${g.urls.length} 个页面（${breakdown(g.kinds)}）`,
        evidence: `未设置或内容为空：<meta name="${tag}" content="…">；${examples(g.urls, o.examples)}`,
      });
    return out;
  },
});
