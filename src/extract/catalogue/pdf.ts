/**
 * Catalogue tables in a PDF's text layer. Per page: lines, the header (repeated on each page or
 * only on the first: a page without one continues with the last header's columns), each item
 * put in a column by its x-position against the header's column ranges, items of a column joined
 * into blocks (a wrapped cell), and rows ("bands") anchored on the 序号 column — or the most
 * detailed 事项 column when there is none. A block spanning several bands is a merged cell.
 * Text in merged cells is centred vertically, so a band with an empty 一级 takes the nearest
 * 一级 above or below it. Pages without a text layer are reported, not guessed at.
 */
import { readPdfLayout } from '../formats/pdf.js';
import type { Limits } from '../formats/limits.js';
import { cataloguesFromTables, type GridCell } from './grid.js';
import {
  columnBoundaries,
  columnOf,
  headerCandidates,
  headerColumns,
  pageItems,
  toLines,
  type Item,
  type LayoutColumn,
  type Line,
} from './pdfLayout.js';
import type { PublishedCatalogue } from './types.js';

interface Block {
  text: string;
  top: number;
  bottom: number;
}

interface Band {
  page: number;
  top: number;
  bottom: number;
  cells: GridCell[];
  /** Blocks above the page's first anchor: the rest of the previous page's last row. */
  carried?: boolean;
}

// Page numbers and running footers: short number-only lines near the page's top or bottom edge.
const PAGE_MARK =
  /^(?:[-—–]?\s*\d{1,4}\s*[-—–]?|第\s*\d+\s*页(?:\s*[,，/]?\s*共\s*\d+\s*页)?|\d+\s*\/\s*\d+)$/;

/**
 * A column's items as blocks: lines closer than most of a line height belong to one cell. A line
 * that reaches the column's right edge was wrapped by the layout and joins the next without a
 * break; a shorter line ended where the author broke it.
 */
function blocksOf(items: Item[]): Block[] {
  const lines = toLines(items);
  const right = Math.max(0, ...items.map((i) => i.x1));
  const blocks: (Block & { text: string; lastRight: number; size: number })[] = [];
  for (const l of lines) {
    const text = l.items.map((i) => i.text).join(' ');
    const lineRight = Math.max(...l.items.map((i) => i.x1));
    const size = l.bottom - l.top;
    const last = blocks[blocks.length - 1];
    if (last && l.top - last.bottom <= size * 0.75) {
      const soft = last.lastRight >= right - 1.5 * last.size;
      const latin = /[A-Za-z0-9,.;]$/.test(last.text) && /^[A-Za-z0-9]/.test(text);
      last.text += soft ? (latin ? ' ' : '') + text : '\n' + text;
      last.bottom = Math.max(last.bottom, l.bottom);
      last.lastRight = lineRight;
    } else blocks.push({ text, top: l.top, bottom: l.bottom, lastRight: lineRight, size });
  }
  return blocks.map((b) => ({ text: b.text, top: b.top, bottom: b.bottom }));
}

function anchorColumn(columns: LayoutColumn[]): number {
  for (const role of ['no', 'third', 'second', 'first', 'content'] as const) {
    const at = columns.findIndex((c) => c.role === role);
    if (at >= 0) return at;
  }
  return 0;
}

/** Where one band ends and the next begins: the middle of the widest gap no block crosses. */
function splitBetween(lo: number, hi: number, blocks: Block[]): number {
  if (hi <= lo) return (lo + hi) / 2;
  const inside = blocks
    .filter((b) => b.bottom > lo && b.top < hi && !(b.top <= lo && b.bottom >= hi))
    .sort((a, b) => a.top - b.top);
  let best = { size: -1, at: (lo + hi) / 2 };
  let cursor = lo;
  for (const b of [...inside, { top: hi, bottom: hi, text: '' }]) {
    if (b.top > cursor && b.top - cursor > best.size)
      best = { size: b.top - cursor, at: (cursor + b.top) / 2 };
    cursor = Math.max(cursor, b.bottom);
  }
  return best.at;
}

function pageBands(page: number, columns: LayoutColumn[], byColumn: Block[][]): Band[] {
  const anchor = anchorColumn(columns);
  const anchors = byColumn[anchor] ?? [];
  const all = byColumn.flat();
  const bands: Band[] = [];
  const edges: number[] = [];
  anchors.forEach((a, i) => {
    const prev = anchors[i - 1];
    edges.push(prev ? splitBetween(prev.bottom, a.top, all) : Math.min(a.top, ...all.map((b) => b.top)));
  });
  const first = anchors[0];
  if (first && all.some((b) => b.bottom <= first.top)) {
    const top = Math.min(...all.map((b) => b.top));
    bands.push({ page, top, bottom: edges[0] ?? first.top, cells: [], carried: true });
    edges[0] = splitBetween(
      Math.max(top, ...all.filter((b) => b.bottom <= first.top).map((b) => b.bottom)),
      first.top,
      all,
    );
    (bands[0] as Band).bottom = edges[0];
  }
  anchors.forEach((_, i) => {
    const bottom = edges[i + 1] ?? Math.max(...all.map((b) => b.bottom)) + 1;
    bands.push({ page, top: edges[i] ?? 0, bottom, cells: [] });
  });
  for (const band of bands) band.cells = columns.map(() => ({ text: '' }));
  byColumn.forEach((blocks, c) => {
    for (const block of blocks) {
      const hits = bands.filter((b) => Math.min(b.bottom, block.bottom) - Math.max(b.top, block.top) > 0);
      // A block reaching well into several bands is a merged cell; its text reads in the first.
      const spanned = hits.filter(
        (b) =>
          Math.min(b.bottom, block.bottom) - Math.max(b.top, block.top) > 0.4 * (block.bottom - block.top),
      );
      const targets = spanned.length > 0 ? spanned : hits.slice(0, 1);
      targets.forEach((band, k) => {
        const cell = band.cells[c] as GridCell;
        if (k === 0) cell.text = cell.text ? `${cell.text}\n${block.text}` : block.text;
        else if (!cell.text) band.cells[c] = { text: block.text, copy: 'row' };
      });
    }
  });
  return bands;
}

/**
 * Empty 一级 cells (and 二级 of a three-level table) take the nearest name above or below, the one
 * above on a tie; the rest of a row carried over a page break does not count as a row.
 */
function fillCentredNames(all: Band[], columns: LayoutColumn[]): void {
  const bands = all.filter((b) => !b.carried);
  const hasThird = columns.some((c) => c.role === 'third');
  columns.forEach((col, c) => {
    if (col.role !== 'first' && !(hasThird && col.role === 'second')) return;
    const own = bands.map((b) => b.cells[c]?.text ?? '');
    bands.forEach((band, i) => {
      if (own[i] !== '') return;
      let up = i - 1;
      while (up >= 0 && own[up] === '') up--;
      let down = i + 1;
      while (down < bands.length && own[down] === '') down++;
      const useDown = down < bands.length && (up < 0 || down - i < i - up);
      const from = useDown ? down : up;
      if (from >= 0 && own[from]) band.cells[c] = { text: own[from] as string, copy: 'row' };
    });
  });
}

/** The first header-like block whose columns name at least three elements. */
function readHeader(lines: Line[]): { start: number; end: number; columns: LayoutColumn[] } | undefined {
  for (const block of headerCandidates(lines)) {
    const columns = headerColumns(lines.slice(block.start, block.end).flatMap((l) => l.items));
    if (new Set(columns.map((c) => c.role).filter((r) => r !== 'other')).size >= 3)
      return { ...block, columns };
  }
  return undefined;
}

export async function parseCataloguePdf(
  body: Buffer,
  limits: Limits,
  knownDomains: readonly string[],
): Promise<PublishedCatalogue[]> {
  const layout = await readPdfLayout(body, limits);
  const problems = [...layout.empty.map((n) => `第${n}页无文字层，需人工查看`), ...layout.warnings];
  let columns: LayoutColumn[] | undefined;
  const titles: string[] = [];
  const bands: Band[] = [];
  for (const page of layout.pages) {
    const items = pageItems(page.items, page.height).filter(
      (i) => !(PAGE_MARK.test(i.text) && (i.top < page.height * 0.08 || i.bottom > page.height * 0.92)),
    );
    let lines: Line[] = toLines(items);
    const header = readHeader(lines);
    if (header) {
      if (!columns)
        titles.push(...lines.slice(0, header.start).map((l) => l.items.map((i) => i.text).join('')));
      columns = header.columns;
      lines = lines.slice(header.end);
    }
    if (!columns) {
      titles.push(...lines.map((l) => l.items.map((i) => i.text).join('')).slice(0, 5));
      continue;
    }
    const left = (columns[0]?.x0 ?? 0) - 40;
    const right = (columns[columns.length - 1]?.x1 ?? page.width) + 40;
    const data = lines.flatMap((l) => l.items).filter((i) => i.x1 > left && i.x0 < right);
    const bounds = columnBoundaries(columns, data);
    const byColumn: Item[][] = columns.map(() => []);
    for (const it of data) byColumn[columnOf(it, bounds)]?.push(it);
    bands.push(...pageBands(page.n, columns, byColumn.map(blocksOf)));
  }
  if (!columns) {
    const none =
      layout.pages.length === 0 ? 'PDF 没有可读的文字' : 'PDF 中未找到目录表头（序号/一级事项/公开时限…）';
    return [{ format: 'pdf', rows: [], problems: [none, ...problems] }];
  }
  fillCentredNames(bands, columns);
  const out = cataloguesFromTables(
    [
      {
        rows: bands.map((b) => b.cells),
        name: 'PDF',
        locate: (r) => `第${bands[r]?.page ?? 0}页`,
        titles: titles.filter((t) => /目录|领域|清单/.test(t)),
        columns,
      },
    ],
    { format: 'pdf', knownDomains, pageTitles: titles.slice(0, 6) },
  );
  if (out[0]) out[0].problems.push(...problems);
  return out;
}
