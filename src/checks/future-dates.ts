import { z } from 'zod';
import { defineCheck, type CheckFinding } from './defineCheck.js';

const options = z
  .object({
    /** Days after the inspection date tolerated (time zones, scheduled publishing). */
    graceDays: z.number().int().min(0).default(1),
  })
  .strict();

const addDays = (iso: string, n: number) =>
  new Date(Date.parse(`${iso}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

/**
 * Publication dates after the inspection date: a typo at best, a forged date (单项否决 V1) at
 * worst. A person has to judge which, so these are warnings that never cost points by themselves.
 */
export const futureDates = defineCheck({
  id: 'future-dates',
  title: '发布日期真实性',
  failureTitle: '发布日期晚于检查日期',
  category: 'update',
  options,
  run(e, { options: o, inspectionDate }) {
    const limit = addDays(inspectionDate, o.graceDays);
    const findings: CheckFinding[] = [];
    const seen = new Set<string>();
    for (const page of e.pages) {
      if (page.pubDate && page.pubDate.date > limit && !seen.has(page.url)) {
        seen.add(page.url);
        findings.push({
          outcome: 'warn',
          kind: 'article',
          message: `发布日期 ${page.pubDate.date} 晚于检查日期，疑似日期错误或伪造`,
          url: page.url,
          location: `发布日期来源：${page.pubDate.source}`,
          evidence: page.pubDate.raw ?? page.pubDate.date,
        });
      }
      for (const item of page.datedItems) {
        const key = item.url ?? `${page.url}#${item.title}`;
        if (!item.date || item.date <= limit || seen.has(key)) continue;
        seen.add(key);
        findings.push({
          outcome: 'warn',
          kind: 'list-item',
          message: `列表信息「${item.title}」的日期 ${item.date} 晚于检查日期`,
          url: item.url ?? page.url,
          location: `所在页面：${page.url}`,
          evidence: `${item.title} ${item.date}`,
        });
      }
    }
    return findings;
  },
});
