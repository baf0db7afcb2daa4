import { z } from 'zod';
import { defineCheck, type CheckFinding } from './defineCheck.js';
import { itemName, unitCatalogues } from './catalogue/published.js';
import { CATALOGUE_ELEMENTS } from '../extract/catalogue/types.js';

const options = z
  .object({
    /** Elements each row must show (明政办〔2020〕34号: 名称、内容、依据、时限、主体、方式、渠道、公开对象). */
    required: z
      .array(z.enum(CATALOGUE_ELEMENTS))
      .min(1)
      .default([...CATALOGUE_ELEMENTS]),
    /** Rows listed in a finding's evidence before “等”. */
    listRows: z.number().int().min(1).default(8),
  })
  .strict();

/**
 * Every published row carries the eight elements, neither empty nor a placeholder. One finding per
 * catalogue names how many rows fall short and which, so a 60-row table missing one column is one
 * problem to fix, not sixty.
 */
export const catalogueElements = defineCheck({
  id: 'catalogue-elements',
  title: '标准目录要素齐全',
  failureTitle: '标准目录事项要素不全',
  category: 'disclosure',
  options,
  run(e, { options: o, catalogues }) {
    const findings: CheckFinding[] = [];
    const required = new Set(o.required);
    for (const { doc, catalogue, rule } of unitCatalogues(e, catalogues)) {
      const short = catalogue.rows
        .map((row) => ({ row, missing: row.problems.filter((p) => required.has(p)) }))
        .filter((r) => r.missing.length > 0);
      if (short.length === 0) continue;
      // Which elements are missing, and in how many rows: the summary a 公开办 acts on.
      const counts = new Map<string, number>();
      for (const s of short) for (const m of s.missing) counts.set(m, (counts.get(m) ?? 0) + 1);
      const summary = [...counts].map(([m, n]) => `${m}（${n}行）`).join('、');
      const listed = short
        .slice(0, o.listRows)
        .map((s) => `${s.row.location} ${itemName(s.row)}：缺${s.missing.join('、')}`);
      findings.push({
        outcome: 'fail',
        kind: 'elements',
        message: `${rule?.domain ?? catalogue.domain ?? ''}标准目录有 ${short.length} 个事项要素不全：${summary}`,
        url: doc.url,
        location: catalogue.title ?? doc.title ?? rule?.title ?? '标准目录',
        evidence: `${listed.join('；')}${short.length > o.listRows ? ` 等 ${short.length} 行` : ''}`,
      });
    }
    return findings;
  },
});
