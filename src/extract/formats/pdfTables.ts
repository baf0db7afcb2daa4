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
  /** Each column's x-range on the page. */
  ranges: [number, number][];
  header: string[] | undefined;
  rows: string[][];
  /**
   * The first table of a page, when lines above it at the top of the page fit its columns: the
   * end of a row the page break cut (Word lets a row break across pages), cells by column.
   */
  continued?: string[];
  /** The page's last table with nothing after it but a page number: its last row may go on. */
  endsPage?: true;
  /** Columns whose cell in the last row ends in a line filled to the column's edge (wrapped on). */
  wrapped?: number[];
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

/** Union of x-ranges, overlapping ones merged. */
function mergeSpans(spans: [number, number][]): [number, number][] {
  const merged: [number, number][] = [];
  for (const [a, b] of [...spans].sort((x, y) => x[0] - y[0])) {
    const last = merged[merged.length - 1];
    if (last && a < last[1]) last[1] = Math.max(last[1], b);
    else merged.push([a, b]);
  }
  return merged;
}

const overlaps = (f: Fragment, [a, b]: [number, number]): boolean => Math.min(b, f.x1) > Math.max(a, f.x0);

/**
 * Column x-ranges of a region's tabular lines: where more than a tenth of them (at least two) have
 * text, so that a line written across the columns (a caption, 联系地址：… 联系电话：… under the
 * table) does not fuse them; then the ranges of text standing in none of those columns (a column
 * filled in few rows). Text over two or more columns defines none.
 */
function columnRanges(lines: Line[]): [number, number][] {
  const frags = lines.filter((l) => l.frags.length >= 2).flatMap((l) => l.frags);
  const few = Math.max(1, Math.floor(lines.filter((l) => l.frags.length >= 2).length / 10));
  const events = frags.flatMap((f) => [
    [f.x0, 1],
    [f.x1, -1],
  ]) as [number, number][];
  events.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const strong: [number, number][] = [];
  let depth = 0;
  let start = 0;
  for (const [x, d] of events) {
    const before = depth;
    depth += d;
    if (before <= few && depth > few) start = x;
    else if (before > few && depth <= few && x > start) strong.push([start, x]);
  }
  if (strong.length === 0) return mergeSpans(frags.map((f) => [f.x0, f.x1]));
  const rare = frags.filter((f) => !strong.some((c) => overlaps(f, c)));
  return mergeSpans([...strong, ...rare.map((f) => [f.x0, f.x1] as [number, number])]);
}

/** Fragments of a line standing over two or more columns. */
const crossing = (l: Line, columns: [number, number][]): number =>
  l.frags.filter((f) => columns.filter((c) => overlaps(f, c)).length > 1).length;

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
 * holds fewer than half of that band's columns and each of its blocks is soft-wrapped into the
 * block below in its column.
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
    const continuation = (b: Block): Block | undefined =>
      next.blocks
        .filter((n) => n.column === b.column)
        .sort((x, y) => y.top - x.top)
        .find((n) => mayContinue(b.last, n.first, rights[b.column]!));
    const pairs = band.blocks.map((b) => [b, continuation(b)] as const);
    const fits = band.blocks.length * 2 < nextColumns.size && pairs.every(([, n]) => n !== undefined);
    if (!fits) {
      joined.push(band);
      continue;
    }
    for (const [b, n] of pairs) {
      if (!n) continue;
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

/** Columns of a band whose last line reaches the column's right edge: the text may go on below. */
function wrappedCells(band: Band, rights: number[]): number[] {
  return band.blocks
    .filter((b) => b.last.x1 >= rights[b.column]! - 1.1 * b.last.size)
    .map((b) => b.column)
    .sort((a, b) => a - b);
}

const PAGE_NUMBER = /^[\s\-—–第页共\d/／]*$/;

/**
 * The lines at the very top of a page, above its first table, when they can only be the rest of a
 * row cut by the page break: at most three, at line spacing, close above the table, and every
 * fragment over one of its columns. Their text per column, or undefined.
 */
function pageTopCells(lines: Line[], from: number, columns: [number, number][]): string[] | undefined {
  if (from === 0 || from > 3) return undefined;
  const top = lines.slice(0, from);
  const first = lines[from]!;
  const size = Math.max(...top.map((l) => l.size), first.size);
  if (top[top.length - 1]!.y - first.y > 3 * size) return undefined;
  if (top.some((l, i) => i > 0 && top[i - 1]!.y - l.y > 1.6 * size)) return undefined;
  const one = (f: Fragment) => columns.filter((c) => overlaps(f, c)).length === 1;
  if (!top.every((l) => l.frags.every(one))) return undefined;
  const cells = columns.map(() => '');
  for (const l of top)
    for (const f of l.frags)
      cells[columnOf(f, columns)] = joinPieces(cells[columnOf(f, columns)]!, f.text, true);
  return cells;
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
    // A caption or closing line written across the columns, at the region's edge, is page text
    // (a header row whose group label spans columns stays).
    // Above the table, a line of label–value pairs or figures with any of them across columns;
    // below it, a line mostly across columns (a last row may have its label cell span two).
    const caption = (l: Line) =>
      crossing(l, columns) > 0 &&
      (!looksLikeHeader(l.frags.map((f) => f.text)) || l.frags.some((f) => /[:：]/.test(f.text)));
    while (from < to && caption(lines[from]!)) from++;
    while (to > from && crossing(lines[to]!, columns) * 2 > lines[to]!.frags.length) to--;
    while (from > 0 && !inTable.has(from - 1) && fitsColumns(lines[from - 1]!, lines[from]!, columns)) from--;
    while (to + 1 < lines.length && fitsColumns(lines[to + 1]!, lines[to]!, columns)) to++;
    const continued = tables.length === 0 ? pageTopCells(lines, from, columns) : undefined;
    const region = lines.slice(from, to + 1);
    const cols = columnLines(region, columns);
    const rights = columnRights(cols);
    const found = bands(columnBlocks(cols, rights), columns.length, rights);
    const rows = found.map((b) => bandCells(b, columns.length));
    if (rows.length < 2) continue;
    for (let i = from; i <= to; i++) inTable.add(i);
    const header = looksLikeHeader(rows[0]!) ? rows.shift() : undefined;
    const table: PageTable = { columns: columns.length, ranges: columns, header, rows };
    const wrapped = wrappedCells(found.at(-1)!, rights);
    if (wrapped.length > 0) table.wrapped = wrapped;
    if (continued && !header) {
      table.continued = continued;
      for (let i = 0; i < from; i++) inTable.add(i);
    }
    tables.push(table);
  }
  const lastTable = tables[tables.length - 1];
  const after = Math.max(-1, ...inTable) + 1;
  if (lastTable && lines.slice(after).every((l) => PAGE_NUMBER.test(l.frags.map((f) => f.text).join(''))))
    lastTable.endsPage = true;
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
export interface TableCarry {
  /** The last table header seen, and its columns' x-ranges. */
  header?: string[];
  headerRanges?: [number, number][];
  /** The last row of a table that ended its page, to take the rest of a row the page break cut. */
  last?: { page: number; columns: number; cells: string[]; wrapped: number[]; segment: TextSegment };
}

/**
 * The header of a table continued from an earlier page: the carried one when the columns are as
 * many, else its labels moved onto this table's columns by position (a page whose rows leave a
 * column empty, or fill one the header page left empty, has other columns).
 */
function carriedHeader(t: PageTable, carry: TableCarry): string[] | undefined {
  const { header, headerRanges } = carry;
  if (!header) return undefined;
  if (header.length === t.columns) return header;
  if (!headerRanges || headerRanges.length !== header.length) return undefined;
  const used = new Set<number>();
  const labels = t.ranges.map(([a, b]) => {
    let best = -1;
    let most = 0;
    headerRanges.forEach(([x, y], j) => {
      const overlap = Math.min(b, y) - Math.max(a, x);
      if (overlap > most) {
        most = overlap;
        best = j;
      }
    });
    if (best < 0 || used.has(best)) return '';
    used.add(best);
    return header[best]!;
  });
  return used.size * 2 > t.columns ? labels : undefined;
}

export function pageSegments(n: number, items: PdfChildItem[], carry: TableCarry): TextSegment[] | undefined {
  const layout = pageLayoutText(items);
  if (layout.tables.length === 0) return undefined;
  const segments: TextSegment[] = [];
  let text = layout.text;
  const first = layout.tables[0]!;
  const last = carry.last;
  carry.last = undefined;
  if (first.continued) {
    // Only cells cut in a wrapped line go on: a 续表 mark over a column is not the rest of a row.
    const goesOn =
      last?.page === n - 1 &&
      last.columns === first.columns &&
      first.continued.every((c, i) => c === '' || last.wrapped.includes(i));
    if (last && goesOn) {
      last.cells = last.cells.map((c, i) => joinPieces(c, first.continued![i]!, true));
      last.segment.text = last.cells.join('\t');
    } else
      text = [first.continued.filter((c) => c !== '').join(' '), text].filter((t) => t !== '').join('\n');
  }
  if (text.trim() !== '') segments.push({ location: `第${n}页`, text });
  layout.tables.forEach((t, ti) => {
    let header = t.header;
    if (header) {
      carry.header = header;
      carry.headerRanges = t.ranges;
    } else header = carriedHeader(t, carry);
    const name = layout.tables.length > 1 ? `表格${ti + 1}` : '表格';
    const context = header?.join('\t');
    const first = t.header ? 2 : 1;
    if (t.header) segments.push({ location: `第${n}页${name}第1行`, text: t.header.join('\t') });
    t.rows.forEach((cells, r) => {
      if (cells.every((c) => c === '')) return;
      const seg: TextSegment = { location: `第${n}页${name}第${r + first}行`, text: cells.join('\t') };
      if (context) seg.context = context;
      segments.push(seg);
      if (t.endsPage && r === t.rows.length - 1)
        carry.last = { page: n, columns: t.columns, cells, wrapped: t.wrapped ?? [], segment: seg };
    });
  });
  return segments;
}
