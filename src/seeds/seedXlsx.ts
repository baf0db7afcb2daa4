import * as XLSX from '@e965/xlsx';
import { readZipDirectory } from '../extract/formats/zipReader.js';
import type { ProblemList } from './seedProblems.js';
import type { TableCell, TableRow } from './seedTable.js';

/**
 * The first worksheet of an .xlsx or .xls unit list, as Excel shows it: numbers as displayed (but
 * long integers such as phone numbers in full), merged cells repeated over their range, and a
 * cell's hyperlink kept beside its text.
 */

/** A county lists 50–150 units, a province about 2,000 sites: more rows is the wrong file. */
export const MAX_SHEET_ROWS = 20_000;
/** Unzipped size of an .xlsx (by its directory); a 5 MB file that inflates beyond this is no unit list. */
const MAX_UNZIPPED_BYTES = 100 * 1024 * 1024;

export interface SheetRows {
  sheet?: string;
  otherSheets: string[];
  rows: TableRow[];
}

function cellText(cell: XLSX.CellObject | undefined): string {
  if (!cell || cell.v === undefined || cell.v === null) return '';
  // "General" shows 13800000000 in full but 110101199003071234 as 1.10101E+17.
  if (cell.t === 'n' && Number.isSafeInteger(cell.v) && (!cell.w || /e[+-]/i.test(cell.w)))
    return String(cell.v);
  return cell.w ?? String(cell.v);
}

const httpLink = (s: string | undefined) => (s && /^https?:\/\/\S+$/i.test(s.trim()) ? s.trim() : undefined);

function cellLink(cell: XLSX.CellObject | undefined): string | undefined {
  if (!cell) return undefined;
  // =HYPERLINK("https://…", "门户网站") keeps its target in the formula only.
  const formula = cell.f ? /HYPERLINK\(\s*"([^"]+)"/i.exec(cell.f)?.[1] : undefined;
  return httpLink(cell.l?.Target) ?? httpLink(formula);
}

function unzippedTooLarge(bytes: Buffer): boolean {
  if (bytes.readUInt32LE(0) !== 0x04034b50) return false;
  return readZipDirectory(bytes).reduce((sum, e) => sum + e.size, 0) > MAX_UNZIPPED_BYTES;
}

export function readSheetRows(bytes: Buffer, problems: ProblemList): SheetRows {
  if (bytes.length >= 4 && unzippedTooLarge(bytes)) {
    problems.error(
      { kind: 'file' },
      `工作簿解压后超过 ${MAX_UNZIPPED_BYTES / 1024 / 1024} MB，不像单位名单，请确认文件是否选错`,
    );
    return { otherSheets: [], rows: [] };
  }
  let book: XLSX.WorkBook;
  try {
    // Only the first sheet, and only as many rows as a list can have: a wrong file stays cheap.
    book = XLSX.read(bytes, { type: 'buffer', sheets: 0, sheetRows: MAX_SHEET_ROWS + 1, cellStyles: true });
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    problems.error({ kind: 'file' }, `无法读取 Excel 工作簿（${reason}）；文件是否损坏或设置了打开密码？`);
    return { otherSheets: [], rows: [] };
  }
  const [sheet, ...otherSheets] = book.SheetNames;
  const ws = sheet === undefined ? undefined : book.Sheets[sheet];
  if (!ws?.['!ref']) return { ...(sheet ? { sheet } : {}), otherSheets, rows: [] };
  const range = XLSX.utils.decode_range(ws['!ref']);
  if (range.e.r + 1 > MAX_SHEET_ROWS) {
    problems.error(
      { kind: 'file' },
      `工作表「${sheet}」超过 ${MAX_SHEET_ROWS} 行，不像单位名单，请确认文件是否选错`,
    );
    return { sheet, otherSheets, rows: [] };
  }
  const grid: TableCell[][] = [];
  for (let r = 0; r <= range.e.r; r++) {
    const cells: TableCell[] = [];
    for (let c = 0; c <= range.e.c; c++) {
      const cell = ws[XLSX.utils.encode_cell({ r, c })] as XLSX.CellObject | undefined;
      const link = cellLink(cell);
      cells.push({ text: cellText(cell), ...(link ? { link } : {}) });
    }
    grid.push(cells);
  }
  // A merged cell (a 上级单位 spanning its 乡镇) means its value for every row it covers.
  for (const m of ws['!merges'] ?? [])
    for (let r = m.s.r; r <= Math.min(m.e.r, range.e.r); r++)
      for (let c = m.s.c; c <= Math.min(m.e.c, range.e.c); c++)
        if (r !== m.s.r || c !== m.s.c) grid[r]![c] = { ...grid[m.s.r]![m.s.c]! };
  const hidden = ws['!rows'] ?? [];
  const rows = grid.map((cells, r) => ({ line: r + 1, cells }));
  for (const row of rows)
    if (hidden[row.line - 1]?.hidden && row.cells.some((c) => c.text.trim()))
      problems.warn(
        { kind: 'row', line: row.line },
        '这一行在 Excel 中是隐藏的（或被筛选掉），仍然读取；不需要巡查的单位请删除该行',
      );
  return { sheet, otherSheets, rows };
}
