import { disclosurePins } from '../seeds/unit.js';
import type { Db } from '../store/db.js';
import type { UnitRow } from '../store/runs.js';
import { listLinks, listResources, loadBody } from '../store/crawlData.js';
import { decodeHtml } from '../crawl/decodeHtml.js';
import { parseHtmlPage, type PageFacts } from './htmlPage.js';
import { isDatastoreXml } from './pager.js';
import { findDisclosureParts, isFetched, type DisclosurePart } from './disclosureColumn.js';

const HTML_TYPE = /text\/html|application\/xhtml/i;

/**
 * The unit's 专栏 parts read from the store, for the report stage, which has no evidence: the
 * same detection on the same stored resources and links as the check stage, parsing only the few
 * pages the detection asks for. Pages are chosen as buildUnitEvidence chooses them (a fetched
 * HTML page, each body once under the first URL that served it), so both stages agree.
 */
export function disclosureFromStore(
  db: Db,
  runId: number,
  unit: UnitRow,
  domains: readonly string[],
): DisclosurePart[] {
  const resources = listResources(db, runId, unit.id);
  const byUrl = new Map(resources.map((r) => [r.url, r]));
  const firstByHash = new Map<string, string>();
  for (const r of resources)
    if (isFetched(r) && r.contentHash && !firstByHash.has(r.contentHash))
      firstByHash.set(r.contentHash, r.url);
  const parsed = new Map<string, PageFacts | undefined>();
  const parse = (url: string): PageFacts | undefined => {
    if (parsed.has(url)) return parsed.get(url);
    const r = byUrl.get(url)!;
    const body = loadBody(db, r.contentHash!);
    const html =
      body &&
      r.kind === 'page' &&
      (HTML_TYPE.test(r.contentType ?? '') || isDatastoreXml(body.subarray(0, 4096).toString('utf8')));
    const page = html ? parseHtmlPage(decodeHtml(body, r.contentType).text, r.url) : undefined;
    parsed.set(url, page);
    return page;
  };
  const pageOf = (url: string) => {
    const r = byUrl.get(url);
    const first = r && isFetched(r) && r.contentHash ? firstByHash.get(r.contentHash) : undefined;
    return first ? parse(first) : undefined;
  };
  return findDisclosureParts(
    {
      catalogues: unit.catalogues,
      pins: disclosurePins(unit),
      resources,
      links: listLinks(db, runId, unit.id),
    },
    pageOf,
    domains,
  );
}
