/**
 * The format-independent core: catalogue tables as 2-D grids of cells (merged cells already
 * expanded, copies marked) → PublishedCatalogue. Finds each table's header (one row or several),
 * joins continuation tables (a page break in a PDF, a table split in two on a page) to the
 * catalogue before them, and starts a new catalogue where a table has a header and a title of its own.
 */
import { matchDomain, pickTitle } from './domain.js';
import {
  columnSignature,
  columnsOf,
  headerRowScore,
  isHeaderContinuation,
  isHeaderRow,
  isTickRole,
  type Column,
} from './header.js';
import {
  addGridRow,
  isSectionRow,
  newRowBuilder,
  rowProblems,
  type GridCell,
  type RowBuilder,
} from './rows.js';
import { markerReader } from './ticks.js';
import type { CatalogueFormat, PublishedCatalogue } from './types.js';

export type { GridCell } from './rows.js';

export interface SourceTable {
  rows: GridCell[][];
  /** Location prefix of the table: `表1`, `工作表「社会救助」`. */
  name: string;
  /** Location of grid row r (0-based); `${name}第${r + 1}行` when absent. */
  locate?: (r: number) => string;
  /** Texts that may title this table, nearest first (caption, the heading before it, sheet name). */
  titles?: string[];
  /** Texts to find the domain in after the titles (sheet name, page headings). */
  domainHints?: string[];
  /** A table of its own even when its header matches the table before (another sheet, another file part). */
  standalone?: boolean;
  /** Columns already known (a PDF's header read from its layout): every row is then a data row. */
  columns?: Column[];
}

export interface GridOptions {
  format: CatalogueFormat;
  knownDomains?: readonly string[];
  /** Page-level texts (<title>, h1, the first paragraphs) used when a table has no title of its own. */
  pageTitles?: string[];
}

// A header is looked for in a table's first rows only; below them a header-like row is a repeat.
const HEADER_SEARCH_ROWS = 30;

interface Current {
  catalogue: PublishedCatalogue;
  builder: RowBuilder;
  signature: string;
  width: number;
  titled: boolean;
}

const textsOf = (row: GridCell[]): string[] => row.map((c) => c.text);

/** Index of the header's first row and the rows it spans, or undefined. */
function findHeader(rows: GridCell[][]): { start: number; end: number } | undefined {
  const limit = Math.min(rows.length, HEADER_SEARCH_ROWS);
  for (let r = 0; r < limit; r++) {
    if (!isHeaderRow(textsOf(rows[r] ?? []))) continue;
    let end = r + 1;
    while (end < rows.length && isHeaderContinuation(textsOf(rows[end] ?? []), textsOf(rows[end - 1] ?? [])))
      end++;
    return { start: r, end };
  }
  return undefined;
}

/** Whether the table's words say it is a catalogue even though no header row could be found. */
function catalogueWords(rows: GridCell[][]): boolean {
  const s = headerRowScore(rows.slice(0, HEADER_SEARCH_ROWS).flatMap(textsOf));
  return s.roles >= 3;
}

function tickReader(columns: Column[], rows: GridCell[][]) {
  const cells: string[] = [];
  for (const row of rows)
    columns.forEach((col, c) => {
      if (isTickRole(col.role) && col.option !== undefined) cells.push(row[c]?.text ?? '');
    });
  return markerReader(cells);
}

function finish(c: Current): PublishedCatalogue {
  for (const row of c.builder.rows) row.problems = rowProblems(row);
  if (c.builder.rows.length === 0) c.catalogue.problems.push('表头之后没有读到目录行');
  return c.catalogue;
}

function start(
  table: SourceTable,
  columns: Column[],
  titleRows: string[],
  width: number,
  opts: GridOptions,
): Current {
  const ownTitles = [...titleRows, ...(table.titles ?? [])];
  const title = pickTitle([...ownTitles, ...(opts.pageTitles ?? [])]);
  const domain = matchDomain(
    [...ownTitles, ...(table.domainHints ?? []), ...(opts.pageTitles ?? [])],
    opts.knownDomains,
  );
  const catalogue: PublishedCatalogue = { format: opts.format, rows: [], problems: [] };
  if (domain) catalogue.domain = domain;
  if (title) catalogue.title = title;
  const builder = newRowBuilder(columns);
  catalogue.rows = builder.rows;
  const missing = (['time', 'subject', 'content'] as const).filter((r) => !columns.some((c) => c.role === r));
  const names: Record<string, string> = { time: '公开时限', subject: '公开主体', content: '公开内容' };
  if (missing.length > 0) catalogue.problems.push(`表头中没有${missing.map((m) => names[m]).join('、')}列`);
  return {
    catalogue,
    builder,
    signature: columnSignature(columns),
    width,
    titled: ownTitles.length > 0,
  };
}

/** Short, distinct texts of the rows above a header: the table's own title lines. */
function titleLines(rows: GridCell[][]): string[] {
  const out: string[] = [];
  for (const row of rows)
    for (const c of row) {
      const t = c.text.replace(/\s+/g, ' ').trim();
      if (t !== '' && t.length <= 80 && !out.includes(t)) out.push(t);
    }
  return out;
}

/** Reads catalogue tables, in document order, into catalogues. */
export function cataloguesFromTables(tables: SourceTable[], opts: GridOptions): PublishedCatalogue[] {
  const out: PublishedCatalogue[] = [];
  let current: Current | undefined;
  const close = (): void => {
    if (current) out.push(finish(current));
    current = undefined;
  };
  for (const table of tables) {
    const rows = table.rows;
    const width = Math.max(0, ...rows.map((r) => r.length));
    const header = table.columns ? { start: 0, end: 0 } : findHeader(rows);
    const locate = table.locate ?? ((r: number) => `${table.name}第${r + 1}行`);
    let from = 0;
    if (header) {
      const columns = table.columns ?? columnsOf(rows.slice(header.start, header.end).map(textsOf));
      const titles = titleLines(rows.slice(0, header.start));
      const hasOwnTitle = titles.length > 0 || (table.titles ?? []).length > 0;
      const same = current && current.signature === columnSignature(columns) && !table.standalone;
      if (!same || hasOwnTitle) {
        close();
        current = start(table, columns, titles, width, opts);
      }
      from = header.end;
    } else if (!current || current.width !== width || table.standalone) {
      if (catalogueWords(rows)) {
        close();
        out.push({ format: opts.format, rows: [], problems: [`${table.name}无法识别表头`] });
      }
      continue;
    }
    const cur = current as Current;
    const tick = tickReader(cur.builder.columns, rows.slice(from));
    let pendingTitle: string | undefined;
    for (let r = from; r < rows.length; r++) {
      const row = rows[r] ?? [];
      const texts = textsOf(row);
      if (!table.columns && isHeaderRow(texts)) {
        // A header repeated inside the table; a heading naming another 目录 before it starts a new one.
        let end = r + 1;
        while (
          end < rows.length &&
          isHeaderContinuation(textsOf(rows[end] ?? []), textsOf(rows[end - 1] ?? []))
        )
          end++;
        if (pendingTitle !== undefined) {
          close();
          const columns = columnsOf(rows.slice(r, end).map(textsOf));
          current = start({ ...table, titles: [] }, columns, [pendingTitle], width, opts);
        }
        pendingTitle = undefined;
        r = end - 1;
        continue;
      }
      if (isSectionRow(row)) {
        const t = texts.find((x) => x.trim() !== '')?.trim() ?? '';
        if (/目录/.test(t)) pendingTitle = t;
        continue;
      }
      addGridRow((current as Current).builder, row, locate(r), tick);
    }
  }
  close();
  return out;
}
