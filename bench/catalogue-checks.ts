/**
 * The catalogue checks at county scale: every township and department of a 100-unit county
 * publishing each domain it answers for (rules/catalogues, every item, refined and renamed rows
 * mixed in), parsed from HTML tables and judged by catalogue-coverage, catalogue-elements,
 * catalogue-content and catalogue-deadline. Prints parse time, check time, per-catalogue and
 * per-unit figures and peak RSS, against the whole county run they belong to. A script, not a test.
 * Usage: npx tsx bench/catalogue-checks.ts [units]
 */
import { performance } from 'node:perf_hooks';
import { loadCatalogues, domainsForUnit, type Catalogue } from '../src/config/catalogues.js';
import { loadCheckRule } from '../src/config/checkRules.js';
import { catalogueCoverage } from '../src/checks/catalogue-coverage.js';
import { catalogueElements } from '../src/checks/catalogue-elements.js';
import { catalogueContent } from '../src/checks/catalogue-content.js';
import { catalogueDeadline } from '../src/checks/catalogue-deadline.js';
import { assembleEvidence } from '../src/extract/unitEvidence.js';
import { parseCatalogueHtml } from '../src/extract/catalogue/index.js';
import type { CatalogueDocument } from '../src/extract/catalogueDocuments.js';
import { WorkdayCalendar } from '../src/workdays/calendar.js';
import type { UnitRow } from '../src/store/runs.js';
import type { Check } from '../src/checks/defineCheck.js';

const UNITS = Number(process.argv[2] ?? 100);
const catalogues = loadCatalogues('rules/catalogues');
const names = catalogues.flatMap((c) => [c.domain, ...(c.domainAliases ?? [])]);
const calendar = WorkdayCalendar.load('rules/calendar');
const checks: Check[] = [catalogueCoverage, catalogueElements, catalogueContent, catalogueDeadline];
const rules = new Map(checks.map((c) => [c.id, loadCheckRule(c, 'rules/checks')]));

const DEPARTMENTS = [
  '民政局',
  '财政局',
  '自然资源局',
  '教育局',
  '卫生健康局',
  '人力资源和社会保障局',
  '住房和城乡建设局',
  '应急管理局',
  '农业农村局',
  '司法局',
  '文化和旅游局',
  '市场监督管理局',
  '生态环境局',
  '发展和改革局',
  '城市管理局',
  '公安局',
];

function unitAt(i: number): UnitRow {
  const township = i % 3 !== 0;
  return {
    id: `u${i}`,
    name: township ? `示范区第${i}镇人民政府` : `示范区${DEPARTMENTS[i % DEPARTMENTS.length]}`,
    level: township ? '乡镇街道' : '部门',
    startUrls: [`http://127.0.0.1:9/u${i}/`],
    catalogues: [],
    hosts: [],
    paths: [],
    crawlStatus: 'done',
    crawlError: null,
  };
}

/** The catalogue table a unit would publish: merged 一级 cells, tick cells, one row in seven reworded. */
function tableHtml(c: Catalogue, unit: UnitRow, i: number): string {
  const rows = c.items.map((item, n) => {
    const second = n % 7 === 3 ? `${item.first}${item.second}` : item.second;
    return `<tr><td>${n + 1}</td><td>${item.first}</td><td>${second}</td><td>${item.content ?? '相关信息'}</td><td>${item.basis ?? '《中华人民共和国政府信息公开条例》'}</td><td>${item.timeLimit.text}</td><td>${unit.name}</td><td>■政府网站 □两微一端 ■公开查阅点</td><td>■全社会 □特定群体</td><td>■主动 □依申请</td><td>${unit.level === '部门' ? '■县级 □乡级' : '□县级 ■乡级'}</td><td><a href="/u${i}/${c.domain}/${n}/">查看</a></td></tr>`;
  });
  return `<html><head><meta charset="utf-8"><title>${unit.name}${c.domain}领域基层政务公开标准目录</title></head><body>
<h1>${unit.name}${c.domain}领域基层政务公开标准目录</h1><table><tr><th>序号</th><th>一级事项</th><th>二级事项</th><th>公开内容（要素）</th><th>公开依据</th><th>公开时限</th><th>公开主体</th><th>公开渠道和载体</th><th>公开对象</th><th>公开方式</th><th>公开层级</th><th>链接</th></tr>
${rows.join('\n')}</table></body></html>`;
}

let parseMs = 0;
let checkMs = 0;
let catalogueCount = 0;
let rowCount = 0;
let findings = 0;
let peak = process.memoryUsage().rss;
const started = performance.now();
for (let i = 0; i < UNITS; i++) {
  const unit = unitAt(i);
  const documents: CatalogueDocument[] = [];
  for (const c of domainsForUnit(catalogues, unit)) {
    const html = tableHtml(c, unit, i);
    const t = performance.now();
    const parsed = parseCatalogueHtml(html, `http://127.0.0.1:9/u${i}/${c.domain}.html`, names);
    parseMs += performance.now() - t;
    catalogueCount++;
    rowCount += parsed.reduce((n, p) => n + p.rows.length, 0);
    documents.push({ url: `http://127.0.0.1:9/u${i}/${c.domain}.html`, via: 'page', catalogues: parsed });
  }
  const evidence = assembleEvidence(unit, [], [], [], [], [], { catalogueDocuments: documents });
  const t = performance.now();
  for (const check of checks)
    findings += check.run(evidence, {
      options: rules.get(check.id)!.options,
      inspectionDate: '2026-11-24',
      catalogues,
      calendar,
    }).length;
  checkMs += performance.now() - t;
  peak = Math.max(peak, process.memoryUsage().rss);
}
const total = performance.now() - started;
const f = (n: number, d = 1) => n.toFixed(d);
console.log(`标准目录检查规模测试：${UNITS} 个单位（三分之二为乡镇），${catalogues.length} 个领域规则`);
console.log(
  `  目录 ${catalogueCount} 份，事项行 ${rowCount} 行，发现 ${findings} 条（目录完整、改写的事项应全部匹配：期望 0 条）`,
);
console.log(`  解析：${f(parseMs)} ms，合计每份 ${f(parseMs / catalogueCount, 2)} ms`);
console.log(
  `  检查：${f(checkMs)} ms，每个单位 ${f(checkMs / UNITS, 2)} ms，每份目录 ${f(checkMs / catalogueCount, 2)} ms`,
);
console.log(`  全程 ${f(total)} ms，峰值 RSS ${f(peak / 1048576, 0)} MB`);
