import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { domainsForUnit, loadCatalogues, type Catalogue } from '../../src/config/catalogues.js';
import { ConfigError } from '../../src/config/yamlFile.js';

/** The 26 pilot domains, spelt as in the national list (鲤城 泉鲤政办〔2020〕27号 附件1). */
const DOMAINS = [
  '城乡规划',
  '重大建设项目',
  '公共资源交易',
  '财政预决算',
  '安全生产',
  '税收管理',
  '农村集体土地征收',
  '国有土地上房屋征收与补偿',
  '保障性住房',
  '农村危房改造',
  '生态环境',
  '公共文化服务',
  '公共法律服务',
  '扶贫',
  '救灾',
  '食品药品监管',
  '城市综合执法',
  '就业',
  '社会保险',
  '社会救助',
  '养老服务',
  '户籍管理',
  '涉农补贴',
  '义务教育',
  '卫生健康',
  '市政服务',
];

const all = loadCatalogues('rules/catalogues');
const byDomain = (d: string): Catalogue => all.find((c) => c.domain === d)!;
const township = { level: '乡镇街道', name: '示范区西山镇人民政府' };
const department = (kw: string) => ({ level: '部门', name: `示范区${kw}` });
const names = (cs: Catalogue[]) => cs.map((c) => c.domain);

describe('rules/catalogues', () => {
  it('holds exactly the 26 pilot domains, once each', () => {
    expect(all.map((c) => c.domain).sort()).toEqual([...DOMAINS].sort());
    expect(new Set(all.map((c) => c.file)).size).toBe(26);
  });

  it.each(DOMAINS)('%s: titled, sourced from its national guide first, with unique items', (domain) => {
    const c = byDomain(domain);
    expect(c.title).toBe(`${domain}领域基层政务公开标准目录`);
    expect(c.sources[0]?.authority).toBe('national');
    expect(c.sources[0]?.url).toMatch(/^https?:\/\//);
    expect(c.items.length).toBeGreaterThanOrEqual(8);
    expect(new Set(c.items.map((i) => i.id)).size).toBe(c.items.length);
    expect(new Set(c.items.map((i) => `${i.first}/${i.second}`)).size).toBe(c.items.length);
    // An unverified file says in its note what was and was not confirmed.
    if (!c.verified) expect(c.note?.length ?? 0).toBeGreaterThan(20);
    for (const item of c.items) {
      expect(item.timeLimit.text, item.id).not.toMatch(/^同\s*上/);
      expect(item.levels?.length ?? 0, item.id).toBeGreaterThan(0);
    }
  });

  it('keeps the ids the mandated-items check, its tests and the demo county use', () => {
    const ids = (d: string) => byDomain(d).items.map((i) => i.id);
    expect(ids('社会救助')).toEqual([
      'zonghe-zhengce',
      'zonghe-jiandu',
      'dibao-zhengce',
      'dibao-zhinan',
      'dibao-shenhe',
      'dibao-shenpi',
      'tekun-zhengce',
      'tekun-zhinan',
      'tekun-shenpi',
      'tekun-zhongzhi',
      'linshi-zhengce',
      'linshi-zhinan',
      'linshi-mingdan',
    ]);
    expect(ids('保障性住房').slice(0, 3)).toEqual(['fagui-zhengce', 'peiji-zige', 'peiji-xuanfang']);
    expect(ids('财政预决算')).toEqual(expect.arrayContaining(['yusuan-yiban', 'juesuan-sangong']));
  });
});

describe('domainsForUnit', () => {
  it.each(DOMAINS)('%s reaches a unit through each of its department keywords', (domain) => {
    const c = byDomain(domain);
    for (const kw of c.appliesTo.departments)
      expect(names(domainsForUnit(all, department(kw))), kw).toContain(domain);
    expect(names(domainsForUnit(all, township)).includes(domain)).toBe(c.appliesTo.township);
  });

  it('gives a department the domains its 三定 responsibilities carry', () => {
    expect(names(domainsForUnit(all, department('民政局'))).sort()).toEqual(['养老服务', '社会救助'].sort());
    expect(names(domainsForUnit(all, department('财政局')))).toContain('财政预决算');
    expect(names(domainsForUnit(all, department('应急管理局'))).sort()).toEqual(['安全生产', '救灾'].sort());
    expect(names(domainsForUnit(all, department('人力资源和社会保障局'))).sort()).toEqual(
      ['就业', '社会保险'].sort(),
    );
    expect(names(domainsForUnit(all, department('住房和城乡建设局')))).toEqual(
      expect.arrayContaining(['国有土地上房屋征收与补偿', '保障性住房', '农村危房改造']),
    );
    expect(names(domainsForUnit(all, department('自然资源和规划局')))).toEqual(
      expect.arrayContaining(['城乡规划', '农村集体土地征收']),
    );
    expect(names(domainsForUnit(all, department('卫生健康局')))).toEqual(['卫生健康']);
    expect(domainsForUnit(all, department('统计局'))).toEqual([]);
  });

  it('gives a township or sub-district the domains with 乡级 items, and a county government none', () => {
    const town = names(domainsForUnit(all, township));
    expect(town).toEqual(expect.arrayContaining(['社会救助', '养老服务', '涉农补贴', '扶贫', '财政预决算']));
    expect(town).not.toContain('税收管理');
    expect(town).not.toContain('户籍管理');
    expect(names(domainsForUnit(all, { level: '乡镇街道', name: '示范区东湖街道办事处' }))).toEqual(town);
    expect(domainsForUnit(all, { level: '区县政府', name: '示范区人民政府' })).toEqual([]);
    for (const c of all.filter((x) => x.appliesTo.township))
      expect(
        c.items.some((i) => i.levels?.includes('乡级')),
        c.domain,
      ).toBe(true);
  });
});

describe('time limits', () => {
  it('resolves 同上 to the parsed limit of the item above', () => {
    for (const c of all) {
      const raw = readFileSync(c.file, 'utf8');
      const ditto = [...raw.matchAll(/timeLimit: 同上/g)].length;
      if (!ditto) continue;
      c.items.forEach((item, i) => {
        if (i > 0 && item.timeLimit.text === c.items[i - 1]!.timeLimit.text)
          expect(item.timeLimit).toEqual(c.items[i - 1]!.timeLimit);
      });
    }
    const sa = byDomain('社会救助');
    const jiandu = sa.items.find((i) => i.id === 'zonghe-jiandu')!;
    expect(jiandu.timeLimit).toEqual({
      text: '制定或获取信息之日起10个工作日内',
      workdays: 10,
      kind: 'workdays',
    });
  });

  it('reads the working days of the item itself, not of a 公示 period after it', () => {
    const shenhe = byDomain('社会救助').items.find((i) => i.id === 'dibao-shenhe')!;
    expect(shenhe.timeLimit.text).toBe('制定或获取信息之日起10个工作日内，公示7个工作日');
    expect(shenhe.timeLimit.workdays).toBe(10);
  });

  it('keeps calendar-day and immediate limits apart from working days', () => {
    const budget = byDomain('财政预决算');
    expect(budget.timeLimit.kind).toBe('days');
    expect(budget.timeLimit.workdays).toBeUndefined();
    expect(budget.items.every((i) => i.periodic === 'year')).toBe(true);
    const guide = byDomain('重大建设项目').items.find((i) => i.id === 'pizhun-zhinan')!;
    expect(guide.timeLimit.kind).toBe('realtime');
    expect(byDomain('卫生健康').items.find((i) => i.id === 'xuke-jieguo')!.timeLimit.workdays).toBe(7);
  });
});

describe('a broken catalogue file', () => {
  let dir = '';
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  /** social-assistance.yaml in a temp dir with one edit; the ConfigError it raises. */
  function errorFor(edit: (text: string) => string): { err: ConfigError; text: string } {
    dir = mkdtempSync(join(tmpdir(), 'xuncha-catalogues-'));
    const text = edit(readFileSync('rules/catalogues/social-assistance.yaml', 'utf8'));
    writeFileSync(join(dir, 'social-assistance.yaml'), text);
    try {
      loadCatalogues(dir);
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      return { err: err as ConfigError, text };
    }
    throw new Error('expected the catalogue to be refused');
  }

  const lineOf = (text: string, needle: string) => text.split('\n').findIndex((l) => l.includes(needle)) + 1;

  it('names file, line and field for an item field of the wrong type', () => {
    const { err, text } = errorFor((t) => t.replace('audience: 全社会', 'audience: [全社会]'));
    expect(err.file).toBe(join(dir, 'social-assistance.yaml'));
    expect(err.field).toBe('items[0].audience');
    expect(err.line).toBe(lineOf(text, 'audience: [全社会]'));
    expect(err.message).toContain(`social-assistance.yaml:${err.line} 字段 items[0].audience`);
  });

  it('names the line of a repeated item id', () => {
    const { err, text } = errorFor((t) => t.replace('id: zonghe-jiandu', 'id: zonghe-zhengce'));
    const line = text.split('\n').findLastIndex((l) => l.includes('id: zonghe-zhengce')) + 1;
    expect(err.message).toContain(
      `${join(dir, 'social-assistance.yaml')}:${line} 字段 items[1].id：事项编号 zonghe-zhengce 重复`,
    );
  });

  it('refuses a file without sources', () => {
    const { err } = errorFor((t) => t.replace(/^sources:\n(?: {2}.*\n)+/m, ''));
    expect(err.field).toBe('sources');
    expect(err.message).toContain('字段 sources');
    expect(err.message).toContain('缺失');
  });

  it('refuses 同上 on the first item', () => {
    const { err } = errorFor((t) =>
      t.replace('timeLimit: 制定或获取信息之日起10个工作日内\n    subject', 'timeLimit: 同上\n    subject'),
    );
    expect(err.field).toBe('items[0].timeLimit');
    expect(err.message).toContain('第一个事项不能写“同上”');
  });
});
