import { describe, expect, it } from 'vitest';
import { catalogueCoverage } from '../../src/checks/catalogue-coverage.js';
import { ItemMatcher, similarity } from '../../src/checks/catalogue/itemMatch.js';
import { loadCatalogues } from '../../src/config/catalogues.js';
import { loadCheckRule } from '../../src/config/checkRules.js';
import { evidence, runCheck } from '../helpers/evidence.js';
import { published, row } from '../helpers/catalogues.js';

const catalogues = loadCatalogues('rules/catalogues');
const assistance = catalogues.find((c) => c.domain === '社会救助')!;
const rule = loadCheckRule(catalogueCoverage, 'rules/checks');
const matcher = new ItemMatcher(rule.options as ConstructorParameters<typeof ItemMatcher>[0]);
const item = (id: string) => assistance.items.find((i) => i.id === id)!;

/** The catalogue as the national guide words it: every item, one row each. */
const fullRows = () => assistance.items.map((i) => row(i.first, i.second));

/** A unit no domain is required of by name: only what it published is judged. */
function unitPublishing(
  rows: ReturnType<typeof row>[],
  unit = { name: '示范区社会福利服务中心', level: '部门' },
) {
  return evidence({
    unit,
    catalogueDocuments: [
      { path: '/xxgk/ml.xlsx', via: 'attachment', catalogues: [published('社会救助', rows)] },
    ],
  });
}

describe('item matching by meaning', () => {
  it('scores equal names 1 and unrelated names low', () => {
    expect(similarity('审批信息', '审批信息')).toBe(1);
    expect(similarity('救助名单', '救助对象名单')).toBeGreaterThanOrEqual(0.6);
    expect(similarity('审核', '审批')).toBeLessThan(0.6);
  });

  it('takes synonyms, refined and reworded names as the item', () => {
    const zhinan = item('dibao-zhinan');
    expect(matcher.score(zhinan, row('最低生活保障', '服务指南'))).toBeGreaterThanOrEqual(0.6);
    expect(matcher.score(zhinan, row('低保', '最低生活保障办事指南'))).toBeGreaterThanOrEqual(0.6);
    // A table with no 一级 column names the item in full.
    expect(matcher.score(zhinan, row('', '最低生活保障申请指南'))).toBeGreaterThanOrEqual(0.6);
    const mingdan = item('linshi-mingdan');
    expect(matcher.score(mingdan, row('临时救助', '临时救助对象名单'))).toBeGreaterThanOrEqual(0.6);
  });

  it('does not take the same 二级 name under another 一级 事项', () => {
    const tekun = item('tekun-zhengce');
    expect(matcher.score(tekun, row('最低生活保障', '政策文件'))).toBeLessThan(0.6);
    expect(matcher.score(item('dibao-shenhe'), row('最低生活保障', '审批信息'))).toBeLessThan(0.6);
  });
});

describe('catalogue-coverage', () => {
  it('passes a catalogue with every item, whatever the order', () => {
    expect(runCheck(catalogueCoverage, unitPublishing(fullRows().reverse()))).toEqual([]);
  });

  it('passes renamed and split items (refining is allowed)', () => {
    const rows = fullRows().flatMap((r) =>
      r.second === '办事指南'
        ? [row(r.first, '申请条件'), row(r.first, `${r.first}服务指南`)]
        : r.second === '审批信息'
          ? [row(r.first, '审批结果公示'), row(r.first, '审批对象名单')]
          : [r],
    );
    expect(runCheck(catalogueCoverage, unitPublishing(rows))).toEqual([]);
  });

  it('lists each deleted item by name', () => {
    const rows = fullRows().filter((r) => !(r.first === '临时救助' && r.second === '办事指南'));
    const found = runCheck(catalogueCoverage, unitPublishing(rows));
    expect(found.map((f) => [f.outcome, f.kind, f.message])).toEqual([
      ['fail', 'missing', '目录缺少事项「临时救助 › 办事指南」'],
    ]);
    expect(found[0]!.url).toBe('http://127.0.0.1:9/xxgk/ml.xlsx');
  });

  it('names a row that folds two items into one', () => {
    const rows = fullRows()
      .filter((r) => !(r.first === '最低生活保障' && /审核|审批/.test(r.second)))
      .concat(row('最低生活保障', '审核审批信息'));
    const found = runCheck(catalogueCoverage, unitPublishing(rows));
    expect(found.map((f) => [f.outcome, f.kind])).toEqual([['warn', 'merged']]);
    expect(found[0]!.evidence).toContain('最低生活保障 › 审核信息');
    expect(found[0]!.evidence).toContain('最低生活保障 › 审批信息');
  });

  it('takes a coarser row naming a whole 一级事项 as its items, and names the merge', () => {
    const subsidies = catalogues.find((c) => c.domain === '涉农补贴')!;
    const group = subsidies.items[0]!.first;
    const inGroup = subsidies.items.filter((i) => i.first === group);
    expect(inGroup.length).toBeGreaterThan(1);
    const rows = subsidies.items
      .filter((i) => i.first !== group)
      .map((i) => row(i.first, i.second))
      .concat(row('农业生产发展资金', group));
    const ev = evidence({
      unit: { name: '示范区社会福利服务中心', level: '部门' },
      catalogueDocuments: [{ path: '/ml.html', via: 'page', catalogues: [published('涉农补贴', rows)] }],
    });
    const found = runCheck(catalogueCoverage, ev);
    expect(found.map((f) => [f.outcome, f.kind])).toEqual([['warn', 'merged']]);
    expect(found[0]!.message).toBe(
      `目录将 ${inGroup.length} 个事项合并为一行「农业生产发展资金 › ${group}」`,
    );
  });

  it('does not take an item for its group under the group’s own 一级 (部门决算 › 部门决算表及说明)', () => {
    const budget = catalogues.find((c) => c.domain === '财政预决算')!;
    const kept = budget.items.filter((i) => i.id !== 'bumen-juesuan-jixiao');
    const ev = evidence({
      unit: { name: '示范区社会福利服务中心', level: '部门' },
      catalogueDocuments: [
        {
          path: '/ml.xlsx',
          via: 'attachment',
          catalogues: [
            published(
              '财政预决算',
              kept.map((i) => row(i.first, i.second)),
            ),
          ],
        },
      ],
    });
    expect(runCheck(catalogueCoverage, ev).map((f) => f.message)).toEqual([
      '目录缺少事项「部门决算 › 绩效评价结果」',
    ]);
  });

  it('reports each domain a department answers for but did not publish', () => {
    const found = runCheck(catalogueCoverage, evidence({ unit: { name: '示范区民政局', level: '部门' } }));
    const domains = found.map((f) => f.message);
    expect(domains.sort()).toEqual(
      ['未公开社会救助领域基层政务公开标准目录', '未公开养老服务领域基层政务公开标准目录'].sort(),
    );
    expect(found.every((f) => f.kind === 'catalogue-missing' && f.outcome === 'fail')).toBe(true);
    // 财政预决算 is the 财政局's, not the 民政局's.
    expect(domains).not.toContain('未公开财政预决算领域基层政务公开标准目录');
  });

  it('names the seeds’ catalogue URL and why it could not be read', () => {
    const found = runCheck(
      catalogueCoverage,
      evidence({
        unit: {
          name: '示范区民政局',
          level: '部门',
          catalogues: [{ domain: '社会救助', url: 'http://127.0.0.1:9/ml.html' }],
        },
        resources: [{ path: '/ml.html', status: 404, contentHash: null }],
      }),
    );
    const miss = found.find((f) => f.message.startsWith('未公开社会救助'))!;
    expect(miss.url).toBe('http://127.0.0.1:9/ml.html');
    expect(miss.evidence).toContain('HTTP 404');
  });

  it('reads the domain from the catalogue title through the domain’s aliases', () => {
    const health = catalogues.find((c) => c.domain === '卫生健康')!;
    const alias = health.domainAliases?.[0];
    if (!alias) return;
    const ev = evidence({
      unit: { name: '示范区农业农村局', level: '部门' },
      catalogueDocuments: [
        {
          path: '/ml.html',
          via: 'page',
          catalogues: [
            { ...published('', [row('x', 'y')], `${alias}领域政务公开事项标准目录`), domain: undefined },
          ],
        },
      ],
    });
    const found = runCheck(catalogueCoverage, ev);
    expect(found.filter((f) => f.kind === 'missing').length).toBe(health.items.length);
  });
});
