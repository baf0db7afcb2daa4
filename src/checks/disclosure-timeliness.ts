import { z } from 'zod';
import { defineCheck, type CheckFinding } from './defineCheck.js';
import { itemLimitsByPage } from './catalogue/itemLimits.js';
import { itemName } from './catalogue/published.js';
import type { CatalogueTimeLimit } from '../extract/catalogue/types.js';

const options = z
  .object({
    /** 条例 Art. 26: within 20 working days of the information being formed. */
    limitWorkdays: z.number().int().min(1).default(20),
    /** Working days a 实时/即时 item may take (a page dated the next working day is still on time). */
    realtimeWorkdays: z.number().int().min(0).default(1),
  })
  .strict();
type Options = z.output<typeof options>;

/** The limit a document is judged by, in the unit the item states it. */
function limitOf(
  item: CatalogueTimeLimit | undefined,
  o: Options,
): { workdays?: number; days?: number; text: string } {
  if (item?.kind === 'workdays' && item.workdays) return { workdays: item.workdays, text: item.text };
  if (item?.kind === 'realtime') return { workdays: o.realtimeWorkdays, text: item.text };
  const days =
    item?.kind === 'days' ? /(\d+)\s*(?:个\s*)?(?:自然\s*)?(?:日|天)/.exec(item.text)?.[1] : undefined;
  if (days) return { days: Number(days), text: item!.text };
  // 及时, 长期 and unreadable limits fall back to the 条例's 20 working days, the outer bound.
  return { workdays: o.limitWorkdays, text: `${o.limitWorkdays}个工作日（条例第二十六条）` };
}

/**
 * 主动公开 on time: a document's 发布日期 against its 成文日期, in Chinese working days (调休
 * included), by the time limit of the catalogue item the document belongs to (the row linking
 * its column), else the 条例's 20 working days. Only pages that print both dates are judged; a
 * publication date before the signing date is a data error, reported for a person to correct.
 */
export const disclosureTimeliness = defineCheck({
  id: 'disclosure-timeliness',
  title: '主动公开时限',
  failureTitle: '信息未在规定时限内公开',
  category: 'disclosure',
  options,
  run(e, { options: o, calendar, catalogues }) {
    const findings: CheckFinding[] = [];
    const items = itemLimitsByPage(e, catalogues);
    for (const page of e.pages) {
      const written = page.writtenDate;
      const published = page.pubDate;
      // A date read from the address alone is a month at best: not enough to count working days on.
      if (!written || !published || published.precision === 'month' || published.source === '网址中的日期')
        continue;
      const item = items.get(page.url);
      const limit = limitOf(item?.limit, o);
      const source = item
        ? `标准目录事项「${itemName(item.row)}」公开时限：${limit.text}`
        : `公开时限：${limit.text}`;
      const evidence = `${written.raw ?? written.date}；发布日期 ${published.date}（${published.source}）；${source}`;
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
      if (limit.days !== undefined) {
        const days = Math.round((Date.parse(published.date) - Date.parse(written.date)) / 86_400_000);
        if (days > limit.days)
          findings.push({
            ...base,
            outcome: 'fail',
            kind: 'late',
            message: `成文后第 ${days} 日才公开（应在 ${limit.days} 日内）`,
          });
        continue;
      }
      const workdays = calendar.countWorkdays(written.date, published.date);
      if (workdays > limit.workdays!)
        findings.push({
          ...base,
          outcome: 'fail',
          kind: 'late',
          message: `成文后第 ${workdays} 个工作日才公开（应在 ${limit.workdays} 个工作日内）`,
        });
    }
    return findings;
  },
});
