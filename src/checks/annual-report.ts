import { z } from 'zod';
import { defineCheck, type CheckFinding } from './defineCheck.js';
import type { UnitEvidence } from '../extract/unitEvidence.js';

const monthDay = z.string().regex(/^\d{2}-\d{2}$/, { message: '应为 MM-DD，如 01-31' });

const options = z
  .object({
    /** 条例第四十九条: 部门 publish last year's report by 31 January. */
    deadline: monthDay.default('01-31'),
    /** Unit levels that publish the 本级政府 report, with their own deadline (31 March). */
    governmentLevels: z.array(z.string()).default(['区县政府', '市政府', '县政府', '区政府']),
    governmentDeadline: monthDay.default('03-31'),
  })
  .strict();

type Options = z.output<typeof options>;

const REPORT_TITLE = /((?:19|20)\d{2})\s*年度?\s*(?:政府)?信息公开(?:工作)?(?:年度)?报告/;
const REPORT_COLUMN = /年报|年度报告/;

/** Each year's report as the site shows it: the earliest date it carries anywhere. */
function reportsByYear(e: UnitEvidence): Map<number, { date?: string; url: string }> {
  const found = new Map<number, { date?: string; url: string }>();
  const note = (title: string, url: string, date: string | undefined) => {
    const year = Number(REPORT_TITLE.exec(title)?.[1]);
    if (!year) return;
    const known = found.get(year);
    if (!known || (date && (!known.date || date < known.date))) found.set(year, { date, url });
  };
  for (const page of e.pages) {
    if (page.isArticle) note(page.title, page.url, page.pubDate?.date);
    for (const item of page.datedItems) note(item.title, item.url ?? page.url, item.date);
  }
  return found;
}

function dueDate(year: number, level: string, o: Options): string {
  const day = o.governmentLevels.includes(level) ? o.governmentDeadline : o.deadline;
  return `${year}-${day}`;
}

/**
 * 政府信息公开工作年度报告: the report for the last year whose deadline has passed must be on the
 * site, published by that deadline. Found in article titles and list items of any page.
 */
export const annualReport = defineCheck({
  id: 'annual-report',
  title: '政府信息公开年度报告',
  failureTitle: '政府信息公开年度报告缺失或逾期',
  category: 'disclosure',
  options,
  run(e, { options: o, inspectionDate }) {
    const thisYear = Number(inspectionDate.slice(0, 4));
    const level = e.unit.level;
    // Before this year's deadline the report due is the one for the year before last.
    const year = inspectionDate > dueDate(thisYear, level, o) ? thisYear - 1 : thisYear - 2;
    const due = dueDate(year + 1, level, o);
    const reports = reportsByYear(e);
    const report = reports.get(year);
    const home = e.unit.startUrls[0] ?? '';
    const findings: CheckFinding[] = [];
    if (report?.date && report.date > due)
      findings.push({
        outcome: 'fail',
        kind: 'late',
        message: `${year}年度政府信息公开工作年度报告于 ${report.date} 公开，晚于 ${due}`,
        url: report.url,
        location: '年度报告',
        evidence: `应于 ${due} 前公开`,
      });
    if (report) return findings;
    const hasColumn = reports.size > 0 || e.pages.some((p) => REPORT_COLUMN.test(p.columnName ?? ''));
    findings.push({
      outcome: hasColumn ? 'fail' : 'needs-review',
      kind: hasColumn ? 'missing' : 'not-found',
      message: hasColumn
        ? `未公开${year}年度政府信息公开工作年度报告（应于 ${due} 前公开）`
        : `未找到政府信息公开年报栏目，无法确认${year}年度报告是否公开`,
      url: home,
      location: hasColumn ? '政府信息公开年报栏目' : '全站（已抓取页面）',
      evidence: hasColumn
        ? `已找到的年度报告：${[...reports.keys()].sort().join('、') || '无'}`
        : `共检查 ${e.pages.length} 个页面`,
    });
    return findings;
  },
});
