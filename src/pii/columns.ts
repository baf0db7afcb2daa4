/**
 * The column header above a value when the table is in the text itself, not given as context: an
 * HTML page's table (tab-separated cells, the header a line above), a PDF text layer (cells
 * separated by spaces), or a DOCX table as mammoth reads it (one paragraph per cell, blank lines
 * between cells, an empty cell an empty paragraph).
 */

/** Reads column headers in one text; built once per scan, lines and paragraphs indexed on demand. */
export class TextColumns {
  private lineStarts: number[] | undefined;
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
    this.wordsRe = new RegExp(
      words.map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|') || '(?!)',
      'g',
    );
  }

  /** The header cell of the column holding [start, end), or '' when no table header is found. */
  headerAt(start: number, end: number): string {
    const lineFrom = this.norm.lastIndexOf('\n', start - 1) + 1;
    let lineTo = this.norm.indexOf('\n', end);
    if (lineTo < 0) lineTo = this.norm.length;
    const line = this.norm.slice(lineFrom, lineTo).replace(/\r$/, '');
    if (line.includes('\t')) return this.fromLines(lineFrom, start - lineFrom, '\t');
    if (line.trim() === this.norm.slice(start, end)) {
      const fromParagraphs = this.fromParagraphs(start);
      if (fromParagraphs !== '') return fromParagraphs;
    }
    if (/\S\s+\S/.test(line)) return this.fromLines(lineFrom, start - lineFrom, ' ');
    return '';
  }

  private lineIndex(): number[] {
    if (this.lineStarts) return this.lineStarts;
    const starts = [0];
    for (let i = this.norm.indexOf('\n'); i >= 0; i = this.norm.indexOf('\n', i + 1)) starts.push(i + 1);
    return (this.lineStarts = starts);
  }

  private lineText(k: number): string {
    const starts = this.lineIndex();
    const to = k + 1 < starts.length ? starts[k + 1]! - 1 : this.norm.length;
    return this.norm.slice(starts[k], to).replace(/\r$/, '');
  }

  private static cells(line: string, sep: '\t' | ' '): string[] {
    return sep === '\t' ? line.split('\t').map((c) => c.trim()) : line.trim().split(/\s+/);
  }

  /** Tab- or space-separated rows under a header line with as many cells. */
  private fromLines(lineFrom: number, offset: number, sep: '\t' | ' '): string {
    const starts = this.lineIndex();
    const k = upperBound(starts, lineFrom) - 1;
    const line = this.lineText(k);
    const cells = TextColumns.cells(line, sep);
    const column = TextColumns.cells(line.slice(0, offset) + 'x', sep).length - 1;
    const h = this.headerLine(k, sep, cells.length);
    if (h < 0) return '';
    return TextColumns.cells(this.lineText(h), sep)[column] ?? '';
  }

  // How far up a header is looked for (lines): a roster page holds a few hundred rows.
  private static readonly MAX_LINES_UP = 2000;

  // Per separator: the lines that look like a header row naming a wanted column, in order.
  private readonly headerLines = new Map<string, number[]>();

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
        const cells = TextColumns.cells(this.lineText(j), sep);
        if (cells.length >= 2 && cells.some((c) => isLabelCell(c) && this.isHeaderCell(c))) lines.push(j);
      }
      this.headerLines.set(sep, lines);
    }
    const i = upperBound(lines, k - 1) - 1;
    const h = i >= 0 ? lines[i]! : -1;
    if (h < 0 || k - h > TextColumns.MAX_LINES_UP) return -1;
    const text = this.lineText(h);
    // A header row names columns: no cell holds a number (开户账号：6222… is a label line).
    return TextColumns.cells(text, sep).length === count && !/\d{3}/.test(text) ? h : -1;
  }

  private paragraphIndex(): { start: number; end: number }[] {
    if (this.paragraphs) return this.paragraphs;
    const out: { start: number; end: number }[] = [];
    let from = 0;
    for (;;) {
      const i = this.norm.indexOf('\n\n', from);
      out.push({ start: from, end: i < 0 ? this.norm.length : i });
      if (i < 0) break;
      from = i + 2;
    }
    this.paragraphStarts = out.map((p) => p.start);
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
