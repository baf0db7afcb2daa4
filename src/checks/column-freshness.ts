import { z } from 'zod';
import { defineCheck, type CheckFinding } from './defineCheck.js';
import { newestItem, type Column } from '../extract/columns.js';
import { daysBetween } from '../extract/dates.js';

const columnClass = z
  .object({
    id: z.string().min(1),
    title: z.string().min(1),
    maxAgeDays: z.number().int().positive(),
    /** A column belongs to the first class one of whose words its name contains. */
    match: z.array(z.string().min(1)),
  })
  .strict();

const options = z
  .object({
    classes: z.array(columnClass).min(1),
    /** Class id for columns no word matches; omit to leave such columns unchecked. */
    defaultClass: z.string().optional(),
    /** Columns never checked for freshness (名称包含即豁免). */
    exempt: z.array(z.string()).default([]),
  })
  .strict();

type Options = z.output<typeof options>;

export function classify(name: string, o: Options): z.output<typeof columnClass> | undefined {
  if (o.exempt.some((w) => name.includes(w))) return undefined;
  return (
    o.classes.find((c) => c.match.some((w) => name.includes(w))) ??
    o.classes.find((c) => c.id === o.defaultClass)
  );
}

function judge(col: Column, o: Options, today: string): CheckFinding | undefined {
  const cls = classify(col.name, o);
  if (!cls || col.items.length === 0) return undefined;
  const newest = newestItem(col);
  const base = {
    outcome: 'fail' as const,
    kind: cls.id,
    url: col.url,
    location: `栏目「${col.name}」（${cls.title}，要求 ${cls.maxAgeDays} 天内更新）`,
  };
  if (!newest)
    return {
      ...base,
      message: `栏目「${col.name}」的信息未标注发布日期，视为未更新`,
      evidence: `共 ${col.items.length} 条信息，均无发布日期`,
    };
  const age = daysBetween(newest.date!, today);
  if (age <= cls.maxAgeDays) return undefined;
  return {
    ...base,
    message: `栏目「${col.name}」已 ${age} 天未更新（超过 ${cls.maxAgeDays} 天）`,
    evidence: `最新信息：「${newest.title}」，发布日期 ${newest.date}`,
  };
}

export const columnFreshness = defineCheck({
  id: 'column-freshness',
  title: '栏目更新情况',
  failureTitle: '栏目超期未更新',
  category: 'update',
  options,
  run(e, { options: o, inspectionDate }) {
    return e.columns
      .map((c) => judge(c, o, inspectionDate))
      .filter((f): f is CheckFinding => f !== undefined);
  },
});
