/**
 * 政府信息公开专栏 detection on the shared real-page corpus (../shared/corpus/pages, beside the
 * repository): per page, which 专栏 parts the page is or links to (pageDisclosure, the same
 * text/URL rules the disclosure-column check uses), against what a person reads on the page.
 * The 13 text excerpts (*.txt) have no links and no <title>: only what they are is measured, from
 * their address and their heading lines; for them 专栏 membership is shown but not scored. A
 * script that prints, not a test.
 * Usage: npx tsx bench/disclosure.ts [corpus-pages-dir]
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { decodeHtml } from '../src/crawl/decodeHtml.js';
import { parseHtmlPage, type PageFacts } from '../src/extract/htmlPage.js';
import { pageDisclosure, type DisclosurePartId } from '../src/extract/disclosureColumn.js';
import { loadCatalogues } from '../src/config/catalogues.js';
import { DISCLOSURE_PINS } from '../src/seeds/unit.js';

const ALL: DisclosurePartId[] = [...DISCLOSURE_PINS];
const SHORT: Record<DisclosurePartId, string> = {
  column: '专栏',
  guide: '指南',
  rules: '制度',
  mandatory: '法定',
  'annual-report': '年报',
  request: '依申请',
  interpretation: '解读',
  catalogue: '目录',
};

/** Read by a person from each page (links with their texts, titles, the corpus README). */
const EXPECTED: Record<string, DisclosurePartId[]> = {
  'bynr-gov-detail-2022.html': ['column'],
  'chinaneast-gov-detail-gb2312.html': [],
  'cmse-gov-detail.html': [],
  'gov-cn-gongbao-detail-2007.html': [],
  'handan-xxgk-detail.jsp.html': ['column', 'interpretation'],
  'handan-xxgk-list-trs.jsp.html': ['column', 'interpretation'],
  'handan-xxgk-platform-home.jsp.html': ALL,
  'handan-xxgk-zhinan.jsp.html': ALL,
  // "吉林省人民政府" links to the province's /szf/gkml/ (公开目录).
  'jl-xxgk-detail-tonggao.html': ['column', 'mandatory'],
  'kepu-gov-detail-2023.html': [],
  'nfra-xzcf-detail-2024-rendered.html': ALL,
  'nfra-xzcf-detail-2025-rendered.html': ALL,
  'nmg-gov-detail-2022.html': ['column', 'mandatory', 'interpretation'],
  'ordos-engebei-xxgk-nianbao-list-trs.html': [
    'column',
    'guide',
    'rules',
    'mandatory',
    'annual-report',
    'request',
  ],
  'shanxi-gov-detail-2019.html': ['column', 'interpretation'],
  'zj-fgw-hanweb-detail-2016.html': ['column'],
  // Text excerpts: what the page is.
  'anhui-bengshan-public-dept-nianbao-2017.txt': ['annual-report'],
  'gd-ruyuan-gkmlpt-town-guide.txt': ['guide'],
  'guangdong-haifeng-town-nianbao-2025-tables-empty.txt': ['annual-report'],
  'hebei-qianan-single-town-nianbao-2020.txt': ['annual-report'],
  'heilongjiang-dongning-phpcms-town-guide.txt': ['guide'],
  'hubei-jiangan-dept-fdzdgk-mulu-2025.txt': ['mandatory'],
  'hunan-anhua-township-guide-2024.txt': ['guide'],
  'hunan-ziyang-dept-guide-2025-with-doc.txt': ['guide'],
  'jilin-dongchang-trs-town-nianbao-2025.txt': ['annual-report'],
  'liaoning-haicheng-html-town-nianbao-2025.txt': ['annual-report'],
  'shandong-luozhuang-vsb-dept-mulu-6level.txt': ['mandatory'],
  'shandong-wendeng-col-jiyuehua-dept-budget-list.txt': [],
  'zj-longyou-hanweb-art-town-nianbao-2023.txt': ['annual-report'],
};

/** Page addresses known from the corpus README (links resolve against them); others get a neutral one. */
const URLS: Record<string, string> = {
  'handan-xxgk-platform-home.jsp.html': 'http://hdzfxxgk.hd.gov.cn/',
  'handan-xxgk-zhinan.jsp.html': 'http://hdzfxxgk.hd.gov.cn/zfxxgkzn/',
  'handan-xxgk-list-trs.jsp.html': 'http://hdzfxxgk.hd.gov.cn/zfwj/jinqixxgk/',
  'handan-xxgk-detail.jsp.html': 'http://hdzfxxgk.hd.gov.cn/gszbm/auto23716/202008/t20200802_1352104.html',
};
const NEUTRAL = 'http://www.example.gov.cn/a/b/c.html';

/** A text excerpt as a page: its source address, its short lines as names, no links. */
function excerptPage(text: string): PageFacts {
  const lines = text.split('\n');
  const url = /^# source: (\S+)/.exec(lines[0] ?? '')?.[1] ?? NEUTRAL;
  const body = lines
    .filter((l) => !l.startsWith('#'))
    .map((l) => l.trim())
    .filter(Boolean);
  // Heading lines: those above the first paragraph (a long line with no "标签:" in it), except
  // table cells ("公开内容 |"); metadata lines (索引号: …) may stand between title and text.
  const para = body.findIndex((l) => l.length > 40 && !/[:：]/.test(l));
  const head = body
    .slice(0, para < 0 ? 8 : Math.min(para, 8))
    .filter((l) => l.length <= 40 && !l.endsWith('|'));
  const crumb = head.find((l) => /当前位置|所在的位置/.test(l)) ?? '';
  const names = head.filter((l) => l !== crumb);
  const page = parseHtmlPage('<html><head><title></title></head><body></body></html>', url);
  // Each short line stands for a heading the page would carry in its <title>.
  return { ...page, title: names.join(' _ '), breadcrumb: crumb.split(/\s*>\s*/).slice(1) };
}

const dir =
  process.argv[2] ?? join(fileURLToPath(new URL('.', import.meta.url)), '../../shared/corpus/pages');
if (!existsSync(dir)) {
  console.error(`找不到语料目录 ${dir}`);
  process.exit(2);
}
const domains = loadCatalogues('rules/catalogues').map((c) => c.domain);
let tp = 0;
let fn = 0;
let fp = 0;
let exact = 0;
const rows: string[] = [];
const files = readdirSync(dir)
  .filter((f) => f in EXPECTED)
  .sort();
for (const f of files) {
  const bytes = readFileSync(join(dir, f));
  const page = f.endsWith('.txt')
    ? excerptPage(bytes.toString('utf8'))
    : parseHtmlPage(decodeHtml(bytes, undefined).text, URLS[f] ?? NEUTRAL);
  const d = pageDisclosure(page, domains);
  const found = new Map<DisclosurePartId, string>();
  for (const m of d.is)
    if (!found.has(m.part)) found.set(m.part, `本页（${m.signal === 'title' ? '标题' : '网址'}）`);
  for (const l of d.links)
    if (!found.has(l.part))
      found.set(l.part, `${l.signal === 'link-text' ? `「${l.text}」` : '网址'} → ${l.url}`);
  const expected = new Set(EXPECTED[f]);
  const missed = [...expected].filter((p) => !found.has(p));
  // An excerpt is scored on what it is; that it sits inside the 专栏 (its address, a heading) is shown, not scored.
  const extra = [...found.keys()].filter((p) => !expected.has(p) && !(f.endsWith('.txt') && p === 'column'));
  tp += expected.size - missed.length;
  fn += missed.length;
  fp += extra.length;
  if (!missed.length && !extra.length) exact++;
  rows.push(
    `${missed.length || extra.length ? '✗' : '✓'} ${f}`,
    ...[...found].map(([p, how]) => `    ${SHORT[p]}${extra.includes(p) ? '（多余）' : ''}：${how}`),
    ...(missed.length ? [`    未找到：${missed.map((p) => SHORT[p]).join('、')}`] : []),
  );
}
console.log(rows.join('\n'));
const pct = (a: number, b: number) => (b ? ((a / b) * 100).toFixed(1) : '—');
console.log(
  `\n页面 ${files.length} 个，完全正确 ${exact} 个；应找到的部分 ${tp + fn} 处，找到 ${tp} 处（查全率 ${pct(tp, tp + fn)}%），多找 ${fp} 处（查准率 ${pct(tp, tp + fp)}%）`,
);
