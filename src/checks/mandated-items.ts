import { z } from 'zod';
import { defineCheck, type CheckFinding } from './defineCheck.js';
import type { Catalogue } from '../config/catalogues.js';
import type { UnitEvidence } from '../extract/unitEvidence.js';
import type { PageLink, TableRow } from '../extract/htmlPage.js';

const options = z
  .object({
    /** Report an item whose catalogue row links to a page that fails or shows nothing. */
    checkLinkedContent: z.boolean().default(true),
  })
  .strict();

type Item = Catalogue['items'][number];

/** Catalogue tables merge 一级事项 cells over many rows: carry the last 一级 seen downwards. */
function rowsWithFirstLevel(
  tables: TableRow[][],
  catalogue: Catalogue,
): { text: string; links: PageLink[] }[] {
  const firsts = [...new Set(catalogue.items.map((i) => i.first))];
  const out: { text: string; links: PageLink[] }[] = [];
  for (const table of tables) {
    let carried = '';
    for (const row of table) {
      const text = row.cells.join(' ');
      carried = firsts.find((f) => text.includes(f)) ?? carried;
      out.push({ text: `${carried} ${text}`, links: row.links });
    }
  }
  return out;
}

function linkedProblem(link: PageLink | undefined, e: UnitEvidence): string | undefined {
  if (!link) return '目录中该事项未链接具体内容';
  const r = e.resourceByUrl.get(link.url);
  if (!r) return undefined;
  if (r.errorKind && r.errorKind !== 'robots')
    return `事项链接无法访问（${r.status ? `HTTP ${r.status}` : r.errorKind}）`;
  const col = e.columns.find((c) => c.pages.includes(link.url));
  if (col && col.items.length === 0) return `事项对应栏目「${col.name}」无内容`;
  return undefined;
}

function checkCatalogue(
  e: UnitEvidence,
  catalogue: Catalogue,
  url: string,
  checkLinks: boolean,
): CheckFinding[] {
  const page = e.pageByUrl.get(url);
  const base = { url, location: `${catalogue.title}` };
  if (!page) {
    const r = e.resourceByUrl.get(url);
    const why = r ? (r.status ? `HTTP ${r.status}` : (r.error ?? '无法访问')) : '未抓取到';
    return [
      {
        ...base,
        outcome: 'fail',
        kind: 'catalogue-missing',
        message: `${catalogue.domain}标准目录页面无法访问`,
        evidence: why,
      },
    ];
  }
  const rows = rowsWithFirstLevel(page.tables, catalogue);
  const findings: CheckFinding[] = [];
  const itemName = (i: Item) => `${i.first} › ${i.second}`;
  for (const item of catalogue.items) {
    const row = rows.find((r) => r.text.includes(item.first) && r.text.includes(item.second));
    if (!row) {
      findings.push({
        ...base,
        outcome: 'fail',
        kind: 'missing',
        message: `目录缺少事项「${itemName(item)}」`,
        evidence: `目录页未列出该事项（${item.id}）`,
      });
      continue;
    }
    const problem = checkLinks ? linkedProblem(row.links[0], e) : undefined;
    if (problem)
      findings.push({
        ...base,
        outcome: 'fail',
        kind: 'broken',
        message: `事项「${itemName(item)}」内容缺失`,
        evidence: `${problem}（${item.id}）`,
      });
  }
  return findings;
}

export const mandatedItems = defineCheck({
  id: 'mandated-items',
  title: '标准目录事项公开',
  failureTitle: '基层政务公开标准目录事项缺失',
  category: 'disclosure',
  options,
  run(e, { options: o, catalogues }) {
    return e.unit.catalogues.flatMap((ref) => {
      const catalogue = catalogues.find((c) => c.domain === ref.domain);
      if (!catalogue)
        return [
          {
            outcome: 'error' as const,
            kind: 'unknown-domain',
            message: `规则中没有「${ref.domain}」领域的标准目录`,
            url: ref.url,
            location: '种子文件',
            evidence: ref.domain,
          },
        ];
      return checkCatalogue(e, catalogue, ref.url, o.checkLinkedContent);
    });
  },
});
