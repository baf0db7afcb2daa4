import type ExcelJS from 'exceljs';
import { loadExcelJs } from '../../util/lazyModules.js';
import { DeadlineError, withDeadline, type Limits } from './limits.js';
import { extractWithSheetJs } from './sheetjs.js';
import { numberText, rowBudgetWarning, sheetNotes, type RowBudget, type SheetState } from './spreadsheet.js';
import type { Parsed, TextSegment } from './types.js';

/** Renders any exceljs cell value as the text a reader would see (formulas by their result). */
function cellText(value: ExcelJS.CellValue | undefined, row: number, state: SheetState): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return numberText(value, row, state);
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return String(value);
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? '' : value.toISOString().slice(0, 10);
  if ('richText' in value) return value.richText.map((r) => r.text).join('');
  if ('hyperlink' in value)
    return value.text === value.hyperlink ? value.text : `${value.text} ${value.hyperlink}`;
  if ('result' in value) return cellText(value.result, row, state);
  if ('error' in value) return value.error;
  return '';
}

function noteText(note: ExcelJS.Comment | string | undefined): string {
  if (!note) return '';
  if (typeof note === 'string') return note;
  return (note.texts ?? []).map((t) => t.text).join('');
}

function rowText(row: ExcelJS.Row, state: SheetState, notes: string[]): string {
  const cells: string[] = [];
  row.eachCell({ includeEmpty: false }, (cell) => {
    const note = noteText(cell.note as ExcelJS.Comment | string | undefined);
    if (note.trim() !== '') notes.push(`${cell.address}\t${note}`);
    // A merged range repeats the master's value in every cell; read it once.
    if (cell.isMerged && cell.master !== cell) return;
    cells.push(cellText(cell.value, row.number, state));
  });
  return cells.join('\t');
}

function readSheet(ws: ExcelJS.Worksheet, budget: RowBudget): Parsed {
  const state: SheetState = { lostPrecision: 0, firstLostRow: 0 };
  const segments: TextSegment[] = [];
  const notes: string[] = [];
  let header: string | undefined;
  let hiddenRows = false;
  ws.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    if (budget.rows <= 0) {
      budget.truncated = true;
      return;
    }
    const text = rowText(row, state, notes);
    if (text.trim() === '') return;
    budget.rows -= 1;
    hiddenRows ||= row.hidden;
    header ??= text;
    segments.push({ location: `工作表「${ws.name}」第${rowNumber}行`, text, context: header });
  });
  if (notes.length > 0) segments.push({ location: `工作表「${ws.name}」单元格批注`, text: notes.join('\n') });
  const hiddenCols = (ws.columns ?? []).some((c) => c.hidden);
  const facts = {
    name: ws.name,
    hidden: ws.state !== 'visible',
    hiddenRowsOrCols: hiddenRows || hiddenCols,
    state,
  };
  return { segments, warnings: sheetNotes(facts) };
}

async function extractXlsxWithExcelJs(body: Buffer, limits: Limits): Promise<Parsed> {
  const wb = new (await loadExcelJs()).Workbook();
  // exceljs's load() is typed for its own Buffer alias; a Node Buffer is what it expects at run time.
  await withDeadline(wb.xlsx.load(body as unknown as ExcelJS.Buffer), limits.deadline);
  const budget: RowBudget = { rows: limits.maxRows, truncated: false };
  const parsed: Parsed = { segments: [], warnings: [] };
  // worksheets includes hidden and very hidden sheets: both are read.
  for (const ws of wb.worksheets) {
    const sheet = readSheet(ws, budget);
    parsed.segments.push(...sheet.segments);
    parsed.warnings.push(...sheet.warnings);
  }
  parsed.warnings.push(...rowBudgetWarning(budget, limits));
  return parsed;
}

/** exceljs reads XLSX with cell-level detail; files it can't read (some WPS or strict OOXML) go to SheetJS. */
export async function extractXlsx(body: Buffer, limits: Limits): Promise<Parsed> {
  try {
    return await extractXlsxWithExcelJs(body, limits);
  } catch (err) {
    if (err instanceof DeadlineError) throw err;
    try {
      return await extractWithSheetJs(body, limits);
    } catch (second) {
      if (second instanceof DeadlineError) throw second;
      throw err;
    }
  }
}
