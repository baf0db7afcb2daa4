import { runParser } from './childParser.js';
import type { SheetData } from './childParserScript.js';
import type { Limits } from './limits.js';
import { numberText, rowBudgetWarning, sheetNotes, type RowBudget, type SheetState } from './spreadsheet.js';
import type { Parsed, TextSegment } from './types.js';

function sheetJsSegments(sheet: SheetData, budget: RowBudget): Parsed {
  const state: SheetState = { lostPrecision: 0, firstLostRow: 0 };
  const segments: TextSegment[] = [];
  let header: string | undefined;
  for (const row of sheet.rows) {
    if (budget.rows <= 0) {
      budget.truncated = true;
      break;
    }
    const text = row.cells
      .map((v) => (v === null ? '' : typeof v === 'number' ? numberText(v, row.r + 1, state) : v))
      .filter((v) => v !== '')
      .join('\t');
    if (text.trim() === '') continue;
    budget.rows -= 1;
    header ??= text;
    segments.push({ location: `工作表「${sheet.name}」第${row.r + 1}行`, text, context: header });
  }
  if (sheet.truncated) budget.truncated = true;
  if (sheet.notes.length > 0) {
    const text = sheet.notes.map((n) => `第${n.r + 1}行第${n.c + 1}列\t${n.text}`).join('\n');
    segments.push({ location: `工作表「${sheet.name}」单元格批注`, text });
  }
  const facts = {
    name: sheet.name,
    hidden: sheet.hidden > 0,
    hiddenRowsOrCols: sheet.hiddenRows || sheet.hiddenCols,
    state,
  };
  return { segments, warnings: sheetNotes(facts) };
}

/** XLS, ET and XLSX that exceljs can't read, by SheetJS in a child process. */
export async function extractWithSheetJs(body: Buffer, limits: Limits): Promise<Parsed> {
  const sheets = await runParser<SheetData[]>(
    { task: 'sheets', sheetRows: limits.maxRows + 1 },
    body,
    limits.deadline,
  );
  const budget: RowBudget = { rows: limits.maxRows, truncated: false };
  const parsed: Parsed = { segments: [], warnings: [] };
  for (const sheet of sheets) {
    const one = sheetJsSegments(sheet, budget);
    parsed.segments.push(...one.segments);
    parsed.warnings.push(...one.warnings);
  }
  parsed.warnings.push(...rowBudgetWarning(budget, limits));
  return parsed;
}
