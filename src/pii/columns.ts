/**
 * The column header above a value when the table is in the text itself, not given as context: an
 * HTML page's table (tab-separated cells, the header a line above), a PDF text layer (cells
 * separated by spaces), or a DOCX table as mammoth reads it (one paragraph per cell, blank lines
 * between cells, an empty cell an empty paragraph).
 */

// Line and paragraph starts of the last text indexed (read-only once built; scans are synchronous).
const shared: {
  norm: string | undefined;
  lines: number[] | undefined;
  paragraphs: { spans: { start: number; end: number }[]; starts: number[] } | undefined;
  /** Lines split into cells, per separator (key: line for tabs, -1 - line for blanks). */
  cells: Map<number, string[]>;
} = { norm: undefined, lines: undefined, paragraphs: undefined, cells: new Map() };

// One regex per word list (lists live for the process; matchAll works on a copy).
const wordRegexes = new WeakMap<readonly string[], RegExp>();

/** Reads column headers in one text; built once per scan, lines and paragraphs indexed on demand. */
export class TextColumns {
  private lineStarts: number[] | undefined;
  // Lines of this text split into cells (the map the detectors of this scan share).
  private splitLines = new Map<number, string[]>();
  private paragraphs: { start: number; end: number }[] | undefined;
  private paragraphStarts: number[] = [];
  private readonly wordsRe: RegExp;

  constructor(
    private readonly norm: string,
    /** Words naming the wanted kind of column (开户账号, 一卡通 …). */
    words: readonly string[],
    /** True for a cell that names the wanted kind of column. */
    private readonly isHeaderCell: (cell: string) => boolean,
  ) {
    let re = wordRegexes.get(words);
    if (!re) {
      re = new RegExp(words.map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|') || '(?!)', 'g');
      wordRegexes.set(words, re);
    }
    this.wordsRe = re;
  }

  /** The header cell of the column holding [start, end), or '' when no table header is found. */
  headerAt(start: number, end: number): string {
    const starts = this.lineIndex();
    const k = upperBound(starts, start) - 1;
    const lineFrom = starts[k]!;
    const next = k + 1 < starts.length ? starts[k + 1]! - 1 : this.norm.length;
    // A value spanning lines: read the lines it spans as one (never a run of the number detectors).
    if (end > next) return this.headerAtSlow(lineFrom, start, end);
    const line = this.lineInfo(k);
    if (line.tab) return this.fromLines(k, start - lineFrom, '\t');
    if (line.trimmed.length === end - start && line.trimmed === this.norm.slice(start, end)) {
      const fromParagraphs = this.fromParagraphs(start);
      if (fromParagraphs !== '') return fromParagraphs;
    }
    if (line.spaced) return this.fromLines(k, start - lineFrom, ' ');
    return '';
  }

  /** headerAt for a value on a tab-separated line (a table row); '' on any other line. */
  tabHeaderAt(start: number, end: number): string {
    const starts = this.lineIndex();
    const k = upperBound(starts, start) - 1;
    const next = k + 1 < starts.length ? starts[k + 1]! - 1 : this.norm.length;
    if (end > next || !this.lineInfo(k).tab) return '';
    return this.fromLines(k, start - starts[k]!, '\t');
  }

  private headerAtSlow(lineFrom: number, start: number, end: number): string {
    let lineTo = this.norm.indexOf('\n', end);
    if (lineTo < 0) lineTo = this.norm.length;
    const line = this.norm.slice(lineFrom, lineTo).replace(/\r$/, '');
    const k = upperBound(this.lineIndex(), lineFrom) - 1;
    if (line.includes('\t')) return this.fromLines(k, start - lineFrom, '\t');
    if (line.trim() === this.norm.slice(start, end)) {
      const fromParagraphs = this.fromParagraphs(start);
      if (fromParagraphs !== '') return fromParagraphs;
    }
    if (/\S\s+\S/.test(line)) return this.fromLines(k, start - lineFrom, ' ');
    return '';
  }

  // The last line asked about (the values of one row ask one after another).
  private lastLine = -1;
  private lastInfo: LineInfo = { text: '', tab: false, trimmed: '', spaced: false, cells: [0, 0] };

  private lineInfo(k: number): LineInfo {
    if (k === this.lastLine) return this.lastInfo;
    const text = this.lineText(k);
    const tab = text.includes('\t');
    this.lastLine = k;
    this.lastInfo = {
      text,
      tab,
      trimmed: text.trim(),
      spaced: /\S\s+\S/.test(text),
      cells: [tab ? countTabs(text, text.length) + 1 : -1, -1],
    };
    return this.lastInfo;
  }

  private lineIndex(): number[] {
    if (this.lineStarts) return this.lineStarts;
    // The detectors of one scan each read columns of the same text: index its lines once.
    if (shared.norm !== this.norm) {
      shared.norm = this.norm;
      shared.lines = undefined;
      shared.paragraphs = undefined;
      shared.cells = new Map();
    }
    if (!shared.lines) {
      const starts = [0];
      for (let i = this.norm.indexOf('\n'); i >= 0; i = this.norm.indexOf('\n', i + 1)) starts.push(i + 1);
      shared.lines = starts;
    }
    this.splitLines = shared.cells;
    return (this.lineStarts = shared.lines);
  }

  private lineText(k: number): string {
    const starts = this.lineIndex();
    const to = k + 1 < starts.length ? starts[k + 1]! - 1 : this.norm.length;
    return this.norm.slice(starts[k], to).replace(/\r$/, '');
  }

  private static cells(line: string, sep: '\t' | ' '): string[] {
    return sep === '\t' ? line.split('\t').map((c) => c.trim()) : line.trim().split(/\s+/);
  }

  /**
   * Tab- or space-separated rows under a header line with as many cells. Cells of the value's line
   * are counted, not split (a roster asks for every value of every row).
   */
  private fromLines(k: number, offset: number, sep: '\t' | ' '): string {
    const info = this.lineInfo(k);
    const slot = sep === '\t' ? 0 : 1;
    if (info.cells[slot] < 0)
      info.cells[slot] =
        sep === '\t' ? countTabs(info.text, info.text.length) + 1 : countTokens(info.text, info.text.length);
    const column = sep === '\t' ? countTabs(info.text, offset) : spaceColumn(info.text, offset);
    const h = this.headerLine(k, sep, info.cells[slot]);
    if (h < 0) return '';
    return this.headerCells(h, sep)[column] ?? '';
  }

  /** Line `h` split into cells (shared by the detectors of one scan: they ask about the same lines). */
  private headerCells(h: number, sep: '\t' | ' '): string[] {
    this.lineIndex();
    const key = sep === '\t' ? h : -1 - h;
    let cells = this.splitLines.get(key);
    if (!cells) {
      cells = TextColumns.cells(this.lineText(h), sep);
      this.splitLines.set(key, cells);
    }
    return cells;
  }

  // How far up a header is looked for (lines): a roster page holds a few hundred rows.
  private static readonly MAX_LINES_UP = 2000;

  // Per separator: the lines that look like a header row naming a wanted column, in order.
  private readonly headerLines = new Map<string, number[]>();
  // Per separator and header line: whether it names columns (no cell holds a number).
  private readonly namesColumns = new Map<number, boolean>();

  private headerLine(k: number, sep: '\t' | ' ', count: number): number {
    let lines = this.headerLines.get(sep);
    if (!lines) {
      lines = [];
      const starts = this.lineIndex();
      // Only lines holding a wanted word can be such a header: find them by the words, not line by line.
      let last = -1;
      for (const m of this.norm.matchAll(this.wordsRe)) {
        const j = upperBound(starts, m.index) - 1;
        if (j === last) continue;
        last = j;
        const cells = this.headerCells(j, sep);
        if (cells.length >= 2 && cells.some((c) => isLabelCell(c) && this.isHeaderCell(c))) lines.push(j);
      }
      this.headerLines.set(sep, lines);
    }
    const i = upperBound(lines, k - 1) - 1;
    const h = i >= 0 ? lines[i]! : -1;
    if (h < 0 || k - h > TextColumns.MAX_LINES_UP) return -1;
    // A header row names columns: no cell holds a number (开户账号：6222… is a label line).
    const key = sep === '\t' ? h : -1 - h;
    let names = this.namesColumns.get(key);
    if (names === undefined) {
      names = !/\d{3}/.test(this.lineText(h));
      this.namesColumns.set(key, names);
    }
    return names && this.headerCells(h, sep).length === count ? h : -1;
  }

  private paragraphIndex(): { start: number; end: number }[] {
    if (this.paragraphs) return this.paragraphs;
    this.lineIndex();
    if (shared.paragraphs) {
      this.paragraphStarts = shared.paragraphs.starts;
      return (this.paragraphs = shared.paragraphs.spans);
    }
    const out: { start: number; end: number }[] = [];
    let from = 0;
    for (;;) {
      const i = this.norm.indexOf('\n\n', from);
      out.push({ start: from, end: i < 0 ? this.norm.length : i });
      if (i < 0) break;
      from = i + 2;
    }
    this.paragraphStarts = out.map((p) => p.start);
    shared.paragraphs = { spans: out, starts: this.paragraphStarts };
    return (this.paragraphs = out);
  }

  // Paragraphs that look like a header cell naming a wanted column, in order.
  private headerParagraphs: number[] | undefined;
  private readonly tableMemo = new Map<number, { p1: number; k: number }>();

  private headerParagraphBefore(pv: number): number {
    if (!this.headerParagraphs) {
      const found: number[] = [];
      let last = -1;
      for (const m of this.norm.matchAll(this.wordsRe)) {
        const j = upperBound(this.paragraphStarts, m.index) - 1;
        if (j === last) continue;
        last = j;
        const text = this.paragraph(j);
        if (isLabelCell(text) && this.isHeaderCell(text)) found.push(j);
      }
      this.headerParagraphs = found;
    }
    const i = upperBound(this.headerParagraphs, pv - 1) - 1;
    const h = i >= 0 ? this.headerParagraphs[i]! : -1;
    return h >= 0 && pv - h <= 4000 ? h : -1;
  }

  private paragraph(i: number): string {
    const p = this.paragraphIndex()[i];
    return p ? this.norm.slice(p.start, p.end).trim() : '';
  }

  /**
   * One paragraph per cell: the header cells are the k paragraphs before the row numbered 1, where
   * k is the distance from the cell "1" to the cell "2" (the 序号 column every roster has).
   */
  private fromParagraphs(start: number): string {
    const paras = this.paragraphIndex();
    if (paras.length < 6) return '';
    const pv = upperBound(this.paragraphStarts, start) - 1;
    const ph = this.headerParagraphBefore(pv);
    if (ph < 0) return '';
    const table = this.tableMemo.get(ph);
    if (table)
      return table.k > 0 && pv >= table.p1
        ? this.paragraph(table.p1 - table.k + ((pv - table.p1) % table.k))
        : '';
    let p1 = -1;
    for (let j = ph + 1; j < pv && j <= ph + 40; j++)
      if (/^0*1[.、]?$/.test(this.paragraph(j))) {
        p1 = j;
        break;
      }
    let p2 = -1;
    for (let j = p1 + 2; p1 >= 0 && j <= p1 + 31 && j < paras.length; j++)
      if (/^0*2[.、]?$/.test(this.paragraph(j))) {
        p2 = j;
        break;
      }
    const k = p2 - p1;
    const ok = p1 >= 0 && p2 >= 0 && p1 - k <= ph;
    this.tableMemo.set(ph, { p1, k: ok ? k : 0 });
    if (!ok || pv < p1) return '';
    return this.paragraph(p1 - k + ((pv - p1) % k));
  }
}

interface LineInfo {
  text: string;
  tab: boolean;
  trimmed: string;
  /** Two non-blank parts separated by blanks. */
  spaced: boolean;
  /** Cell counts split by tab and by blanks (-1: not counted yet). */
  cells: [number, number];
}

function countTabs(text: string, to: number): number {
  let n = 0;
  for (let i = 0; i < to; i++) if (text.charCodeAt(i) === 9) n++;
  return n;
}

/** The characters String.prototype.trim and /\s/ treat as blank. */
export function isBlank(c: number): boolean {
  return (
    c === 32 ||
    (c >= 9 && c <= 13) ||
    c === 0xa0 ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000 ||
    c === 0xfeff
  );
}

/** Parts of text[0, to) separated by blanks: line.trim().split(/\s+/).length (1 for a blank line). */
function countTokens(text: string, to: number): number {
  let n = 0;
  let inToken = false;
  for (let i = 0; i < to; i++) {
    const blank = isBlank(text.charCodeAt(i));
    if (!blank && !inToken) n++;
    inToken = !blank;
  }
  return Math.max(1, n);
}

/** The blank-separated cell index of `offset`: cells(line.slice(0, offset) + 'x', ' ').length - 1. */
function spaceColumn(text: string, offset: number): number {
  let n = 0;
  let inToken = false;
  for (let i = 0; i < offset; i++) {
    const blank = isBlank(text.charCodeAt(i));
    if (!blank && !inToken) n++;
    inToken = !blank;
  }
  // 'x' joins the last part when the prefix ends inside one, else starts a new part.
  return inToken ? n - 1 : n;
}

/** A short cell without digits or punctuation of a sentence: what a table header cell looks like. */
function isLabelCell(cell: string): boolean {
  return cell.length > 0 && cell.length <= 16 && !/[\d：:，。；]/.test(cell);
}

/** Index of the first element greater than `x` in sorted `xs`. */
function upperBound(xs: readonly number[], x: number): number {
  let lo = 0;
  let hi = xs.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (xs[mid]! <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
