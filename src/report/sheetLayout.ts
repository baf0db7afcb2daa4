import type ExcelJS from 'exceljs';

/** Sheet layout shared by the workbooks (ranking, re-check): header, borders, links, safe text. */
export type Cell = ExcelJS.CellValue;

export interface Column {
  header: string;
  width: number;
  wrap?: boolean;
}

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
 * saved as CSV (=HYPERLINK(…), =cmd|…, @SUM, +1, -1, leading tab or CR): page titles and link
 * texts are written by strangers, so such text gets an apostrophe, the spreadsheet's own mark
 * for "this is text" (OWASP, CSV injection).
 */
const FORMULA_LIKE = /^[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20]/;

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
  });
  return row;
}
