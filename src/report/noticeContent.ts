import type { InspectionReport, ReportFinding, ReportUnit } from './model.js';
import { balancedTitleLines, organMarkOf } from './gongwen.js';
import { fillPlaceholders, type NoticeTemplate } from './noticeTemplate.js';

/**
 * What the 整改通知 says, independent of the file format. The DOCX and the PDF renderers lay out
 * this content and add no text of their own, so the two files can never say different things.
 */

export interface NoticeContext {
  report: InspectionReport;
  unit: ReportUnit;
  template: NoticeTemplate;
  title: string;
  issuer: string;
  deadline: string;
  /** Findings the notice lists (template.outcomes), in report order. */
  findings: ReportFinding[];
  /** The same findings grouped by category, in the report's category order. */
  groups: CategoryGroup[];
}

export interface CategoryGroup {
  title: string;
  findings: ReportFinding[];
}

/** One category's sub-heading and its table rows (cells as in PROBLEM_HEADERS), numbered across tables. */
export interface ProblemSection {
  heading: string;
  rows: string[][];
}

export interface NoticeContent {
  /** 发文机关标志 (red, above the red line). */
  organMark: string;
  title: string;
  /** The title broken into balanced lines (no orphan character). */
  titleLines: string[];
  /** Absent when neither the run nor the template sets one: no placeholder is printed. */
  docNumber?: string;
  addressee: string;
  /** Intro paragraph, with the veto sentence appended when the unit is vetoed. */
  intro: string;
  problemsHeading: string;
  /** Empty when the unit has no listed finding; `noProblems` is shown instead. */
  sections: ProblemSection[];
  noProblems: string;
  adviceHeading: string;
  /** Numbered advice paragraphs, each advice text once, in table order. */
  advice: string[];
  deadline: string;
  closing: string;
  issuer: string;
  /** Date under the issuer (issue date, else inspection date), Chinese style. */
  date: string;
  /** Absent when every rule figure is verified. */
  unverifiedNote?: string;
  /** 附件说明, e.g. 附件：整改情况回执 */
  attachment: string;
  /** 版记: 抄送 line (absent when none), 印发机关 and 印发日期. */
  imprint: { copyTo?: string; printer: string; printed: string };
  receipt: {
    title: string;
    subtitle: string;
    /** Label and pre-filled value; empty values are filled in by hand. */
    rows: [string, string][];
    footer: string;
  };
}

export const PROBLEM_HEADERS = ['序号', '问题', '网址', '位置', '证据（已脱敏）', '依据'] as const;

/** Characters XML 1.0 forbids (control characters in scraped text would corrupt a DOCX). */
const XML_INVALID = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

/** Scraped text with forbidden control characters turned into spaces, the same in every format. */
export function printable(text: string): string {
  return text.replace(XML_INVALID, ' ');
}

export function noticeContext(
  report: InspectionReport,
  unit: ReportUnit,
  template: NoticeTemplate,
): NoticeContext {
  const findings = unit.findings.filter((f) => template.outcomes.includes(f.outcome));
  const issuer = report.notice.issuer.trim() || template.issuer;
  return {
    report,
    unit,
    template,
    title: noticeTitle(template, unit.name, issuer),
    issuer,
    deadline: formatChineseDate(report.notice.deadline),
    findings,
    groups: groupByCategory(findings, report.categories),
  };
}

/** Every text of the notice for one unit, in reading order. */
export function noticeContent(
  report: InspectionReport,
  unit: ReportUnit,
  template: NoticeTemplate,
): NoticeContent {
  const ctx = noticeContext(report, unit, template);
  const unverified = unverifiedNote(ctx);
  const docNumber = report.notice.docNumber?.trim() || template.docNumber?.trim();
  const organMark = organMarkOf(ctx.issuer);
  const date = formatChineseDate(report.notice.issueDate ?? report.inspectionDate);
  return {
    organMark,
    title: ctx.title,
    titleLines: balancedTitleLines(ctx.title),
    ...(docNumber ? { docNumber } : {}),
    addressee: fillPlaceholders(template.addressee, { unit: unit.name }),
    intro: introText(ctx) + vetoNote(ctx),
    problemsHeading: template.problemsHeading,
    sections: problemSections(ctx),
    noProblems: template.noProblems,
    adviceHeading: template.adviceHeading,
    advice: adviceTexts(ctx),
    deadline: deadlineSentence(ctx),
    closing: template.closing,
    issuer: ctx.issuer,
    date,
    ...(unverified ? { unverifiedNote: unverified } : {}),
    attachment: template.attachment ?? `附件：${template.receipt.title}`,
    imprint: {
      ...(template.copyTo ? { copyTo: `抄送：${template.copyTo}。` } : {}),
      printer: template.printer ?? organMark,
      printed: `${date}印发`,
    },
    receipt: receiptContent(ctx),
  };
}

/**
 * The notice title. A unit whose name ends in 政府 (the issuing government's own portal, or a
 * township government) takes governmentTitle: “关于示范区人民政府政府网站……” would repeat 政府.
 */
export function noticeTitle(template: NoticeTemplate, unitName: string, issuer: string): string {
  const government = /政府$/.test(unitName) || organMarkOf(issuer) === unitName;
  const pattern = government
    ? (template.governmentTitle ?? '关于{unit}门户网站问题整改的通知')
    : template.title;
  return fillPlaceholders(pattern, { unit: unitName });
}

/** 2026-12-08 → 2026年12月8日; anything else is returned unchanged. */
export function formatChineseDate(isoDate: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})/.exec(isoDate);
  if (!match) return isoDate;
  return `${match[1]}年${Number(match[2])}月${Number(match[3])}日`;
}

/** 1 → 一, 12 → 十二, 25 → 二十五 (enough for category numbering). */
export function chineseNumeral(n: number): string {
  const digits = ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九'];
  if (n < 10) return digits[n] ?? String(n);
  const tens = Math.floor(n / 10);
  const ones = n % 10;
  return `${tens === 1 ? '' : (digits[tens] ?? '')}十${ones === 0 ? '' : (digits[ones] ?? '')}`;
}

export function formatScore(score: number): string {
  return String(Math.round(score * 100) / 100);
}

export function introText(ctx: NoticeContext): string {
  const { unit, report, template } = ctx;
  if (unit.unscored !== undefined)
    return fillPlaceholders(template.unreachableIntro, {
      unit: unit.name,
      date: formatChineseDate(report.inspectionDate),
      status: report.indicatorSystem.unreachable.title,
      evidence: unit.unscored,
      basis: report.indicatorSystem.unreachable.basis,
    });
  return fillPlaceholders(template.intro, {
    unit: unit.name,
    date: formatChineseDate(report.inspectionDate),
    score: formatScore(unit.score),
    grade: unit.grade,
    rank: unit.rank,
    total: report.units.length,
  });
}

/** The veto sentence, or '' when the unit is not vetoed. */
export function vetoNote(ctx: NoticeContext): string {
  if (!ctx.unit.vetoed) return '';
  return fillPlaceholders(ctx.template.vetoNote, { reason: ctx.unit.vetoReason });
}

/** Findings grouped by category, in the given category order (unknown categories last). */
export function groupByCategory(
  findings: ReportFinding[],
  categories: InspectionReport['categories'],
): CategoryGroup[] {
  const order: string[] = categories.map((c) => c.id);
  const groups = new Map<string, CategoryGroup>();
  for (const finding of findings) {
    const title = categories.find((c) => c.id === finding.category)?.title ?? finding.categoryTitle;
    const group = groups.get(finding.category) ?? { title, findings: [] };
    group.findings.push(finding);
    groups.set(finding.category, group);
  }
  const position = (id: string) => (order.includes(id) ? order.indexOf(id) : order.length);
  return [...groups.entries()].sort((a, b) => position(a[0]) - position(b[0])).map(([, group]) => group);
}

/** Per category: its sub-heading and rows, numbered continuously across the tables. */
export function problemSections(ctx: NoticeContext): ProblemSection[] {
  let numbered = 0;
  return ctx.groups.map((group, i) => {
    const heading = fillPlaceholders(ctx.template.categoryHeading, {
      index: chineseNumeral(i + 1),
      category: group.title,
      count: group.findings.length,
    });
    const rows = group.findings.map((f, j) => problemCells(ctx, f, numbered + j + 1));
    numbered += group.findings.length;
    return { heading, rows };
  });
}

/** The cells of one table row, in PROBLEM_HEADERS order. */
export function problemCells(ctx: NoticeContext, finding: ReportFinding, index: number): string[] {
  const prefix = finding.outcome === 'warn' ? ctx.template.warnPrefix : '';
  return [
    String(index),
    prefix + finding.message,
    finding.url,
    finding.location,
    finding.evidence,
    finding.basis,
  ];
}

export function adviceTexts(ctx: NoticeContext): string[] {
  const inTableOrder = ctx.groups.flatMap((g) => g.findings);
  const advice = [...new Set(inTableOrder.map((f) => f.advice.trim()).filter((a) => a.length > 0))];
  return advice.map((text, i) => `${i + 1}．${text}`);
}

export function deadlineSentence(ctx: NoticeContext): string {
  return fillPlaceholders(ctx.template.deadline, {
    deadline: ctx.deadline,
    workdays: ctx.report.notice.deadlineWorkdays,
    issuer: ctx.issuer,
  });
}

/** The note on unverified rule figures, or undefined when there are none. */
export function unverifiedNote(ctx: NoticeContext): string | undefined {
  const count = ctx.report.unverified.length;
  if (count === 0) return undefined;
  return fillPlaceholders(ctx.template.unverifiedNote, { count });
}

export function receiptContent(ctx: NoticeContext): NoticeContent['receipt'] {
  const r = ctx.template.receipt;
  return {
    title: r.title,
    subtitle: fillPlaceholders(r.subtitle, { title: ctx.title }),
    rows: [
      [r.unitName, ctx.unit.name],
      [r.progress, fillPlaceholders(r.progressValue, { count: ctx.findings.length })],
      [r.contact, ''],
      [r.phone, ''],
      [r.signature, ''],
      [r.date, ''],
    ],
    footer: fillPlaceholders(r.footer, { deadline: ctx.deadline, issuer: ctx.issuer }),
  };
}
