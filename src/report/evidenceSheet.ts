import type ExcelJS from 'exceljs';
import type { InspectionReport } from './model.js';
import { locatedText, type ReportScreenshot } from './evidenceFiles.js';
import { addDataRow, addHeaderRow, finishTable, INTEGER, LINK_FONT, type Column } from './sheetLayout.js';

/**
 * 截图证据: one row per screenshot with its record, the picture itself (a thumbnail anchored in the
 * row) while the workbook stays small enough to mail, and links to the image and saved copy in the
 * 证据 folder beside the workbook.
 */
const COLUMNS: Column[] = [
  { header: '单位', width: 20 },
  { header: '截图', width: 46 },
  { header: '页面网址', width: 40, wrap: true },
  { header: '抓取时间（北京时间）', width: 20 },
  { header: 'HTTP状态', width: 10, numFmt: INTEGER },
  { header: '遮蔽个人信息处数', width: 12, numFmt: INTEGER },
  { header: '定位到问题', width: 10 },
  { header: '关联问题编号', width: 16, wrap: true },
  { header: '截图文件', width: 30 },
  { header: '页面副本（已遮蔽）', width: 30 },
  { header: '原始页面SHA-256', width: 30, wrap: true },
];
const PICTURE_COLUMN = 2;
const THUMB = { width: 320, height: 225 };
/** Pictures embedded in the workbook at most (the rest are linked): keeps it a mailable size. */
export const MAX_EMBEDDED_PICTURES = 60;

export function addEvidenceSheet(
  workbook: ExcelJS.Workbook,
  report: InspectionReport,
  images: Map<string, Buffer>,
  unitOrder: string[],
): void {
  const shots = [...(report.screenshots ?? [])].sort(
    (a, b) => unitOrder.indexOf(a.unitId) - unitOrder.indexOf(b.unitId),
  );
  if (!shots.length) return;
  const names = new Map(report.units.map((u) => [u.id, u.name]));
  const sheet = workbook.addWorksheet('截图证据');
  addHeaderRow(sheet, COLUMNS);
  let embedded = 0;
  for (const s of shots) {
    const row = addDataRow(sheet, COLUMNS, rowOf(s, names.get(s.unitId) ?? s.unitId));
    for (const col of [3, 9, 10]) row.getCell(col).font = LINK_FONT;
    const image = images.get(s.imageHash);
    if (image && embedded < MAX_EMBEDDED_PICTURES) {
      embedded++;
      const id = workbook.addImage({ buffer: image as unknown as ExcelJS.Buffer, extension: 'jpeg' });
      // Row height is in points (3/4 of a pixel); the picture sits inside its cell with a margin.
      row.height = (THUMB.height + 8) * 0.75;
      sheet.addImage(id, {
        tl: { col: PICTURE_COLUMN - 1 + 0.05, row: row.number - 1 + 0.03 },
        ext: THUMB,
        editAs: 'oneCell',
      });
    } else row.getCell(PICTURE_COLUMN).value = '见截图文件';
  }
  finishTable(sheet, { headerRow: 1, columns: COLUMNS.length, xSplit: 1 });
}

function rowOf(s: ReportScreenshot, unitName: string) {
  return [
    unitName,
    '',
    { text: s.pageUrl, hyperlink: s.pageUrl },
    s.fetchedAt,
    s.status,
    s.masked,
    locatedText(s),
    s.findingIds.join('、'),
    { text: s.image, hyperlink: s.image },
    { text: s.copy, hyperlink: s.copy },
    s.bodyHash,
  ];
}
