import { loadMammoth } from '../../util/lazyModules.js';
import { errorText, withDeadline, type Limits } from './limits.js';
import { looksLikeHeader } from './pdfTables.js';
import { rowBudgetWarning, type RowBudget } from './spreadsheet.js';
import type { Parsed, TextSegment } from './types.js';
import { MAX_XML_PART_BYTES, readZipDirectory, readZipEntry } from './zipReader.js';
import { decodeXmlText } from './xmlPackage.js';

/**
 * Text of a WordprocessingML part: runs (w:t, or w:delText for deleted revisions) with paragraph
 * ends, tabs, breaks and table cells kept apart. mc:Fallback repeats mc:Choice content (text boxes)
 * and is dropped.
 */
function wordXmlText(xml: string, runTag: 't' | 'delText'): string {
  const clean = xml.replace(/<mc:Fallback\b[\s\S]*?<\/mc:Fallback>/g, '');
  const re = new RegExp(
    `<w:${runTag}(?:\\s[^>]*)?>([^<]*)</w:${runTag}>|<w:tab/>|<w:br\\b[^>]*/>|<w:cr/>|</w:p>|</w:tc>`,
    'g',
  );
  const parts: string[] = [];
  for (const m of clean.matchAll(re)) {
    const tag = m[0];
    if (m[1] !== undefined) parts.push(decodeXmlText(m[1]));
    else if (tag === '</w:p>' || tag.startsWith('<w:br') || tag === '<w:cr/>') parts.push('\n');
    else parts.push('\t');
  }
  return parts
    .join('')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

const DOCX_PARTS: readonly { re: RegExp; location: string; runTag: 't' | 'delText' }[] = [
  { re: /^word\/header\d*\.xml$/, location: '页眉', runTag: 't' },
  { re: /^word\/footer\d*\.xml$/, location: '页脚', runTag: 't' },
  { re: /^word\/comments\.xml$/, location: '批注', runTag: 't' },
  { re: /^word\/footnotes\.xml$/, location: '脚注', runTag: 't' },
  { re: /^word\/endnotes\.xml$/, location: '尾注', runTag: 't' },
  // Tracked deletions stay in the file: whoever opens it with revisions shown sees them.
  { re: /^word\/document\.xml$/, location: '修订中已删除的内容', runTag: 'delText' },
];

/** Headers, footers, comments, foot/endnotes and tracked deletions, which mammoth does not return. */
function docxExtraParts(body: Buffer): Parsed {
  const segments: TextSegment[] = [];
  const warnings: string[] = [];
  const seen = new Set<string>();
  const entries = readZipDirectory(body).sort((a, b) =>
    a.name.localeCompare(b.name, 'en', { numeric: true }),
  );
  for (const part of DOCX_PARTS) {
    for (const e of entries.filter((x) => part.re.test(x.name))) {
      let xml: string;
      try {
        xml = readZipEntry(body, e, MAX_XML_PART_BYTES).toString('utf8');
      } catch (err) {
        warnings.push(`${part.location}（${e.name}）未能读取：${errorText(err)}，需人工复核`);
        continue;
      }
      if (part.runTag === 'delText' && !xml.includes('<w:delText')) continue;
      const text = wordXmlText(xml, part.runTag);
      // Word writes the same header for first, even and default pages: report it once.
      const key = `${part.location}\n${text}`;
      if (text === '' || seen.has(key)) continue;
      seen.add(key);
      segments.push({ location: part.location, text });
    }
  }
  return { segments, warnings };
}

/** The part of mammoth's document tree read here (documents.js: paragraph, run, text, tab, table …). */
interface DocElement {
  type: string;
  value?: string;
  children?: DocElement[];
  colSpan?: number;
  rowSpan?: number;
  isHeader?: boolean;
}

/** Text as mammoth's extractRawText gives it (text, tabs, a blank line after each paragraph), tables left out. */
function rawText(e: DocElement, tables: DocElement[]): string {
  if (e.type === 'text') return e.value ?? '';
  if (e.type === 'tab') return '\t';
  if (e.type === 'table') {
    tables.push(e);
    return '';
  }
  const inner = (e.children ?? []).map((c) => rawText(c, tables)).join('');
  return e.type === 'paragraph' ? `${inner}\n\n` : inner;
}

/** Children of `type`, looking through wrappers mammoth could not resolve (it then warns of them). */
function childrenOfType(e: DocElement, type: string): DocElement[] {
  return (e.children ?? []).flatMap((c) => (c.type === type ? [c] : childrenOfType(c, type)));
}

/** One cell's text on one line: its paragraphs joined by spaces; tables nested in it are read as tables. */
function cellText(cell: DocElement, tables: DocElement[]): string {
  return (cell.children ?? [])
    .map((c) => rawText(c, tables))
    .join('')
    .replace(/\s+/g, ' ')
    .trim();
}

/** A grid slot: the text of the cell that starts there, or the cell it is covered by (a merge). */
interface Slot {
  text: string;
  /** Covered by a cell starting to the left (gridSpan) or above (vMerge). */
  covered?: 'left' | 'above';
  /** The text of the covering cell. */
  of?: string;
  /** The cell starting here spans more than one column. */
  wide?: boolean;
}

interface Grid {
  rows: Slot[][];
  /** Row marked to repeat as header on each page (w:tblHeader). */
  marked: boolean[];
  width: number;
}

/**
 * A table laid out on its grid: merged cells (gridSpan across, vMerge down — mammoth turns the
 * latter into rowSpan) cover the slots they span, so every row has the same columns.
 */
function tableGrid(table: DocElement, nested: DocElement[]): Grid {
  const rows: Slot[][] = [];
  const marked: boolean[] = [];
  childrenOfType(table, 'tableRow').forEach((row, r) => {
    const slots = (rows[r] ??= []);
    marked.push(row.isHeader === true);
    let c = 0;
    for (const cell of childrenOfType(row, 'tableCell')) {
      while (slots[c]) c++;
      const text = cellText(cell, nested);
      const span = Math.max(1, Math.min(cell.colSpan ?? 1, 1000));
      const down = Math.max(1, Math.min(cell.rowSpan ?? 1, 10_000));
      for (let dr = 0; dr < down; dr++) {
        const target = (rows[r + dr] ??= []);
        for (let dc = 0; dc < span; dc++) {
          if (dr === 0 && dc === 0) target[c] = { text, wide: span > 1 };
          else target[c + dc] = { text: '', covered: dc > 0 ? 'left' : 'above', of: text };
        }
      }
      c += span;
    }
  });
  // Rows that hold only the end of a vertical merge (no cell of their own) are not rows of the file.
  const real = rows.slice(0, marked.length);
  const width = Math.max(0, ...real.map((r) => r.length));
  const filled = real.map((r) => Array.from({ length: width }, (_, i) => r[i] ?? { text: '' }));
  return { rows: filled, marked, width };
}

/** The cells a reader sees in a row, once each (a merged cell counted where it starts). */
const ownCells = (row: Slot[]): string[] => row.filter((s) => !s.covered).map((s) => s.text);

/** A title row: one cell across the whole table (“2024年补贴名单”). */
const isTitleRow = (row: Slot[]): boolean => row.length > 1 && ownCells(row).length === 1;

/**
 * The header rows of a table: after any title rows, the rows marked as header, or the first row
 * when it names columns, continued by the rows below while the header's merges announce them
 * (a cell of the rows above reaching down, or a wide cell above split into sub-columns).
 */
function headerRows(grid: Grid): number[] {
  let first = 0;
  while (first < grid.rows.length - 1 && isTitleRow(grid.rows[first]!)) first++;
  const looks = (r: number) => looksLikeHeader(ownCells(grid.rows[r]!));
  if (first >= grid.rows.length || !(grid.marked[first] || looks(first))) return [];
  const out = [first];
  for (let r = first + 1; r < grid.rows.length && out.length < 4; r++) {
    const row = grid.rows[r]!;
    const above = grid.rows[r - 1]!;
    // mammoth sees w:tblHeader whatever its value: a marked row still has to read as labels.
    const announced =
      grid.marked[r] ||
      row.some((s) => s.covered === 'above') ||
      above.some((s, c) => s.wide === true && row[c + 1] !== undefined && !row[c + 1]!.covered);
    if (!announced || !looks(r)) break;
    out.push(r);
  }
  return out;
}

/** Join of two header labels of one column: nothing between CJK, a space between words. */
function joinLabels(a: string, b: string): string {
  if (a === '' || a === b) return b || a;
  if (b === '') return a;
  return /[\p{Script=Han}）)]$/u.test(a) && /^[\p{Script=Han}（(]/u.test(b) ? a + b : `${a} ${b}`;
}

/** The header per column: each header row's label over that column (a wide cell's over each), joined. */
function headerText(grid: Grid, rows: number[]): string {
  const labels = Array.from({ length: grid.width }, (_, c) =>
    rows.reduce((acc, r) => {
      const s = grid.rows[r]![c]!;
      const label = s.covered === 'left' ? (s.of ?? '') : s.covered === 'above' ? '' : s.text;
      return joinLabels(acc, label);
    }, ''),
  );
  return labels.map((l) => l.replace(/\t/g, ' ')).join('\t');
}

/**
 * Tables of the body, one segment per row: the row's cells separated by tabs (an empty or merged-over
 * cell kept empty, so columns line up with the header), the table's header as its context, as
 * spreadsheets are read. Location 表N第K行, K counting the table's rows.
 */
function tableSegments(tables: DocElement[], budget: RowBudget): TextSegment[] {
  const segments: TextSegment[] = [];
  for (let t = 0; t < tables.length; t++) {
    const nested: DocElement[] = [];
    const grid = tableGrid(tables[t]!, nested);
    const header = headerRows(grid);
    const context = header.length > 0 ? headerText(grid, header) : undefined;
    grid.rows.forEach((row, r) => {
      const text = row.map((s) => (s.covered ? '' : s.text)).join('\t');
      if (text.trim() === '') return;
      if (budget.rows <= 0) {
        budget.truncated = true;
        return;
      }
      budget.rows -= 1;
      const seg: TextSegment = { location: `表${t + 1}第${r + 1}行`, text };
      if (context !== undefined) seg.context = context;
      segments.push(seg);
    });
    // Tables inside a cell are tables of their own, numbered after the one holding them.
    tables.splice(t + 1, 0, ...nested);
  }
  return segments;
}

/** mammoth's document tree (paragraphs, tables with rowSpan/colSpan), without converting it to HTML. */
async function documentTree(body: Buffer, limits: Limits): Promise<DocElement> {
  let tree: DocElement | undefined;
  await withDeadline(
    (await loadMammoth()).convertToHtml(
      { buffer: body },
      {
        transformDocument: (doc: DocElement) => {
          tree = doc;
          return { ...doc, children: [] };
        },
      },
    ),
    limits.deadline,
  );
  return tree ?? { type: 'document', children: [] };
}

export async function extractDocx(body: Buffer, limits: Limits): Promise<Parsed> {
  const tree = await documentTree(body, limits);
  const tables: DocElement[] = [];
  const text = rawText(tree, tables);
  const budget: RowBudget = { rows: limits.maxRows, truncated: false };
  const rows = tableSegments(tables, budget);
  const extra = docxExtraParts(body);
  const segments: TextSegment[] = text.trim() === '' ? [] : [{ location: '正文', text }];
  segments.push(...rows, ...extra.segments);
  const warnings = [...rowBudgetWarning(budget, limits), ...extra.warnings];
  if (segments.length === 0)
    return { segments: [], warnings: ['文档无文字内容（可能仅含图片），需人工复核', ...warnings] };
  return { segments, warnings };
}
