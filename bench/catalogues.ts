/**
 * Catalogue row parsing (parseCatalogueText) on the 13 real 基层政务公开标准目录 text excerpts of
 * ../shared/corpus/catalogues (beside the repository): rows found against rows visible, and the
 * first rows' 一级/二级/公开时限 against what the corpus README says a parser should return. The
 * expectations below are transcribed from that README table; the corpus text itself is read at
 * run time, never copied. Then a scale run: synthetic HTML catalogues (26 domains × 40 rows × 100
 * units, built in memory) through parseCatalogueHtml, timed, with the peak RSS. A script that
 * prints figures, not a test: nothing is asserted.
 * Usage: npx tsx bench/catalogues.ts [catalogues-dir] [--units N]
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CATALOGUE_DOMAINS, parseCatalogueText } from '../src/extract/catalogueRows.js';
import { parseCatalogueHtml } from '../src/extract/catalogue/index.js';
import { loadCatalogues } from '../src/config/catalogues.js';
import { loadCheckRule } from '../src/config/checkRules.js';
import { catalogueCoverage } from '../src/checks/catalogue-coverage.js';
import { ItemMatcher, type MatchOptions } from '../src/checks/catalogue/itemMatch.js';
import { ruleDomainOf } from '../src/checks/catalogue/published.js';
import type { PublishedCatalogueRow } from '../src/extract/catalogue/types.js';

interface RowExpect {
  first: string;
  second: string;
  timeLimit?: string;
  workdays?: number;
}
interface FileExpect {
  rows: number;
  domain?: string;
  first: RowExpect[];
}

const T10 = '制定或获取文件之日起10个工作日内';
const EXPECT: Record<string, FileExpect> = {
  'chongqing-fengjie-qinglianzhen-yanglao-2024.txt': {
    rows: 4,
    domain: '养老服务',
    first: [
      {
        first: '养老服务通用政策',
        second: '国家和地方层面养老服务相关法律、法规、政策文件',
        timeLimit: T10,
        workdays: 10,
      },
      {
        first: '养老服务通用政策',
        second: '养老服务扶持政策措施清单',
        timeLimit: '制定或获取扶持政策措施之日起10个工作日内',
        workdays: 10,
      },
    ],
  },
  'guangdong-meixian-gonggongfalvfuwu-2020.txt': {
    rows: 5,
    domain: '公共法律服务',
    first: [
      {
        first: '法治宣传教育',
        second: '法律知识普及服务、法律法规和案例检索服务',
        timeLimit: '自制作或获取该信息之日起20个工作日内公开',
        workdays: 20,
      },
      {
        first: '法治宣传教育',
        second: '推广法治文化服务',
        timeLimit: '自制作或获取该信息之日起20个工作日内公开',
        workdays: 20,
      },
    ],
  },
  'hubei-duodao-nongcunweifang-2020-complete.txt': {
    rows: 2,
    domain: '农村危房改造',
    first: [
      {
        first: '部门文件',
        second: '农村危房改造相关文件',
        timeLimit: '信息形成之日起20个工作日内',
        workdays: 20,
      },
      {
        first: '条件与标准',
        second: '农村危房改造对象申请条件',
        timeLimit: '信息形成之日起20个工作日内',
        workdays: 20,
      },
    ],
  },
  'heilongjiang-jiayin-shengtaihuanjing-pdftable.txt': {
    rows: 2,
    first: [
      {
        first: '行政许可',
        second: '建设项目环境影响评价文件审批',
        timeLimit: '自该信息形成或者变更之日起20个工作日内',
        workdays: 20,
      },
      // README: 一级 cell blank (merged), so carried down; 时限 not visible.
      { first: '行政许可', second: '防治污染设施拆除或闲置审批' },
    ],
  },
  'shanxi-fangshan-shenongbutie-2020.txt': {
    rows: 3,
    domain: '涉农补贴',
    first: [
      {
        first: '农业生产发展资金',
        second: '耕地地力保护',
        timeLimit: '信息形成或者变更之日起20个工作日内。法律、法规对政府信息公开的期限另有规定的,从其规定。',
        workdays: 20,
      },
      {
        first: '农业生产发展资金',
        second: '新型职业农民培育',
        timeLimit: '信息形成或者变更之日起20个工作日内。法律、法规对政府信息公开的期限另有规定的,从其规定。',
        workdays: 20,
      },
    ],
  },
  'jiangxi-fuliang-sanlongzhen-jiuzai-2022.txt': {
    rows: 3,
    domain: '救灾',
    first: [
      {
        first: '政策文件',
        second: '政策规范文件',
        timeLimit: '信息形成或变更之日起20个工作日内',
        workdays: 20,
      },
      {
        first: '政策文件',
        second: '政策规范文件',
        timeLimit: '信息形成或变更之日起20个工作日内',
        workdays: 20,
      },
    ],
  },
  'shandong-rushan-caizhengyujuesuan-flipbook-p7.txt': {
    rows: 1,
    domain: '财政预决算',
    first: [{ first: '财政预决算', second: '部门决算', timeLimit: '本级政府财政部门批复后20日内' }],
  },
  'fujian-xiangan-xiangshanjiedao-yiwujiaoyu-2024.txt': {
    rows: 2,
    domain: '义务教育',
    first: [
      {
        first: '招生管理',
        second: '招生政策',
        timeLimit: '信息形成或者变更之日起20个工作日内',
        workdays: 20,
      },
      {
        first: '招生管理',
        second: '招生范围',
        timeLimit: '信息形成或者变更之日起20个工作日内',
        workdays: 20,
      },
    ],
  },
  'anhui-tongling-jiaoqu-weishengjiankang.txt': {
    rows: 3,
    first: [
      {
        first: '公共卫生服务事项',
        second: '预防接种',
        timeLimit: '自信息形成或者变更之日起20个工作日内予以公开',
        workdays: 20,
      },
      {
        first: '公共卫生服务事项',
        second: '居民健康档案管理',
        timeLimit: '自信息形成或者变更之日起20个工作日内予以公开',
        workdays: 20,
      },
    ],
  },
  'unknown-fsxf-shizhengfuwu-asp-2021.txt': {
    rows: 2,
    domain: '市政服务',
    first: [
      { first: '城镇燃气管理', second: '燃气经营许可证核发', timeLimit: '20个工作日', workdays: 20 },
      {
        first: '城镇燃气管理',
        second: '燃气经营者改动市政燃气设施审批',
        timeLimit: '20个工作日',
        workdays: 20,
      },
    ],
  },
  'chongqing-hechuan-shuanghuaizhen-jiuye-2024.txt': {
    rows: 2,
    domain: '就业',
    first: [
      {
        first: '就业信息服务',
        second: '就业政策法规咨询',
        timeLimit: '公开事项信息形成或变更之日起20个工作日内公开',
        workdays: 20,
      },
      { first: '就业信息服务', second: '岗位信息发布' },
    ],
  },
  'sichuan-rangtang-gonggongwenhua-rowgap.txt': {
    rows: 9,
    domain: '公共文化服务',
    first: [
      {
        first: '文化馆服务',
        second: '文化馆娱乐活动室等公共空间设施场地的免费开放服务',
        timeLimit: '公开事项信息形成或变更之日起20个工作日内公开',
        workdays: 20,
      },
      {
        first: '文化馆服务',
        second: '文化馆文化艺术辅导培训服务',
        timeLimit: '公开事项信息形成或变更之日起20个工作日内公开',
        workdays: 20,
      },
    ],
  },
  'yunnan-yuanmou-yuanmazhen-fupin-2025.txt': {
    rows: 5,
    domain: '扶贫',
    first: [
      { first: '政策文件', second: '行政法规、规章', timeLimit: '信息形成(变更)20个工作日内', workdays: 20 },
      { first: '政策文件', second: '规范性文件', timeLimit: '信息形成(变更)20个工作日内', workdays: 20 },
    ],
  },
};

// The README quotes cell text with the page's stray spaces removed in places; compare without them.
const squash = (s: string | undefined): string => (s ?? '').replace(/\s+/g, '');

function main(): void {
  const here = fileURLToPath(new URL('.', import.meta.url));
  const dir = process.argv[2] ?? join(here, '..', '..', 'shared', 'corpus', 'catalogues');
  if (!existsSync(dir)) {
    console.error(`目录不存在: ${dir}`);
    process.exit(1);
  }
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.txt'))
    .sort();
  let fullyRight = 0;
  let rowsFound = 0;
  let rowsExpected = 0;
  let fieldsRight = 0;
  let fieldsTotal = 0;
  let totalMs = 0;
  for (const f of files) {
    const raw = readFileSync(join(dir, f), 'utf8');
    const text = raw.split('\n').slice(3).join('\n');
    const t0 = performance.now();
    const parsed = parseCatalogueText(text);
    const ms = performance.now() - t0;
    totalMs += ms;
    const exp = EXPECT[f];
    if (!exp) {
      console.log(`? ${f}: 无预期（${parsed.rows.length} 行）`);
      continue;
    }
    const diffs: string[] = [];
    rowsExpected += exp.rows;
    rowsFound += Math.min(parsed.rows.length, exp.rows);
    if (parsed.rows.length !== exp.rows) diffs.push(`rows ${parsed.rows.length} ≠ ${exp.rows}`);
    if (exp.domain !== undefined && parsed.domain !== exp.domain)
      diffs.push(`domain ${parsed.domain} ≠ ${exp.domain}`);
    exp.first.forEach((e, i) => {
      const got = parsed.rows[i];
      const checks: [string, string | number | undefined, string | number | undefined][] = [
        ['一级', squash(e.first), squash(got?.first)],
        ['二级', squash(e.second), squash(got?.second)],
      ];
      if (e.timeLimit !== undefined) checks.push(['时限', squash(e.timeLimit), squash(got?.timeLimit?.text)]);
      if (e.workdays !== undefined) checks.push(['工作日', e.workdays, got?.timeLimit?.workdays]);
      for (const [name, want, have] of checks) {
        fieldsTotal++;
        if (want === have) fieldsRight++;
        else diffs.push(`row ${i + 1} ${name}: ${String(have)} ≠ ${String(want)}`);
      }
    });
    if (diffs.length === 0) fullyRight++;
    console.log(
      `${diffs.length === 0 ? '✓' : '✗'} ${f}: ${parsed.rows.length} 行, 领域 ${parsed.domain ?? '-'}, ${ms.toFixed(2)} ms`,
    );
    for (const d of diffs) console.log(`    ${d}`);
    for (const p of parsed.problems) console.log(`    · ${p}`);
  }
  console.log('');
  console.log(`files fully right: ${fullyRight}/${files.length}`);
  console.log(`rows found: ${rowsFound}/${rowsExpected} (capped per file at the expected count)`);
  console.log(`first-row fields right: ${fieldsRight}/${fieldsTotal}`);
  console.log(`ms per catalogue: ${(totalMs / Math.max(1, files.length)).toFixed(2)}`);
  matchAgainstRules(dir, files);
}

/**
 * The real rows against the rule data: which mandated item of its domain each parsed row stands
 * for (catalogue-coverage's matcher and options). A row no item matches is either a local
 * refinement (allowed) or a gap in the rule data's names and aliases: listed for a person to judge.
 */
function matchAgainstRules(dir: string, files: string[]): void {
  const catalogues = loadCatalogues('rules/catalogues');
  const matcher = new ItemMatcher(loadCheckRule(catalogueCoverage, 'rules/checks').options as MatchOptions);
  let rows = 0;
  let matched = 0;
  const misses: string[] = [];
  for (const f of files) {
    const text = readFileSync(join(dir, f), 'utf8').split('\n').slice(3).join('\n');
    const parsed = parseCatalogueText(text);
    const rule = ruleDomainOf(parsed.domain, catalogues);
    if (!rule) continue;
    for (const r of parsed.rows) {
      const row: PublishedCatalogueRow = {
        ...r,
        channels: [],
        audience: [],
        mode: [],
        levels: [],
        links: [],
        problems: [],
        location: '',
      };
      const best = rule.items
        .map((item) => ({ item, score: matcher.score(item, row) }))
        .sort((a, b) => b.score - a.score)[0];
      rows++;
      if (best && best.score >= 0.6) matched++;
      else
        misses.push(
          `${f}: ${r.first} › ${r.second}（最接近：${best ? `${best.item.first} › ${best.item.second} ${best.score.toFixed(2)}` : '无'}）`,
        );
    }
  }
  console.log('');
  console.log(
    `real rows recognised as a mandated item of their domain (rules/catalogues): ${matched}/${rows}`,
  );
  for (const m of misses) console.log(`    ✗ ${m}`);
}

/** One unit's catalogue for one domain, in the two-row-header, merged-一级 shape pages use. */
function syntheticCatalogue(domain: string, unit: number, rows: number): string {
  const head = `<tr><th rowspan="2">序号</th><th colspan="2">公开事项</th><th rowspan="2">公开内容（要素）</th>
<th rowspan="2">公开依据</th><th rowspan="2">公开时限</th><th rowspan="2">公开主体</th><th colspan="4">公开渠道和载体</th>
<th colspan="2">公开对象</th><th colspan="2">公开方式</th><th colspan="2">公开层级</th></tr>
<tr><th>一级事项</th><th>二级事项</th><th>政府网站</th><th>政府公报</th><th>两微一端</th><th>公示栏</th>
<th>全社会</th><th>特定群体</th><th>主动</th><th>依申请</th><th>县级</th><th>乡级</th></tr>`;
  const body: string[] = [];
  for (let i = 1; i <= rows; i++) {
    const first =
      i % 4 === 1
        ? `<td rowspan="${Math.min(4, rows - i + 1)}">${domain}事项类别${Math.ceil(i / 4)}</td>`
        : '';
    const tick = (on: boolean): string => `<td>${on ? '√' : ''}</td>`;
    body.push(
      `<tr><td>${i}</td>${first}<td><a href="/zwgk/${unit}/${i}.html">${domain}第${i}项</a></td>` +
        `<td>1.政策文件<br>2.办理流程<br>3.办理结果</td><td>《中华人民共和国政府信息公开条例》</td>` +
        `<td>${i % 7 === 0 ? '同上' : `信息形成或者变更之日起${(i % 3) * 5 + 10}个工作日内`}</td><td>第${unit}号单位</td>` +
        [true, i % 2 === 0, i % 3 === 0, true, true, false, true, i % 5 === 0, false, true]
          .map(tick)
          .join('') +
        '</tr>',
    );
  }
  return `<!DOCTYPE html><html><head><title>${domain}领域基层政务公开标准目录_第${unit}号单位</title></head>
<body><div class="main"><h2>第${unit}号单位${domain}领域基层政务公开标准目录</h2><table border="1">${head}${body.join('\n')}</table></div></body></html>`;
}

function scale(units: number): void {
  const domains = CATALOGUE_DOMAINS.slice(0, 26);
  const rowsEach = 40;
  console.log('');
  console.log(
    `scale: ${domains.length} domains × ${rowsEach} rows × ${units} units of synthetic HTML catalogues`,
  );
  let ms = 0;
  let catalogues = 0;
  let rows = 0;
  let bytes = 0;
  for (let u = 1; u <= units; u++) {
    for (const d of domains) {
      // Built per page and dropped after parsing, as a crawl holds one page at a time.
      const html = syntheticCatalogue(d, u, rowsEach);
      bytes += html.length;
      const t0 = performance.now();
      const parsed = parseCatalogueHtml(html, `http://unit${u}.example.gov.cn/bzml/${d}.html`);
      ms += performance.now() - t0;
      catalogues += parsed.length;
      rows += parsed.reduce((n, c) => n + c.rows.length, 0);
    }
  }
  const rss = process.resourceUsage().maxRSS / 1024;
  console.log(`catalogues parsed: ${catalogues} (${rows} rows, ${(bytes / 1048576).toFixed(1)} MB of HTML)`);
  console.log(
    `parse time: ${ms.toFixed(0)} ms total, ${(ms / Math.max(1, catalogues)).toFixed(2)} ms per catalogue`,
  );
  console.log(`peak RSS: ${rss.toFixed(0)} MB`);
}

const unitsAt = process.argv.indexOf('--units');
const units = unitsAt >= 0 ? Number(process.argv[unitsAt + 1]) : 100;
if (unitsAt >= 0) process.argv.splice(unitsAt, 2);
main();
scale(Number.isFinite(units) && units > 0 ? units : 100);
