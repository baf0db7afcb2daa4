import { z } from 'zod';
import { defineCheck, type CheckFinding } from './defineCheck.js';
import { ItemMatcher } from './catalogue/itemMatch.js';
import { itemName, requiredDomains, unitCatalogues, type UnitCatalogue } from './catalogue/published.js';
import type { Catalogue } from '../config/catalogues.js';
import type { UnitEvidence } from '../extract/unitEvidence.js';

const options = z
  .object({
    /** Match score (0–1) from which a published row counts as a mandated item. */
    threshold: z.number().min(0.3).max(1).default(0.6),
    synonyms: z.array(z.array(z.string().min(1)).min(2)).default([]),
    genericSuffixes: z.array(z.string().min(1)).default([]),
  })
  .strict();

function missingCatalogue(e: UnitEvidence, rule: Catalogue): CheckFinding {
  const pin = e.unit.catalogues.find((c) => c.domain === rule.domain);
  const r = pin ? e.resourceByUrl.get(pin.url) : undefined;
  const why = !pin
    ? `按单位职责应公开本领域目录（${e.unit.name}），抓取范围内未找到标题含“${rule.domain}”的标准目录页面或附件`
    : r
      ? `种子文件所列目录地址无法读取（${r.status ? `HTTP ${r.status}` : (r.error ?? '无法访问')}${r.status && r.status < 300 ? '，内容不是可识别的目录表格' : ''}）`
      : '种子文件所列目录地址未抓取到';
  return {
    outcome: 'fail',
    kind: 'catalogue-missing',
    message: `未公开${rule.domain}领域基层政务公开标准目录`,
    url: pin?.url ?? e.unit.startUrls[0] ?? '',
    location: rule.title,
    evidence: why,
  };
}

/** The catalogue of a domain judged item by item; several documents of one domain count together. */
function itemsOf(rule: Catalogue, found: UnitCatalogue[], matcher: ItemMatcher): CheckFinding[] {
  const rows = found.flatMap((f) => f.catalogue.rows);
  const first = found[0]!;
  const base = { url: first.doc.url, location: first.catalogue.title ?? first.doc.title ?? rule.title };
  const { matched, merged } = matcher.match(rule.items, rows);
  const findings: CheckFinding[] = [];
  for (const [item, hits] of matched)
    if (hits.length === 0)
      findings.push({
        ...base,
        outcome: 'fail',
        kind: 'missing',
        message: `目录缺少事项「${itemName(item)}」`,
        evidence: `已公开目录共 ${rows.length} 行，无与该事项对应的行（${item.id}）`,
      });
  for (const [row, items] of merged)
    findings.push({
      ...base,
      outcome: 'warn',
      kind: 'merged',
      message: `目录将 ${items.length} 个事项合并为一行「${itemName(row)}」`,
      location: `${base.location} ${row.location}`,
      evidence: `合并的事项：${items.map(itemName).join('；')}。标准目录事项可细化、不得删减，建议分列`,
    });
  return findings;
}

/**
 * 标准目录 coverage: every domain the unit answers for has its catalogue published, and the
 * catalogue keeps every mandated 二级事项 — matched by meaning, so renamed and refined items
 * count and only deleted ones are reported.
 */
export const catalogueCoverage = defineCheck({
  id: 'catalogue-coverage',
  title: '标准目录事项完整',
  failureTitle: '基层政务公开标准目录缺失或事项不全',
  category: 'disclosure',
  options,
  run(e, { options: o, catalogues }) {
    const matcher = new ItemMatcher(o);
    const published = unitCatalogues(e, catalogues);
    const findings: CheckFinding[] = [];
    const required = requiredDomains(e, catalogues);
    const domains = [...new Set([...required, ...published.flatMap((p) => (p.rule ? [p.rule] : []))])];
    for (const rule of domains) {
      const found = published.filter((p) => p.rule === rule && p.catalogue.rows.length > 0);
      if (found.length === 0) findings.push(missingCatalogue(e, rule));
      else findings.push(...itemsOf(rule, found, matcher));
    }
    for (const ref of e.unit.catalogues)
      if (!catalogues.some((c) => c.domain === ref.domain))
        findings.push({
          outcome: 'error',
          kind: 'unknown-domain',
          message: `规则中没有「${ref.domain}」领域的标准目录`,
          url: ref.url,
          location: '种子文件',
          evidence: ref.domain,
        });
    return findings;
  },
});
