/**
 * Page text (no HTML, no cell boundaries) read by the text-level row parser (../catalogueRows.ts)
 * into the common shape. That parser anchors rows on 序号 and 公开时限 cells and does not read the
 * tick columns, so only the elements it reads are judged.
 */
import { parseCatalogueText } from '../catalogueRows.js';
import { pickTitle } from './domain.js';
import { isPlaceholder } from './rows.js';
import type { CatalogueElement, PublishedCatalogue, PublishedCatalogueRow } from './types.js';

function textRowProblems(row: PublishedCatalogueRow): CatalogueElement[] {
  const out: CatalogueElement[] = [];
  if (isPlaceholder(row.first) && isPlaceholder(row.second)) out.push('事项名称');
  if (isPlaceholder(row.content)) out.push('公开内容');
  if (isPlaceholder(row.basis)) out.push('公开依据');
  if (isPlaceholder(row.timeLimit?.text)) out.push('公开时限');
  if (isPlaceholder(row.subject)) out.push('公开主体');
  return out;
}

export function parseCatalogueTextFile(
  text: string,
  knownDomains: readonly string[] = [],
): PublishedCatalogue {
  const parsed = parseCatalogueText(text, knownDomains);
  const title = pickTitle(
    text
      .split(/\r?\n/)
      .slice(0, 20)
      .filter((l) => /目录/.test(l)),
  );
  const rows = parsed.rows.map((r): PublishedCatalogueRow => {
    const row: PublishedCatalogueRow = {
      first: r.first,
      second: r.second,
      channels: [],
      audience: [],
      mode: [],
      levels: [],
      links: [],
      problems: [],
      location: `第${r.line}行`,
    };
    if (r.content !== undefined) row.content = r.content;
    if (r.basis !== undefined) row.basis = r.basis;
    if (r.timeLimit !== undefined) row.timeLimit = r.timeLimit;
    if (r.subject !== undefined) row.subject = r.subject;
    row.problems = textRowProblems(row);
    return row;
  });
  const problems = [...parsed.problems];
  if (rows.length > 0)
    problems.push('纯文本目录没有单元格边界：公开渠道和载体、公开对象、公开方式未能按列读取，未检查');
  return {
    ...(parsed.domain ? { domain: parsed.domain } : {}),
    ...(title ? { title } : {}),
    format: 'text',
    rows,
    problems,
  };
}
