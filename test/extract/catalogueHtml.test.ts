import { describe, expect, it } from 'vitest';
import { parseCatalogueHtml, looksLikeCatalogueHtml } from '../../src/extract/catalogue/html.js';

// Synthetic catalogue pages in the shapes units publish; names and documents are invented.
const HEAD2 = `<tr><th rowspan="2">序号</th><th colspan="2">公开事项</th><th rowspan="2">公开内容（要素）</th>
<th rowspan="2">公开依据</th><th rowspan="2">公开时限</th><th rowspan="2">公开主体</th>
<th colspan="3">公开渠道和载体</th><th colspan="2">公开对象</th><th colspan="2">公开方式</th><th colspan="2">公开层级</th></tr>
<tr><th>一级事项</th><th>二级事项</th><th>政府网站</th><th>政务新媒体</th><th>公示栏</th>
<th>全社会</th><th>特定群体</th><th>主动</th><th>依申请</th><th>县级</th><th>乡级</th></tr>`;

const page = (title: string, body: string): string =>
  `<!DOCTYPE html><html><head><title>${title}</title></head><body>${body}</body></html>`;

describe('parseCatalogueHtml', () => {
  it('reads a two-row header, a rowspan over 一级, √ ticks and links', () => {
    const html = page(
      '社会救助领域基层政务公开标准目录_示范县人民政府',
      `<table><tr><td><table border="1">${HEAD2}
<tr><td>1</td><td rowspan="2">最低生活保障</td><td>低保政策</td><td>1.政策文件<br>2.办理流程</td><td>《某某救助办法》</td>
<td>信息形成之日起20个工作日内</td><td>县民政局</td><td>√</td><td></td><td>√</td><td>√</td><td></td><td>√</td><td></td><td>√</td><td>√</td></tr>
<tr><td>2</td><td><a href="/zwgk/dbmd.html">低保对象名单</a></td><td>对象姓名、保障金额</td><td>同上</td>
<td>每月10日前</td><td>乡镇人民政府</td><td>√</td><td>√</td><td></td><td></td><td>√</td><td>√</td><td></td><td></td><td>√</td></tr>
</table></td></tr></table>`,
    );
    expect(looksLikeCatalogueHtml(html)).toBe(true);
    const [cat, ...rest] = parseCatalogueHtml(html, 'http://www.example.gov.cn/zwgk/bzml/index.html');
    expect(rest).toEqual([]);
    expect(cat?.domain).toBe('社会救助');
    expect(cat?.format).toBe('html');
    expect(cat?.rows).toHaveLength(2);
    const [a, b] = cat!.rows;
    expect([a?.first, a?.second, b?.first, b?.second]).toEqual([
      '最低生活保障',
      '低保政策',
      '最低生活保障',
      '低保对象名单',
    ]);
    expect(a?.content).toBe('1.政策文件\n2.办理流程');
    expect(a?.timeLimit).toEqual({ text: '信息形成之日起20个工作日内', workdays: 20, kind: 'workdays' });
    expect(a?.channels).toEqual(['政府网站', '公示栏']);
    expect(a?.audience).toEqual(['全社会']);
    expect(a?.mode).toEqual(['主动']);
    expect(a?.levels).toEqual(['县级', '乡级']);
    expect(a?.problems).toEqual([]);
    expect(a?.location).toBe('表1第3行');
    expect(b?.basis).toBe('《某某救助办法》');
    expect(b?.channels).toEqual(['政府网站', '政务新媒体']);
    expect(b?.audience).toEqual(['特定群体']);
    expect(b?.levels).toEqual(['乡级']);
    expect(b?.mode).toEqual(['主动']);
    expect(b?.links).toEqual([{ url: 'http://www.example.gov.cn/zwgk/dbmd.html', text: '低保对象名单' }]);
  });

  it('reads ■/□ ticks, a single-cell channel list, 三级事项 and skips section rows', () => {
    const html = page(
      '标准目录',
      `<h2>示范镇就业领域基层政务公开标准目录</h2>
<table><tr><td>序号</td><td>一级事项</td><td>二级事项</td><td>三级事项</td><td>公开内容</td><td>公开依据</td>
<td>公开时限</td><td>公开主体</td><td>公开渠道和载体</td><td>公开对象</td><td>公开方式</td></tr>
<tr><td colspan="11">一、政策文件</td></tr>
<tr><td>1</td><td rowspan="3">政策文件</td><td rowspan="2">法规规章</td><td>法律</td><td>文件全文</td><td>《条例》</td>
<td>20个工作日</td><td>县人社局</td><td>■政府网站 □政府公报 ■公示栏</td><td>全社会</td><td>主动</td></tr>
<tr><td>2</td><td>规章</td><td>文件全文</td><td>同上</td><td>同上</td><td>同上</td><td>同上</td><td>全社会</td><td>主动</td></tr>
<tr><td>3</td><td>规范性文件</td><td></td><td>文件全文</td><td>《条例》</td><td>20个工作日</td><td>县人社局</td>
<td>■政府网站</td><td>全社会</td><td>依申请</td></tr>
<tr><td colspan="11">注：本目录由示范镇编制。</td></tr></table>`,
    );
    const [cat] = parseCatalogueHtml(html, 'http://x.gov.cn/');
    expect(cat?.domain).toBe('就业');
    expect(cat?.title).toBe('示范镇就业领域基层政务公开标准目录');
    expect(cat?.rows.map((r) => [r.first, r.second, r.third])).toEqual([
      ['政策文件', '法规规章／法律', '法律'],
      ['政策文件', '法规规章／规章', '规章'],
      ['政策文件', '规范性文件', undefined],
    ]);
    expect(cat?.rows[0]?.channels).toEqual(['政府网站', '公示栏']);
    expect(cat?.rows[1]?.channels).toEqual(['政府网站', '公示栏']);
    expect(cat?.rows[1]?.timeLimit?.workdays).toBe(20);
    expect(cat?.rows[1]?.subject).toBe('县人社局');
    expect(cat?.rows[2]?.mode).toEqual(['依申请']);
    expect(cat?.rows.every((r) => r.problems.length === 0)).toBe(true);
  });

  it('judges 口 ticks of a mis-encoded page by the whole table', () => {
    const head = `<tr><td rowspan="2">一级事项</td><td rowspan="2">二级事项</td><td rowspan="2">公开内容</td><td rowspan="2">公开依据</td>
<td rowspan="2">公开时限</td><td rowspan="2">公开主体</td><td colspan="2">公开渠道和载体</td><td colspan="2">公开方式</td>
<td colspan="2">公开对象</td></tr><tr><td>政府网站</td><td>其他</td><td>主动</td><td>依申请</td><td>全社会</td><td>特定群体</td></tr>`;
    const row = (a: string, b: string, ticks: string[]): string =>
      `<tr><td>${a}</td><td>${b}</td><td>内容</td><td>《办法》</td><td>20个工作日内</td><td>镇政府</td>${ticks
        .map((t) => `<td>${t}</td>`)
        .join('')}</tr>`;
    // Only 口 and empty cells: 口 stands for a tick the page could not encode.
    const onlyBoxes = page(
      '卫生健康',
      `<table>${head}${row('甲', '乙', ['口', '', '口', '', '口', ''])}${row('甲', '丙', ['口', '口', '', '口', '', '口'])}</table>`,
    );
    const [a] = parseCatalogueHtml(onlyBoxes, 'http://x.gov.cn/');
    expect(a?.rows[0]?.channels).toEqual(['政府网站']);
    expect(a?.rows[1]?.channels).toEqual(['政府网站', '其他']);
    expect(a?.rows[1]?.mode).toEqual(['依申请']);
    // Beside clear √ ticks, 口 and □ are the unticked boxes.
    const mixed = page(
      '卫生健康',
      `<table>${head}${row('甲', '乙', ['√', '口', '√', '□', '√', '口'])}</table>`,
    );
    const [b] = parseCatalogueHtml(mixed, 'http://x.gov.cn/');
    expect(b?.rows[0]?.channels).toEqual(['政府网站']);
    expect(b?.rows[0]?.mode).toEqual(['主动']);
    expect(b?.rows[0]?.audience).toEqual(['全社会']);
  });

  it('joins a table split in two, keeps a merged 二级 over content rows as one row, and flags placeholders', () => {
    const head = `<tr><th>序号</th><th>一级事项</th><th>二级事项</th><th>公开内容（要素）</th><th>公开依据</th><th>公开时限</th>
<th>公开主体</th><th>公开渠道和载体</th><th>公开对象</th><th>公开方式</th></tr>`;
    const html = page(
      '示范县养老服务领域基层政务公开标准目录',
      `<table>${head}
<tr><td rowspan="2">1</td><td rowspan="2">养老政策</td><td rowspan="2">扶持政策</td><td>1.政策名称</td>
<td rowspan="2">《养老条例》</td><td rowspan="2">10个工作日内</td><td rowspan="2">县民政局</td><td rowspan="2">政府网站、公示栏</td><td rowspan="2">全社会</td><td rowspan="2">主动</td></tr>
<tr><td>2.补贴标准</td></tr></table>
<p>&nbsp;</p>
<table><tr><td>2</td><td></td><td>养老机构名录</td><td>/</td><td>无</td><td>——</td><td>待定</td><td></td><td></td><td></td></tr>
<tr><td>3</td><td>养老服务</td><td>服务指南</td><td>办事指南</td><td>《养老条例》</td><td>实时</td><td>县民政局</td><td>政府网站</td><td>全社会</td><td>主动</td></tr></table>`,
    );
    const cats = parseCatalogueHtml(html, 'http://x.gov.cn/');
    expect(cats).toHaveLength(1);
    const rows = cats[0]!.rows;
    expect(rows.map((r) => `${r.first}/${r.second}`)).toEqual([
      '养老政策/扶持政策',
      '养老政策/养老机构名录',
      '养老服务/服务指南',
    ]);
    expect(rows[0]?.content).toBe('1.政策名称\n2.补贴标准');
    expect(rows[0]?.channels).toEqual(['政府网站', '公示栏']);
    expect(rows[1]?.location).toBe('表2第1行');
    expect(rows[1]?.problems).toEqual([
      '公开内容',
      '公开依据',
      '公开时限',
      '公开主体',
      '公开方式',
      '公开渠道和载体',
      '公开对象',
    ]);
    expect(rows[2]?.timeLimit?.kind).toBe('realtime');
    expect(rows[2]?.problems).toEqual([]);
  });

  it('reads several catalogues on one page, each titled by the heading before it', () => {
    const table = (
      name: string,
    ) => `<table><tr><td>一级事项</td><td>二级事项</td><td>公开内容</td><td>公开时限</td><td>公开主体</td></tr>
<tr><td>${name}一</td><td>${name}二</td><td>内容</td><td>20个工作日</td><td>镇政府</td></tr></table>`;
    const html = page(
      '示范镇政务公开标准目录',
      `<h3>一、义务教育领域</h3>${table('教')}<h3>二、户籍管理领域</h3>${table('户')}`,
    );
    const cats = parseCatalogueHtml(html, 'http://x.gov.cn/', ['户籍管理']);
    expect(cats.map((c) => [c.domain, c.rows.length])).toEqual([
      ['义务教育', 1],
      ['户籍管理', 1],
    ]);
    expect(cats[0]?.problems).toEqual([]);
    expect(cats[0]?.rows[0]?.problems).toEqual(['公开依据', '公开方式', '公开渠道和载体', '公开对象']);
  });

  it('ignores pages without a catalogue table', () => {
    const html = page(
      '通知',
      '<table><tr><td>标题</td><td>日期</td></tr><tr><td>通知</td><td>2024-01-01</td></tr></table>',
    );
    expect(looksLikeCatalogueHtml(html)).toBe(false);
    expect(parseCatalogueHtml(html, 'http://x.gov.cn/')).toEqual([]);
  });
});
