import type { Db } from '../store/db.js';
import type { UnitRow } from '../store/runs.js';
import {
  listLinks,
  listResources,
  loadBody,
  resourcesByUrl,
  type LinkRecord,
  type ResourceRecord,
} from '../store/crawlData.js';
import { decodeHtml } from '../crawl/decodeHtml.js';
import { parseHtmlPageWithSegments, type PageFacts } from './htmlPage.js';
import { groupColumns, type Column } from './columns.js';
import { isDatastoreXml } from './pager.js';
import { listProbes, type ProbeRecord } from '../store/probes.js';
import { extractAttachmentText, type TextSegment } from './attachmentText.js';
import { crossUnitFacts, NO_CROSS_UNIT, type CrossUnit, type RunFacts } from './crossUnit.js';
import { CatalogueCollector, type CatalogueDocument } from './catalogueDocuments.js';

export type { CatalogueDocument } from './catalogueDocuments.js';

export interface AttachmentEvidence {
  url: string;
  resource: ResourceRecord;
  format: string;
  segments: { location: string; text: string; context?: string }[];
  warnings: string[];
}

/**
 * Everything the checks may read about one unit, derived from the store only. Checks receive this
 * object and nothing else, so they stay pure and any stage can be re-run from stored data.
 */
export interface UnitEvidence {
  unit: UnitRow;
  /** What this unit's crawl stored: its own pages, attachments and external links. */
  resources: ResourceRecord[];
  /** Targets of this unit's links that another unit of the run stored (a portal page, say). */
  foreignResources: ResourceRecord[];
  /** Both of the above, by URL. */
  resourceByUrl: Map<string, ResourceRecord>;
  links: LinkRecord[];
  pages: PageFacts[];
  pageByUrl: Map<string, PageFacts>;
  /** Text of each page in parts (visible text, attribute values, comments) for personal-data checks. */
  pageSegments: Map<string, TextSegment[]>;
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

const HTML_TYPE = /text\/html|application\/xhtml/i;

function isOk(r: ResourceRecord): boolean {
  return ((r.status >= 200 && r.status < 300) || r.status === 304) && !r.errorKind;
}

/** Days of probe history handed to the checks (the indicator's window is 7). */
const PROBE_HISTORY_DAYS = 31;

export async function buildUnitEvidence(
  db: Db,
  runId: number,
  unit: UnitRow,
  inspectionDate: string,
  run?: RunFacts,
  /** Domain names and aliases of rules/catalogues, for naming a catalogue's domain. */
  catalogueDomains: string[] = [],
): Promise<UnitEvidence> {
  const resources = listResources(db, runId, unit.id);
  const links = listLinks(db, runId, unit.id);
  const own = new Set(resources.map((r) => r.url));
  const foreign = resourcesByUrl(db, runId, new Set(links.map((l) => l.toUrl).filter((u) => !own.has(u))));
  const pages: PageFacts[] = [];
  const attachments: AttachmentEvidence[] = [];
  const segments = new Map<string, TextSegment[]>();
  // The same bytes under two URLs (/col/ and /col/index.html) are one page: judge it once.
  const seen = new Set<string>();
  const catalogues = new CatalogueCollector(unit.catalogues, catalogueDomains);
  const candidates: ResourceRecord[] = [];
  for (const r of resources) {
    if (!isOk(r) || !r.contentHash || seen.has(r.contentHash)) continue;
    const body = loadBody(db, r.contentHash);
    if (!body) continue;
    seen.add(r.contentHash);
    if (
      r.kind === 'page' &&
      (HTML_TYPE.test(r.contentType ?? '') || isDatastoreXml(body.subarray(0, 4096).toString('utf8')))
    ) {
      const html = decodeHtml(body, r.contentType).text;
      const parsed = parseHtmlPageWithSegments(html, r.url);
      pages.push(parsed.page);
      segments.set(r.url, parsed.segments);
      catalogues.addPage(r, html, parsed.page);
    } else if (r.kind === 'attachment') {
      const text = await extractAttachmentText(body, { url: r.url, contentType: r.contentType ?? undefined });
      attachments.push({ url: r.url, resource: r, ...text });
      const all = text.segments.map((t) => t.text).join('\n');
      if (catalogues.wantsAttachment(r, text.format, all, links)) candidates.push(r);
    }
  }
  // Attachments are dated by the page linking them, so they are read once every page is known.
  const pageMap = new Map(pages.map((p) => [p.url, p]));
  for (const r of candidates) {
    const body = loadBody(db, r.contentHash!);
    if (body) await catalogues.addAttachment(r, body, links, pageMap);
  }
  const since = new Date(
    Date.parse(`${inspectionDate}T00:00:00+08:00`) - PROBE_HISTORY_DAYS * 86_400_000,
  ).toISOString();
  return assembleEvidence(
    unit,
    resources,
    links,
    pages,
    attachments,
    listProbes(db, unit.id, since),
    segments,
    {
      foreignResources: foreign,
      cross: crossUnitFacts(unit, resources, links, run),
      catalogueDocuments: catalogues.documents,
    },
  );
}

/** Pure assembly of the derived views; also used by check tests to build evidence in memory. */
export function assembleEvidence(
  unit: UnitRow,
  resources: ResourceRecord[],
  links: LinkRecord[],
  pages: PageFacts[],
  attachments: AttachmentEvidence[],
  probes: ProbeRecord[] = [],
  pageSegments = new Map<string, TextSegment[]>(),
  others: {
    foreignResources?: ResourceRecord[];
    cross?: CrossUnit;
    catalogueDocuments?: CatalogueDocument[];
  } = {},
): UnitEvidence {
  const foreignResources = others.foreignResources ?? [];
  const resourceByUrl = new Map([...foreignResources, ...resources].map((r) => [r.url, r]));
  const pageByUrl = new Map(pages.map((p) => [p.url, p]));
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
    links,
    pages,
    pageByUrl,
    pageSegments,
    homeUrls,
    catalogueUrls,
    columns: groupColumns(pages, new Set([...homeUrls, ...catalogueUrls])),
    attachments,
    probes,
    cross: others.cross ?? NO_CROSS_UNIT,
    catalogueDocuments: others.catalogueDocuments ?? [],
  };
}
