import { describe, expect, it } from 'vitest';
import { parseCatalogueText } from '../../src/extract/catalogueRows.js';
import { looksLikeTimeLimit, parseTimeLimit } from '../../src/extract/catalogueTimeLimit.js';

// Synthetic excerpts in the shapes real catalogue pages take as text; names are invented.
const HEADER_LINES = [
  '序号',
  '公开事项',
  '公开内容(要素)',
  '公开依据',
  '公开时限',
  '公开主体',
  '公开渠道和载体',
  '一级事项',
  '二级事项',
  '全社会',
  '主动',
];

const paragraphs = (cells: string[]): string => cells.join('\n\n');

describe('parseCatalogueText', () => {
  it('reads one-cell-per-paragraph rows, carries a merged 一级 down and finds the domain', () => {
    const text = paragraphs([
      '测试服务领域基层政务公开标准目录',
      ...HEADER_LINES,
      '1',
      '甲类事项',
      '甲类第一项',
      '●名称\n●文号',
      '《某某条例》',
      '信息形成之日起20个工作日内',
      '县级某某部门',
      '■政府网站',
      '2',
      '甲类第二项',
      '●名称',
      '《某某条例》',
      '信息形成之日起15个工作日内',
      '乡镇人民政府',
      '■政府网站',
    ]);
    const out = parseCatalogueText(text, ['测试服务']);
    expect(out.domain).toBe('测试服务');
    expect(out.rows.map((r) => [r.first, r.second, r.timeLimit?.workdays, r.subject])).toEqual([
      ['甲类事项', '甲类第一项', 20, '县级某某部门'],
      ['甲类事项', '甲类第二项', 15, '乡镇人民政府'],
    ]);
    expect(out.rows[0]?.content).toBe('●名称 ●文号');
    expect(out.rows[0]?.basis).toBe('《某某条例》');
  });

  it('reads the pipe layout, skips a repeated header block and keeps a blank 一级 merged', () => {
    const text = [
      '序号 | 公开事项 | 公开内容 | 公开依据 | 公开时限 | 公开主体 | 公开渠道 |',
      '一级 | 二级 | 全社 会 | 主动 |',
      '1 | 行政确认 | 某某登记 | 1. 受理情况 2. 结果 | 《某某法》 | 自该信息形成之 日起 20 个工作日内 | 县级某某局 | ■政府网站 | √ |',
      '序号 | 公开事项 | 公开内容 | 公开依据 | 公开时限 | 公开主体 | 公开渠道 |',
      '一级 | 二级 | 全社 会 | 主动 |',
      '2 | | 某某备案 | 1. 备案结果 | 《某某法》 | 信息形成之日起10个工作日内 | 县级某某局 | ■政府网站 |',
    ].join('\n');
    const out = parseCatalogueText(text);
    expect(out.rows.map((r) => [r.first, r.second, r.timeLimit?.workdays])).toEqual([
      ['行政确认', '某某登记', 20],
      ['行政确认', '某某备案', 10],
    ]);
    expect(out.rows[1]?.line).toBe(6);
  });

  it('resolves 同上 cells from the row above and collapses a repeated name cell', () => {
    const text = paragraphs([
      ...HEADER_LINES,
      '1',
      '宣传教育',
      '宣传教育',
      '知识普及服务',
      '资讯;动态',
      '《某某规划》',
      '自获取之日起20个工作日内公开',
      '司法行政部门',
      '■政府网站',
      '2',
      '文化推广服务',
      '阵地信息;作品',
      '同上',
      '自获取之日起20个工作日内公开',
      '同上。',
      '同上',
    ]);
    const out = parseCatalogueText(text);
    expect(out.rows[0]).toMatchObject({ first: '宣传教育', second: '知识普及服务' });
    expect(out.rows[1]).toMatchObject({
      first: '宣传教育',
      second: '文化推广服务',
      basis: '《某某规划》',
      subject: '司法行政部门',
    });
  });

  it('strips outline numbers from names but keeps numbered content lists as content', () => {
    const text = paragraphs([
      ...HEADER_LINES,
      '1',
      '1.信息服务',
      '1.1政策咨询',
      '1.政策项目\n2.对象范围',
      '1.《某某条例》\n2.《某某法》',
      '公开事项信息形成或变更之日起20个工作日内公开',
      '区某某局',
      '2',
      '1.2岗位发布',
      '1.招聘单位\n2.岗位要求',
    ]);
    const out = parseCatalogueText(text);
    expect(out.rows.map((r) => [r.first, r.second])).toEqual([
      ['信息服务', '政策咨询'],
      ['信息服务', '岗位发布'],
    ]);
    expect(out.rows[0]?.content).toBe('1.政策项目 2.对象范围');
    // The cut last row shows no 时限 and must not borrow one.
    expect(out.rows[1]?.timeLimit).toBeUndefined();
  });

  it('reads a split header with a merged 时限/主体 printed once before the rows', () => {
    const text = [
      '| 序号 |',
      '公开事项 |',
      '公开内容 |',
      '公开 |',
      '公开 |',
      '| (要素) |',
      '时限 |',
      '主体 |',
      '一级事项 |',
      '二级事项 |',
      '自信息形成之日起20个工作日内予以公开 |',
      '某某委员会 |',
      '| 1 |',
      '服务事项 |',
      '第一服务 |',
      '1.法律法规 |',
      '| 2.服务对象 |',
      '| 2 |',
      '第二服务 |',
      '1.法律法规 |',
    ].join('\n');
    const out = parseCatalogueText(text);
    expect(out.rows.map((r) => [r.first, r.second, r.timeLimit?.workdays, r.subject])).toEqual([
      ['服务事项', '第一服务', 20, '某某委员会'],
      ['服务事项', '第二服务', 20, '某某委员会'],
    ]);
  });

  it('keeps numbered rows with gaps, and name-only rows share the merged cells above', () => {
    const text = paragraphs([
      ...HEADER_LINES,
      '1',
      '场馆服务',
      '场地免费开放',
      '服务指南等信息',
      '《某某意见》',
      '信息形成之日起20个工作日内公开',
      '服务中心',
      '2',
      '培训服务',
      '7',
      '站点服务',
      '讲座展览',
      '服务指南等信息',
      '《某某意见》',
      '执法决定信息在决定作出之日起7个工作日内公开,其他信息20个工作日内公开',
      '服务中心',
      '8',
      '骨干培训',
    ]);
    const out = parseCatalogueText(text);
    expect(out.rows.map((r) => [r.first, r.second, r.timeLimit?.workdays])).toEqual([
      ['场馆服务', '场地免费开放', 20],
      ['场馆服务', '培训服务', 20],
      ['站点服务', '讲座展览', 7],
      ['站点服务', '骨干培训', undefined],
    ]);
  });

  it('splits rows printed on one line with spaces, carrying 一级 and 二级 under a 三级 header', () => {
    const text = [
      '序号 公开事项 公开内容 公开依据 公开时限 公开主体',
      '一级事项 二级事项 三级事项 全社会 主动',
      '1 政策文件 规范文件 法律法规 有关法律 《某某条例》 信息形成或变更之日起20个工作日内 镇人民政府 ■政府网站',
      '2 地方规章 有关规章 《某某条例》 信息形成或变更之日起20个工作日内 镇人民政府 ■政府网站',
    ].join('\n');
    const out = parseCatalogueText(text);
    expect(out.rows.map((r) => [r.first, r.second])).toEqual([
      ['政策文件', '规范文件'],
      ['政策文件', '规范文件'],
    ]);
  });

  it('finds an unnumbered row under a merged 序号 after the previous row tail', () => {
    const text = [
      '| 序号 | 公开事项 | 公开内容 | 公开依据 | 公开时限 | 公开主体 |',
      '| 一级事项 | 二级事项 | 全社会 |',
      '| 1 | 招生管理 | 招生政策 | ●入学办法 | 《某某条例》 | 信息形成之日起20个工作日内 | 区教育局 | ■政府网站 | √ |',
      '| 招生范围 | ●学区划分 | 《某某条例》 | 信息形成之日起20个工作日内 | 区教育局 | ■政府网站 | √ |',
    ].join('\n');
    const out = parseCatalogueText(text);
    expect(out.rows.map((r) => [r.first, r.second])).toEqual([
      ['招生管理', '招生政策'],
      ['招生管理', '招生范围'],
    ]);
  });

  it('joins a merged 一级 name the page split into two short fragments over two rows', () => {
    const text = paragraphs([
      ...HEADER_LINES,
      '1',
      '燃料管',
      '甲证 核发',
      '申请条件、 申请材料',
      '《某某条例》',
      '20个工作日',
      '主管部门',
      '2',
      '理服务',
      '乙项 审批',
      '申请条件、 申请材料',
      '《某某条例》',
      '20个工作日',
      '主管部门',
    ]);
    const out = parseCatalogueText(text);
    expect(out.rows.map((r) => [r.first, r.second])).toEqual([
      ['燃料管理服务', '甲证核发'],
      ['燃料管理服务', '乙项审批'],
    ]);
    expect(out.problems.join()).toContain('燃料管理服务');
  });

  it('reports text without a catalogue header instead of guessing rows', () => {
    const out = parseCatalogueText('某某通知\n\n1\n\n一些文字');
    expect(out.rows).toEqual([]);
    expect(out.problems.length).toBe(1);
  });

  it('takes the domain from 领域 mentions when the title names none', () => {
    const text = paragraphs([
      '某镇人民政府基层政务公开标准目录',
      ...HEADER_LINES,
      '1',
      '政策文件',
      '涉及扶贫领域的规章',
    ]);
    expect(parseCatalogueText(text).domain).toBe('扶贫');
  });
});

describe('catalogue time limits', () => {
  it('reads working days, with stray spaces, and the word-only kinds', () => {
    expect(parseTimeLimit('自该信息形成或者变更之 日起 20 个工作日内')).toMatchObject({
      workdays: 20,
      kind: 'workdays',
    });
    expect(parseTimeLimit('实时')).toEqual({ text: '实时', kind: 'realtime' });
    expect(parseTimeLimit('及时公开')).toEqual({ text: '及时公开', kind: 'timely' });
    expect(parseTimeLimit('长期公开')).toEqual({ text: '长期公开', kind: 'long-term' });
    expect(parseTimeLimit('本级政府财政部门批复后 20 日内')).toEqual({
      text: '本级政府财政部门批复后 20 日内',
      kind: 'days',
    });
    expect(parseTimeLimit('按规定公开').kind).toBe('other');
  });

  it('tells 时限 cells from content, basis and channel cells', () => {
    expect(looksLikeTimeLimit('信息形成(变更) 20 个工作日内')).toBe(true);
    expect(looksLikeTimeLimit('实时')).toBe(true);
    expect(looksLikeTimeLimit('及时')).toBe(true);
    expect(looksLikeTimeLimit('申请指南:包括补贴对象、办理时限、联系方式等;')).toBe(false);
    expect(looksLikeTimeLimit('《某某条例》第二十条 20个工作日')).toBe(false);
    expect(looksLikeTimeLimit('■政府网站 □政府公报')).toBe(false);
  });
});
