/**
 * Runs `xuncha extract`'s page understanding on every page of the shared real-page corpus
 * (../shared/corpus/pages, beside the repository: saved HTML pages and text excerpts, whose
 * `# source:` line gives the page's URL) and prints a pass/fail table against the facts listed in
 * ../shared/corpus/README.md. A script that prints, not a test.
 * Usage: npx tsx bench/corpus.ts [corpus-pages-dir]
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { extractPage, type ExtractSummary } from '../src/cli/extractCommand.js';

/** null: the corpus README says the page has none; undefined: not stated, not checked. */
interface Expected {
  charset: string;
  pubDate?: string | null;
  /** Where the publication date must have been read from (a label, the 来源 line, the URL). */
  pubSource?: RegExp;
  /** 成文日期 / 发文日期, kept apart from the publication date. */
  written?: string | null;
  metaId?: string | null;
  footerId?: string | null;
  column?: string;
  pages?: number | null;
  /** Dated items on the page (every list), with the newest and oldest dates. */
  items?: { count: number; newest?: string; oldest?: string };
  attachments?: number;
  /** A warning the page must raise (the README's "should report"). */
  warning?: RegExp;
}

const TEXT: Expected = { charset: 'utf-8', metaId: null, footerId: null, written: null };

// Facts from the corpus README table. Footer codes the README does not name were read from the
// pages themselves (the printed 网站标识码 line) and are marked "page".
const EXPECTED: Record<string, Expected> = {
  'zj-fgw-hanweb-detail-2016.html': {
    charset: 'utf-8',
    pubDate: '2016-11-22',
    metaId: null,
    footerId: '3300000020',
    column: '投资运行',
    pages: null,
    attachments: 0,
    warning: /meta SiteIDCode 为空，页脚为 3300000020/,
  },
  'shanxi-gov-detail-2019.html': {
    charset: 'utf-8',
    pubDate: '2019-09-18',
    metaId: '1400000045',
    footerId: '1400000045', // page
    column: '山西要闻',
    pages: 1, // the article pager: createPageHTML(1,0,…)
  },
  'gov-cn-gongbao-detail-2007.html': {
    charset: 'utf-8',
    pubDate: '2007-08-20', // firstpublishedtime, not the 2007-06-29 resolution date
    metaId: null,
    footerId: 'bm01000001',
  },
  'cmse-gov-detail.html': { charset: 'utf-8', pubDate: '2012-06-24', metaId: null, footerId: null },
  'kepu-gov-detail-2023.html': {
    charset: 'utf-8',
    pubDate: '2023-12-01',
    metaId: null,
    footerId: 'bm06000004',
  },
  'nmg-gov-detail-2022.html': {
    charset: 'utf-8',
    pubDate: '2022-02-11', // not the 2022年1月1日至2025年12月31日 policy period
    metaId: '1500000001',
    footerId: '1500000001', // page
  },
  'bynr-gov-detail-2022.html': {
    charset: 'utf-8',
    pubDate: '2022-02-11',
    metaId: '1508000002',
    footerId: '1508000002',
  },
  'jl-xxgk-detail-tonggao.html': {
    charset: 'utf-8',
    pubDate: '2022-01-28',
    written: '2022-01-27', // page: 成文日期：2022年01月27日
    metaId: '2200000019',
    footerId: null, // page
    column: '政府信息公开基础平台',
    attachments: 2,
  },
  'chinaneast-gov-detail-gb2312.html': {
    charset: 'gb18030',
    pubDate: '2005-08-16',
    metaId: null,
    footerId: null,
  },
  'nfra-xzcf-detail-2024-rendered.html': {
    charset: 'utf-8',
    pubDate: '2024-07-12', // not the Word metadata "2052-10.8.2.7090"
    metaId: 'bm55000001',
    footerId: 'bm55000001', // page
    warning: /模板占位链接未请求/,
  },
  'nfra-xzcf-detail-2025-rendered.html': {
    charset: 'utf-8',
    pubDate: '2025-06-03',
    metaId: 'bm55000001', // page
    footerId: 'bm55000001', // page
    warning: /模板占位链接未请求/,
  },
  'ordos-engebei-xxgk-nianbao-list-trs.html': {
    charset: 'utf-8',
    pubDate: null,
    metaId: null,
    footerId: '1506000140',
    column: '信息公开年报',
    pages: 2,
    items: { count: 10, newest: '2020-09-03', oldest: '2017-01-07' },
  },
  'handan-xxgk-platform-home.jsp.html': {
    charset: 'utf-8',
    metaId: '1304000009',
    footerId: '1304000009', // page
    items: { count: 61, newest: '2020-08-02', oldest: '2013-10-30' },
  },
  'handan-xxgk-zhinan.jsp.html': {
    charset: 'utf-8',
    metaId: '1304000009',
    footerId: '1304000009', // page
    column: '政府信息公开指南',
    items: { count: 0 },
  },
  'handan-xxgk-list-trs.jsp.html': {
    charset: 'utf-8',
    metaId: '1304000009',
    footerId: '1304000009', // page
    column: '近期信息公开',
    pages: 56,
    items: { count: 1, newest: '2020-08-05', oldest: '2020-08-05' },
  },
  'handan-xxgk-detail.jsp.html': {
    charset: 'utf-8',
    pubDate: '2020-08-02',
    written: null, // page: the 成文日期 line is inside an HTML comment, not shown
    metaId: '1304000009',
    footerId: '1304000009', // page
    warning: /meta PubDate「2020年08月02日」/,
  },
  // Text excerpts (rows marked P): no meta, no links; dates from labels, the 来源 line or the URL.
  'anhui-bengshan-public-dept-nianbao-2017.txt': { ...TEXT, pubDate: '2018-01-08', pubSource: /发布时间/ },
  'gd-ruyuan-gkmlpt-town-guide.txt': { ...TEXT, pubDate: null },
  'guangdong-haifeng-town-nianbao-2025-tables-empty.txt': {
    ...TEXT,
    pubDate: null,
    column: '政府信息公开年报',
  },
  'hebei-qianan-single-town-nianbao-2020.txt': { ...TEXT, pubDate: '2021-01-29', pubSource: /发布日期/ },
  'heilongjiang-dongning-phpcms-town-guide.txt': { ...TEXT, pubDate: null },
  'hubei-jiangan-dept-fdzdgk-mulu-2025.txt': { ...TEXT, pubDate: '2025-06-23', pubSource: /来源/ },
  'hunan-anhua-township-guide-2024.txt': {
    ...TEXT,
    pubDate: '2024-08-28',
    pubSource: /发布时间/,
    written: '2024-08-28', // 发文日期
    column: '田庄乡',
  },
  'hunan-ziyang-dept-guide-2025-with-doc.txt': { ...TEXT, pubDate: null },
  'shandong-luozhuang-vsb-dept-mulu-6level.txt': { ...TEXT, pubDate: null },
  'shandong-wendeng-col-jiyuehua-dept-budget-list.txt': { ...TEXT, pubDate: null, items: { count: 0 } },
  // 发布日期 2026-01-12, not the URL's t20260115.
  'jilin-dongchang-trs-town-nianbao-2025.txt': { ...TEXT, pubDate: '2026-01-12', pubSource: /发布日期/ },
  'liaoning-haicheng-html-town-nianbao-2025.txt': { ...TEXT, pubDate: '2026-01-26', pubSource: /时间/ },
  // No label in the text: the Hanweb URL art/2024/1/23/ is the only date, and says so.
  'zj-longyou-hanweb-art-town-nianbao-2023.txt': {
    ...TEXT,
    pubDate: '2024-01-23',
    pubSource: /网址中的日期/,
  },
};

interface Cell {
  text: string;
  ok?: boolean;
}

function cell(actual: string | number | undefined, expected: string | number | null | undefined): Cell {
  const text = actual === undefined ? '-' : String(actual);
  if (expected === undefined) return { text };
  const ok = expected === null ? actual === undefined : actual === expected;
  return { text: ok ? text : `${text}≠${expected ?? '-'}`, ok };
}

function pubCell(s: ExtractSummary, e: Expected | undefined): Cell {
  const c = cell(s.pubDate?.date, e?.pubDate);
  if (!e?.pubSource || !s.pubDate || !c.ok || e.pubSource.test(s.pubDate.source)) return c;
  return { text: `${c.text}（${s.pubDate.source}）`, ok: false };
}

function itemsCell(s: ExtractSummary, e: Expected['items']): Cell {
  const d = s.datedItems;
  const text = d.count ? `${d.count} ${d.newest}…${d.oldest}` : '0';
  if (!e) return { text };
  const ok =
    d.count === e.count &&
    (e.newest === undefined || d.newest === e.newest) &&
    (e.oldest === undefined || d.oldest === e.oldest);
  return { text: ok ? text : `${text}≠${e.count} ${e.newest ?? ''}…${e.oldest ?? ''}`, ok };
}

/** Terminal width of a string: CJK and full-width characters take two columns. */
function width(s: string): number {
  let w = 0;
  for (const ch of s)
    w += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/.test(
      ch,
    )
      ? 2
      : 1;
  return w;
}

function pad(s: string, w: number): string {
  return s + ' '.repeat(Math.max(0, w - width(s)));
}

const dir = process.argv[2] ?? fileURLToPath(new URL('../../shared/corpus/pages/', import.meta.url));
if (!existsSync(dir)) {
  console.error(`corpus not found: ${dir} (expected ../shared/corpus/pages beside the repository)`);
  process.exit(2);
}

const header = [
  'page',
  'charset',
  'PubDate',
  '成文',
  'meta SiteIDCode',
  'footer 标识码',
  '栏目',
  'pages',
  'dated items',
  'attach',
  'warning',
  'ms',
  'result',
];
const rows: string[][] = [];
let checks = 0;
let passed = 0;
let pagesFailed = 0;
const byKind: Record<string, { pages: number; pass: number; checks: number; passed: number }> = {};
const files = readdirSync(dir)
  .filter((f) => /\.(html|txt)$/.test(f))
  .sort();
for (const file of files) {
  const e = EXPECTED[file];
  const t0 = performance.now();
  const s = await extractPage(join(dir, file));
  const ms = performance.now() - t0;
  const cells: Cell[] = [
    cell(s.charset, e?.charset),
    pubCell(s, e),
    cell(s.writtenDate?.date, e?.written),
    cell(s.siteIdCode.meta, e?.metaId),
    cell(s.siteIdCode.footer, e?.footerId),
    cell(s.column.name, e?.column),
    cell(s.pager?.pageCount, e?.pages),
    itemsCell(s, e?.items),
    cell(s.attachments.length, e?.attachments),
    e?.warning
      ? {
          text: s.warnings.some((w) => e.warning!.test(w)) ? 'raised' : 'missing',
          ok: s.warnings.some((w) => e.warning!.test(w)),
        }
      : { text: String(s.warnings.length) },
  ];
  const judged = cells.filter((c) => c.ok !== undefined);
  checks += judged.length;
  passed += judged.filter((c) => c.ok).length;
  const ok = judged.every((c) => c.ok);
  if (!ok) pagesFailed++;
  const k = (byKind[file.endsWith('.txt') ? 'text excerpts' : 'HTML pages'] ??= {
    pages: 0,
    pass: 0,
    checks: 0,
    passed: 0,
  });
  k.pages++;
  k.pass += ok ? 1 : 0;
  k.checks += judged.length;
  k.passed += judged.filter((c) => c.ok).length;
  rows.push([
    file.replace(/\.(html|txt)$/, (x) => (x === '.txt' ? ' (txt)' : '')),
    ...cells.map((c) => (c.ok === undefined ? c.text : `${c.ok ? '✓' : '✗'} ${c.text}`)),
    ms.toFixed(0),
    e ? (ok ? 'PASS' : 'FAIL') : 'no facts',
  ]);
}
const widths = header.map((h, i) => Math.max(width(h), ...rows.map((r) => width(r[i] ?? ''))));
const line = (r: string[]) =>
  r
    .map((c, i) => pad(c, widths[i]!))
    .join('  ')
    .trimEnd();
console.log(line(header));
console.log(widths.map((w) => '-'.repeat(w)).join('  '));
for (const r of rows) console.log(line(r));
console.log('');
console.log(
  `${files.length} pages, ${files.length - pagesFailed} pass; ${passed}/${checks} checked facts match ` +
    `(✓ matches the corpus README, ✗ differs, unmarked = not stated in the README)`,
);
for (const [kind, k] of Object.entries(byKind))
  console.log(`  ${kind}: ${k.pages} pages, ${k.pass} pass; ${k.passed}/${k.checks} facts`);
