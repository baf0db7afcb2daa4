import { z } from 'zod';
import { defineCheck, type CheckFinding } from './defineCheck.js';
import { requiredDomains, unitCatalogues } from './catalogue/published.js';
import { isCalendarDate } from '../workdays/calendar.js';

const options = z
  .object({
    /** 廉府办发〔2020〕58号 / 陕政办发〔2020〕20号: the catalogues are in place by 31 December 2020. */
    dueDate: z.string().refine(isCalendarDate, { message: '应为 YYYY-MM-DD 日期' }).default('2020-12-31'),
  })
  .strict();

function zh(iso: string): string {
  const [y, m, d] = iso.split('-').map(Number);
  return `${y}年${m}月${d}日`;
}

/**
 * 标准目录 on time: each domain's catalogue is published by the due date (31 December of the
 * programme year). A dated finding: how long a missing catalogue is overdue, or how many working
 * days remain. A published catalogue is not judged by its date: pages show their last update, not
 * when the catalogue first went online.
 */
export const catalogueDeadline = defineCheck({
  id: 'catalogue-deadline',
  title: '标准目录按期公开',
  failureTitle: '标准目录未按期公开',
  category: 'disclosure',
  options,
  run(e, { options: o, catalogues, inspectionDate, calendar }) {
    const published = unitCatalogues(e, catalogues);
    const findings: CheckFinding[] = [];
    for (const rule of requiredDomains(e, catalogues)) {
      if (published.some((p) => p.rule === rule && p.catalogue.rows.length > 0)) continue;
      const overdue = inspectionDate > o.dueDate;
      const days = overdue
        ? calendar.countWorkdays(o.dueDate, inspectionDate)
        : calendar.countWorkdays(inspectionDate, o.dueDate);
      findings.push({
        url: e.unit.startUrls[0] ?? '',
        location: rule.title,
        // The missing catalogue itself is scored by catalogue-coverage; this is its date.
        outcome: 'warn',
        kind: overdue ? 'overdue' : 'due',
        message: overdue
          ? `${rule.domain}领域标准目录应于${zh(o.dueDate)}前公开，截至${zh(inspectionDate)}仍未公开`
          : `${rule.domain}领域标准目录应于${zh(o.dueDate)}前公开，目前尚未公开`,
        evidence: overdue ? `已逾期 ${days} 个工作日` : `距期限还有 ${days} 个工作日`,
      });
    }
    return findings;
  },
});
