import type { Db } from '../store/db.js';
import type { UnitRow } from '../store/runs.js';
import {
  eachPageLinks,
  eachResource,
  loadBody,
  resourcesByUrl,
  type LinkRecord,
  type ResourceRecord,
} from '../store/crawlData.js';
import { decodeHtml } from '../crawl/decodeHtml.js';
import { parseHtmlPage, type PageFacts } from './htmlPage.js';
import { groupColumns, type Column } from './columns.js';
import { isDatastoreXml } from './pager.js';
import { listProbes, type ProbeRecord } from '../store/probes.js';
import { extractAttachmentText } from './attachmentText.js';
import { crossUnitFacts, NO_CROSS_UNIT, type CrossUnit, type RunFacts } from './crossUnit.js';
import { CatalogueCollector, type CatalogueDocument } from './catalogueDocuments.js';
import { LinkTable, StringPool } from './linkTable.js';
import { summarisePage, type PageSummary } from './pageSummary.js';

export type { CatalogueDocument } from './catalogueDocuments.js';
export type { PageSummary } from './pageSummary.js';
export type { LinkTable } from './linkTable.js';

export interface AttachmentEvidence {
  url: string;
  resource: ResourceRecord;
  format: string;
  segments: { location: string; text: string; context?: string }[];
  warnings: string[];
}

/**
 * Everything the checks may read about one unit, derived from the store only. Checks receive this
 * object and nothing else, so they stay pure and any stage can be re-run from stored data. Its
 * size does not grow with page text: pages are kept as summaries, links as a table of pooled
 * strings; what a check needs of a page's text it reads in its `page` step.
 */
export interface UnitEvidence {
  unit: UnitRow;
  /** What this unit's crawl stored: its own pages, attachments and external links. */
  resources: ResourceRecord[];
  /** Targets of this unit's links that another unit of the run stored (a portal page, say). */
  foreignResources: ResourceRecord[];
  /** Both of the above, by URL. */
  resourceByUrl: Map<string, ResourceRecord>;
  /** The links the crawl stored for this unit's pages, in stored order. */
  links: LinkTable;
  pages: PageSummary[];
  pageByUrl: Map<string, PageSummary>;
  /** Start URLs and where they redirected to. */
  homeUrls: Set<string>;
  catalogueUrls: Set<string>;
  columns: Column[];
  attachments: AttachmentEvidence[];
  /** Home-page availability probes (xuncha probe) in the window before the inspection date. */
  probes: ProbeRecord[];
  /** The portal this unit lives on and what it answers for (template links, 互动 channels). */
  cross: CrossUnit;
  /** The 标准目录 it published (pages and attachments), parsed row by row. */
  catalogueDocuments: CatalogueDocument[];
}

/** What a check's `page` step may ask about the unit while its pages stream past. */
export interface PageStep {
  /** The unit's stored resource (own, or another unit's it links to) at this URL, if any. */
  resource(url: string): ResourceRecord | undefined;
  /** One shared copy of a string (kept notes hold many repeats: codes, link texts). */
  intern(s: string): string;
}

/** Called with each whole page, in turn, while the evidence is built (the checks' `page` steps). */
export type PageVisitor = (page: PageFacts, step: PageStep) => void;

const HTML_TYPE = /text\/html|application\/xhtml/i;
/** The only header a check reads (https-certificate); the rest of each record's headers are dropped. */
const KEPT_HEADERS = ['x-xuncha-tls-error'];
const NO_HEADERS: Record<string, string> = Object.freeze({}) as Record<string, string>;

function isOk(r: ResourceRecord): boolean {
  return ((r.status >= 200 && r.status < 300) || r.status === 304) && !r.errorKind;
}

/** A resource record with pooled strings and only the headers a check reads. */
function compactResource(r: ResourceRecord, pool: StringPool): ResourceRecord {
  let headers = NO_HEADERS;
  for (const h of KEPT_HEADERS) if (r.headers[h] !== undefined) headers = { ...headers, [h]: r.headers[h] };
  return {
    ...r,
    url: pool.intern(r.url),
    finalUrl: pool.intern(r.finalUrl),
    kind: pool.intern(r.kind) as ResourceRecord['kind'],
    errorKind: pool.intern(r.errorKind),
    error: pool.intern(r.error),
    contentType: pool.intern(r.contentType),
    charset: pool.intern(r.charset),
    headers,
  };
}

/** Days of probe history handed to the checks (the indicator's window is 7). */
const PROBE_HISTORY_DAYS = 31;

export interface EvidenceOptions {
  /** The run's units and run-wide facts (cross-unit links, failed linkers, 互动 channels). */
  run?: RunFacts;
  /** Domain names and aliases of rules/catalogues, for naming a catalogue's domain. */
  catalogueDomains?: string[];
  /** The checks' `page` steps, given each whole page in turn. */
  visit?: PageVisitor;
  /**
   * Called after each row or body read (the check stage keeps its heap bounded there, and lets
   * the event loop turn when it returns a promise).
   */
  tick?: () => void | Promise<void>;
}

export async function buildUnitEvidence(
  db: Db,
  runId: number,
  unit: UnitRow,
  inspectionDate: string,
  options: EvidenceOptions = {},
): Promise<UnitEvidence> {
  const { run, catalogueDomains = [], visit, tick } = options;
  // Rows are read a page of rows at a time and kept compact: resources and links first, then
  // every body, one at a time.
  const pool = new StringPool();
  const resources: ResourceRecord[] = [];
  for await (const r of eachResource(db, runId, unit.id)) {
    resources.push(compactResource(r, pool));
    await tick?.();
  }
  // In site order (shallowest first, then by address), not in the order fetches happened to end:
  // the same site gives the same findings and the same example pages, whatever the timing of the
  // crawl or the number of workers that shared it (a 复查 compares findings across runs).
  resources.sort((a, b) => a.depth - b.depth || (a.url < b.url ? -1 : a.url > b.url ? 1 : 0));
  const links = new LinkTable(pool);
  for await (const page of eachPageLinks(db, runId, unit.id)) {
    for (const [toUrl, anchor, tag] of page.links) links.add(page.fromUrl, toUrl, anchor, tag);
    await tick?.();
  }
  const own = new Set(resources.map((r) => r.url));
  const targets = new Set<string>();
  for (const l of links) if (!own.has(l.toUrl)) targets.add(l.toUrl);
  const foreign = (await resourcesByUrl(db, runId, targets)).map((r) => compactResource(r, pool));
  const byUrl = new Map([...foreign, ...resources].map((r) => [r.url, r]));
  const step: PageStep = { resource: (url) => byUrl.get(url), intern: (s) => pool.intern(s) };
  // Links into attachments, for the catalogue collector (it asks per attachment).
  const inbound = links.linksToAny(resources.filter((r) => r.kind === 'attachment').map((r) => r.url));
  const pages: PageSummary[] = [];
  const attachments: AttachmentEvidence[] = [];
  // The same bytes under two URLs (/col/ and /col/index.html) are one page: judge it once.
  const seen = new Set<string>();
  const catalogues = new CatalogueCollector(unit.catalogues, catalogueDomains);
  const candidates: ResourceRecord[] = [];
  for (const r of resources) {
    if (!isOk(r) || !r.contentHash || seen.has(r.contentHash)) continue;
    const body = await loadBody(db, r.contentHash);
    await tick?.();
    if (!body) continue;
    seen.add(r.contentHash);
    if (
      r.kind === 'page' &&
      (HTML_TYPE.test(r.contentType ?? '') || isDatastoreXml(body.subarray(0, 4096).toString('utf8')))
    ) {
      const html = decodeHtml(body, r.contentType).text;
      const page = parseHtmlPage(html, r.url);
      visit?.(page, step);
      pages.push(summarisePage(page, pool));
      catalogues.addPage(r, html, page);
    } else if (r.kind === 'attachment') {
      const text = await extractAttachmentText(body, { url: r.url, contentType: r.contentType ?? undefined });
      attachments.push({ url: r.url, resource: r, ...text });
      const all = text.segments.map((t) => t.text).join('\n');
      if (catalogues.wantsAttachment(r, text.format, all, inbound.get(r.url) ?? [])) candidates.push(r);
    }
  }
  // Attachments are dated by the page linking them, so they are read once every page is known.
  const pageMap = new Map(pages.map((p) => [p.url, p]));
  for (const r of candidates) {
    const body = await loadBody(db, r.contentHash!);
    if (body) await catalogues.addAttachment(r, body, inbound.get(r.url) ?? [], pageMap);
  }
  const since = new Date(
    Date.parse(`${inspectionDate}T00:00:00+08:00`) - PROBE_HISTORY_DAYS * 86_400_000,
  ).toISOString();
  return assembleEvidence(unit, resources, links, pages, attachments, await listProbes(db, unit.id, since), {
    foreignResources: foreign,
    cross: crossUnitFacts(unit, resources, links, run),
    catalogueDocuments: catalogues.documents,
  });
}

/**
 * Pure assembly of the derived views; also used by check tests to build evidence in memory. Whole
 * pages are cut down to their summaries, as the store path keeps them.
 */
export function assembleEvidence(
  unit: UnitRow,
  resources: ResourceRecord[],
  links: LinkTable | LinkRecord[],
  pages: PageSummary[],
  attachments: AttachmentEvidence[],
  probes: ProbeRecord[] = [],
  others: {
    foreignResources?: ResourceRecord[];
    cross?: CrossUnit;
    catalogueDocuments?: CatalogueDocument[];
  } = {},
): UnitEvidence {
  const foreignResources = others.foreignResources ?? [];
  const resourceByUrl = new Map([...foreignResources, ...resources].map((r) => [r.url, r]));
  const summaries = pages.map((p) => ('text' in p ? summarisePage(p) : p));
  const pageByUrl = new Map(summaries.map((p) => [p.url, p]));
  // The home page is where a start URL ends up: after HTTP redirects, and after a stub's meta
  // refresh or script (two hops at most, as browsers show it).
  const landing = (url: string) => {
    const after = resourceByUrl.get(url)?.finalUrl ?? url;
    const forwarded = pageByUrl.get(url)?.redirectTo ?? pageByUrl.get(after)?.redirectTo;
    return forwarded
      ? [url, after, forwarded, resourceByUrl.get(forwarded)?.finalUrl ?? forwarded]
      : [url, after];
  };
  const homeUrls = new Set(unit.startUrls.flatMap(landing));
  const catalogueUrls = new Set(unit.catalogues.map((c) => c.url));
  return {
    unit,
    resources,
    foreignResources,
    resourceByUrl,
    links: Array.isArray(links) ? LinkTable.of(links) : links,
    pages: summaries,
    pageByUrl,
    homeUrls,
    catalogueUrls,
    columns: groupColumns(summaries, new Set([...homeUrls, ...catalogueUrls])),
    attachments,
    probes,
    cross: others.cross ?? NO_CROSS_UNIT,
    catalogueDocuments: others.catalogueDocuments ?? [],
  };
}
