import type { ReportFinding } from './model.js';
import { organMarkOf, balancedTitleLines } from './gongwen.js';
import { formatScore } from './standing.js';
import {
  adviceTexts,
  attachmentLines,
  chineseNumeral,
  formatChineseDate,
  groupByCategory,
  noticeTitle,
  problemTables,
  unverifiedNote,
  type NoticeAnnex,
  type NoticeContent,
  type NoticeContext,
} from './noticeContent.js';
import { fillPlaceholders, type NoticeTemplate } from './noticeTemplate.js';
import { RECHECK_STATUS_LABELS, unfinished, type RecheckStatus } from './recheck.js';
import type { SupervisionReport, SupervisionUnit } from './supervision.js';
import type { SupervisionTemplate } from './supervisionTemplate.js';

/**
 * What a 督办通知 says, as NoticeContent: the same DOCX and PDF renderers as the 整改通知 lay it
 * out (noticeDocx, noticeHtml), so it has the same 公文 layout. Counts are the re-check's
 * (RecheckUnit.counts, unfinished); the problem tables are the 整改通知's (problemTables).
 */

/** Statuses whose finding the 督办通知 lists, by part: still there, and found new at the re-check. */
const OPEN: RecheckStatus[] = ['open', 'changed'];
const NEW: RecheckStatus[] = ['new'];

/** The 督办通知's title; the issuing government's own portal keeps the 门户网站 wording. */
export function supervisionTitle(t: SupervisionTemplate, unitName: string, issuer: string): string {
  return noticeTitle(t, unitName, issuer);
}

export function supervisionContent(
  s: SupervisionReport,
  su: SupervisionUnit,
  notice: NoticeTemplate,
  t: SupervisionTemplate,
): NoticeContent {
  const { report } = s;
  const { unit, recheck } = su;
  const counts = recheck.counts;
  const issuer = report.notice.issuer.trim() || notice.issuer;
  const title = supervisionTitle(t, unit.name, issuer);
  const listedWith = (statuses: RecheckStatus[]): ReportFinding[] =>
    recheck.items.filter((i) => statuses.includes(i.status) && i.current).map((i) => i.current!);
  const open = listedWith(OPEN);
  const found = listedWith(NEW);
  const findings = [...open, ...found];
  const ctx: NoticeContext = {
    report,
    unit,
    template: notice,
    title,
    issuer,
    deadline: formatChineseDate(s.deadline),
    findings,
    groups: groupByCategory(findings, report.categories),
  };
  const numbering = { rows: 0, annexes: [] as NoticeAnnex[] };
  const sections = problemTables(ctx, groupByCategory(open, report.categories), t.categoryHeading, numbering);
  const newSections = problemTables(
    ctx,
    groupByCategory(found, report.categories),
    t.categoryHeading,
    numbering,
  );
  let part = 0;
  const heading = (text: string) => `${chineseNumeral(++part)}、${text}`;
  const problemsHeading = heading(t.openHeading);
  const moreProblems = newSections.length ? [{ heading: heading(t.newHeading), sections: newSections }] : [];
  const advice = adviceTexts(ctx);
  advice.push(`${advice.length + 1}．${t.demand}`);
  const annexes = numbering.annexes;
  const organMark = organMarkOf(issuer);
  const date = formatChineseDate(s.issueDate);
  const unverified = unverifiedNote(ctx);
  const docNumber = report.notice.docNumber?.trim();
  const firstTitle = noticeTitle(notice, su.previousName, issuer);
  return {
    organMark,
    title,
    titleLines: balancedTitleLines(title),
    ...(docNumber ? { docNumber } : {}),
    addressee: fillPlaceholders(notice.addressee, { unit: unit.name }),
    intro: introText(s, su, t, firstTitle),
    summary: { heading: t.summaryHeading, rows: summaryRows(s, su, firstTitle) },
    problemsHeading,
    sections,
    noProblems: notice.noProblems,
    ...(moreProblems.length ? { moreProblems } : {}),
    adviceHeading: heading(t.adviceHeading),
    advice,
    deadline: fillPlaceholders(t.deadline, {
      deadline: ctx.deadline,
      workdays: s.deadlineWorkdays,
      issuer,
    }),
    closing: t.closing,
    issuer,
    date,
    ...(unverified ? { unverifiedNote: unverified } : {}),
    attachment: attachmentLines([t.receipt.title, ...annexes.map((a) => a.title)]),
    annexes,
    imprint: {
      ...(notice.copyTo ? { copyTo: `抄送：${notice.copyTo}。` } : {}),
      printer: notice.printer ?? organMark,
      printed: `${date}印发`,
    },
    receipt: {
      title: t.receipt.title,
      subtitle: fillPlaceholders(t.receipt.subtitle, { title }),
      rows: [
        [notice.receipt.unitName, unit.name],
        [
          notice.receipt.progress,
          fillPlaceholders(t.receipt.progressValue, { open: unfinished(counts), new: counts.new }),
        ],
        [notice.receipt.contact, ''],
        [notice.receipt.phone, ''],
        [notice.receipt.signature, ''],
        [notice.receipt.date, ''],
      ],
      footer: fillPlaceholders(t.receipt.footer, { deadline: ctx.deadline, issuer }),
    },
  };
}

/** What the 整改通知 asked, what the re-check found, and the order to finish. */
function introText(s: SupervisionReport, su: SupervisionUnit, t: SupervisionTemplate, firstTitle: string) {
  const counts = su.recheck.counts;
  const parts = [
    fillPlaceholders(t.intro, {
      unit: su.unit.name,
      firstDate: formatChineseDate(s.first.issueDate),
      firstTitle,
      firstDeadline: formatChineseDate(s.first.deadline),
      date: formatChineseDate(s.recheckDate),
      fixed: counts.fixed,
      open: unfinished(counts),
    }),
  ];
  if (s.overdueWorkdays > 0) parts.push(fillPlaceholders(t.overdue, { overdue: s.overdueWorkdays }));
  if (counts.new > 0) parts.push(fillPlaceholders(t.newProblems, { count: counts.new }));
  if (counts.unverifiable > 0) parts.push(fillPlaceholders(t.unverifiable, { count: counts.unverifiable }));
  parts.push(t.order);
  return parts.join('');
}

/** 复查结果概要: the first notice and its deadline, the re-check's counts, standing now, new deadline. */
export function summaryRows(
  s: SupervisionReport,
  su: SupervisionUnit,
  firstTitle: string,
): [string, string][] {
  const { unit, recheck } = su;
  const c = recheck.counts;
  const L = RECHECK_STATUS_LABELS;
  const overdue = s.overdueWorkdays > 0 ? `，截至复查之日已逾期${s.overdueWorkdays}个工作日` : '';
  const result = [
    `${L.fixed}${c.fixed}项`,
    `未整改${unfinished(c)}项${c.changed ? `（其中问题有变化${c.changed}项）` : ''}`,
    `${L.new}${c.new}项`,
    ...(c.unverifiable ? [`${L.unverifiable}${c.unverifiable}项`] : []),
    ...(c.dismissed ? [`${L.dismissed}${c.dismissed}项`] : []),
  ].join('，');
  const standing =
    unit.unscored !== undefined
      ? `未评分（${s.report.indicatorSystem.unreachable.title}）`
      : `得分${formatScore(unit.score)}分，等级“${unit.grade}”，第${unit.rank}位（共${s.report.units.length}家单位）`;
  return [
    ['原整改通知', `《${firstTitle}》（${formatChineseDate(s.first.issueDate)}印发）`],
    ['原整改期限', `${formatChineseDate(s.first.deadline)}${overdue}`],
    ['复查日期', formatChineseDate(s.recheckDate)],
    ['复查结果', result],
    ...(recheck.fixRate !== undefined
      ? [['整改率', `${(recheck.fixRate * 100).toFixed(0)}%`] as [string, string]]
      : []),
    ['复查时巡查结果', standing],
    ['督办整改期限', `${formatChineseDate(s.deadline)}（${s.deadlineWorkdays}个工作日内）`],
  ];
}
