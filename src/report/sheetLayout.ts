import type ExcelJS from 'exceljs';

/** Sheet layout shared by the workbooks (ranking, re-check): header, borders, links, safe text. */
export type Cell = ExcelJS.CellValue;

export interface Column {
  header: string;
  width: number;
  wrap?: boolean;
  /** Number format of the column's numeric cells, e.g. PERCENT, SCORE. */
  numFmt?: string;
}

/** 死链率, 整改率: stored as fractions (0.125), shown as 12.5%, so they sort as numbers. */
export const PERCENT = '0.0%';
/** 得分 with one decimal. */
export const SCORE = '0.0';
/** A signed change: +1.5 / -2.0 / 0.0. */
export const SIGNED_SCORE = '+0.0;-0.0;0.0';
/** 升降位次: places gained (positive) shown ↑2, places lost ↓1, unchanged —. */
export const RANK_CHANGE = '"↑"0;"↓"0;"—"';
/** Counts. */
export const INTEGER = '0';

export const FAIL_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFFFC7CE' } };
export const PASS_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFC6EFCE' } };
export const HEADER_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFD9E1F2' } };
const THIN: ExcelJS.Border = { style: 'thin', color: { argb: 'FFBFBFBF' } };
const BORDER: Partial<ExcelJS.Borders> = { top: THIN, left: THIN, bottom: THIN, right: THIN };
/** Characters XML 1.0 forbids (control characters from scraped text would corrupt the file). */
const XML_INVALID = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;
export const LINK_FONT: Partial<ExcelJS.Font> = { color: { argb: 'FF0563C1' }, underline: true };

export function addTitleRow(sheet: ExcelJS.Worksheet, title: string, width: number): void {
  const row = sheet.addRow([title]);
  sheet.mergeCells(row.number, 1, row.number, width);
  row.height = 30;
  const cell = row.getCell(1);
  cell.font = { bold: true, size: 16 };
  cell.alignment = { horizontal: 'center', vertical: 'middle' };
}

export function addHeaderRow(sheet: ExcelJS.Worksheet, columns: Column[]): void {
  columns.forEach((column, i) => (sheet.getColumn(i + 1).width = column.width));
  styleHeader(sheet.addRow(columns.map((c) => c.header)));
}

export function styleHeader(row: ExcelJS.Row): void {
  row.eachCell((cell) => {
    cell.font = { bold: true };
    cell.fill = HEADER_FILL;
    cell.border = BORDER;
    cell.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
  });
}

/**
 * Text a spreadsheet program would take for a formula when the cell is edited or the sheet is
 * saved as CSV (=HYPERLINK(…), =cmd|…, @SUM, +1, -1, the same after leading blanks, a leading
 * tab or CR, and the full-width ＝＋－＠ some IMEs type): page titles and link texts are written by
 * strangers, so such text gets a leading apostrophe (OWASP, CSV injection).
 *
 * Why a visible apostrophe in the value and not the style's quotePrefix: exceljs cannot write
 * quotePrefix, and the flag lives only in the xlsx style: saving the sheet as CSV or copying the
 * cell drops it and the text is live again. An apostrophe in the value survives every export, is
 * what Excel/WPS themselves show in the formula bar for such text, and re-entering the cell
 * (F2, Enter) still yields text. Cells are only ever written as string values, never formulas.
 */
const FORMULA_LIKE = /^(?:[\t\r]|[\s\u00A0\u3000]*[=+\-@\uFF1D\uFF0B\uFF0D\uFF20])/;

/** True when text would be taken for a formula (exported for tests and other writers). */
export function isFormulaLike(text: string): boolean {
  return FORMULA_LIKE.test(text);
}

/** Scraped text made safe for a cell: no characters XML forbids, no formula-like start. */
export function cellText(text: string): string {
  const clean = text.replace(XML_INVALID, ' ');
  return FORMULA_LIKE.test(clean) ? `'${clean}` : clean;
}

function safeCell(value: Cell): Cell {
  if (typeof value === 'string') return cellText(value);
  if (value && typeof value === 'object' && 'hyperlink' in value) {
    return {
      text: cellText(value.text),
      hyperlink: value.hyperlink.replace(XML_INVALID, ''),
    };
  }
  return value;
}

export function addDataRow(sheet: ExcelJS.Worksheet, columns: Column[], values: Cell[]): ExcelJS.Row {
  const row = sheet.addRow(values.map(safeCell));
  columns.forEach((column, i) => {
    const cell = row.getCell(i + 1);
    cell.border = BORDER;
    cell.alignment = { vertical: 'top', wrapText: column.wrap ?? false };
    if (column.numFmt && typeof cell.value === 'number') cell.numFmt = column.numFmt;
  });
  return row;
}

/**
 * Make a sheet a table an office can work with: frozen header (and `xSplit` key columns), an
 * autofilter over the header and data, landscape A4 fitted to one page wide with the header rows
 * repeated on every printed page.
 */
export function finishTable(
  sheet: ExcelJS.Worksheet,
  opts: { headerRow: number; columns: number; xSplit?: number },
): void {
  const lastRow = Math.max(sheet.rowCount, opts.headerRow);
  sheet.views = [{ state: 'frozen', xSplit: opts.xSplit ?? 0, ySplit: opts.headerRow }];
  sheet.autoFilter = {
    from: { row: opts.headerRow, column: 1 },
    to: { row: lastRow, column: opts.columns },
  };
  printSetup(sheet, opts.headerRow);
}

/** Landscape A4, one page wide, as many pages tall as needed, rows 1..repeatRows on every page. */
export function printSetup(sheet: ExcelJS.Worksheet, repeatRows?: number): void {
  sheet.pageSetup = {
    ...sheet.pageSetup,
    paperSize: 9,
    orientation: 'landscape',
    fitToPage: true,
    fitToWidth: 1,
    fitToHeight: 0,
    horizontalCentered: true,
    margins: { left: 0.4, right: 0.4, top: 0.6, bottom: 0.6, header: 0.3, footer: 0.3 },
    ...(repeatRows ? { printTitlesRow: `1:${repeatRows}` } : {}),
  };
  sheet.headerFooter = { ...sheet.headerFooter, oddFooter: '第 &P 页，共 &N 页' };
}

const SHANGHAI = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Asia/Shanghai',
  year: 'numeric',
  month: 'numeric',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

/** An ISO timestamp as Beijing time for people: 2026年12月6日 14:05. */
export function chineseDateTime(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const part = (type: string) => SHANGHAI.formatToParts(date).find((p) => p.type === type)?.value ?? '';
  return `${part('year')}年${Number(part('month'))}月${Number(part('day'))}日 ${part('hour')}:${part('minute')}`;
}

/** A calendar date (YYYY-MM-DD, or an ISO timestamp: its Beijing date) for people: 2026年12月6日. */
export function chineseDate(date: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (m) return `${m[1]}年${Number(m[2])}月${Number(m[3])}日`;
  const full = chineseDateTime(date);
  return full === date ? date : full.replace(/ .*$/, '');
}
