import { loadExcelJs } from '../../util/lazyModules.js';
import { OUTCOME_LABELS } from '../../checks/defineCheck.js';
import type { Outcome } from '../../checks/types.js';
import { DECISION_LABELS } from '../../review/ledger.js';
import type { InspectionReport, ReportFinding } from '../../report/model.js';
import {
  addDataRow,
  addHeaderRow,
  addTitleRow,
  cellText,
  finishTable,
  type Column,
} from '../../report/sheetLayout.js';
import { maskText, maskUrl } from '../../pii/mask.js';

/**
 * The findings list: the batch's findings as its report carries them (reviewed outcomes, check
 * titles, masked evidence, check errors as 检查出错), filtered the way the office asks. The page,
 * the CSV and the XLSX all take their rows from `filterFindings`, so the export is the list shown.
 */

export type ReviewState = 'none' | 'dismissed' | 'confirmed';

export const REVIEW_STATE_LABELS: Record<ReviewState, string> = { none: '未复核', ...DECISION_LABELS };

export interface FindingFilter {
  unitId?: string;
  checkId?: string;
  outcome?: Outcome;
  review?: ReviewState;
}

const OUTCOMES = Object.keys(OUTCOME_LABELS) as Outcome[];
const REVIEW_STATES = Object.keys(REVIEW_STATE_LABELS) as ReviewState[];

/** Query parameters to a filter; anything unknown is dropped (no filter), never passed on. */
export function parseFilter(query: Record<string, string | undefined>): FindingFilter {
  const f: FindingFilter = {};
  if (query.unit) f.unitId = query.unit;
  if (query.check) f.checkId = query.check;
  if (query.outcome && (OUTCOMES as string[]).includes(query.outcome)) f.outcome = query.outcome as Outcome;
  if (query.review && (REVIEW_STATES as string[]).includes(query.review))
    f.review = query.review as ReviewState;
  return f;
}

export interface FindingRow {
  unitId: string;
  unitName: string;
  finding: ReportFinding;
}

export function reviewState(f: ReportFinding): ReviewState {
  return f.review?.decision ?? 'none';
}

/** Rows in ranking order, each unit's findings as the report lists them. */
export function filterFindings(report: InspectionReport, filter: FindingFilter): FindingRow[] {
  const out: FindingRow[] = [];
  const units = [...report.units].sort((a, b) => a.rank - b.rank);
  for (const u of units) {
    if (filter.unitId !== undefined && u.id !== filter.unitId) continue;
    for (const f of u.findings) {
      if (filter.checkId !== undefined && f.checkId !== filter.checkId) continue;
      if (filter.outcome !== undefined && f.outcome !== filter.outcome) continue;
      if (filter.review !== undefined && reviewState(f) !== filter.review) continue;
      out.push({ unitId: u.id, unitName: u.name, finding: f });
    }
  }
  return out;
}

/** Export columns. Text is masked again on the way out: cheap insurance, as the report does. */
const COLUMNS: Column[] = [
  { header: '编号', width: 8 },
  { header: '单位', width: 20, wrap: true },
  { header: '检查项', width: 16, wrap: true },
  { header: '类别', width: 12 },
  { header: '结论', width: 12 },
  { header: '问题描述', width: 40, wrap: true },
  { header: '位置', width: 24, wrap: true },
  { header: '证据（已脱敏）', width: 40, wrap: true },
  { header: '网址', width: 40, wrap: true },
  { header: '复核', width: 30, wrap: true },
];

function reviewText(f: ReportFinding): string {
  const r = f.review;
  if (!r) return REVIEW_STATE_LABELS.none;
  return `${DECISION_LABELS[r.decision]}：${r.reviewer}（${r.decidedAt.slice(0, 10)}）${maskText(r.reason)}`;
}

function exportValues(row: FindingRow): (string | number)[] {
  const f = row.finding;
  return [
    f.findingId ?? '',
    row.unitName,
    f.checkTitle,
    f.categoryTitle,
    OUTCOME_LABELS[f.outcome] ?? f.outcome,
    maskText(f.message),
    maskText(f.location),
    maskText(f.evidence),
    maskUrl(f.url),
    reviewText(f),
  ];
}

function csvField(v: string | number): string {
  const s = typeof v === 'number' ? String(v) : cellText(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** UTF-8 with a BOM (Excel and WPS then read the Chinese right), CRLF rows, formula-like text defused. */
export function findingsCsv(rows: FindingRow[]): Buffer {
  const lines = [COLUMNS.map((c) => c.header), ...rows.map(exportValues)].map((r) =>
    r.map(csvField).join(','),
  );
  return Buffer.from(`\uFEFF${lines.join('\r\n')}\r\n`, 'utf8');
}

/** The same rows as a workbook sheet laid out like the ranking workbook's (sheetLayout). */
export async function findingsXlsx(rows: FindingRow[], title: string): Promise<Buffer> {
  const workbook = new (await loadExcelJs()).Workbook();
  workbook.creator = 'xuncha';
  const sheet = workbook.addWorksheet('问题清单');
  addTitleRow(sheet, title, COLUMNS.length);
  addHeaderRow(sheet, COLUMNS);
  for (const row of rows) addDataRow(sheet, COLUMNS, exportValues(row));
  finishTable(sheet, { headerRow: 2, columns: COLUMNS.length, xSplit: 2 });
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
