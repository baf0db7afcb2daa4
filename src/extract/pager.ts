/**
 * CMS list pagers → the URLs of every page of a column.
 * TRS: createPageHTML(countPage, currentPage, "index", "html") (4 args) or
 * createPageHTML("pageDiv", countPage, currentPage, "index", "html", total) (6 args),
 * and the inline form `var countPage = 56; var currentPage = 0;`.
 */
export interface PagerInfo {
  pageCount: number;
  current: number;
  urls: string[];
  source: string;
}

function pageUrls(base: string, count: number, prefix: string, ext: string): string[] {
  const urls: string[] = [];
  for (let i = 0; i < count; i++)
    urls.push(new URL(i === 0 ? `${prefix}.${ext}` : `${prefix}_${i}.${ext}`, base).toString());
  return urls;
}

function fromCreatePageHtml(scripts: string, base: string, maxPages: number): PagerInfo | undefined {
  const call = /createPageHTML\s*\(([^)]*)\)/.exec(scripts);
  if (!call?.[1]) return undefined;
  const args = call[1].split(',').map((a) => a.trim().replace(/^["']|["']$/g, ''));
  const nums = args.map((a) => (/^\d+$/.test(a) ? Number(a) : undefined));
  // 4-arg: count, current, prefix, ext. 6-arg: div id, count, current, prefix, ext, total.
  const at = nums[0] !== undefined ? 0 : 1;
  const count = nums[at];
  const current = nums[at + 1];
  const prefix = args[at + 2] || 'index';
  const ext = args[at + 3] || 'html';
  if (count === undefined || current === undefined || count < 1) return undefined;
  const n = Math.min(count, maxPages);
  return {
    pageCount: count,
    current,
    urls: pageUrls(base, n, prefix, ext),
    source: `createPageHTML(${args.join(', ')})`,
  };
}

function fromCountPageVar(scripts: string, base: string, maxPages: number): PagerInfo | undefined {
  const count = /\bcountPage\s*=\s*["']?(\d+)/.exec(scripts);
  if (!count?.[1]) return undefined;
  const current = /\bcurrentPage\s*=\s*["']?(\d+)/.exec(scripts);
  const path = new URL(base).pathname;
  const ext = /\.(s?html?)$/i.exec(path)?.[1] ?? 'html';
  const pageCount = Number(count[1]);
  return {
    pageCount,
    current: Number(current?.[1] ?? 0),
    urls: pageUrls(base, Math.min(pageCount, maxPages), 'index', ext),
    source: 'countPage',
  };
}

export function detectPager(scripts: string, base: string, maxPages = 500): PagerInfo | undefined {
  return fromCreatePageHtml(scripts, base, maxPages) ?? fromCountPageVar(scripts, base, maxPages);
}
