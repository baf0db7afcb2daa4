import type ExcelJS from 'exceljs';
import { loadExcelJs } from '../util/lazyModules.js';
import {
  RECHECK_STATUS_LABELS,
  unfinished,
  type RecheckItem,
  type RecheckReport,
  type RecheckStatus,
  type RecheckUnit,
} from './recheck.js';
import {
  addDataRow,
  addHeaderRow,
  addTitleRow,
  chineseDate,
  FAIL_FILL,
  finishTable,
  INTEGER,
  LINK_FONT,
  PASS_FILL,
  PERCENT,
  SCORE,
  type Cell,
  type Column,
} from './sheetLayout.js';

/**
 * 整改复查.xlsx: sheets 复查汇总 (one row per unit) and 复查明细 (one row per followed problem).
 * Scores, counts and 整改率 are numbers with formats (they sort as numbers); both tables have a
 * filter, a frozen header and a print setup; scraped text is never a formula (sheetLayout.cellText).
 */
export async function renderRecheckWorkbook(report: RecheckReport): Promise<Buffer> {
  const workbook = new (await loadExcelJs()).Workbook();
  workbook.creator = 'xuncha';
  addSummarySheet(workbook, report);
  addItemsSheet(workbook, report);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

const SUMMARY_COLUMNS: Column[] = [
  { header: '单位', width: 26 },
  { header: '上次得分', width: 10, numFmt: SCORE },
  { header: '上次等级', width: 10 },
  { header: '上次问题数', width: 10, numFmt: INTEGER },
  { header: '本次得分', width: 10, numFmt: SCORE },
  { header: '本次等级', width: 10 },
  { header: '本次问题数', width: 10, numFmt: INTEGER },
  ...(['fixed', 'open', 'changed', 'new', 'unverifiable', 'dismissed'] as const).map((s) => ({
    header: RECHECK_STATUS_LABELS[s],
    width: Math.max(10, RECHECK_STATUS_LABELS[s].length * 2 + 2),
    numFmt: INTEGER,
  })),
  { header: '整改率', width: 10, numFmt: PERCENT },
];

/** 整改率 as a fraction, shown 82.8% by the column format; blank when nothing could be re-checked. */
const rate = (fixRate: number | undefined) => fixRate ?? null;

function summaryRow(u: RecheckUnit): Cell[] {
  const side = (s: RecheckUnit['previous']) =>
    s ? [s.unscored ? '—' : s.score, s.grade, s.problems] : ['未巡查', '', ''];
  return [
    u.name,
    ...side(u.previous),
    ...side(u.current),
    u.counts.fixed,
    u.counts.open,
    u.counts.changed,
    u.counts.new,
    u.counts.unverifiable,
    u.counts.dismissed,
    rate(u.fixRate),
  ];
}

function addSummarySheet(workbook: ExcelJS.Workbook, report: RecheckReport): void {
  const sheet = workbook.addWorksheet('复查汇总');
  addTitleRow(
    sheet,
    `整改复查（第 ${report.previousRunId} 批 ${chineseDate(report.previousDate)} → 第 ${report.currentRunId} 批 ${chineseDate(report.currentDate)}）`,
    SUMMARY_COLUMNS.length,
  );
  addHeaderRow(sheet, SUMMARY_COLUMNS);
  for (const unit of report.units) {
    const row = addDataRow(sheet, SUMMARY_COLUMNS, summaryRow(unit));
    if (unfinished(unit.counts)) row.getCell(9).fill = FAIL_FILL;
    else if (unit.counts.fixed) row.getCell(8).fill = PASS_FILL;
  }
  finishTable(sheet, { headerRow: 2, columns: SUMMARY_COLUMNS.length, xSplit: 1 });
}

const ITEM_COLUMNS: Column[] = [
  { header: '单位', width: 22 },
  { header: '复查结果', width: 14 },
  { header: '检查项', width: 18 },
  { header: '问题描述', width: 36, wrap: true },
  { header: '网址', width: 40 },
  { header: '上次证据（已脱敏）', width: 32, wrap: true },
  { header: '本次证据（已脱敏）', width: 32, wrap: true },
  { header: '说明', width: 30, wrap: true },
  { header: '整改反馈（已认可）', width: 32, wrap: true },
];
const URL_COLUMN = 5;

/** An accepted 整改反馈 as one cell: what the unit said, who submitted and who accepted it, when. */
function feedbackCell(item: RecheckItem): string {
  const f = item.feedback;
  if (!f) return '';
  return `${f.note}\n（${f.submittedBy} ${f.submittedAt.slice(0, 10)} 提交；${f.decidedBy} ${f.decidedAt.slice(0, 10)} 认可）`;
}

const STATUS_FILL: Partial<Record<RecheckStatus, ExcelJS.Fill>> = {
  fixed: PASS_FILL,
  open: FAIL_FILL,
  changed: FAIL_FILL,
  new: FAIL_FILL,
};

function itemRow(unit: RecheckUnit, item: RecheckItem): Cell[] {
  const f = (item.current ?? item.previous)!;
  return [
    unit.name,
    RECHECK_STATUS_LABELS[item.status],
    item.checkTitle,
    f.message,
    f.url ? { text: f.url, hyperlink: f.url } : '',
    item.previous?.evidence ?? '',
    item.current?.evidence ?? '',
    item.note,
    feedbackCell(item),
  ];
}

function addItemsSheet(workbook: ExcelJS.Workbook, report: RecheckReport): void {
  const sheet = workbook.addWorksheet('复查明细');
  addHeaderRow(sheet, ITEM_COLUMNS);
  for (const unit of report.units)
    for (const item of unit.items) {
      const row = addDataRow(sheet, ITEM_COLUMNS, itemRow(unit, item));
      const fill = STATUS_FILL[item.status];
      if (fill) row.getCell(2).fill = fill;
      if ((item.current ?? item.previous)?.url) row.getCell(URL_COLUMN).font = LINK_FONT;
    }
  finishTable(sheet, { headerRow: 1, columns: ITEM_COLUMNS.length });
}
