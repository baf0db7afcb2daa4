/**
 * A PDF page's text items → lines → the catalogue header's columns (x-ranges), and the column
 * boundaries that the data items fit best. Coordinates are turned y-down (top of the page = 0).
 */
import { classifyColumn, headerWordRole, type Column } from './header.js';
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
  for (const l of lines) l.items.sort((a, b) => a.x0 - b.x0);
  return lines;
}

const HEADER_PIECE = /序号|事项|内容|要素|依据|时限|主体|渠道|载体|对象|方式|层级/;
const isHeaderItem = (t: string): boolean => headerWordRole(t) !== undefined || HEADER_PIECE.test(t);

function headerStartScore(line: Line): number {
  return new Set(line.items.filter((i) => isHeaderItem(i.text)).map((i) => headerWordRole(i.text) ?? i.text))
    .size;
}

// A header line holds only short pieces of header words: no numbers, no quoted titles.
const headerish = (line: Line): boolean =>
  line.items.every((i) => i.text.length <= 12 && !/\d|[《》：:；;。]/.test(i.text)) &&
  line.items.some((i) => isHeaderItem(i.text));

/** Index range [start, end) of the header lines, if the page has a header. */
export function findHeaderLines(lines: Line[]): { start: number; end: number } | undefined {
  const start = lines.findIndex((l) => headerStartScore(l) >= 3);
  if (start < 0) return undefined;
  let end = start + 1;
  while (end < lines.length) {
    const l = lines[end] as Line;
    const prev = lines[end - 1] as Line;
    if (!headerish(l) || l.top - prev.bottom > 2.5 * (l.bottom - l.top)) break;
    end++;
  }
  return { start, end };
}

const center = (i: { x0: number; x1: number }): number => (i.x0 + i.x1) / 2;
const overlap = (a: { x0: number; x1: number }, b: { x0: number; x1: number }): number =>
  Math.min(a.x1, b.x1) - Math.max(a.x0, b.x0);

/**
 * Columns from the header items. An item above two or more others whose centres it covers is a
 * parent (公开渠道和载体 over 政府网站 / 政府公报 …); the other items stack into leaf columns by
 * x-overlap (`公开` over `时限` is one column). Each leaf takes the parent nearest to it whose
 * children share its line.
 */
export function headerColumns(items: Item[]): LayoutColumn[] {
  const parents = items.filter(
    (p) =>
      items.filter((c) => c !== p && c.top >= p.bottom - 1 && center(c) >= p.x0 && center(c) <= p.x1)
        .length >= 2,
  );
  const leaves = items.filter((i) => !parents.includes(i)).sort((a, b) => center(a) - center(b));
  const stacks: Item[][] = [];
  for (const leaf of leaves) {
    const hit = stacks.find((s) =>
      s.some(
        (o) =>
          overlap(o, leaf) > 0.3 * Math.min(o.x1 - o.x0, leaf.x1 - leaf.x0) ||
          (center(leaf) >= o.x0 && center(leaf) <= o.x1),
      ),
    );
    if (hit) hit.push(leaf);
    else stacks.push([leaf]);
  }
  const columns = stacks.map((stack) => {
    const x0 = Math.min(...stack.map((i) => i.x0));
    const x1 = Math.max(...stack.map((i) => i.x1));
    const top = Math.min(...stack.map((i) => i.top));
    const text = [...stack]
      .sort((a, b) => a.top - b.top || a.x0 - b.x0)
      .map((i) => i.text)
      .join('');
    // The nearest parent above this leaf: distance from the leaf's centre to the parent's range.
    const above = parents.filter((p) => p.bottom <= top + 1);
    const dist = (p: Item): number => Math.max(0, p.x0 - center({ x0, x1 }), center({ x0, x1 }) - p.x1);
    const parent = above.sort((a, b) => dist(a) - dist(b))[0];
    const near = parent && dist(parent) <= 2 * (parent.x1 - parent.x0);
    return { ...classifyColumn(near ? [parent.text, text] : [text]), x0, x1 };
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
