import type { Limits } from './limits.js';

// What XLSX (exceljs) and XLS/ET (SheetJS) reading share: number rendering, sheet notes, the row budget.

// Excel keeps 15 significant digits: from 1e15 up, the stored number has lost digits.
const EXCEL_PRECISION_LIMIT = 1e15;
// Below this, String(n) is exact and short; above, toFixed avoids any exponent form.
const LONG_NUMBER = 1e10;

export interface SheetState {
  lostPrecision: number;
  firstLostRow: number;
}

export function numberText(n: number, row: number, state: SheetState): string {
  if (!Number.isFinite(n)) return '';
  if (Math.abs(n) < LONG_NUMBER) return String(n);
  if (Math.abs(n) >= EXCEL_PRECISION_LIMIT) {
    state.lostPrecision += 1;
    if (state.firstLostRow === 0) state.firstLostRow = row;
  }
  // toFixed switches to exponent form from 1e21; no identifier is that long.
  return Math.abs(n) < 1e21 ? n.toFixed(0) : String(n);
}

export interface SheetFacts {
  name: string;
  hidden: boolean;
  hiddenRowsOrCols: boolean;
  state: SheetState;
}

export function sheetNotes(f: SheetFacts): string[] {
  const notes: string[] = [];
  if (f.hidden) notes.push(`工作表「${f.name}」为隐藏工作表，已一并检查`);
  if (f.hiddenRowsOrCols) notes.push(`工作表「${f.name}」含隐藏行或列，已一并检查`);
  if (f.state.lostPrecision > 0) {
    notes.push(
      `工作表「${f.name}」有 ${f.state.lostPrecision} 个超过15位的数值（首个在第${f.state.firstLostRow}行），` +
        '按数值存储的身份证号等会丢失末位，需人工复核',
    );
  }
  return notes;
}

export interface RowBudget {
  rows: number;
  truncated: boolean;
}

export function rowBudgetWarning(budget: RowBudget, limits: Limits): string[] {
  return budget.truncated ? [`表格超过 ${limits.maxRows} 行，仅检查了前 ${limits.maxRows} 行`] : [];
}
