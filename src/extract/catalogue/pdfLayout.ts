/**
 * A PDF page's text items → lines → the catalogue header's columns (x-ranges), and the column
 * boundaries that the data items fit best. Coordinates are turned y-down (top of the page = 0).
 */
import { classifyColumn, type Column } from './header.js';
import type { PdfTextItem } from '../formats/pdf.js';

export interface Item {
  text: string;
  x0: number;
  x1: number;
  top: number;
  bottom: number;
  size: number;
}

export interface Line {
  items: Item[];
  top: number;
  bottom: number;
}

export interface LayoutColumn extends Column {
  x0: number;
  x1: number;
}

/** pdf.js items (baseline origin, y up) as y-down boxes; blank items dropped. */
export function pageItems(items: PdfTextItem[], pageHeight: number): Item[] {
  const out: Item[] = [];
  for (const i of items) {
    const text = i.s.replace(/\s+/g, ' ').trim();
    if (text === '' || !Number.isFinite(i.x) || !Number.isFinite(i.y)) continue;
    const size = Math.max(1, Math.abs(i.h) || 10);
    const base = pageHeight - i.y;
    out.push({ text, x0: i.x, x1: i.x + Math.max(0, i.w), top: base - size, bottom: base, size });
  }
  return out;
}

/** Items sharing a baseline (within half a font size), top to bottom, each line left to right. */
export function toLines(items: Item[]): Line[] {
  const sorted = [...items].sort((a, b) => a.bottom - b.bottom || a.x0 - b.x0);
  const lines: Line[] = [];
  for (const it of sorted) {
    const last = lines[lines.length - 1];
    if (last && Math.abs(it.bottom - last.bottom) <= Math.min(it.size, last.bottom - last.top) * 0.5) {
      last.items.push(it);
      last.top = Math.min(last.top, it.top);
    } else lines.push({ items: [it], top: it.top, bottom: it.bottom });
  }
  for (const l of lines) l.items = joinRuns(l.items.sort((a, b) => a.x0 - b.x0));
  return lines;
}

/** pdf.js splits a run of text where the font changes (a fallback glyph): touching items are one. */
function joinRuns(items: Item[]): Item[] {
  const out: Item[] = [];
  for (const it of items) {
    const last = out[out.length - 1];
    if (last && it.x0 - last.x1 < 0.2 * Math.min(it.size, last.size) && it.x0 >= last.x0) {
      last.text += it.text;
      last.x1 = Math.max(last.x1, it.x1);
      last.top = Math.min(last.top, it.top);
      last.bottom = Math.max(last.bottom, it.bottom);
    } else out.push({ ...it });
  }
  return out;
}

// Characters header cells are written with; a line made almost only of them is part of a header.
const HEADER_CHARS = new Set(
  '序号编一二三级事项名称类别目录公开内容要素依据时限主体责任单位部门渠道和载体对象方式层级全社会特定群体不主动依申请' +
    '政府网站公报两微一端新媒体发布会听证广播电视纸质报刊查阅点务服中心大厅便民站入户现场区企业村栏电子屏精准推送其他' +
    '信用中国采购平台热线县乡镇街道市省备注说明及以上（）()、/·',
);

function headerish(line: Line): boolean {
  const text = line.items
    .map((i) => i.text)
    .join('')
    .replace(/\s+/g, '');
  if (text === '' || line.items.some((i) => i.text.length > 14 || /\d|[《》：:；;。]/.test(i.text)))
    return false;
  const known = [...text].filter((ch) => HEADER_CHARS.has(ch)).length;
  return known >= text.length * 0.8;
}

const lineSize = (l: Line): number => Math.max(...l.items.map((i) => i.size));
const sizeRatio = (a: Line, b: Line): number =>
  Math.max(lineSize(a), lineSize(b)) / Math.max(0.1, Math.min(lineSize(a), lineSize(b)));

const HEADER_PIECE = /序号|事项|内容|要素|依据|时限|主体|渠道|载体|对象|方式|层级|一级|二级/;

/**
 * Index ranges [start, end) of header-like line blocks: a line with a header word, grown up and
 * down over lines written almost only in header characters (wrapped header cells).
 */
export function headerCandidates(lines: Line[]): { start: number; end: number }[] {
  const out: { start: number; end: number }[] = [];
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i] as Line;
    if (!headerish(l) || !l.items.some((it) => HEADER_PIECE.test(it.text))) continue;
    let start = i;
    // Wrapped header cells are set in one size; a title line above (larger type) is not a part.
    const near = (a: Line, b: Line): boolean =>
      b.top - a.bottom <= 2.5 * (b.bottom - b.top) && sizeRatio(a, b) <= 1.3;
    while (
      start > 0 &&
      headerish(lines[start - 1] as Line) &&
      near(lines[start - 1] as Line, lines[start] as Line)
    )
      start--;
    let end = i + 1;
    while (
      end < lines.length &&
      headerish(lines[end] as Line) &&
      near(lines[end - 1] as Line, lines[end] as Line)
    )
      end++;
    out.push({ start, end });
    i = end - 1;
  }
  return out;
}

const center = (i: { x0: number; x1: number }): number => (i.x0 + i.x1) / 2;
const overlap = (a: { x0: number; x1: number }, b: { x0: number; x1: number }): number =>
  Math.min(a.x1, b.x1) - Math.max(a.x0, b.x0);

/** Header items chained into cells: a line directly below, centred under the one above, wraps it. */
function headerCells(items: Item[]): Item[] {
  const cells: Item[] = [];
  for (const it of [...items].sort((a, b) => a.top - b.top || a.x0 - b.x0)) {
    const above = cells.find(
      (c) =>
        it.top - c.bottom >= -0.3 * it.size &&
        it.top - c.bottom < 0.75 * it.size &&
        Math.abs(center(c) - center(it)) < 0.25 * Math.max(c.x1 - c.x0, it.x1 - it.x0) + 0.5 * it.size,
    );
    if (above) {
      above.text += it.text;
      above.x0 = Math.min(above.x0, it.x0);
      above.x1 = Math.max(above.x1, it.x1);
      above.bottom = it.bottom;
    } else cells.push({ ...it });
  }
  return cells;
}

/**
 * Columns from the header items. A cell above two or more others whose centres it covers is a
 * parent (公开渠道和载体 over 政府网站 / 政府公报 …); the other cells stack into leaf columns by
 * x-overlap. A leaf on the level of a parent's children takes the nearest such parent.
 */
export function headerColumns(items: Item[]): LayoutColumn[] {
  const cells = headerCells(items);
  const below = (p: Item): Item[] =>
    cells.filter((c) => c !== p && c.top >= p.bottom - 1 && center(c) >= p.x0 && center(c) <= p.x1);
  const parents = cells
    .filter((p) => below(p).length >= 2)
    .map((p) => ({ cell: p, level: Math.min(...below(p).map((c) => c.top)) }));
  const leaves = cells
    .filter((c) => !parents.some((p) => p.cell === c))
    .sort((a, b) => center(a) - center(b));
  const stacks: Item[][] = [];
  for (const leaf of leaves) {
    const hit = stacks.find((s) =>
      s.some((o) => overlap(o, leaf) > 0.3 * Math.min(o.x1 - o.x0, leaf.x1 - leaf.x0)),
    );
    if (hit) hit.push(leaf);
    else stacks.push([leaf]);
  }
  const columns = stacks.map((stack) => {
    const sorted = [...stack].sort((a, b) => a.top - b.top);
    const x0 = Math.min(...stack.map((i) => i.x0));
    const x1 = Math.max(...stack.map((i) => i.x1));
    const top = sorted[0] as Item;
    const dist = (p: Item): number => Math.max(0, p.x0 - center({ x0, x1 }), center({ x0, x1 }) - p.x1);
    const parent = parents
      .filter(
        (p) => Math.abs(p.level - top.top) <= 0.6 * top.size && dist(p.cell) <= 1.5 * (p.cell.x1 - p.cell.x0),
      )
      .sort((a, b) => dist(a.cell) - dist(b.cell))[0];
    const labels = sorted.map((i) => i.text);
    return { ...classifyColumn(parent ? [parent.cell.text, ...labels] : labels), x0, x1 };
  });
  return columns.sort((a, b) => center(a) - center(b));
}

/**
 * The boundary between each pair of adjacent columns: within the gap between their header texts,
 * the position the fewest data items cross, nearest the middle of the gap; cell text is usually
 * left-aligned, so an item's left edge is a candidate.
 */
export function columnBoundaries(columns: LayoutColumn[], data: Item[]): number[] {
  const bounds: number[] = [];
  for (let c = 0; c + 1 < columns.length; c++) {
    const a = columns[c] as LayoutColumn;
    const b = columns[c + 1] as LayoutColumn;
    const lo = Math.min(a.x1, center(b));
    const hi = Math.max(lo, b.x0);
    const mid = (lo + hi) / 2;
    const candidates = [mid, lo, hi, ...data.filter((i) => i.x0 > lo && i.x0 <= hi).map((i) => i.x0 - 0.5)];
    const crossings = (x: number): number => data.filter((i) => i.x0 < x - 0.5 && i.x1 > x + 0.5).length;
    let best = mid;
    let bestScore = Number.POSITIVE_INFINITY;
    for (const x of candidates) {
      const score = crossings(x) * 1000 + Math.abs(x - mid);
      if (score < bestScore) [best, bestScore] = [x, score];
    }
    bounds.push(best);
  }
  return bounds;
}

/** The column an item belongs to, by its centre against the boundaries. */
export function columnOf(item: Item, bounds: number[]): number {
  const x = center(item);
  let c = 0;
  while (c < bounds.length && x > (bounds[c] as number)) c++;
  return c;
}
