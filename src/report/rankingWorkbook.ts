import type ExcelJS from 'exceljs';
import { loadExcelJs } from '../util/lazyModules.js';
import { OUTCOME_LABELS } from '../checks/defineCheck.js';
import { SIGNAL_TITLES, type DisclosureSignal } from '../extract/disclosureSignals.js';
import type {
  IndicatorResult,
  InspectionReport,
  ReportDisclosurePart,
  ReportFinding,
  ReportUnit,
} from './model.js';
import { countProblems, PROBLEM_DEFINITION } from './counts.js';
import { standingChange, unitsInRankOrder } from './standing.js';
import { shotsByFinding, type ReportScreenshot } from './evidenceFiles.js';
import { addEvidenceSheet } from './evidenceSheet.js';
import {
  addDataRow,
  addHeaderRow,
  addTitleRow,
  chineseDate,
  chineseDateTime,
  FAIL_FILL,
  finishTable,
  INTEGER,
  LINK_FONT,
  PERCENT,
  printSetup,
  RANK_CHANGE,
  SCORE,
  SIGNED_SCORE,
  styleHeader,
  type Cell,
  type Column,
} from './sheetLayout.js';

/**
 * 网上巡查排名.xlsx: a pure function of the InspectionReport. Sheets: 排名, 月度对比, 问题明细,
 * 指标得分, 公开专栏, 说明. Numbers are numbers (formatted), every table has a filter, a frozen
 * header and a print setup; scraped text is never a formula (sheetLayout.cellText).
 */

const INDICATOR_KIND_LABELS: Record<IndicatorResult['kind'], string> = {
  veto: '否决',
  deduct: '扣分',
  bonus: '加分',
};

export async function renderRankingWorkbook(
  report: InspectionReport,
  images: Map<string, Buffer> = new Map(),
): Promise<Buffer> {
  const workbook = new (await loadExcelJs()).Workbook();
  workbook.creator = report.tool.name;
  workbook.created = new Date(report.finishedAt);
  workbook.modified = new Date(report.finishedAt);
  addRankingSheet(workbook, report);
  addTrendSheet(workbook, report);
  addFindingsSheet(workbook, report);
  addIndicatorSheet(workbook, report);
  addDisclosureSheet(workbook, report);
  addEvidenceSheet(
    workbook,
    report,
    images,
    unitsInRankOrder(report).map((u) => u.id),
  );
  addAboutSheet(workbook, report);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/** A unit fails when vetoed, below the pass line, graded 不合格 by scoring, or not reachable at all. */
export function isFailingUnit(unit: ReportUnit, report: InspectionReport): boolean {
  return (
    unit.unscored !== undefined ||
    unit.vetoed ||
    unit.grade === '不合格' ||
    unit.score < report.indicatorSystem.failBelow
  );
}

// ── 排名 ────────────────────────────────────────────────────────────────────────────────────────

function rankingColumns(report: InspectionReport): Column[] {
  return [
    { header: '排名', width: 6, numFmt: INTEGER },
    { header: '单位', width: 26 },
    { header: '级别', width: 10 },
    { header: '得分', width: 8, numFmt: SCORE },
    { header: '等级', width: 8 },
    { header: '单项否决', width: 10 },
    { header: '否决原因', width: 30, wrap: true },
    ...report.categories.map((c) => ({
      header: c.title,
      width: Math.max(10, c.title.length * 2 + 2),
      numFmt: INTEGER,
    })),
    { header: '问题总数', width: 10, numFmt: INTEGER },
    { header: '抓取页面', width: 10, numFmt: INTEGER },
    { header: '附件', width: 8, numFmt: INTEGER },
    { header: '抓取失败', width: 10, numFmt: INTEGER },
    { header: '死链率', width: 10, numFmt: PERCENT },
  ];
}

function rankingRow(unit: ReportUnit, report: InspectionReport): Cell[] {
  const counts = report.categories.map((c) => unit.counts[c.title] ?? 0);
  const total = countProblems(unit.findings);
  const unscored = unit.unscored !== undefined;
  return [
    // No score, no rank: an unreachable unit is listed below every scored one, with the evidence.
    unscored ? '—' : unit.rank,
    unit.name,
    unit.level,
    unscored ? '—' : unit.score,
    unit.grade,
    unscored ? '—' : unit.vetoed ? '是' : '否',
    unscored ? `${unit.grade}：${unit.unscored}` : unit.vetoed ? unit.vetoReason : '',
    ...counts,
    total,
    unit.crawl.pages,
    unit.crawl.attachments,
    unit.crawl.failures,
    deadLinkRate(unit),
  ];
}

/** 死链率 as a fraction (shown as a percentage); blank when no link was checked (older runs lack the counts). */
function deadLinkRate(unit: ReportUnit): number | null {
  const { links, deadLinks } = unit.crawl;
  return links ? (deadLinks ?? 0) / links : null;
}

function addRankingSheet(workbook: ExcelJS.Workbook, report: InspectionReport): void {
  const columns = rankingColumns(report);
  const sheet = workbook.addWorksheet('排名');
  addTitleRow(sheet, `网上巡查排名（检查日期 ${chineseDate(report.inspectionDate)}）`, columns.length);
  addHeaderRow(sheet, columns);
  for (const unit of unitsInRankOrder(report)) {
    const row = addDataRow(sheet, columns, rankingRow(unit, report));
    if (isFailingUnit(unit, report)) row.eachCell({ includeEmpty: true }, (cell) => (cell.fill = FAIL_FILL));
  }
  finishTable(sheet, { headerRow: 2, columns: columns.length, xSplit: 2 });
}

// ── 月度对比 ─────────────────────────────────────────────────────────────────────────────────────

const TREND_COLUMNS: Column[] = [
  { header: '单位', width: 26 },
  { header: '本月排名', width: 10, numFmt: INTEGER },
  { header: '上月排名', width: 10, numFmt: INTEGER },
  { header: '升降位次', width: 10, numFmt: RANK_CHANGE },
  { header: '本月得分', width: 10, numFmt: SCORE },
  { header: '上月得分', width: 10, numFmt: SCORE },
  { header: '得分变化', width: 10, numFmt: SIGNED_SCORE },
  { header: '本月问题数', width: 10, numFmt: INTEGER },
  { header: '上月问题数', width: 10, numFmt: INTEGER },
  { header: '新增问题', width: 10, numFmt: INTEGER },
  { header: '已解决问题', width: 10, numFmt: INTEGER },
  { header: '备注', width: 30, wrap: true },
];

/**
 * One unit against the previous run. 升降位次 is places gained (上月排名 − 本月排名: positive is up,
 * shown ↑ by the number format); blank where either side has no rank.
 */
function trendRow(unit: ReportUnit, report: InspectionReport): Cell[] {
  const scored = unit.unscored === undefined;
  const rank = scored ? unit.rank : null;
  const score = scored ? unit.score : null;
  const p = unit.previous;
  const change = standingChange(unit);
  const note =
    report.previousRunId === undefined
      ? '无上次巡查'
      : !p
        ? '上次巡查未包含该单位'
        : [
            scored ? '' : `本月${unit.grade}，未评分`,
            p.score === undefined ? `上月${p.grade ?? '未评分'}，未评分` : '',
          ]
            .filter(Boolean)
            .join('；');
  return [
    unit.name,
    rank,
    p?.rank ?? null,
    change.places ?? null,
    score,
    p?.score ?? null,
    change.score ?? null,
    countProblems(unit.findings),
    p ? p.problems : null,
    p ? (unit.opened ?? 0) : null,
    p ? (unit.closed ?? 0) : null,
    note,
  ];
}

function addTrendSheet(workbook: ExcelJS.Workbook, report: InspectionReport): void {
  const sheet = workbook.addWorksheet('月度对比');
  const title =
    report.previousRunId === undefined
      ? `月度对比（检查日期 ${chineseDate(report.inspectionDate)}；无可比较的上次巡查）`
      : `月度对比（${chineseDate(report.inspectionDate)} 与上次 ${chineseDate(report.previousInspectionDate ?? '')} 相比）`;
  addTitleRow(sheet, title, TREND_COLUMNS.length);
  addHeaderRow(sheet, TREND_COLUMNS);
  for (const unit of unitsInRankOrder(report)) addDataRow(sheet, TREND_COLUMNS, trendRow(unit, report));
  finishTable(sheet, { headerRow: 2, columns: TREND_COLUMNS.length, xSplit: 1 });
}

// ── 问题明细 ─────────────────────────────────────────────────────────────────────────────────────

const FINDING_COLUMNS: Column[] = [
  { header: '单位', width: 22 },
  { header: '检查项', width: 18 },
  { header: '类别', width: 12 },
  { header: '结论', width: 10 },
  { header: '问题描述', width: 36, wrap: true },
  { header: '网址', width: 40 },
  { header: '位置', width: 20, wrap: true },
  { header: '证据（已脱敏）', width: 36, wrap: true },
  { header: '依据', width: 30, wrap: true },
  { header: '整改建议', width: 36, wrap: true },
  { header: '数据已核实', width: 10 },
  { header: '人工复核', width: 36, wrap: true },
  { header: '编号', width: 8, numFmt: INTEGER },
  { header: '取证截图', width: 30 },
];
const URL_COLUMN = 6;
const SHOT_COLUMN = 14;

function findingRow(unit: ReportUnit, finding: ReportFinding, shot?: ReportScreenshot): Cell[] {
  return [
    unit.name,
    finding.checkTitle,
    finding.categoryTitle,
    OUTCOME_LABELS[finding.outcome],
    finding.message,
    finding.url ? { text: finding.url, hyperlink: finding.url } : '',
    finding.location,
    finding.evidence,
    finding.basis,
    finding.advice,
    finding.verified ? '是' : '否',
    reviewText(finding),
    finding.findingId ?? '',
    shot ? { text: shot.image, hyperlink: shot.image } : '',
  ];
}

/** 已排除：张三（2026-11-25）误报，该号码为单位账号 */
function reviewText(finding: ReportFinding): string {
  const r = finding.review;
  if (!r) return '';
  const label = r.decision === 'dismissed' ? '已排除' : '已确认';
  return `${label}：${r.reviewer}（${chineseDate(r.decidedAt)}）${r.reason}`;
}

function addFindingsSheet(workbook: ExcelJS.Workbook, report: InspectionReport): void {
  const sheet = workbook.addWorksheet('问题明细');
  addHeaderRow(sheet, FINDING_COLUMNS);
  const shots = shotsByFinding(report.screenshots ?? []);
  for (const unit of unitsInRankOrder(report)) {
    for (const finding of unit.findings) {
      const shot = finding.findingId === undefined ? undefined : shots.get(finding.findingId);
      const row = addDataRow(sheet, FINDING_COLUMNS, findingRow(unit, finding, shot));
      if (finding.url) row.getCell(URL_COLUMN).font = LINK_FONT;
      if (shot) row.getCell(SHOT_COLUMN).font = LINK_FONT;
    }
  }
  finishTable(sheet, { headerRow: 1, columns: FINDING_COLUMNS.length });
}

// ── 指标得分 ─────────────────────────────────────────────────────────────────────────────────────

const INDICATOR_COLUMNS: Column[] = [
  { header: '单位', width: 22 },
  { header: '指标', width: 30, wrap: true },
  { header: '类型', width: 8 },
  { header: '触发', width: 8 },
  { header: '扣分/加分', width: 10, numFmt: SCORE },
  { header: '问题数', width: 8, numFmt: INTEGER },
  { header: '说明', width: 44, wrap: true },
  { header: '已核实', width: 8 },
];

function indicatorRow(unit: ReportUnit, result: IndicatorResult): Cell[] {
  return [
    unit.name,
    result.title,
    INDICATOR_KIND_LABELS[result.kind],
    result.triggered ? '是' : '否',
    result.kind === 'veto' ? null : result.points,
    result.findingCount,
    result.reason,
    result.verified ? '是' : '否',
  ];
}

function addIndicatorSheet(workbook: ExcelJS.Workbook, report: InspectionReport): void {
  const sheet = workbook.addWorksheet('指标得分');
  addHeaderRow(sheet, INDICATOR_COLUMNS);
  for (const unit of unitsInRankOrder(report)) {
    for (const result of unit.reasons) addDataRow(sheet, INDICATOR_COLUMNS, indicatorRow(unit, result));
  }
  finishTable(sheet, { headerRow: 1, columns: INDICATOR_COLUMNS.length });
}

// ── 公开专栏 ─────────────────────────────────────────────────────────────────────────────────────

const DISCLOSURE_COLUMNS: Column[] = [
  { header: '单位', width: 22 },
  { header: '部分', width: 28, wrap: true },
  { header: '网址', width: 50 },
  { header: '依据（链接文字/页面标题/网址特征/种子指定）', width: 40, wrap: true },
  { header: '状态', width: 8 },
];
const DISCLOSURE_URL_COLUMN = 3;

function disclosureRow(unit: ReportUnit, part: ReportDisclosurePart): Cell[] {
  const how = part.signal ? (SIGNAL_TITLES[part.signal as DisclosureSignal] ?? part.signal) : '';
  return [
    unit.name,
    part.title,
    part.url ? { text: part.url, hyperlink: part.url } : '',
    how ? `${how}${part.text ? `「${part.text}」` : ''}` : '',
    part.url ? '找到' : '未找到',
  ];
}

/** Which 政府信息公开专栏 parts each unit has and where: what the disclosure-column check saw. */
function addDisclosureSheet(workbook: ExcelJS.Workbook, report: InspectionReport): void {
  const sheet = workbook.addWorksheet('公开专栏');
  addHeaderRow(sheet, DISCLOSURE_COLUMNS);
  for (const unit of unitsInRankOrder(report)) {
    for (const part of unit.disclosure ?? []) {
      const row = addDataRow(sheet, DISCLOSURE_COLUMNS, disclosureRow(unit, part));
      if (part.url) row.getCell(DISCLOSURE_URL_COLUMN).font = LINK_FONT;
    }
  }
  finishTable(sheet, { headerRow: 1, columns: DISCLOSURE_COLUMNS.length });
}

// ── 说明 ────────────────────────────────────────────────────────────────────────────────────────

const ABOUT_COLUMNS: Column[] = [
  { header: '项目', width: 36, wrap: true },
  { header: '内容', width: 80, wrap: true },
];

function aboutFacts(report: InspectionReport): Cell[][] {
  const system = report.indicatorSystem;
  return [
    ['检查日期', chineseDate(report.inspectionDate)],
    ['指标体系', system.title],
    ['指标体系数据已核实', system.verified ? '是' : '否'],
    ['合格规则', `得分低于 ${system.failBelow} 分或触发单项否决的单位为不合格`],
    ['问题数口径', PROBLEM_DEFINITION],
    ['死链率', '失效链接数 ÷ 检查的不同链接数'],
    [
      '月度对比',
      report.previousRunId === undefined
        ? '无可比较的上次巡查'
        : `与第 ${report.previousRunId} 批（检查日期 ${chineseDate(report.previousInspectionDate ?? '')}）相比；` +
          '升降位次为上月排名减本月排名（↑上升、↓下降）；新增、已解决问题按检查项、问题类型和网址比对',
    ],
    ['整改时限', `${report.notice.deadlineWorkdays} 个工作日（截至 ${chineseDate(report.notice.deadline)}）`],
    ['巡查批次', report.runId],
    ['开始时间', chineseDateTime(report.startedAt)],
    ['报告生成时间', chineseDateTime(report.finishedAt)],
    ['工具版本', `${report.tool.name} ${report.tool.version}`],
    ['时间说明', '以上时间均为北京时间'],
  ];
}

/** What an unverified rules entry is, for people: its label, else the kind of data its file holds. */
function unverifiedLabel(u: InspectionReport['unverified'][number]): string {
  if (u.label) return u.label;
  const kinds: [RegExp, string][] = [
    [/(^|\/)checks\//, '检查项设定'],
    [/(^|\/)indicators\//, '指标体系'],
    [/(^|\/)catalogues\//, '标准目录'],
    [/(^|\/)calendar\//, '节假日安排'],
    [/rectification/, '整改时限'],
  ];
  return kinds.find(([re]) => re.test(u.file))?.[1] ?? '规则数据';
}

interface AboutSection {
  heading: [string, string];
  rows: Cell[][];
}

function aboutSections(report: InspectionReport): AboutSection[] {
  // Labels, not rules/… paths: this sheet goes out with the workbook.
  const unverified: Cell[][] = report.unverified.map((u) => [unverifiedLabel(u), u.note]);
  const calendar: Cell[][] = report.calendarWarnings.map((w, i) => [`提示 ${i + 1}`, w]);
  return [
    {
      heading: ['待核实数据', '说明（由系统维护人员在规则数据中核实后更新）'],
      rows: unverified.length > 0 ? unverified : [['无', '']],
    },
    { heading: ['日历数据提示', '说明'], rows: calendar.length > 0 ? calendar : [['无', '']] },
  ];
}

function addAboutSheet(workbook: ExcelJS.Workbook, report: InspectionReport): void {
  const sheet = workbook.addWorksheet('说明');
  addHeaderRow(sheet, ABOUT_COLUMNS);
  for (const values of aboutFacts(report)) addDataRow(sheet, ABOUT_COLUMNS, values);
  for (const section of aboutSections(report)) {
    sheet.addRow([]);
    styleHeader(addDataRow(sheet, ABOUT_COLUMNS, section.heading));
    for (const values of section.rows) addDataRow(sheet, ABOUT_COLUMNS, values);
  }
  // A list of facts, not a table: no filter; printed like the others.
  sheet.views = [{ state: 'frozen', ySplit: 1 }];
  printSetup(sheet, 1);
}
