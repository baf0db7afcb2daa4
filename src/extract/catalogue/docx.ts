/**
 * Catalogue tables in a DOCX: w:tbl rows and cells from word/document.xml, w:gridSpan as copies to
 * the right, w:vMerge continuation cells as copies of the cell above, w:gridBefore as skipped grid
 * columns; hyperlinks through the part's relationships. The paragraphs before a table title it.
 * A table holding another table is page layout: its inner tables are read instead.
 */
import { cataloguesFromTables, type GridCell, type SourceTable } from './grid.js';
import type { CatalogueLink, PublishedCatalogue } from './types.js';
import { decodeXmlText, xmlAttr } from '../formats/xmlPackage.js';
import { MAX_XML_PART_BYTES, readZipDirectory, readZipEntry } from '../formats/zipReader.js';

interface RawCell {
  paras: string[];
  text: string;
  span: number;
  vMerge?: 'restart' | 'continue';
  links: CatalogueLink[];
}
interface RawRow {
  cells: RawCell[];
  before: number;
}
interface RawTable {
  rows: RawRow[];
  nested: boolean;
  titles: string[];
}

const TOKEN =
  /<(\/?)w:(tbl|tr|tc|p|t|tab|br|cr|gridSpan|vMerge|gridBefore|hyperlink)(?=[\s>/])([^>]*?)(\/?)>|([^<]+)|<[^>]*>/g;

function relationships(body: Buffer, entries: ReturnType<typeof readZipDirectory>): Map<string, string> {
  const e = entries.find((x) => x.name === 'word/_rels/document.xml.rels');
  const rels = new Map<string, string>();
  if (!e) return rels;
  const xml = readZipEntry(body, e, MAX_XML_PART_BYTES).toString('utf8');
  for (const m of xml.matchAll(/<Relationship\b([^>]*)\/?>/g)) {
    const id = xmlAttr(m[1] ?? '', 'Id');
    const target = xmlAttr(m[1] ?? '', 'Target');
    if (id && target && /^https?:\/\//i.test(target)) rels.set(id, target);
  }
  return rels;
}

/** Tables (innermost first closed, so in document order of their ends) and the paragraphs around them. */
function readTables(xml: string, rels: Map<string, string>): { tables: RawTable[]; paragraphs: string[] } {
  const clean = xml.replace(/<mc:Fallback\b[\s\S]*?<\/mc:Fallback>/g, '');
  const tables: RawTable[] = [];
  const paragraphs: string[] = [];
  const stack: { table: RawTable; row?: RawRow; cell?: RawCell }[] = [];
  let para = '';
  let inText = false;
  let link: CatalogueLink | undefined;
  for (const m of clean.matchAll(TOKEN)) {
    const [, close, tag, attrs = '', selfClose, text] = m;
    const top = stack[stack.length - 1];
    if (text !== undefined) {
      if (inText) {
        const t = decodeXmlText(text);
        para += t;
        if (link) link.text += t;
      }
      continue;
    }
    if (tag === undefined) continue;
    if (tag === 't') inText = !close && !selfClose;
    else if (tag === 'tab' && !close) para += ' ';
    else if ((tag === 'br' || tag === 'cr') && !close) para += '\n';
    else if (tag === 'p' && (close || selfClose)) {
      if (top?.cell) top.cell.paras.push(para);
      else if (stack.length === 0) paragraphs.push(para);
      para = '';
    } else if (tag === 'hyperlink') {
      if (close || selfClose) {
        if (link && top?.cell && link.text.trim() !== '')
          top.cell.links.push({ ...link, text: link.text.trim() });
        link = undefined;
      } else {
        const url = rels.get(xmlAttr(attrs, 'r:id') ?? '');
        link = url ? { url, text: '' } : undefined;
      }
    } else if (tag === 'tbl' && !close) {
      if (top) top.table.nested = true;
      const titles = paragraphs
        .slice(-4)
        .map((p) => p.trim())
        .filter((p) => p !== '')
        .reverse();
      stack.push({ table: { rows: [], nested: false, titles: stack.length === 0 ? titles : [] } });
    } else if (tag === 'tbl' && close) {
      const done = stack.pop();
      if (done) tables.push(done.table);
    } else if (top && tag === 'tr' && !close) {
      top.row = { cells: [], before: 0 };
      top.table.rows.push(top.row);
    } else if (top?.row && tag === 'gridBefore') {
      top.row.before = Math.min(64, Number(xmlAttr(attrs, 'w:val') ?? 0) || 0);
    } else if (top?.row && tag === 'tc' && !close) {
      top.cell = { paras: [], text: '', span: 1, links: [] };
      top.row.cells.push(top.cell);
    } else if (top?.cell && tag === 'tc' && close) {
      top.cell.text = top.cell.paras
        .map((p) => p.trim())
        .join('\n')
        .trim();
      top.cell = undefined;
    } else if (top?.cell && tag === 'gridSpan') {
      top.cell.span = Math.min(64, Math.max(1, Number(xmlAttr(attrs, 'w:val') ?? 1) || 1));
    } else if (top?.cell && tag === 'vMerge') {
      top.cell.vMerge = xmlAttr(attrs, 'w:val') === 'restart' ? 'restart' : 'continue';
    }
  }
  return { tables, paragraphs };
}

function grid(table: RawTable): GridCell[][] {
  const rows: GridCell[][] = [];
  table.rows.forEach((raw, r) => {
    const row: GridCell[] = [];
    for (let i = 0; i < raw.before; i++) row.push({ text: '' });
    for (const cell of raw.cells) {
      const c = row.length;
      const above = rows[r - 1]?.[c];
      const master: GridCell =
        cell.vMerge === 'continue' && above
          ? { text: above.text, copy: 'row' }
          : { text: cell.text, links: cell.links };
      row.push(master);
      for (let k = 1; k < cell.span; k++)
        row.push(
          master.copy === 'row' ? { text: master.text, copy: 'row' } : { text: master.text, copy: 'col' },
        );
    }
    rows.push(row);
  });
  return rows;
}

export function parseCatalogueDocx(body: Buffer, knownDomains: readonly string[]): PublishedCatalogue[] {
  const entries = readZipDirectory(body);
  const doc = entries.find((e) => e.name === 'word/document.xml');
  if (!doc) throw new Error('文档缺少 word/document.xml');
  const xml = readZipEntry(body, doc, MAX_XML_PART_BYTES).toString('utf8');
  const { tables, paragraphs } = readTables(xml, relationships(body, entries));
  const pageTitles = paragraphs
    .map((p) => p.trim())
    .filter((p) => p !== '')
    .slice(0, 6);
  const sources: SourceTable[] = tables
    .filter((t) => !t.nested)
    .map((t, i) => ({
      rows: grid(t),
      name: `表${i + 1}`,
      titles: t.titles.filter((x) => /目录|领域|清单/.test(x)),
    }));
  return cataloguesFromTables(sources, { format: 'docx', knownDomains, pageTitles });
}
