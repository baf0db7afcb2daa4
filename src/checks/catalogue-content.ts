import { z } from 'zod';
import { defineCheck, type CheckFinding } from './defineCheck.js';
import { ItemMatcher } from './catalogue/itemMatch.js';
import { columnAt, itemName, unitCatalogues, type UnitCatalogue } from './catalogue/published.js';
import type { UnitEvidence } from '../extract/unitEvidence.js';
import type { PublishedCatalogueRow } from '../extract/catalogue/types.js';
import type { WorkdayCalendar } from '../workdays/calendar.js';

const PERIODS = ['month', 'quarter', 'year'] as const;
type Period = (typeof PERIODS)[number];

const options = z
  .object({
    /** Days a period lasts before its next content is due. */
    periodDays: z
      .object({
        month: z.number().int().positive(),
        quarter: z.number().int().positive(),
        year: z.number().int().positive(),
      })
      .strict()
      .default({ month: 31, quarter: 92, year: 366 }),
    /** Words in a row's own 公开时限 that make it periodic, when the rule item does not say. */
    periodWords: z
      .array(z.object({ pattern: z.string().min(1), period: z.enum(PERIODS) }).strict())
      .default([]),
    /** Working days allowed after a period when the row states none (条例 Art. 26). */
    defaultWorkdays: z.number().int().min(1).default(20),
    /** Match score from which a row is taken for a rule item (its `periodic`). */
    threshold: z.number().min(0.3).max(1).default(0.6),
  })
  .strict();
type Options = z.output<typeof options>;

function periodOf(
  row: PublishedCatalogueRow,
  c: UnitCatalogue,
  matcher: ItemMatcher,
  o: Options,
): Period | undefined {
  const text = row.timeLimit?.text ?? '';
  for (const w of o.periodWords) if (new RegExp(w.pattern).test(text)) return w.period;
  const item = c.rule?.items.find((i) => i.periodic && matcher.score(i, row) >= o.threshold);
  return item?.periodic;
}

const PERIOD_NAMES: Record<Period, string> = { month: '每月', quarter: '每季度', year: '每年' };

function rowProblem(
  row: PublishedCatalogueRow,
  period: Period | undefined,
  e: UnitEvidence,
  inspectionDate: string,
  calendar: WorkdayCalendar,
  o: Options,
): Omit<CheckFinding, 'url' | 'location'> | undefined {
  const link = row.links[0]!;
  const r = e.resourceByUrl.get(link.url);
  const col = columnAt(e, link.url);
  if (r && (r.errorKind || r.status >= 400) && r.errorKind !== 'robots' && r.errorKind !== 'out-of-scope')
    return {
      outcome: 'fail',
      kind: 'broken',
      message: `事项「${itemName(row)}」链接的内容无法访问`,
      evidence: `${link.url}（${r.status ? `HTTP ${r.status}` : (r.error ?? r.errorKind)}）`,
    };
  if (col && col.items.length === 0)
    return {
      outcome: 'fail',
      kind: 'empty',
      message: `事项「${itemName(row)}」对应栏目「${col.name}」无内容`,
      evidence: `${col.url}${col.blankMarker ? '（页面标注“暂无信息”）' : ''}`,
    };
  if (!col || !period) return undefined;
  const newest = col.items
    .map((i) => i.date)
    .filter((d): d is string => !!d)
    .sort()
    .at(-1);
  if (!newest) return undefined;
  const due = new Date(Date.parse(`${newest}T00:00:00Z`) + o.periodDays[period] * 86_400_000)
    .toISOString()
    .slice(0, 10);
  const workdays = row.timeLimit?.workdays ?? o.defaultWorkdays;
  const deadline = calendar.addWorkdays(due, workdays);
  if (deadline >= inspectionDate) return undefined;
  return {
    outcome: 'fail',
    kind: 'stale',
    message: `事项「${itemName(row)}」应${PERIOD_NAMES[period]}更新，栏目「${col.name}」最新内容为 ${newest}`,
    evidence: `按${PERIOD_NAMES[period]}更新并在 ${workdays} 个工作日内公开，最迟应于 ${deadline} 前发布新内容`,
  };
}

/**
 * Each catalogue item leads to its content: the link works, the column it opens has items, and a
 * periodic item (每月名单, 每年预决算 …) has content newer than its period and time limit allow.
 * Catalogues published as attachments carry no links and are left to the coverage checks.
 */
export const catalogueContent = defineCheck({
  id: 'catalogue-content',
  title: '标准目录事项内容',
  failureTitle: '标准目录事项无对应内容',
  category: 'disclosure',
  options,
  run(e, { options: o, catalogues, inspectionDate, calendar }) {
    const matcher = new ItemMatcher({ threshold: o.threshold, synonyms: [], genericSuffixes: [] });
    const findings: CheckFinding[] = [];
    for (const c of unitCatalogues(e, catalogues)) {
      if (c.doc.via !== 'page') continue;
      const location = c.catalogue.title ?? c.doc.title ?? c.rule?.title ?? '标准目录';
      const unlinked = c.catalogue.rows.filter((r) => r.links.length === 0);
      for (const row of c.catalogue.rows) {
        if (row.links.length === 0) continue;
        const p = rowProblem(row, periodOf(row, c, matcher, o), e, inspectionDate, calendar, o);
        if (p) findings.push({ ...p, url: c.doc.url, location: `${location} ${row.location}` });
      }
      // A catalogue that links none of its items is a list of names, not a guide to content.
      if (unlinked.length > 0)
        findings.push({
          outcome: unlinked.length === c.catalogue.rows.length ? 'fail' : 'warn',
          kind: 'unlinked',
          message: `目录中 ${unlinked.length} 个事项未链接到具体公开内容`,
          url: c.doc.url,
          location,
          evidence: unlinked
            .slice(0, 8)
            .map((r) => `${r.location} ${itemName(r)}`)
            .join('；'),
        });
    }
    return findings;
  },
});
