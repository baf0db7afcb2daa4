import * as cheerio from 'cheerio';
import { normaliseUrl, isPlaceholderHref } from './urls.js';
import { findPager, hanwebRecords, hanwebRecordsFromXml, isDatastoreXml } from '../extract/pager.js';
import { clientRedirect, isStubText } from '../extract/clientRedirect.js';

/**
 * The crawler's view of a page: only its links and pager URLs. Deliberately lighter than
 * parseHtmlPage (no visible text, tables or lists), because it runs once per fetched page.
 */
export interface DiscoveredLinks {
  links: { url: string; anchor: string; tag: string }[];
  pagerUrls: string[];
  placeholders: number;
}

/** Every followable link of a loaded page (anchors, areas, frames), and how many were placeholders. */
export function collectLinks(
  $: cheerio.CheerioAPI,
  base: string,
): { links: DiscoveredLinks['links']; placeholders: number } {
  const links: DiscoveredLinks['links'] = [];
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

export function discoverLinks(html: string, pageUrl: string): DiscoveredLinks {
  const $ = cheerio.load(html);
  const base = normaliseUrl($('base[href]').attr('href') ?? '', pageUrl) ?? pageUrl;
  // Hanweb lists ship their first page as CDATA records inside a <script type="text/xml">.
  const records = isDatastoreXml(html) ? hanwebRecordsFromXml(html) : hanwebRecords($);
  // <tr> records only survive inside a table.
  const rows = records.join('');
  if (records.length)
    $('body').append(
      /^\s*<tr/i.test(rows) ? `<table hidden><tbody>${rows}</tbody></table>` : `<div hidden>${rows}</div>`,
    );
  const { links, placeholders } = collectLinks($, base);
  // The page's whole text is only worth reading when it does forward somewhere.
  const target = clientRedirect($);
  const redirect = target && isStubText($('body').text()) ? normaliseUrl(target, base) : undefined;
  if (redirect) links.push({ url: redirect, anchor: '（页面自动跳转）', tag: 'redirect' });
  return { links, pagerUrls: findPager($, pageUrl)?.urls ?? [], placeholders };
}
