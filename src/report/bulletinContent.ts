import { OUTCOME_LABELS } from '../checks/defineCheck.js';
import type { Outcome } from '../checks/types.js';
import type { InspectionReport, ReportFinding, ReportUnit } from './model.js';
import { countProblems, isProblem, PROBLEM_DEFINITION } from './counts.js';
import { chineseNumeral, formatChineseDate } from './noticeContent.js';
import { formatScore } from './standing.js';
import { isFailingUnit } from './rankingWorkbook.js';

/**
 * What the county 通报 (通报-<批次>.docx / .pdf) says, independent of the file format: a pure function
 * of the InspectionReport. The DOCX and the HTML/PDF renderers lay out these blocks and add no text of
 * their own. Every count is taken as the workbook takes it (counts.ts for 问题, `unit.counts` per
 * category, the finding outcomes for 提示 and the rest); texts from the report are already masked.
 */

export type BulletinBlock =
  | { type: 'para'; text: string }
  | { type: 'subheading'; text: string }
  /** `widths` are relative column weights. */
  | { type: 'table'; headers: string[]; rows: string[][]; widths: number[] };

export interface BulletinSection {
  heading: string;
  blocks: BulletinBlock[];
}

export interface BulletinContent {
  /** 发文机关标志 (the issuer), printed in red above the red line. */
  organMark: string;
  title: string;
  /** The title broken into two balanced lines (no orphan character on the last line). */
  titleLines: string[];
  addressee: string;
  intro: string;
  sections: BulletinSection[];
  closing: string;
  issuer: string;
  /** 成文日期, Chinese style. */
  date: string;
  /** 说明: what 问题 / 提示 / 需人工复核 mean, and the unverified-figures note. */
  notes: string[];
}

/** The figures of 一、总体情况, exported so tests and other outputs can compare against them. */
export interface BulletinFigures {
  inspected: number;
  scored: number;
  unreachable: number;
  /** Mean score of the scored units (two decimals), undefined when none was scored. */
  average?: number;
  /** Scored units per grade, 优秀/良好/合格/不合格 first, then any other grade title. */
  grades: [string, number][];
  /** 问题 (counts.ts): the sum of the workbook's 问题总数 column. */
  problems: number;
  /** 问题 per category title (the workbook's category columns), in report category order. */
  problemsByCategory: [string, number][];
  /** Findings per other outcome: 提示, 需人工复核, 检查出错. */
  hints: number;
  needsReview: number;
  errors: number;
  pages: number;
  attachments: number;
}

export interface BlacklistEntry {
  unit: ReportUnit;
  reason: string;
}

const GRADE_ORDER = ['优秀', '良好', '合格', '不合格'];
const RANKING_HEADERS = ['排名', '单位', '得分', '等级'];
const LIST_HEADERS = ['排名', '单位', '得分', '等级', '说明'];
/** How many units at most the 红榜 and the bottom of the 黑榜 name. */
const LIST_SIZE = 3;
/** Per category: problem kinds named, and examples per kind. */
const KINDS_PER_CATEGORY = 3;
const EXAMPLES_PER_KIND = 2;

/** 问题 of one unit as the workbook's 问题总数 column counts them. */
export function unitProblemTotal(unit: ReportUnit): number {
  return countProblems(unit.findings);
}

function countOutcome(report: InspectionReport, outcome: Outcome): number {
  return report.units.reduce((sum, u) => sum + u.findings.filter((f) => f.outcome === outcome).length, 0);
}

export function scoredUnits(report: InspectionReport): ReportUnit[] {
  return report.units.filter((u) => u.unscored === undefined).sort((a, b) => a.rank - b.rank);
}

export function unreachableUnits(report: InspectionReport): ReportUnit[] {
  return report.units.filter((u) => u.unscored !== undefined);
}

export function bulletinFigures(report: InspectionReport): BulletinFigures {
  const scored = scoredUnits(report);
  const grades = new Map<string, number>(GRADE_ORDER.map((g) => [g, 0]));
  for (const u of scored) grades.set(u.grade, (grades.get(u.grade) ?? 0) + 1);
  const sum = scored.reduce((s, u) => s + u.score, 0);
  return {
    inspected: report.units.length,
    scored: scored.length,
    unreachable: unreachableUnits(report).length,
    ...(scored.length ? { average: Math.round((sum / scored.length) * 100) / 100 } : {}),
    grades: [...grades],
    problems: report.units.reduce((s, u) => s + unitProblemTotal(u), 0),
    problemsByCategory: report.categories.map((c) => [
      c.title,
      report.units.reduce((s, u) => s + (u.counts[c.title] ?? 0), 0),
    ]),
    hints: countOutcome(report, 'warn'),
    needsReview: countOutcome(report, 'needs-review'),
    errors: countOutcome(report, 'error'),
    pages: report.units.reduce((s, u) => s + u.crawl.pages, 0),
    attachments: report.units.reduce((s, u) => s + u.crawl.attachments, 0),
  };
}

/** 红榜: the best scored units that do not fail, at most a third of the scored units (and 3). */
export function redList(report: InspectionReport): ReportUnit[] {
  const scored = scoredUnits(report);
  const size = Math.min(LIST_SIZE, Math.ceil(scored.length / 3));
  return scored.filter((u) => !isFailingUnit(u, report)).slice(0, size);
}

/** 黑榜: every failing unit (vetoed, 不合格, unreachable) and the lowest-ranked scored units not on the 红榜. */
export function blackList(report: InspectionReport): BlacklistEntry[] {
  const scored = scoredUnits(report);
  const red = new Set(redList(report));
  const size = Math.min(LIST_SIZE, Math.ceil(scored.length / 3));
  const bottom = new Set(size > 0 ? scored.filter((u) => !red.has(u)).slice(-size) : []);
  const listed = [...scored, ...unreachableUnits(report)].filter(
    (u) => isFailingUnit(u, report) || bottom.has(u),
  );
  return listed.map((unit) => ({ unit, reason: blackReason(unit, report, scored) }));
}

function blackReason(unit: ReportUnit, report: InspectionReport, scored: ReportUnit[]): string {
  if (unit.unscored !== undefined) return `网站首页无法访问（${unit.unscored}），本次不评分`;
  if (unit.vetoed) return `单项否决：${unit.vetoReason}`;
  if (isFailingUnit(unit, report))
    return `得分${formatScore(unit.score)}分，低于合格线（${report.indicatorSystem.failBelow}分）`;
  const fromBottom = scored.length - scored.indexOf(unit);
  return `得分${formatScore(unit.score)}分，排名倒数第${fromBottom}位`;
}

/** 2026-11-24 → 关于2026年11月政府网站网上巡查情况的通报 */
export function bulletinTitle(report: InspectionReport): string {
  const match = /^(\d{4})-(\d{2})/.exec(report.inspectionDate);
  const period = match ? `${match[1]}年${Number(match[2])}月` : report.inspectionDate;
  return `关于${period}政府网站网上巡查情况的通报`;
}

/** The title as printed: the period and 政府网站 on the first line, 网上巡查情况的通报 on the second. */
export function bulletinTitleLines(report: InspectionReport): string[] {
  const title = bulletinTitle(report);
  const cut = title.indexOf('网上巡查情况的通报');
  return cut > 0 ? [title.slice(0, cut), title.slice(cut)] : [title];
}

function unitsById(report: InspectionReport): Map<string, ReportUnit> {
  return new Map(report.units.map((u) => [u.id, u]));
}

export function bulletinContent(report: InspectionReport): BulletinContent {
  const issuer = report.notice.issuer.trim() || '政务公开办';
  return {
    organMark: issuer,
    title: bulletinTitle(report),
    titleLines: bulletinTitleLines(report),
    addressee: '各单位：',
    intro:
      `根据《中华人民共和国政府信息公开条例》和《政府网站与政务新媒体检查指标》有关要求，` +
      `${formatChineseDate(report.inspectionDate)}，${issuer}对${report.units.length}家单位的政府网站开展了网上巡查。` +
      `现将巡查情况通报如下。`,
    sections: [
      overviewSection(report),
      rankingSection(report),
      listsSection(report),
      typicalSection(report),
      requirementsSection(report, issuer),
    ],
    closing: '特此通报。',
    issuer,
    date: formatChineseDate(report.notice.issueDate ?? report.inspectionDate),
    notes: notes(report),
  };
}

function heading(index: number, text: string): string {
  return `${chineseNumeral(index)}、${text}`;
}

function para(text: string): BulletinBlock {
  return { type: 'para', text };
}

function overviewSection(report: InspectionReport): BulletinSection {
  const f = bulletinFigures(report);
  const reach =
    `本次共巡查${f.inspected}家单位的政府网站，` +
    (f.unreachable ? `其中${f.scored}家评分，${f.unreachable}家首页无法访问、未评分；` : '均完成评分；') +
    `共抓取页面${f.pages}个、附件${f.attachments}个。`;
  const average = f.average === undefined ? '' : `评分单位平均得分${formatScore(f.average)}分，`;
  const grades = f.grades.map(([g, n]) => `${g}${n}家`).join('、');
  const byCategory = f.problemsByCategory
    .filter(([, n]) => n > 0)
    .map(([title, n]) => `${title}${n}个`)
    .join('、');
  const problems =
    `共发现问题${f.problems}个` +
    (byCategory ? `（${byCategory}）` : '') +
    `，另有${OUTCOME_LABELS.warn}${f.hints}条、${OUTCOME_LABELS['needs-review']}${f.needsReview}条` +
    (f.errors ? `、${OUTCOME_LABELS.error}${f.errors}条` : '') +
    '。';
  return {
    heading: heading(1, '总体情况'),
    blocks: [para(reach + average + `其中${grades}。` + problems)],
  };
}

function rankingSection(report: InspectionReport): BulletinSection {
  const rows = scoredUnits(report).map((u) => [String(u.rank), u.name, formatScore(u.score), u.grade]);
  const unreachable = unreachableUnits(report);
  const blocks: BulletinBlock[] = [
    para('各单位网站按得分排名如下：'),
    {
      type: 'table',
      headers: RANKING_HEADERS,
      rows: [...rows, ...unreachable.map((u) => ['—', u.name, '—', u.grade])],
      widths: [1, 5, 1.5, 1.5],
    },
  ];
  if (unreachable.length)
    blocks.push(
      para(
        `${unreachable.map((u) => u.name).join('、')}网站首页在巡查时无法访问，本次不评分，` +
          `列为“${report.indicatorSystem.unreachable.title}”，排在全部评分单位之后。`,
      ),
    );
  return { heading: heading(2, '排名情况'), blocks };
}

function listsSection(report: InspectionReport): BulletinSection {
  const red = redList(report);
  const black = blackList(report);
  const row = (u: ReportUnit, reason: string) => [
    u.unscored === undefined ? String(u.rank) : '—',
    u.name,
    u.unscored === undefined ? formatScore(u.score) : '—',
    u.grade,
    reason,
  ];
  const table = (rows: string[][]): BulletinBlock => ({
    type: 'table',
    headers: LIST_HEADERS,
    rows,
    widths: [1, 4, 1.2, 1.2, 4],
  });
  return {
    heading: heading(3, '红黑榜'),
    blocks: [
      { type: 'subheading', text: '（一）红榜' },
      red.length
        ? table(red.map((u) => row(u, `得分${formatScore(u.score)}分，等级为“${u.grade}”`)))
        : para('本次无单位列入红榜。'),
      { type: 'subheading', text: '（二）黑榜' },
      black.length ? table(black.map((e) => row(e.unit, e.reason))) : para('本次无单位列入黑榜。'),
    ],
  };
}

interface ProblemKind {
  label: string;
  findings: ReportFinding[];
}

/** 问题 (outcome fail) of one category grouped by check and kind, most frequent first. */
function problemKinds(report: InspectionReport, category: string): ProblemKind[] {
  const kinds = new Map<string, ProblemKind>();
  for (const unit of [...report.units].sort((a, b) => a.rank - b.rank))
    for (const f of unit.findings) {
      if (!isProblem(f) || f.category !== category) continue;
      const key = `${f.checkId}\u0000${f.kind}`;
      const kind = kinds.get(key) ?? { label: f.checkTitle, findings: [] };
      kind.findings.push(f);
      kinds.set(key, kind);
    }
  return [...kinds.values()].sort((a, b) => b.findings.length - a.findings.length);
}

/** Examples from different units first, at most EXAMPLES_PER_KIND. */
function examples(kind: ProblemKind): ReportFinding[] {
  const firstPerUnit = [...new Map(kind.findings.map((f) => [f.unitId, f])).values()];
  const chosen = firstPerUnit.slice(0, EXAMPLES_PER_KIND);
  for (const f of kind.findings) if (chosen.length < EXAMPLES_PER_KIND && !chosen.includes(f)) chosen.push(f);
  return chosen;
}

function typicalSection(report: InspectionReport): BulletinSection {
  const units = unitsById(report);
  const blocks: BulletinBlock[] = [];
  let index = 0;
  for (const category of report.categories) {
    const kinds = problemKinds(report, category.id);
    if (kinds.length === 0) continue;
    index += 1;
    const total = kinds.reduce((s, k) => s + k.findings.length, 0);
    blocks.push({
      type: 'subheading',
      text: `（${chineseNumeral(index)}）${category.title}（${total}个问题）`,
    });
    kinds.slice(0, KINDS_PER_CATEGORY).forEach((kind, i) => {
      const unitCount = new Set(kind.findings.map((f) => f.unitId)).size;
      const cases = examples(kind).map((f) => {
        const name = units.get(f.unitId)?.name ?? f.unitId;
        return `${name}：${f.message}${f.url ? `（${f.url}）` : ''}`;
      });
      blocks.push(
        para(
          `${i + 1}．${kind.label}：${kind.findings.length}个问题，涉及${unitCount}家单位。如${cases.join('；')}。`,
        ),
      );
    });
  }
  if (blocks.length === 0) blocks.push(para('本次巡查未发现问题。'));
  return { heading: heading(4, '典型问题'), blocks };
}

function requirementsSection(report: InspectionReport, issuer: string): BulletinSection {
  const deadline = formatChineseDate(report.notice.deadline);
  return {
    heading: heading(5, '整改要求'),
    blocks: [
      para(
        '（一）立即整改。各单位要对照本通报和本单位的整改通知，逐项核实、逐项整改，' +
          '对涉及个人信息的页面和附件立即撤下或脱敏处理，并举一反三排查同类问题。',
      ),
      para(
        '（二）压实责任。列入黑榜的单位要由主要负责同志专题研究，分析原因，明确责任人和整改时限；' +
          '首页无法访问的单位要立即恢复网站正常访问。',
      ),
      para(
        `（三）按时反馈。请各单位于${deadline}前（${report.notice.deadlineWorkdays}个工作日内）` +
          `完成整改，并将整改情况回执（见各单位整改通知附件）报送${issuer}。${issuer}将适时组织复查，复查结果另行通报。`,
      ),
    ],
  };
}

function notes(report: InspectionReport): string[] {
  const out = [
    `说明：${PROBLEM_DEFINITION}“${OUTCOME_LABELS.warn}”为建议改进的事项，“${OUTCOME_LABELS['needs-review']}”` +
      `为程序无法确认、待人工核实的事项。各项数字与排名表（网上巡查排名.xlsx）取自同一口径。`,
  ];
  if (report.unverified.length)
    out.push(`本次评分所用规则数据中有${report.unverified.length}项尚待核实，详见排名表“说明”工作表。`);
  return out;
}

/** Shared with the notices (GB/T 9704 helpers). */
export { organMarkPoints } from './gongwen.js';
