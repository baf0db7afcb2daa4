/**
 * Catalogue workbooks: XLSX read with exceljs (merged ranges become copies of their master cell),
 * XLS/ET through SheetJS in the parser child (no merge information: blank cells under a merged
 * name are carried down by the row logic). One sheet per domain is common, so every sheet is a
 * table of its own and its name a hint for the domain.
 */
import type ExcelJS from 'exceljs';
import { loadExcelJs } from '../../util/lazyModules.js';
import { runParser } from '../formats/childParser.js';
import type { SheetData } from '../formats/childParserScript.js';
import { withDeadline, type Limits } from '../formats/limits.js';
import { cataloguesFromTables, type GridCell, type SourceTable } from './grid.js';
import type { CatalogueLink, PublishedCatalogue } from './types.js';

// Catalogues are a few hundred rows by 10–25 columns; a sheet claiming more columns is cut here.
const MAX_COLUMNS = 128;

function valueText(value: ExcelJS.CellValue | undefined, links: CatalogueLink[]): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (typeof value === 'string') return value;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? '' : value.toISOString().slice(0, 10);
  if ('richText' in value) return value.richText.map((r) => r.text).join('');
  if ('hyperlink' in value) {
    const text = typeof value.text === 'string' ? value.text : valueText(value.text as ExcelJS.CellValue, []);
    if (/^https?:\/\//i.test(value.hyperlink)) links.push({ url: value.hyperlink, text });
    return text;
  }
  if ('result' in value) return valueText(value.result as ExcelJS.CellValue, links);
  if ('error' in value) return '';
  return '';
}

function sheetTable(ws: ExcelJS.Worksheet, budget: { rows: number }): SourceTable {
  const rowCount = Math.min(ws.rowCount, Math.max(0, budget.rows));
  budget.rows -= rowCount;
  const width = Math.min(ws.columnCount, MAX_COLUMNS);
  const rows: GridCell[][] = [];
  for (let r = 1; r <= rowCount; r++) {
    const row = ws.getRow(r);
    const cells: GridCell[] = [];
    for (let c = 1; c <= width; c++) {
      const cell = row.getCell(c);
      const links: CatalogueLink[] = [];
      if (cell.isMerged && cell.master !== cell) {
        const master = cell.master;
        const text = valueText(master.value, []);
        cells.push({ text, copy: Number(master.row) < r ? 'row' : 'col' });
        continue;
      }
      const text = valueText(cell.value, links);
      cells.push(links.length > 0 ? { text, links } : { text });
    }
    rows.push(cells);
  }
  return {
    rows,
    name: `工作表「${ws.name}」`,
    domainHints: [ws.name],
    standalone: true,
  };
}

export async function parseCatalogueXlsx(
  body: Buffer,
  limits: Limits,
  knownDomains: readonly string[],
): Promise<PublishedCatalogue[]> {
  const wb = new (await loadExcelJs()).Workbook();
  // exceljs's load() is typed for its own Buffer alias; a Node Buffer is what it expects at run time.
  await withDeadline(wb.xlsx.load(body as unknown as ExcelJS.Buffer), limits.deadline);
  const budget = { rows: limits.maxRows };
  const tables = wb.worksheets.map((ws) => sheetTable(ws, budget));
  const out = cataloguesFromTables(tables, { format: 'xlsx', knownDomains });
  if (budget.rows <= 0 && out[0])
    out[0].problems.push(`表格超过 ${limits.maxRows} 行，仅读取了前 ${limits.maxRows} 行`);
  return out;
}

/** XLS / ET (and XLSX exceljs cannot open) through SheetJS in the parser child. */
export async function parseCatalogueSheetJs(
  body: Buffer,
  limits: Limits,
  knownDomains: readonly string[],
): Promise<PublishedCatalogue[]> {
  const sheets = await runParser<SheetData[]>(
    { task: 'sheets', sheetRows: limits.maxRows },
    body,
    limits.deadline,
    limits.parserMemoryMb,
  );
  const tables = sheets.map((s): SourceTable => {
    const rows: GridCell[][] = [];
    for (const row of s.rows) {
      rows[row.r] = row.cells.slice(0, MAX_COLUMNS).map((v) => ({ text: v === null ? '' : String(v) }));
    }
    const dense = Array.from({ length: rows.length }, (_, r) => rows[r] ?? []);
    return { rows: dense, name: `工作表「${s.name}」`, domainHints: [s.name], standalone: true };
  });
  const out = cataloguesFromTables(tables, { format: 'xlsx', knownDomains });
  for (const c of out) c.problems.push('旧版表格格式（XLS/ET）不含合并单元格信息，合并的单元格按上一行顺延');
  return out;
}
