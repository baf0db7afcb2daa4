/**
 * Catalogue tables in a PDF's text layer. Per page: lines, the header (repeated on each page or
 * only on the first: a page without one continues with the last header's columns), each item
 * put in a column by its x-position against the header's column ranges, items of a column joined
 * into blocks (a wrapped cell), and rows ("bands") anchored on the 序号 column — or the most
 * detailed 事项 column when there is none. A block spanning several bands is a merged cell. A row
 * broken over a page break goes on above the next page's first 序号 (or fills a page without one);
 * each of its cells is joined to where it stopped, run on when the layout wrapped it there.
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
  /** Its last line, to tell whether text continued after it was wrapped there (see wrapsBefore). */
  tail?: Tail;
}

interface Tail {
  /** Width of the block's last line. */
  width: number;
  /** The widest line of the column on the page: about the cell's text width. */
  max: number;
  size: number;
}

interface Band {
  page: number;
  top: number;
  bottom: number;
  cells: GridCell[];
  /** Per column, the last line of the cell's last block. */
  tails: (Tail | undefined)[];
  /** Blocks above the page's first anchor: the rest of the previous page's last row. */
  carried?: boolean;
}

// Page numbers and running footers: short number-only lines near the page's top or bottom edge.
const PAGE_MARK =
  /^(?:[-—–]?\s*\d{1,4}\s*[-—–]?|第\s*\d+\s*页(?:\s*[,，/]?\s*共\s*\d+\s*页)?|\d+\s*\/\s*\d+)$/;

// What a line cannot be broken inside of: opening brackets with what follows them, a run of Latin
// letters and digits or one character, and the closing punctuation that may not begin a line.
const FIRST_UNIT = /^[\p{Ps}\p{Pi}]*(?:[A-Za-z0-9.,:;%/+-]+|.)[\p{Pe}\p{Pf}，。、；：？！,.;:?!%]*/u;

/** Rough width of text: CJK and full-width characters one em, others about half. */
const textWidth = (text: string, size: number): number =>
  [...text].reduce((w, ch) => w + (/[\u0000-\u024f]/.test(ch) ? 0.55 : 1) * size, 0);

/**
 * Whether `next` was moved to a new line by the layout: it would not have fitted after the last
 * line of the text before it. Text is left-aligned or centred, so the room on a line is the
 * column's widest line less this one; an author's line break leaves room for more.
 */
function wrapsBefore(tail: Tail | undefined, next: string): boolean {
  if (!tail) return false;
  const unit = FIRST_UNIT.exec(next)?.[0] ?? next.slice(0, 1);
  return tail.width + textWidth(unit, tail.size) > tail.max - 0.25 * tail.size;
}

/** Two pieces of a cell's text: run on when the first was wrapped by the layout, else a line break. */
function joinWrapped(a: string, b: string, soft: boolean): string {
  if (a === '') return b;
  if (b === '') return a;
  if (!soft) return `${a}\n${b}`;
  return /[A-Za-z0-9,.;]$/.test(a) && /^[A-Za-z0-9]/.test(b) ? `${a} ${b}` : a + b;
}

/**
 * A column's items as blocks: lines closer than most of a line height belong to one cell. A line
 * wrapped by the layout joins the next without a break (wrapsBefore); a line the author ended
 * keeps its line break.
 */
function blocksOf(items: Item[]): Block[] {
  const lines = toLines(items);
  const x0 = (l: Line): number => Math.min(...l.items.map((i) => i.x0));
  const x1 = (l: Line): number => Math.max(...l.items.map((i) => i.x1));
  const max = Math.max(0, ...lines.map((l) => x1(l) - x0(l)));
  const blocks: (Block & { tail: Tail })[] = [];
  for (const l of lines) {
    const text = l.items.map((i) => i.text).join(' ');
    const size = l.bottom - l.top;
    const tail = { width: x1(l) - x0(l), max, size };
    const last = blocks[blocks.length - 1];
    if (last && l.top - last.bottom <= size * 0.75) {
      last.text = joinWrapped(last.text, text, wrapsBefore(last.tail, text));
      last.bottom = Math.max(last.bottom, l.bottom);
      last.tail = tail;
    } else blocks.push({ text, top: l.top, bottom: l.bottom, tail });
  }
  return blocks;
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
  if (!first && all.length > 0) {
    // No row starts on this page: it is all the rest of the row broken over the page before.
    const band: Band = {
      page,
      top: Math.min(...all.map((b) => b.top)),
      bottom: Math.max(...all.map((b) => b.bottom)) + 1,
      cells: [],
      tails: [],
      carried: true,
    };
    bands.push(band);
  }
  if (first && all.some((b) => b.bottom <= first.top)) {
    const top = Math.min(...all.map((b) => b.top));
    bands.push({ page, top, bottom: edges[0] ?? first.top, cells: [], tails: [], carried: true });
    edges[0] = splitBetween(
      Math.max(top, ...all.filter((b) => b.bottom <= first.top).map((b) => b.bottom)),
      first.top,
      all,
    );
    (bands[0] as Band).bottom = edges[0];
  }
  anchors.forEach((_, i) => {
    const bottom = edges[i + 1] ?? Math.max(...all.map((b) => b.bottom)) + 1;
    bands.push({ page, top: edges[i] ?? 0, bottom, cells: [], tails: [] });
  });
  for (const band of bands) {
    band.cells = columns.map(() => ({ text: '' }));
    band.tails = columns.map(() => undefined);
  }
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
        if (k === 0) {
          cell.text = cell.text ? `${cell.text}\n${block.text}` : block.text;
          band.tails[c] = block.tail;
        } else if (!cell.text) band.cells[c] = { text: block.text, copy: 'row' };
      });
    }
  });
  return bands;
}

/**
 * A row broken over a page break: the blocks above the next page's first 序号 (a carried band) are
 * the rest of the last row before the break, each cell going on where it stopped.
 */
function joinCarried(bands: Band[]): Band[] {
  const out: Band[] = [];
  for (const band of bands) {
    const prev = out[out.length - 1];
    if (!band.carried || !prev) {
      out.push(band);
      continue;
    }
    band.cells.forEach((cell, c) => {
      const into = prev.cells[c];
      if (cell.text === '') return;
      if (!into || into.copy !== undefined) prev.cells[c] = { text: cell.text };
      else into.text = joinWrapped(into.text, cell.text, wrapsBefore(prev.tails[c], cell.text));
      prev.tails[c] = band.tails[c];
    });
  }
  return out;
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
  const rows = joinCarried(bands);
  fillCentredNames(rows, columns);
  const out = cataloguesFromTables(
    [
      {
        rows: rows.map((b) => b.cells),
        name: 'PDF',
        locate: (r) => `第${rows[r]?.page ?? 0}页`,
        titles: titles.filter((t) => /目录|领域|清单/.test(t)),
        columns,
      },
    ],
    { format: 'pdf', knownDomains, pageTitles: titles.slice(0, 6) },
  );
  if (out[0]) out[0].problems.push(...problems);
  return out;
}
