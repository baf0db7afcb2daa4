import type { InspectionReport, ReportFinding, ReportUnit } from './model.js';
import { EVIDENCE_ANNEX_NOTE, EVIDENCE_ANNEX_TITLE, noticeShots, type NoticeShot } from './noticeShots.js';
import { countProblems } from './counts.js';
import { balancedTitleLines, organMarkOf } from './gongwen.js';
import { fillPlaceholders, type NoticeTemplate } from './noticeTemplate.js';
import { formatScore, standingChange } from './standing.js';

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

/**
 * One category's sub-heading, its table rows (cells as in PROBLEM_HEADERS, numbered across tables)
 * and the 依据 of its problem kinds, each once, below the table.
 */
export interface ProblemSection {
  heading: string;
  rows: string[][];
  bases: string[];
}

/** A long list moved out of the body: an 附件 page with its own table. */
export interface NoticeAnnex {
  title: string;
  headers: string[];
  /** Relative column widths. */
  widths: number[];
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
  /** 巡查结果概要: label and value rows (score, grade and why, rank, change, counts) after the intro. */
  summary: { heading: string; rows: [string, string][] };
  problemsHeading: string;
  /** Empty when the unit has no listed finding; `noProblems` is shown instead. */
  sections: ProblemSection[];
  noProblems: string;
  /**
   * Further numbered parts of problems after the first, each with its heading (the 督办通知's
   * 复查新发现的问题); table rows and annexes are numbered on across the parts.
   */
  moreProblems?: { heading: string; sections: ProblemSection[] }[];
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
  /** 附件说明 lines: 附件：整改情况回执, or 附件：1. 整改情况回执 / 2. … when annexes follow. */
  attachment: string[];
  /** Long lists (personal-data details, more than LONG_LIST links) after the 回执, as 附件 2, 3, … */
  annexes: NoticeAnnex[];
  /** 取证截图 as the last 附件, when the run drew pages for this unit. */
  evidence?: { title: string; note: string; shots: NoticeShot[] };
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

export const PROBLEM_HEADERS = ['序号', '问题', '网址', '位置', '证据（已脱敏）'] as const;

/** More findings of one kind than this go to an annex table; the body keeps one summary row. */
export const LONG_LIST = 20;

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
  const { sections, annexes } = problemSectionsAndAnnexes(ctx);
  const shots = noticeShots(report, unit);
  const organMark = organMarkOf(ctx.issuer);
  const date = formatChineseDate(report.notice.issueDate ?? report.inspectionDate);
  return {
    organMark,
    title: ctx.title,
    titleLines: balancedTitleLines(ctx.title),
    ...(docNumber ? { docNumber } : {}),
    addressee: fillPlaceholders(template.addressee, { unit: unit.name }),
    intro: introText(ctx) + vetoNote(ctx),
    summary: { heading: '巡查结果概要', rows: summaryRows(ctx) },
    problemsHeading: template.problemsHeading,
    sections,
    noProblems: template.noProblems,
    adviceHeading: template.adviceHeading,
    advice: adviceTexts(ctx),
    deadline: deadlineSentence(ctx),
    closing: template.closing,
    issuer: ctx.issuer,
    date,
    ...(unverified ? { unverifiedNote: unverified } : {}),
    attachment: attachmentLines([
      template.receipt.title,
      ...annexes.map((a) => a.title),
      ...(shots.length ? [EVIDENCE_ANNEX_TITLE] : []),
    ]),
    annexes,
    ...(shots.length ? { evidence: { title: EVIDENCE_ANNEX_TITLE, note: EVIDENCE_ANNEX_NOTE, shots } } : {}),
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
export function noticeTitle(
  template: Pick<NoticeTemplate, 'title' | 'governmentTitle'>,
  unitName: string,
  issuer: string,
): string {
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

const signed = (n: number, unit: string) => (n > 0 ? `上升${n}${unit}` : n < 0 ? `下降${-n}${unit}` : '持平');

/**
 * The figures a reader looks for first, in words: score, grade (and the veto that caused it), rank,
 * change since the previous run, and the counts by 问题 / 提示 / 需人工复核 as counts.ts defines them.
 */
export function summaryRows(ctx: NoticeContext): [string, string][] {
  const { unit, report } = ctx;
  const rows: [string, string][] = [];
  if (unit.unscored !== undefined) {
    rows.push(['得分与等级', `未评分（${report.indicatorSystem.unreachable.title}）`]);
  } else {
    rows.push(['得分', `${formatScore(unit.score)}分`]);
    const why = unit.vetoed ? `（因单项否决直接认定：${unit.vetoReason}）` : '';
    rows.push(['等级', `${unit.grade}${why}`]);
    rows.push(['排名', `第${unit.rank}位（共${report.units.length}家单位）`]);
  }
  const prev = unit.previous;
  const change = standingChange(unit);
  if (prev && change.places !== undefined && change.score !== undefined) {
    const date = report.previousInspectionDate
      ? `（${formatChineseDate(report.previousInspectionDate)}）`
      : '';
    rows.push([
      '与上次巡查相比',
      `上次${date}得分${formatScore(prev.score!)}分、第${prev.rank}位；得分${signed(change.score, '分')}，位次${signed(change.places, '位')}` +
        (unit.opened !== undefined && unit.closed !== undefined
          ? `；新发现问题${unit.opened}项，已整改${unit.closed}项`
          : ''),
    ]);
  }
  const count = (outcome: string) => unit.findings.filter((f) => f.outcome === outcome).length;
  rows.push([
    '发现问题',
    `问题${countProblems(unit.findings)}项，提示${count('warn')}项，需人工复核${count('needs-review')}项`,
  ]);
  return rows;
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

/** 附件：整改情况回执, or numbered lines when there are several 附件 (GB/T 9704 7.3.4). */
export function attachmentLines(titles: string[]): string[] {
  if (titles.length === 1) return [`附件：${titles[0] ?? ''}`];
  return titles.map((title, i) => `${i === 0 ? '附件：' : ''}${i + 1}. ${title}`);
}

/** Per category: its sub-heading and rows, numbered continuously across the tables. */
export function problemSections(ctx: NoticeContext): ProblemSection[] {
  return problemSectionsAndAnnexes(ctx).sections;
}

/**
 * The problem tables, grouped so a unit can act on them: several personal-data findings in one file
 * or page make one row (rows and fields summarised, the masked values in an annex); more than
 * LONG_LIST findings of one kind make one row pointing to an annex table. Annexes are numbered
 * from 2 (附件1 is the 回执).
 */
export function problemSectionsAndAnnexes(ctx: NoticeContext): {
  sections: ProblemSection[];
  annexes: NoticeAnnex[];
} {
  const numbering = { rows: 0, annexes: [] as NoticeAnnex[] };
  const sections = problemTables(ctx, ctx.groups, ctx.template.categoryHeading, numbering);
  return { sections, annexes: numbering.annexes };
}

/**
 * The tables of some category groups under `categoryHeading` ({index} {category} {count}); rows
 * are numbered on from `numbering.rows` and annexes appended to `numbering.annexes`, so several
 * parts of one notice (the 督办通知's open and new problems) number on across each other.
 */
export function problemTables(
  ctx: NoticeContext,
  groups: CategoryGroup[],
  categoryHeading: string,
  numbering: { rows: number; annexes: NoticeAnnex[] },
): ProblemSection[] {
  const annexes = numbering.annexes;
  const annexNumber = () => annexes.length + 2;
  return groups.map((group, i) => {
    const heading = fillPlaceholders(categoryHeading, {
      index: chineseNumeral(i + 1),
      category: group.title,
      count: group.findings.length,
    });
    const rows: string[][] = [];
    // A problem kind is check + kind; personal data of all kinds (ID, mobile, address) is one problem.
    const kindOf = (f: ReportFinding) => (isPersonalData(f) ? f.checkId : `${f.checkId}\u0000${f.kind}`);
    for (const kind of groupBy(group.findings, kindOf)) {
      if (isPersonalData(kind[0])) {
        const details: string[][] = [];
        for (const place of groupBy(kind, (f) => f.url)) {
          if (place.length === 1) {
            rows.push(problemCells(ctx, place[0]!, 0));
            continue;
          }
          rows.push(personalDataCells(place, annexNumber()));
          details.push(...personalDataDetails(place));
        }
        if (details.length > 0)
          annexes.push({
            title: `${group.title}问题明细（已脱敏）`,
            headers: ['序号', '网址', '位置', '未脱敏的内容（已脱敏显示）'],
            widths: [7, 38, 25, 30],
            rows: details.map((cells, j) => [String(j + 1), ...cells]),
          });
      } else if (kind.length > LONG_LIST) {
        const first = kind[0]!;
        rows.push([
          '',
          `${problemCells(ctx, first, 0)[1] ?? ''}（共${kind.length}处）`,
          '',
          `详见附件${annexNumber()}`,
          `共${kind.length}处，逐条列于附件${annexNumber()}`,
        ]);
        annexes.push({
          title: `${first.checkTitle}问题清单`,
          headers: ['序号', '网址', '位置', '证据（已脱敏）'],
          widths: [7, 40, 30, 23],
          rows: kind.map((f, j) => [String(j + 1), f.url, f.location, f.evidence]),
        });
      } else {
        rows.push(...kind.map((f) => problemCells(ctx, f, 0)));
      }
    }
    for (const row of rows) row[0] = String(++numbering.rows);
    const bases = [...new Set(group.findings.map((f) => f.basis.trim()).filter((b) => b.length > 0))];
    return { heading, rows, bases: bases.map((b) => `依据：${b}`) };
  });
}

function isPersonalData(finding: ReportFinding | undefined): boolean {
  return finding?.checkId === 'personal-data-exposure';
}

/** Items grouped by key, groups in order of first appearance. */
function groupBy<T>(items: T[], key: (item: T) => string): T[][] {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    groups.set(k, [...(groups.get(k) ?? []), item]);
  }
  return [...groups.values()];
}

const ROW = /第\s*(\d+)\s*行/;

/** 公开内容含未脱敏的身份证号 → 身份证号 */
function fieldOf(finding: ReportFinding): string {
  return finding.message.replace(/^.*未脱敏的/, '').trim() || finding.kind;
}

/** 3,4,5,8 → 第3–5、8行 */
export function rowRanges(rows: number[]): string {
  const sorted = [...new Set(rows)].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < sorted.length;) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === (sorted[j] ?? 0) + 1) j += 1;
    parts.push(j > i ? `${sorted[i]}–${sorted[j]}` : String(sorted[i]));
    i = j + 1;
  }
  return `第${parts.join('、')}行`;
}

/**
 * One row for the personal data of one file or page: where (sheet and rows, or how many places),
 * how many people and which fields, e.g. 工作表「名单」第3–10行共8人：身份证号、手机号码、具体住址.
 */
export function personalDataSummary(findings: ReportFinding[]): { place: string; summary: string } {
  const fields = [...new Set(findings.map(fieldOf))].join('、');
  const rows = findings.map((f) => ROW.exec(f.location)?.[1]);
  if (rows.every((r) => r !== undefined)) {
    const sheets = [...new Set(findings.map((f) => f.location.replace(ROW, '').trim()))].filter(Boolean);
    const people = new Set(findings.map((f) => f.location)).size;
    return { place: sheets.join('、'), summary: `${rowRanges(rows.map(Number))}共${people}人：${fields}` };
  }
  const places = new Set(findings.map((f) => f.location)).size;
  return { place: `${places}处`, summary: `${findings.length}处：${fields}` };
}

function personalDataCells(findings: ReportFinding[], annex: number): string[] {
  const first = findings[0]!;
  const { place, summary } = personalDataSummary(findings);
  const attachment = first.foundOn || /\.(xlsx?|docx?|pdf|wps|et|csv|txt)(\?|$)/i.test(first.url);
  const what = attachment ? '附件' : '页面';
  return ['', `${what}公开了未脱敏的个人信息`, urlCell(first), place, `${summary}（明细见附件${annex}）`];
}

/**
 * One annex row per place (sheet row, paragraph): the masked values found there. The first row of
 * a file also names the page that publishes it.
 */
function personalDataDetails(findings: ReportFinding[]): string[][] {
  return groupBy(findings, (f) => f.location).map((at, i) => [
    i === 0 ? urlCell(at[0]!) : at[0]!.url,
    at[0]!.location,
    at.map((f) => `${fieldOf(f)}：${f.evidence}`).join('；'),
  ]);
}

/** The cells of one table row, in PROBLEM_HEADERS order. */
export function problemCells(ctx: NoticeContext, finding: ReportFinding, index: number): string[] {
  const prefix = finding.outcome === 'warn' ? ctx.template.warnPrefix : '';
  return [String(index), prefix + finding.message, urlCell(finding), finding.location, finding.evidence];
}

/**
 * The 网址 cell: the finding's URL and, for a finding in an attachment, the page that links to it
 * (its title, then its URL on a line of its own: the renderers make every URL line a link).
 */
export function urlCell(finding: ReportFinding): string {
  const on = finding.foundOn;
  if (!on) return finding.url;
  return [finding.url, `${FOUND_ON_LABEL}${on.title || '（无标题）'}`, on.url].join('\n');
}

/** Introduces the page an attachment is published on, in the 网址 cells. */
export const FOUND_ON_LABEL = '发布页面：';

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
      // 问题 as counts.ts defines them, the same number every other output shows; 提示 apart.
      [
        r.progress,
        fillPlaceholders(r.progressValue, {
          count: countProblems(ctx.findings),
          hints: ctx.findings.filter((f) => f.outcome === 'warn').length,
        }),
      ],
      [r.contact, ''],
      [r.phone, ''],
      [r.signature, ''],
      [r.date, ''],
    ],
    footer: fillPlaceholders(r.footer, { deadline: ctx.deadline, issuer: ctx.issuer }),
  };
}
