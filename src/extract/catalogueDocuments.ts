/**
 * Finding the 标准目录 a unit published among what its crawl stored: pages whose tables read as a
 * catalogue (or that the seeds pin as one), and attachments (XLSX, DOCX, PDF …) named or written
 * as one. Each is parsed into PublishedCatalogue form for the catalogue checks.
 */
import type { ResourceRecord, LinkRecord } from '../store/crawlData.js';
import type { PageFacts } from './htmlPage.js';
import type { PublishedCatalogue } from './catalogue/types.js';
import {
  looksLikeCatalogueHtml,
  looksLikeCatalogueText,
  parseCatalogueFile,
  parseCatalogueHtml,
} from './catalogue/index.js';

export interface CatalogueDocument {
  url: string;
  via: 'page' | 'attachment';
  /** The page's title, or the link text an attachment was reached by. */
  title?: string;
  /** Its 发布日期: the page's own, or that of the page linking the attachment. */
  date?: string;
  /** The domain the seeds name for this URL, when they pin it. */
  pinnedDomain?: string;
  catalogues: PublishedCatalogue[];
}

const CATALOGUE_NAME = /目录|事项清单/;
const CATALOGUE_FORMATS = new Set(['xlsx', 'xls', 'docx', 'doc', 'pdf', 'wps', 'et', 'csv', 'txt', 'ofd']);

export class CatalogueCollector {
  readonly documents: CatalogueDocument[] = [];
  private readonly pinned: Map<string, string>;

  constructor(
    pins: { domain: string; url: string }[],
    private readonly knownDomains: string[],
  ) {
    this.pinned = new Map(pins.map((p) => [p.url, p.domain]));
  }

  private pinOf(r: ResourceRecord): string | undefined {
    return this.pinned.get(r.url) ?? (r.finalUrl ? this.pinned.get(r.finalUrl) : undefined);
  }

  addPage(r: ResourceRecord, html: string, page: PageFacts): void {
    const pinnedDomain = this.pinOf(r);
    if (!pinnedDomain && !looksLikeCatalogueHtml(html)) return;
    const catalogues = parseCatalogueHtml(html, r.finalUrl ?? r.url, this.knownDomains).filter(
      (c) => c.rows.length > 0 || pinnedDomain,
    );
    if (catalogues.length === 0) return;
    this.documents.push({
      url: r.url,
      via: 'page',
      ...(page.title ? { title: page.title } : {}),
      ...(page.pubDate ? { date: page.pubDate.date } : {}),
      ...(pinnedDomain ? { pinnedDomain } : {}),
      catalogues,
    });
  }

  /**
   * Whether an attachment may be a catalogue: pinned, or a document format named as one (link text
   * or file name) or whose extracted text reads as one. Only these are parsed again.
   */
  wantsAttachment(r: ResourceRecord, format: string, text: string, links: LinkRecord[]): boolean {
    if (this.pinOf(r)) return true;
    if (!CATALOGUE_FORMATS.has(format)) return false;
    const named =
      links.some((l) => l.toUrl === r.url && CATALOGUE_NAME.test(l.anchor)) ||
      CATALOGUE_NAME.test(decodeURIComponentSafe(new URL(r.url).pathname));
    return named || looksLikeCatalogueText(text);
  }

  /** Parses an attachment `wantsAttachment` accepted; dated by the page that links it. */
  async addAttachment(
    r: ResourceRecord,
    body: Buffer,
    links: LinkRecord[],
    pages: ReadonlyMap<string, Pick<PageFacts, 'pubDate'>>,
  ): Promise<void> {
    const pinnedDomain = this.pinOf(r);
    const inbound = links.filter((l) => l.toUrl === r.url);
    const catalogues = (
      await parseCatalogueFile(body, {
        url: r.url,
        ...(r.contentType ? { contentType: r.contentType } : {}),
        knownDomains: this.knownDomains,
      })
    ).filter((c) => c.rows.length > 0 || pinnedDomain);
    if (catalogues.length === 0) return;
    const anchor = inbound.find((l) => l.anchor.trim())?.anchor.trim();
    const date = inbound
      .map((l) => pages.get(l.fromUrl)?.pubDate?.date)
      .filter((d): d is string => !!d)
      .sort()[0];
    this.documents.push({
      url: r.url,
      via: 'attachment',
      ...(anchor ? { title: anchor } : {}),
      ...(date ? { date } : {}),
      ...(pinnedDomain ? { pinnedDomain } : {}),
      catalogues,
    });
  }
}

function decodeURIComponentSafe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
