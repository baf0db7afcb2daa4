import {
  JOINED_KEYS,
  KEY_LABELS,
  aliasList,
  columnLetter,
  headerMeaning,
  type SeedKey,
} from './seedColumns.js';
import type { ProblemList, SeedPlace } from './seedProblems.js';
import type { SeedRecord } from './seedUnits.js';

/** A cell as shown (numbers as written, formulas as their value) and its hyperlink, if any. */
export interface TableCell {
  text: string;
  /** An http(s) hyperlink target of the cell. */
  link?: string;
}

/** One row of a CSV file or worksheet: `line` is the physical line (CSV) or the row number Excel shows. */
export interface TableRow {
  line: number;
  cells: TableCell[];
  /** The reader already reported this row as broken (bad quoting): not read as a unit. */
  invalid?: boolean;
}

export interface ColumnInfo {
  /** A, B … as Excel shows the column. */
  column: string;
  /** The header as written in the file. */
  header: string;
  /** The key it was read as; absent when the column is ignored. */
  key?: SeedKey;
  /** Why the column is not read: 序号-like (`ignored`), not recognised, or a second column for a key. */
  skipped?: 'ignored' | 'unknown' | 'duplicate';
}

export interface TableRecords {
  records: SeedRecord[];
  headerLine?: number;
  columns: ColumnInfo[];
}

export interface TableOptions {
  /** CSV: a row must have as many cells as the header (a stray comma shifts every later cell). */
  strictWidth: boolean;
  /** Added to the "no header row" message, e.g. that only the first worksheet is read. */
  headerHint?: string;
}

/** The header row may follow a title ("XX县网上巡查单位名单") and notes: looked for this far down. */
const HEADER_SEARCH_ROWS = 30;

const blank = (row: TableRow) => row.cells.every((c) => !c.text.trim() && !c.link);
/** A row whose first filled cell starts with #: a remark, as in YAML. */
const isComment = (row: TableRow) =>
  Boolean(
    row.cells
      .find((c) => c.text.trim())
      ?.text.trim()
      .startsWith('#'),
  );

/** Separators of several values in one cell: | as documented, and what people type instead. */
const LIST_SPLIT = /[|\s；;，、]+/u;
const CATALOGUE_SPLIT = /[|\r\n；;，、]+/u;

/** 专栏 parts as offices write them in a cell (指南=https://…), to the seed keys. */
const PIN_TITLES: Record<string, string> = {
  专栏: 'column',
  公开专栏: 'column',
  指南: 'guide',
  公开指南: 'guide',
  制度: 'rules',
  公开制度: 'rules',
  法定主动公开内容: 'mandatory',
  主动公开: 'mandatory',
  年报: 'annual-report',
  年度报告: 'annual-report',
  依申请公开: 'request',
  依申请: 'request',
  政策解读: 'interpretation',
  解读: 'interpretation',
};

const LOOKS_RIGHT: Partial<Record<SeedKey, (s: string) => boolean>> = {
  start: (s) => /^https?:\/\//i.test(s),
  paths: (s) => s.startsWith('/') || /^https?:\/\//i.test(s),
  hosts: (s) => /^[\w.-]+(:\d+)?$/.test(s) || /^https?:\/\//i.test(s),
};

/** The values of a list cell; its hyperlink when the text holds no such value (a cell reading "门户网站"). */
function listValues(cell: TableCell, key: SeedKey): string[] {
  const values = cell.text.split(LIST_SPLIT).filter(Boolean);
  if (cell.link && !values.some(LOOKS_RIGHT[key] ?? (() => true))) return [cell.link];
  return values;
}

function findHeader(rows: TableRow[]): number {
  const candidates = rows.filter((r) => !blank(r)).slice(0, HEADER_SEARCH_ROWS);
  const found = candidates.find((row) => {
    const keys = row.cells.map((c) => headerMeaning(c.text));
    return (
      keys.some((m) => m && 'key' in m && m.key === 'name') &&
      keys.some((m) => m && 'key' in m && m.key === 'start')
    );
  });
  return found ? rows.indexOf(found) : -1;
}

/** Header cells → which column holds which key; warnings for the columns that are not read. */
function mapColumns(
  header: TableRow,
  problems: ProblemList,
): { columns: ColumnInfo[]; byKey: Map<SeedKey, number[]> } {
  const columns: ColumnInfo[] = [];
  const byKey = new Map<SeedKey, number[]>();
  header.cells.forEach((cell, index) => {
    const text = cell.text.trim();
    if (!text) return;
    const info: ColumnInfo = { column: columnLetter(index), header: text };
    const meaning = headerMeaning(text);
    const place: SeedPlace = { kind: 'column', line: header.line, header: text };
    if (!meaning) {
      info.skipped = 'unknown';
      problems.warn(place, `未识别的列，内容不读取（可用的列名见 seeds/README.md）`);
    } else if ('ignored' in meaning) info.skipped = 'ignored';
    else {
      const earlier = byKey.get(meaning.key) ?? [];
      if (earlier.length && !JOINED_KEYS.has(meaning.key)) {
        info.skipped = 'duplicate';
        const first = header.cells[earlier[0]!]!.text.trim();
        problems.warn(
          place,
          `与列「${first}」都表示${KEY_LABELS[meaning.key]}，只读取「${first}」，本列不读取`,
        );
      } else {
        info.key = meaning.key;
        byKey.set(meaning.key, [...earlier, index]);
      }
    }
    columns.push(info);
  });
  return { columns, byKey };
}

/**
 * Rows of a CSV file or the first worksheet → one record per unit. The header row is the first
 * with a name column and a URL column; rows above it (a title) are skipped, as are blank rows and
 * rows starting with #.
 */
export function tableRecords(rows: TableRow[], problems: ProblemList, opts: TableOptions): TableRecords {
  const headerIndex = findHeader(rows);
  if (headerIndex < 0) {
    problems.error(
      { kind: 'file' },
      `找不到表头行：前 ${HEADER_SEARCH_ROWS} 行中没有同时含单位名称列（${aliasList('name')}）和网址列（${aliasList('start')}）的行${opts.headerHint ?? ''}`,
    );
    return { records: [], columns: [] };
  }
  const header = rows[headerIndex]!;
  const { columns, byKey } = mapColumns(header, problems);
  if (!byKey.has('level')) {
    problems.error(
      { kind: 'row', line: header.line },
      `表头缺少${KEY_LABELS.level}列（可写作 ${aliasList('level')}）`,
    );
    return { records: [], headerLine: header.line, columns };
  }
  const width = header.cells.reduce((w, c, i) => (c.text.trim() ? i + 1 : w), 0);
  const headerOf = (key: string) => {
    const index = byKey.get(key as SeedKey)?.[0];
    return index === undefined ? undefined : header.cells[index]!.text.trim();
  };

  const records: SeedRecord[] = [];
  for (const row of rows.slice(headerIndex + 1)) {
    if (row.invalid || blank(row) || isComment(row)) continue;
    const rowPlace = { kind: 'row' as const, line: row.line };
    if (opts.strictWidth && row.cells.length < width) {
      problems.error(rowPlace, `应有 ${width} 列，实际 ${row.cells.length} 列`);
      continue;
    }
    const extra = row.cells.findIndex((c, i) => i >= width && c.text.trim());
    if (extra >= 0) {
      const detail = `第 ${extra + 1} 列（${columnLetter(extra)} 列）没有表头，却有内容 "${row.cells[extra]!.text.trim()}"`;
      if (opts.strictWidth) {
        problems.error(rowPlace, `${detail}（含逗号的内容是否漏加了英文双引号？）`);
        continue;
      }
      problems.warn(rowPlace, `${detail}，不读取`);
    }
    const place = (path: readonly PropertyKey[]): SeedPlace => {
      const h = headerOf(String(path[0] ?? ''));
      return h ? { kind: 'column', line: row.line, header: h } : rowPlace;
    };
    const errorsBefore = problems.errorCount;
    const raw = rowValues(row, byKey, place, problems);
    records.push({
      raw,
      line: row.line,
      place,
      ...(problems.errorCount > errorsBefore ? { invalid: true } : {}),
    });
  }
  return { records, headerLine: header.line, columns };
}

/** A data row in the YAML shape, lists split, catalogues as { domain, url }. */
function rowValues(
  row: TableRow,
  byKey: Map<SeedKey, number[]>,
  place: (path: readonly PropertyKey[]) => SeedPlace,
  problems: ProblemList,
): Record<string, unknown> {
  const cellsOf = (key: SeedKey) => (byKey.get(key) ?? []).map((i) => row.cells[i] ?? { text: '' });
  // A line break typed into a cell (Alt+Enter) is layout, not part of a name; in a contact it
  // separates a person from a number.
  const textOf = (key: SeedKey, lineBreak = '') =>
    cellsOf(key)
      .map((c) => c.text.trim().replace(/\s*[\r\n]+\s*/g, lineBreak))
      .filter(Boolean)
      .join(' ');
  const raw: Record<string, unknown> = { name: textOf('name'), level: textOf('level') };
  for (const key of ['id', 'parent'] as const) if (textOf(key)) raw[key] = textOf(key);
  if (textOf('contact')) raw.contact = textOf('contact', ' ');
  raw.start = cellsOf('start').flatMap((c) => listValues(c, 'start'));
  for (const key of ['hosts', 'paths'] as const) raw[key] = cellsOf(key).flatMap((c) => listValues(c, key));
  const pins = cellsOf('disclosure').flatMap((cell) =>
    cell.text
      .split(CATALOGUE_SPLIT)
      .map((s) => s.trim())
      .filter(Boolean),
  );
  if (pins.length)
    raw.disclosure = Object.fromEntries(
      pins.map((item) => {
        // 指南=https://… or guide=https://…: the part by its Chinese title or its key.
        const eq = item.search(/[=＝]/);
        const part = item.slice(0, Math.max(eq, 0)).trim();
        return [PIN_TITLES[part] ?? part, item.slice(eq + 1).trim()];
      }),
    );
  raw.catalogues = cellsOf('catalogues').flatMap((cell) => {
    const items = cell.text
      .split(CATALOGUE_SPLIT)
      .map((s) => s.trim())
      .filter(Boolean);
    return items.flatMap((item) => {
      const eq = item.search(/[=＝]/);
      if (eq >= 0) return [{ domain: item.slice(0, eq).trim(), url: item.slice(eq + 1).trim() }];
      // A cell reading 社会救助 that links to the catalogue page.
      if (cell.link && items.length === 1) return [{ domain: item, url: cell.link }];
      problems.error(
        place(['catalogues']),
        `应写作“领域=网址”（如 社会救助=https://…/ml.html），实际为 "${item}"`,
      );
      return [];
    });
  });
  return raw;
}
