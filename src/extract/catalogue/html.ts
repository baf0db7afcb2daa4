/**
 * Catalogue tables in an HTML page: every innermost <table> (a table holding another table is page
 * layout) expanded into a grid honouring rowspan/colspan, with the caption or the heading before it
 * as its title and the page's <title>/headings as fallbacks.
 */
import * as cheerio from 'cheerio';
import type { AnyNode, Element } from 'domhandler';
import { cataloguesFromTables, type GridCell, type SourceTable } from './grid.js';
import type { CatalogueLink, PublishedCatalogue } from './types.js';

const SKIP = new Set(['script', 'style', 'noscript', 'template', 'head', 'svg', 'object', 'select']);
const BLOCK = new Set([
  'p',
  'div',
  'li',
  'br',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'dd',
  'dt',
  'tr',
  'section',
]);
// Bounds on spans: a hostile rowspan="65534" must not make a grid of millions of cells.
const MAX_COLSPAN = 64;
const MAX_ROWSPAN = 2000;
const MAX_CELLS = 400_000;

function resolveLink(href: string, base: string): string | undefined {
  const h = href.trim();
  if (h === '' || /^(?:javascript|mailto|tel):/i.test(h) || h.startsWith('#')) return undefined;
  try {
    return new URL(h, base).toString();
  } catch {
    return undefined;
  }
}

/** A cell's text (line breaks for <br> and blocks) and its links. */
function cellContent(el: Element, base: string): { text: string; links: CatalogueLink[] } {
  const parts: string[] = [];
  const links: CatalogueLink[] = [];
  const walk = (node: AnyNode): void => {
    if (node.type === 'text') {
      parts.push((node as unknown as { data: string }).data.replace(/[\s\u00a0]+/g, ' '));
      return;
    }
    if (node.type !== 'tag') return;
    const e = node as Element;
    const name = e.name.toLowerCase();
    if (SKIP.has(name)) return;
    const block = BLOCK.has(name);
    if (block) parts.push('\n');
    const start = parts.length;
    for (const child of e.children) walk(child);
    if (name === 'a' && e.attribs.href !== undefined) {
      const url = resolveLink(e.attribs.href, base);
      const text = parts.slice(start).join('').replace(/\s+/g, ' ').trim();
      if (url && !links.some((l) => l.url === url)) links.push({ url, text });
    }
    if (block) parts.push('\n');
  };
  for (const child of el.children) walk(child);
  const text = parts
    .join('')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '')
    .join('\n');
  return { text, links };
}

const spanOf = (v: string | undefined, max: number): number => {
  const n = Number.parseInt(v ?? '1', 10);
  return Number.isFinite(n) && n >= 1 ? Math.min(n, max) : 1;
};

/** The HTML table model: cells placed in the first free slot, spans copied with their direction. */
export function tableGrid($: cheerio.CheerioAPI, table: Element, base: string): GridCell[][] {
  const trs = $(table)
    .find('tr')
    .toArray()
    .filter((tr) => $(tr).closest('table')[0] === table);
  const grid: GridCell[][] = [];
  let cells = 0;
  trs.forEach((tr, r) => {
    const row = (grid[r] ??= []);
    let c = 0;
    for (const td of $(tr).children('td,th').toArray()) {
      while (row[c] !== undefined) c++;
      const { text, links } = cellContent(td, base);
      const rs = td.attribs.rowspan === '0' ? trs.length - r : spanOf(td.attribs.rowspan, MAX_ROWSPAN);
      const cs = spanOf(td.attribs.colspan, MAX_COLSPAN);
      for (let dr = 0; dr < Math.min(rs, trs.length - r); dr++) {
        const target = (grid[r + dr] ??= []);
        for (let dc = 0; dc < cs; dc++) {
          if (++cells > MAX_CELLS) return;
          const copy = dr > 0 ? 'row' : dc > 0 ? 'col' : undefined;
          target[c + dc] = copy ? { text, copy } : { text, links };
        }
      }
      c += cs;
    }
  });
  // Rows shorter than the widest (a missing trailing cell) are padded with empty cells.
  const width = Math.max(0, ...grid.map((r) => r.length));
  return grid.map((r) => Array.from({ length: width }, (_, c) => r[c] ?? { text: '' }));
}

const shortText = (s: string): string => s.replace(/\s+/g, ' ').trim();

/** Texts just before a table (headings, paragraphs), nearest first, stopping at another table. */
function textsBefore($: cheerio.CheerioAPI, table: Element): string[] {
  const out: string[] = [];
  let node: Element | null = table;
  for (let depth = 0; node && depth < 6 && out.length < 3; depth++) {
    let sib = node.prev;
    while (sib && out.length < 3) {
      if (sib.type === 'tag') {
        const e = sib as Element;
        if (e.name === 'table' || $(e).find('table').length > 0) return out;
        if (!SKIP.has(e.name)) {
          const t = shortText($(e).text());
          if (t !== '' && t.length <= 80) out.push(t);
        }
      } else if (sib.type === 'text') {
        const t = shortText((sib as unknown as { data: string }).data);
        if (t !== '' && t.length <= 80) out.push(t);
      }
      sib = sib.prev;
    }
    node = node.parent?.type === 'tag' ? (node.parent as Element) : null;
  }
  return out;
}

/** Every catalogue in an HTML page. */
export function parseCatalogueHtml(
  html: string,
  baseUrl: string,
  knownDomains: string[] = [],
): PublishedCatalogue[] {
  // htmlparser2 rather than parse5: faster on table-heavy pages; it closes unclosed td/tr/p too.
  const $ = cheerio.load(html, { xml: { xmlMode: false, decodeEntities: true } });
  $('script,style,noscript,template').remove();
  const pageTitles = [
    ...$('h1,h2,h3,.title,.bt,#title,.article-title,[class*=title]')
      .toArray()
      .slice(0, 12)
      .map((e) => shortText($(e).text()))
      .filter((t) => t !== '' && t.length <= 80),
    shortText($('title').first().text()),
  ];
  const tables: SourceTable[] = [];
  $('table').each((i, el) => {
    if ($(el).find('table').length > 0) return;
    const caption = shortText($(el).children('caption').text());
    const before = textsBefore($, el);
    const titles = [caption, ...before.filter((t) => /目录|领域|清单/.test(t))].filter((t) => t !== '');
    tables.push({ rows: tableGrid($, el, baseUrl), name: `表${tables.length + 1}`, titles });
  });
  return cataloguesFromTables(tables, { format: 'html', knownDomains, pageTitles });
}

// Header words may be spaced or broken by tags (`公开<br>时限`).
const loose = (word: string): string => [...word].join('(?:\\s|&nbsp;|<[^>]{0,80}>)*');
const TIME = new RegExp(loose('公开时限'));
const OTHER = new RegExp(['公开主体', '一级事项', '二级事项', '公开依据'].map(loose).join('|'));

/** A cheap test: does this page hold a catalogue table worth parsing? */
export function looksLikeCatalogueHtml(html: string): boolean {
  return /<t[dh][\s>]/i.test(html) && TIME.test(html) && OTHER.test(html);
}

/** The same test for page text (no HTML). */
export function looksLikeCatalogueText(text: string): boolean {
  return TIME.test(text) && OTHER.test(text);
}
