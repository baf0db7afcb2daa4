import type { LinkRecord, ResourceRecord } from '../store/crawlData.js';
import { disclosurePins, type CatalogueRef } from '../seeds/unit.js';
import type { PageFacts } from './htmlPage.js';
import type { PageSummary, UnitEvidence } from './unitEvidence.js';
import {
  PART_ORDER,
  PART_TITLES,
  SIGNAL_RANK,
  isColumnUrl,
  partsOfText,
  partsOfUrl,
  type DisclosurePartId,
  type DisclosureSignal,
  type PartMatch,
} from './disclosureSignals.js';

export { PART_TITLES, SIGNAL_TITLES, partsOfText, partsOfUrl } from './disclosureSignals.js';
export type { DisclosurePartId, DisclosureSignal } from './disclosureSignals.js';

/**
 * The 政府信息公开专栏 of one unit and its parts (指南, 制度, 法定主动公开内容, 年报, 依申请公开,
 * 政策解读, 标准目录), found from stored crawl data: link texts, the titles of the pages those
 * links lead to, URL patterns of the common platforms, and the seed's pinned catalogue pages.
 */
export interface DisclosureHit {
  url: string;
  signal: DisclosureSignal;
  /** The link text, page title or directory name that matched (or the pinned domain). */
  text: string;
  /** The URL is one of the unit's own crawled pages (not another site's 专栏). */
  own: boolean;
  /** For a link text: a page the link is on. */
  from?: string;
}

export interface DisclosurePart {
  part: DisclosurePartId;
  domain?: string;
  title: string;
  /** Best first (signal, then own pages, then the shorter address); empty when not found. */
  hits: DisclosureHit[];
}

/** What the detection reads from the store: the same for the check stage and the report stage. */
export interface DisclosureSource {
  /** The seed's pinned 标准目录 pages (`catalogues` in the seed file). */
  catalogues: readonly CatalogueRef[];
  /** The seed's pinned 专栏 parts (`disclosure` in the seed file). */
  pins?: readonly { part: Exclude<DisclosurePartId, 'catalogue'>; url: string }[];
  resources: readonly ResourceRecord[];
  /** Read in order, more than once (an array, or the check stage's LinkTable). */
  links: Iterable<LinkRecord>;
}

export type DisclosurePage = Pick<PageFacts, 'url' | 'title' | 'columnName' | 'breadcrumb' | 'meta'>;

/**
 * A crawled page's facts by URL, or undefined. The detection asks only for column pages a link
 * text, a URL pattern or a pin already points to, or that the 专栏 links to, so the report stage
 * can parse just those from the store.
 */
export type PageOf = (url: string) => DisclosurePage | undefined;

const MAX_HITS = 3;

export function partTitle(part: DisclosurePartId, domain?: string): string {
  return domain ? `${PART_TITLES.catalogue}（${domain}）` : PART_TITLES[part];
}

function keyOf(m: PartMatch): string {
  return m.domain ? `catalogue:${m.domain}` : m.part;
}

/** One address per place: no fragment, a directory's index file as the directory. */
function placeKey(url: string): string {
  return url.split('#')[0]!.replace(/\/(?:index|default)\.s?html?$/i, '/');
}

/** The directory a URL lists (a column page and its index file are one place). */
function dirKey(url: string): string {
  const noHash = url.split('#')[0]!.split('?')[0]!;
  return noHash.replace(/\/(?:index|default)(?:_\d+)?\.\w+$/i, '/').replace(/([^/])$/, '$1/');
}

/** Names a page gives itself: each part of its <title>, its column (meta or breadcrumb), its ColumnType. */
export function pageNames(page: DisclosurePage): string[] {
  const names = page.title.split(/\s*[_|｜]\s*|\s+[-—–]\s+|[-—–](?=[^-—–]*$)/);
  names.push(
    page.columnName ?? '',
    page.meta.columntype ?? '',
    page.breadcrumb[page.breadcrumb.length - 1] ?? '',
  );
  return [...new Set(names.map((n) => n.trim()).filter(Boolean))];
}

class HitCollector {
  private readonly byKey = new Map<string, { match: PartMatch; hits: Map<string, DisclosureHit> }>();
  constructor(private readonly own: Set<string>) {}

  add(match: PartMatch, url: string, signal: DisclosureSignal, text: string, from?: string): void {
    let entry = this.byKey.get(keyOf(match));
    if (!entry) this.byKey.set(keyOf(match), (entry = { match, hits: new Map() }));
    // /xxgk/ and /xxgk/index.html are one place: keep the stronger signal, then the unit's own URL.
    const place = placeKey(url);
    const hit: DisclosureHit = { url, signal, text, own: this.own.has(url), ...(from ? { from } : {}) };
    const known = entry.hits.get(place);
    if (known && rank([known, hit])[0] === known) return;
    entry.hits.set(place, hit);
  }

  urls(): Set<string> {
    return new Set([...this.byKey.values()].flatMap((e) => [...e.hits.values()].map((h) => h.url)));
  }

  hitsOf(key: string): DisclosureHit[] {
    return rank([...(this.byKey.get(key)?.hits.values() ?? [])]);
  }

  domains(): string[] {
    return [...this.byKey.values()].flatMap((e) => (e.match.domain ? [e.match.domain] : []));
  }
}

function rank(hits: DisclosureHit[]): DisclosureHit[] {
  return hits.sort(
    (a, b) =>
      SIGNAL_RANK[b.signal] - SIGNAL_RANK[a.signal] ||
      Number(b.own) - Number(a.own) ||
      a.url.length - b.url.length ||
      (a.url < b.url ? -1 : a.url > b.url ? 1 : 0),
  );
}

/**
 * Every part of the unit's 专栏, found or not (hits empty), in PART_ORDER; the 标准目录 as one
 * part per domain found or pinned, or one empty part when none is. Pure: same input, same answer.
 */
export function findDisclosureParts(
  source: DisclosureSource,
  pageOf: PageOf,
  domains: readonly string[],
): DisclosurePart[] {
  const own = new Set(source.resources.filter((r) => r.kind === 'page').map((r) => r.url));
  const hits = new HitCollector(own);
  for (const c of source.catalogues)
    hits.add({ part: 'catalogue', domain: c.domain }, c.url, 'pinned', c.domain);
  for (const p of source.pins ?? []) hits.add({ part: p.part }, p.url, 'pinned', PART_TITLES[p.part]);

  // Link texts: the same navigation link sits on every page, so each text is read once.
  const textCache = new Map<string, PartMatch[]>();
  const textParts = (anchor: string) => {
    let m = textCache.get(anchor);
    if (!m) textCache.set(anchor, (m = partsOfText(anchor, domains)));
    return m;
  };
  const targets = new Set<string>();
  for (const l of source.links) {
    targets.add(l.toUrl);
    for (const m of textParts(l.anchor)) hits.add(m, l.toUrl, 'link-text', l.anchor.trim(), l.fromUrl);
  }
  for (const url of [...source.resources.map((r) => r.url), ...targets])
    for (const part of partsOfUrl(url)) hits.add({ part }, url, 'url-pattern', urlName(url));

  // A page that names itself a part outranks the link to it.
  // Only column pages and pinned pages are read: the parts are columns, a document behind a
  // matching link text adds nothing to find, and the report stage parses what is read here.
  const pinned = new Set([...source.catalogues, ...(source.pins ?? [])].map((c) => c.url));
  const withTitles = (urls: Iterable<string>) => {
    for (const url of urls) {
      if (!isColumnUrl(url) && !pinned.has(url)) continue;
      const page = pageOf(url);
      if (!page) continue;
      for (const name of pageNames(page))
        for (const m of partsOfText(name, domains)) hits.add(m, url, 'title', name);
    }
  };
  withTitles(hits.urls());

  // A page the 专栏 links to may name itself a part though the link is an image (大汉 col/colN/).
  const fromDirs = (key: string) => new Set(hits.hitsOf(key).map((h) => dirKey(h.url)));
  const columnDirs = fromDirs('column');
  const known = hits.urls();
  const children = new Set<string>();
  for (const l of source.links)
    if (columnDirs.has(dirKey(l.fromUrl)) && !known.has(l.toUrl)) children.add(l.toUrl);
  withTitles(children);

  // On a 标准目录 zone page a bare domain name ("社会救助") links to that domain's catalogue.
  const zones = [...fromDirs('catalogue')];
  if (zones.length) {
    const before = hits.urls();
    for (const l of source.links) {
      const inZone = zones.some((z) => dirKey(l.fromUrl) === z || l.toUrl.startsWith(z));
      if (!inZone) continue;
      for (const m of partsOfText(l.anchor, domains, true))
        if (m.domain) hits.add(m, l.toUrl, 'link-text', l.anchor.trim(), l.fromUrl);
    }
    withTitles([...hits.urls()].filter((u) => !before.has(u)));
  }

  const parts: DisclosurePart[] = PART_ORDER.filter((p) => p !== 'catalogue').map((part) => ({
    part,
    title: partTitle(part),
    hits: hits.hitsOf(part).slice(0, MAX_HITS),
  }));
  const zone = hits.hitsOf('catalogue');
  const found = [...new Set(hits.domains())].sort();
  if (zone.length || !found.length)
    parts.push({ part: 'catalogue', title: partTitle('catalogue'), hits: zone.slice(0, MAX_HITS) });
  for (const domain of found)
    parts.push({
      part: 'catalogue',
      domain,
      title: partTitle('catalogue', domain),
      hits: hits.hitsOf(`catalogue:${domain}`).slice(0, MAX_HITS),
    });
  return parts;
}

/** A fetch that gave a page's bytes (the condition buildUnitEvidence reads a page under). */
export function isFetched(r: ResourceRecord): boolean {
  return ((r.status >= 200 && r.status < 300) || r.status === 304) && !r.errorKind;
}

/**
 * Page facts by URL from a unit's evidence. The evidence holds each body once, under the first URL
 * that served it (/col/ and /col/index.html are one page), so another URL with the same bytes
 * reads that page: the report stage, parsing from the store, answers the same.
 */
export function evidencePageOf(
  e: Pick<UnitEvidence, 'resources' | 'pageByUrl'>,
): (url: string) => PageSummary | undefined {
  const firstByHash = new Map<string, string>();
  const byUrl = new Map<string, ResourceRecord>();
  for (const r of e.resources) {
    byUrl.set(r.url, r);
    if (isFetched(r) && r.contentHash && !firstByHash.has(r.contentHash))
      firstByHash.set(r.contentHash, r.url);
  }
  return (url) => {
    const direct = e.pageByUrl.get(url);
    if (direct) return direct;
    const r = byUrl.get(url);
    const first = r && isFetched(r) && r.contentHash ? firstByHash.get(r.contentHash) : undefined;
    return first ? e.pageByUrl.get(first) : undefined;
  };
}

/** The unit's 专栏 parts from its evidence (the check stage). */
/** Each part with its best address (the first hit), as the check stage stores it and the report shows it. */
export function bestOfParts(
  parts: DisclosurePart[],
): { part: string; title: string; url?: string; signal?: string; text?: string }[] {
  return parts.map((p) => {
    const best = p.hits[0];
    return {
      part: p.part,
      title: p.title,
      ...(best ? { url: best.url, signal: best.signal, text: best.text } : {}),
    };
  });
}

/** One detection per unit's evidence: the check and the check stage's store both ask for it. */
const byEvidence = new WeakMap<UnitEvidence, { domains: string; parts: DisclosurePart[] }>();

export function disclosureOfEvidence(e: UnitEvidence, domains: readonly string[]): DisclosurePart[] {
  const key = domains.join('\u0001');
  const known = byEvidence.get(e);
  if (known?.domains === key) return known.parts;
  const parts = detect(e, domains);
  byEvidence.set(e, { domains: key, parts });
  return parts;
}

function detect(e: UnitEvidence, domains: readonly string[]): DisclosurePart[] {
  return findDisclosureParts(
    { catalogues: e.unit.catalogues, pins: disclosurePins(e.unit), resources: e.resources, links: e.links },
    evidencePageOf(e),
    domains,
  );
}

function urlName(url: string): string {
  try {
    return new URL(url).pathname;
  } catch {
    return url;
  }
}

// ---------------------------------------------------------------- one page (xuncha extract)

export interface PageDisclosure {
  /** Parts the page itself is, by its own names or its address. */
  is: {
    part: DisclosurePartId;
    domain?: string;
    title: string;
    signal: 'title' | 'url-pattern';
    text: string;
  }[];
  /** Parts the page links to, one entry per part and target. */
  links: {
    part: DisclosurePartId;
    domain?: string;
    title: string;
    url: string;
    signal: 'link-text' | 'url-pattern';
    text: string;
  }[];
}

/** What one page says about the 专栏: what it is, and which parts it links to. */
export function pageDisclosure(page: PageFacts, domains: readonly string[]): PageDisclosure {
  const is: PageDisclosure['is'] = [];
  const seen = new Set<string>();
  const addIs = (m: PartMatch, signal: 'title' | 'url-pattern', text: string) => {
    if (seen.has(keyOf(m))) return;
    seen.add(keyOf(m));
    is.push({ ...m, title: partTitle(m.part, m.domain), signal, text });
  };
  for (const name of pageNames(page)) for (const m of partsOfText(name, domains)) addIs(m, 'title', name);
  for (const part of partsOfUrl(page.url, true)) addIs({ part }, 'url-pattern', urlName(page.url));

  const inZone = is.some((m) => m.part === 'catalogue' && !m.domain);
  const links: PageDisclosure['links'] = [];
  const linked = new Set<string>();
  const addLink = (m: PartMatch, url: string, signal: 'link-text' | 'url-pattern', text: string) => {
    const key = `${keyOf(m)} ${placeKey(url)}`;
    if (linked.has(key)) return;
    linked.add(key);
    links.push({ ...m, title: partTitle(m.part, m.domain), url, signal, text });
  };
  for (const l of page.links) {
    for (const m of partsOfText(l.anchor, domains, inZone)) addLink(m, l.url, 'link-text', l.anchor.trim());
    for (const part of partsOfUrl(l.url)) addLink({ part }, l.url, 'url-pattern', urlName(l.url));
  }
  const order = (p: DisclosurePartId) => PART_ORDER.indexOf(p);
  links.sort(
    (a, b) =>
      order(a.part) - order(b.part) || (a.signal === b.signal ? 0 : a.signal === 'link-text' ? -1 : 1),
  );
  return { is, links };
}
