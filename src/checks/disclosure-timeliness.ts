import { z } from 'zod';
import { defineCheck, type CheckFinding } from './defineCheck.js';

const options = z
  .object({
    /** 条例 Art. 26: within 20 working days of the information being formed. */
    limitWorkdays: z.number().int().min(1).default(20),
  })
  .strict();

/**
 * 主动公开 on time: a document's 发布日期 against its 成文日期, in Chinese working days (调休
 * included). Only pages that print both dates are judged; a publication date before the signing
 * date is a data error, reported for a person to correct.
 */
export const disclosureTimeliness = defineCheck({
  id: 'disclosure-timeliness',
  title: '主动公开时限',
  failureTitle: '信息未在规定时限内公开',
  category: 'disclosure',
  options,
  run(e, { options: o, calendar }) {
    const findings: CheckFinding[] = [];
    for (const page of e.pages) {
      const written = page.writtenDate;
      const published = page.pubDate;
      if (!written || !published) continue;
      const evidence = `${written.raw ?? written.date}；发布日期 ${published.date}（${published.source}）`;
      const base = { url: page.url, location: page.title || page.url, evidence };
      if (published.date < written.date) {
        findings.push({
          ...base,
          outcome: 'warn',
          kind: 'date-order',
          message: `发布日期 ${published.date} 早于成文日期 ${written.date}，日期有误`,
        });
        continue;
      }
      const workdays = calendar.countWorkdays(written.date, published.date);
      if (workdays > o.limitWorkdays)
        findings.push({
          ...base,
          outcome: 'fail',
          kind: 'late',
          message: `成文后第 ${workdays} 个工作日才公开（应在 ${o.limitWorkdays} 个工作日内）`,
        });
    }
    return findings;
  },
});
