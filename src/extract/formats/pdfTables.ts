import type { PdfChildItem } from './childParserScript.js';
import type { TextSegment } from './types.js';

// Tables in a PDF page's text layer, rebuilt by position. Rosters printed from Word, WPS or Excel
// draw each cell's text as positioned glyph runs: a wrapped cell breaks an 18-digit ID or an
// 11-digit mobile over two lines, and the order of the runs in the file may interleave columns
// (pdf.js's plain text then reads "3505021990 1391234 张三 01011234 5670"). Here the runs become
// lines (by baseline), the lines' gutters become columns, a column's soft-wrapped lines are joined
// back into one cell, and cells that overlap vertically become one row. Each row is one segment,
// its cells separated by tabs under the table's header row (the segment's context), so the
// detectors see 身份证号 over 350502199001011234 whole. Lines outside tables stay page text.

interface Fragment {
  text: string;
  x0: number;
  x1: number;
  /** Baseline, PDF user space (y up). */
  y: number;
  size: number;
}

interface Line {
  y: number;
  size: number;
  frags: Fragment[];
}

/** One column's text on one line. */
interface ColumnLine {
  y: number;
  x0: number;
  x1: number;
  size: number;
  text: string;
}

interface Block {
  column: number;
  text: string;
  top: number;
  bottom: number;
  /** The block's first and last lines, to tell whether a block below continues it. */
  first: ColumnLine;
  last: ColumnLine;
}

interface Band {
  top: number;
  bottom: number;
  blocks: Block[];
}

/** A table found on a page: its header (or undefined) and its rows as tab-separated cells. */
export interface PageTable {
  columns: number;
  header: string[] | undefined;
  rows: string[][];
}

export interface PageLayoutText {
  /** Lines outside tables, top to bottom. */
  text: string;
  tables: PageTable[];
}

const DIGIT_OR_CJK = /[\p{Script=Han}\d０-９XxＸ]/u;

/** Join of two pieces of one cell: nothing between digits and CJK, a space between words. */
function joinPieces(a: string, b: string, soft: boolean): string {
  if (a === '') return b;
  if (b === '') return a;
  const last = a.slice(-1);
  const first = b[0]!;
  if (DIGIT_OR_CJK.test(last) && DIGIT_OR_CJK.test(first)) return a + b;
  // A soft wrap after a number's separator (2024-/06, 28,687./24) splits one number.
  if (soft && (/[-/]$/.test(a) || (/\d[.,:]$/.test(a) && /^\d/.test(b)))) return a + b;
  return `${a} ${b}`;
}

function itemSize(i: PdfChildItem): number {
  return i.h > 0 ? i.h : 0;
}

/** Items grouped by baseline; runs on a line closer than a third of a character become one fragment. */
function toLines(items: PdfChildItem[]): Line[] {
  const usable = items.filter((i) => i.s.trim() !== '' && Number.isFinite(i.x) && Number.isFinite(i.y));
  const sizes = usable.map(itemSize).filter((h) => h > 0);
  const typical = sizes.length > 0 ? sizes.sort((a, b) => a - b)[Math.floor(sizes.length / 2)]! : 10;
  const sorted = [...usable].sort((a, b) => b.y - a.y || a.x - b.x);
  const lines: { y: number; size: number; items: PdfChildItem[] }[] = [];
  for (const it of sorted) {
    const size = itemSize(it) || typical;
    const last = lines[lines.length - 1];
    if (last && Math.abs(last.y - it.y) <= 0.3 * Math.min(size, last.size)) {
      last.items.push(it);
      last.size = Math.max(last.size, size);
    } else lines.push({ y: it.y, size, items: [it] });
  }
  return lines.map((l) => {
    const frags: Fragment[] = [];
    for (const it of l.items.sort((a, b) => a.x - b.x)) {
      const size = itemSize(it) || l.size;
      const last = frags[frags.length - 1];
      const x1 = it.x + Math.max(0, it.w);
      if (last && it.x - last.x1 < 0.3 * Math.max(size, last.size)) {
        last.text += it.s;
        last.x1 = Math.max(last.x1, x1);
        last.size = Math.max(last.size, size);
      } else frags.push({ text: it.s, x0: it.x, x1, y: l.y, size });
    }
    for (const f of frags) f.text = f.text.trim();
    return { y: l.y, size: l.size, frags: frags.filter((f) => f.text !== '') };
  });
}

/**
 * Runs of lines that hold a table: lines at most 3 line heights apart, from the first to the last
 * line of two or more fragments, with at least three such lines.
 */
function tableRegions(lines: Line[]): [number, number][] {
  const regions: [number, number][] = [];
  let first = -1;
  let last = -1;
  let tabular = 0;
  const close = () => {
    if (first >= 0 && tabular >= 3) regions.push([first, last]);
    first = -1;
    last = -1;
    tabular = 0;
  };
  lines.forEach((l, i) => {
    const prev = lines[i - 1];
    if (prev && prev.y - l.y > 3 * Math.max(l.size, prev.size)) close();
    if (l.frags.length < 2) return;
    if (first < 0) first = i;
    last = i;
    tabular += 1;
  });
  close();
  return regions;
}

/** A line next to a table that belongs to it: close to it, each fragment over one column only. */
function fitsColumns(l: Line, neighbour: Line, columns: [number, number][]): boolean {
  if (Math.abs(neighbour.y - l.y) > 1.6 * Math.max(l.size, neighbour.size)) return false;
  return l.frags.every((f) => columns.filter(([a, b]) => Math.min(b, f.x1) > Math.max(a, f.x0)).length === 1);
}

/** Column x-ranges: the fragments of the region's tabular lines, overlapping ones merged. */
function columnRanges(lines: Line[]): [number, number][] {
  const spans = lines
    .filter((l) => l.frags.length >= 2)
    .flatMap((l) => l.frags.map((f) => [f.x0, f.x1] as [number, number]))
    .sort((a, b) => a[0] - b[0]);
  const merged: [number, number][] = [];
  for (const [a, b] of spans) {
    const last = merged[merged.length - 1];
    if (last && a < last[1]) last[1] = Math.max(last[1], b);
    else merged.push([a, b]);
  }
  return merged;
}

function columnOf(f: Fragment, columns: [number, number][]): number {
  let best = 0;
  let bestScore = -Infinity;
  columns.forEach(([a, b], c) => {
    const overlap = Math.min(b, f.x1) - Math.max(a, f.x0);
    const score = overlap > 0 ? overlap : -Math.abs((a + b) / 2 - (f.x0 + f.x1) / 2);
    if (score > bestScore) {
      bestScore = score;
      best = c;
    }
  });
  return best;
}

/** Each column's text line by line (fragments of one line in one column joined). */
function columnLines(lines: Line[], columns: [number, number][]): ColumnLine[][] {
  const out: ColumnLine[][] = columns.map(() => []);
  for (const l of lines) {
    const byColumn = new Map<number, Fragment[]>();
    for (const f of l.frags) {
      const c = columnOf(f, columns);
      byColumn.set(c, [...(byColumn.get(c) ?? []), f]);
    }
    for (const [c, frags] of byColumn)
      out[c]!.push({
        y: l.y,
        x0: Math.min(...frags.map((f) => f.x0)),
        x1: Math.max(...frags.map((f) => f.x1)),
        size: Math.max(...frags.map((f) => f.size)),
        text: frags.map((f) => f.text).join(' '),
      });
  }
  return out;
}

/**
 * Whether `b` may continue `a` in one cell: `a` fills the column to its right edge (the layout
 * wrapped it), `b` is the next line at line spacing and starts where `a` started (or is centred
 * like it).
 */
function mayContinue(a: ColumnLine, b: ColumnLine, right: number): boolean {
  const size = Math.max(a.size, b.size);
  if (a.y - b.y > 1.6 * size) return false;
  if (a.x1 < right - 1.1 * size) return false;
  const aligned = Math.abs(a.x0 - b.x0) <= 0.6 * size;
  const centred = Math.abs((a.x0 + a.x1) / 2 - (b.x0 + b.x1) / 2) <= 0.6 * size;
  return aligned || centred;
}

const sameY = (a: number, b: number, size: number): boolean => Math.abs(a - b) <= 0.3 * size;

/** Each column's right edge: the furthest any of its lines reaches. */
const columnRights = (cols: ColumnLine[][]): number[] =>
  cols.map((lines) => Math.max(...lines.map((l) => l.x1)));

/** Blocks of each column: soft-wrapped lines joined, unless another column starts a row there. */
function columnBlocks(cols: ColumnLine[][], rights: number[]): Block[] {
  // A line continues the one above it in its column, or starts a new cell there.
  const continues = cols.map((lines, c) =>
    lines.map((l, i) => i > 0 && mayContinue(lines[i - 1]!, l, rights[c]!)),
  );
  // A baseline where some column starts a new cell starts a row: no cell is joined across it.
  const startsRow = (l: ColumnLine, c: number): boolean =>
    cols.some((other, o) => o !== c && other.some((x, i) => !continues[o]![i] && sameY(x.y, l.y, l.size)));
  const blocks: Block[] = [];
  cols.forEach((lines, c) => {
    let cur: Block | undefined;
    lines.forEach((l, i) => {
      const top = l.y + 0.75 * l.size;
      const bottom = l.y + 0.05 * l.size;
      if (cur && continues[c]![i] && !startsRow(l, c)) {
        cur.text = joinPieces(cur.text, l.text, true);
        cur.bottom = Math.min(cur.bottom, bottom);
        cur.last = l;
      } else {
        cur = { column: c, text: l.text, top, bottom, first: l, last: l };
        blocks.push(cur);
      }
    });
  });
  return blocks;
}

/**
 * A vertically centred cell of three or more lines: its middle line shares the baseline of the
 * row's one-line cells, which start new cells there, so columnBlocks cut the cell above that line
 * and its first lines make a band of their own. Such a band is joined to the band below when it
 * lacks some of that band's columns, at least one of its blocks is soft-wrapped into the block
 * below in its column, and its other blocks are in columns the band below leaves empty.
 */
function joinCutCells(out: Band[], rights: number[]): Band[] {
  const joined: Band[] = [];
  for (let i = 0; i < out.length; i++) {
    const band = out[i]!;
    const next = out[i + 1];
    if (!next) {
      joined.push(band);
      continue;
    }
    const nextColumns = new Set(next.blocks.map((b) => b.column));
    const partial = [...nextColumns].some((c) => !band.blocks.some((b) => b.column === c));
    const continuation = (b: Block): Block | undefined =>
      next.blocks
        .filter((n) => n.column === b.column)
        .sort((x, y) => y.top - x.top)
        .find((n) => mayContinue(b.last, n.first, rights[b.column]!));
    const pairs = band.blocks.map((b) => [b, continuation(b)] as const);
    const fits =
      partial &&
      pairs.some(([, n]) => n !== undefined) &&
      pairs.every(([b, n]) => n !== undefined || !nextColumns.has(b.column));
    if (!fits) {
      joined.push(band);
      continue;
    }
    for (const [b, n] of pairs) {
      if (!n) {
        next.blocks.push(b);
        continue;
      }
      n.text = joinPieces(b.text, n.text, true);
      n.top = b.top;
      n.first = b.first;
    }
    next.top = Math.max(next.top, band.top);
  }
  return joined;
}

/** Rows: blocks whose vertical extents overlap; a band without the anchor column joins its nearest. */
function bands(blocks: Block[], columns: number, rights: number[]): Band[] {
  const sorted = [...blocks].sort((a, b) => b.top - a.top);
  const overlapping: Band[] = [];
  for (const b of sorted) {
    const last = overlapping[overlapping.length - 1];
    if (last && b.top > last.bottom) {
      last.blocks.push(b);
      last.bottom = Math.min(last.bottom, b.bottom);
    } else overlapping.push({ top: b.top, bottom: b.bottom, blocks: [b] });
  }
  const out = joinCutCells(overlapping, rights);
  // The anchor: the column present in most bands (序号, 姓名…).
  const counts = Array.from(
    { length: columns },
    (_, c) => out.filter((band) => band.blocks.some((b) => b.column === c)).length,
  );
  const anchor = counts.indexOf(Math.max(...counts));
  const has = (band: Band) => band.blocks.some((b) => b.column === anchor);
  if (out.filter(has).length < 2) return out;
  const merged: Band[] = [];
  for (let i = 0; i < out.length; i++) {
    const band = out[i]!;
    if (has(band)) {
      merged.push(band);
      continue;
    }
    const prev = merged[merged.length - 1];
    const next = out.slice(i + 1).find(has);
    const gapPrev = prev ? prev.bottom - band.top : Infinity;
    const gapNext = next ? band.bottom - next.top : Infinity;
    const into = gapNext < gapPrev ? next : prev;
    if (!into) {
      merged.push(band);
      continue;
    }
    into.blocks.push(...band.blocks);
    into.top = Math.max(into.top, band.top);
    into.bottom = Math.min(into.bottom, band.bottom);
  }
  return merged;
}

function bandCells(band: Band, columns: number): string[] {
  const cells: string[] = Array.from({ length: columns }, () => '');
  const ordered = [...band.blocks].sort((a, b) => b.top - a.top);
  for (const b of ordered) cells[b.column] = joinPieces(cells[b.column]!, b.text, false);
  return cells.map((c) => c.replace(/[\t\n\r]+/g, ' '));
}

/** A header row: labels, not values (no long digit run, mostly not numbers). */
export function looksLikeHeader(cells: string[]): boolean {
  const filled = cells.filter((c) => c.trim() !== '');
  if (filled.length < 2) return false;
  if (filled.some((c) => /\d{4,}/.test(c))) return false;
  const numeric = filled.filter((c) => /^[\d\s.,，%％-]+$/.test(c)).length;
  return numeric * 2 < filled.length;
}

/** A page's text outside tables, and its tables rebuilt from positions. */
export function pageLayoutText(items: PdfChildItem[]): PageLayoutText {
  const lines = toLines(items);
  const regions = tableRegions(lines);
  const tables: PageTable[] = [];
  const inTable = new Set<number>();
  for (const [start, end] of regions) {
    const columns = columnRanges(lines.slice(start, end + 1));
    if (columns.length < 2) continue;
    let from = start;
    let to = end;
    while (from > 0 && !inTable.has(from - 1) && fitsColumns(lines[from - 1]!, lines[from]!, columns)) from--;
    while (to + 1 < lines.length && fitsColumns(lines[to + 1]!, lines[to]!, columns)) to++;
    const region = lines.slice(from, to + 1);
    const cols = columnLines(region, columns);
    const rights = columnRights(cols);
    const rows = bands(columnBlocks(cols, rights), columns.length, rights).map((b) =>
      bandCells(b, columns.length),
    );
    if (rows.length < 2) continue;
    for (let i = from; i <= to; i++) inTable.add(i);
    const header = looksLikeHeader(rows[0]!) ? rows.shift() : undefined;
    tables.push({ columns: columns.length, header, rows });
  }
  const text = lines
    .filter((_, i) => !inTable.has(i))
    .map((l) => l.frags.map((f) => f.text).join(' '))
    .join('\n');
  return { text, tables };
}

/**
 * Segments of one page: its text outside tables (第N页), then one per table row (第N页表格M第K行)
 * under its header. `carry` holds the last header seen, for a table continued from the page before.
 */
export function pageSegments(
  n: number,
  items: PdfChildItem[],
  carry: { header?: string[] },
): TextSegment[] | undefined {
  const layout = pageLayoutText(items);
  if (layout.tables.length === 0) return undefined;
  const segments: TextSegment[] = [];
  if (layout.text.trim() !== '') segments.push({ location: `第${n}页`, text: layout.text });
  layout.tables.forEach((t, ti) => {
    let header = t.header;
    if (header) carry.header = header;
    else if (carry.header?.length === t.columns) header = carry.header;
    const name = layout.tables.length > 1 ? `表格${ti + 1}` : '表格';
    const context = header?.join('\t');
    const first = t.header ? 2 : 1;
    if (t.header) segments.push({ location: `第${n}页${name}第1行`, text: t.header.join('\t') });
    t.rows.forEach((cells, r) => {
      if (cells.every((c) => c === '')) return;
      const seg: TextSegment = { location: `第${n}页${name}第${r + first}行`, text: cells.join('\t') };
      if (context) seg.context = context;
      segments.push(seg);
    });
  });
  return segments;
}
