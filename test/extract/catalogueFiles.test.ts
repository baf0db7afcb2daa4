import { afterAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { Document, Packer, Paragraph, Table, TableCell, TableRow } from 'docx';
import { parseCatalogueFile } from '../../src/extract/catalogue/index.js';
import { closeBrowser, htmlToPdf } from '../../src/render/htmlToPdf.js';
import { pagesPdf, plainPage } from './pdfBombFiles.js';

// Catalogue files built in the test (no fixtures from the internet); names are invented.

const HEADER_TOP = [
  '序号',
  '一级事项',
  '二级事项',
  '公开内容',
  '公开依据',
  '公开时限',
  '公开主体',
  '公开渠道和载体',
  '',
  '公开对象',
  '公开方式',
];
const HEADER_SUB = ['', '', '', '', '', '', '', '政府网站', '公示栏', '', ''];

describe('parseCatalogueFile: XLSX', () => {
  it('reads one catalogue per sheet, with merged title, header and 一级 cells', async () => {
    const wb = new ExcelJS.Workbook();
    for (const [name, prefix] of [
      ['户籍管理', '户'],
      ['说明', ''],
      ['社会保险', '保'],
    ] as const) {
      const ws = wb.addWorksheet(name);
      if (!prefix) {
        ws.addRow(['本文件说明']);
        continue;
      }
      ws.addRow([`示范镇${name}领域基层政务公开标准目录`]);
      ws.mergeCells('A1:K1');
      ws.addRow(HEADER_TOP);
      ws.addRow(HEADER_SUB);
      for (const col of ['A', 'B', 'C', 'D', 'E', 'F', 'G', 'J', 'K']) ws.mergeCells(`${col}2:${col}3`);
      ws.mergeCells('H2:I2');
      ws.addRow([
        1,
        `${prefix}甲`,
        `${prefix}一`,
        '办理条件',
        '《条例》',
        '20个工作日',
        '派出所',
        '■',
        '□',
        '全社会',
        '主动',
      ]);
      ws.addRow([2, '', `${prefix}二`, '办理流程', '同上', '同上', '同上', '□', '■', '全社会', '依申请']);
      ws.mergeCells('B4:B5');
      ws.addRow([3, `${prefix}乙`, `${prefix}三`, '无', '', '实时', '派出所', '□', '□', '', '主动']);
    }
    const body = Buffer.from(await wb.xlsx.writeBuffer());
    const cats = await parseCatalogueFile(body, { url: 'http://x.gov.cn/a.xlsx' });
    expect(cats.map((c) => [c.format, c.domain, c.rows.length])).toEqual([
      ['xlsx', '户籍管理', 3],
      ['xlsx', '社会保险', 3],
    ]);
    const [r1, r2, r3] = cats[0]!.rows;
    expect(cats[0]?.title).toBe('示范镇户籍管理领域基层政务公开标准目录');
    expect([r1?.first, r1?.second, r2?.first, r2?.second]).toEqual(['户甲', '户一', '户甲', '户二']);
    expect(r1?.channels).toEqual(['政府网站']);
    expect(r2?.channels).toEqual(['公示栏']);
    expect(r2?.basis).toBe('《条例》');
    expect(r2?.timeLimit?.workdays).toBe(20);
    expect(r2?.mode).toEqual(['依申请']);
    expect(r1?.location).toBe('工作表「户籍管理」第4行');
    expect(r3?.problems).toEqual(['公开内容', '公开依据', '公开渠道和载体', '公开对象']);
  });
});

const docCell = (text: string, opts: { rowSpan?: number; columnSpan?: number } = {}): TableCell =>
  new TableCell({ children: [new Paragraph(text)], ...opts });

describe('parseCatalogueFile: DOCX', () => {
  it('reads gridSpan header parents and vMerge 一级 cells, titled by the paragraph before', async () => {
    const doc = new Document({
      sections: [
        {
          children: [
            new Paragraph('示范县公共法律服务领域基层政务公开标准目录'),
            new Table({
              rows: [
                new TableRow({
                  children: [
                    docCell('一级事项', { rowSpan: 2 }),
                    docCell('二级事项', { rowSpan: 2 }),
                    docCell('公开内容（要素）', { rowSpan: 2 }),
                    docCell('公开依据', { rowSpan: 2 }),
                    docCell('公开时限', { rowSpan: 2 }),
                    docCell('公开主体', { rowSpan: 2 }),
                    docCell('公开渠道和载体', { columnSpan: 2 }),
                    docCell('公开对象', { columnSpan: 2 }),
                    docCell('公开方式', { columnSpan: 2 }),
                  ],
                }),
                new TableRow({
                  children: ['政府网站', '两微一端', '全社会', '特定群体', '主动', '依申请'].map((t) =>
                    docCell(t),
                  ),
                }),
                new TableRow({
                  children: [
                    docCell('法律援助', { rowSpan: 2 }),
                    ...[
                      '援助条件',
                      '申请条件',
                      '《法律援助条例》',
                      '10个工作日内',
                      '县司法局',
                      '√',
                      '',
                      '√',
                      '',
                      '√',
                      '',
                    ].map((t) => docCell(t)),
                  ],
                }),
                new TableRow({
                  children: ['援助流程', '办理流程', '同上', '同上', '同上', '√', '√', '√', '', '√', ''].map(
                    (t) => docCell(t),
                  ),
                }),
              ],
            }),
          ],
        },
      ],
    });
    const body = await Packer.toBuffer(doc);
    const [cat, ...rest] = await parseCatalogueFile(body, { url: 'file:///tmp/ml.docx' });
    expect(rest).toEqual([]);
    expect(cat?.format).toBe('docx');
    expect(cat?.domain).toBe('公共法律服务');
    expect(cat?.rows.map((r) => [r.first, r.second, r.timeLimit?.workdays, r.channels.join('、')])).toEqual([
      ['法律援助', '援助条件', 10, '政府网站'],
      ['法律援助', '援助流程', 10, '政府网站、两微一端'],
    ]);
    expect(cat?.rows[1]?.basis).toBe('《法律援助条例》');
    expect(cat?.rows[1]?.problems).toEqual([]);
    expect(cat?.rows[0]?.location).toBe('表1第3行');
  });
});

afterAll(() => closeBrowser());

describe('parseCatalogueFile: PDF', () => {
  it('reads a printed table by column positions, over a page break, with merged 一级 cells', async () => {
    const row = (i: number, first: string | null, span: number): string =>
      `<tr>${
        first !== null ? `<td rowspan="${span}">${first}</td>` : ''
      }<td>事项${i}</td><td>1.事项${i}的名称<br>2.办理依据和流程</td><td>《某某条例》</td><td>信息形成之日起${i + 5}个工作日内</td>
<td>县某某局</td><td>√</td><td>${i % 2 ? '√' : ''}</td><td>√</td><td>√</td></tr>`;
    const rows: string[] = [];
    for (let i = 1; i <= 30; i++) rows.push(row(i, i % 3 === 1 ? `类别${Math.ceil(i / 3)}` : null, 3));
    const html = `<html><head><style>
body{font-family:"Noto Sans CJK SC",sans-serif;font-size:10pt} table{border-collapse:collapse;width:100%}
td,th{border:1px solid #000;padding:4px;vertical-align:middle} thead{display:table-header-group}</style></head><body>
<h3>示范镇生态环境领域基层政务公开标准目录</h3><table><thead>
<tr><th rowspan="2">一级事项</th><th rowspan="2">二级事项</th><th rowspan="2">公开内容</th><th rowspan="2">公开依据</th>
<th rowspan="2">公开时限</th><th rowspan="2">公开主体</th><th colspan="2">公开渠道和载体</th><th>公开对象</th><th>公开方式</th></tr>
<tr><th>政府网站</th><th>公示栏</th><th>全社会</th><th>主动</th></tr></thead><tbody>${rows.join('')}</tbody></table></body></html>`;
    const pdf = await htmlToPdf(html);
    const [cat] = await parseCatalogueFile(pdf, { url: 'http://x.gov.cn/ml.pdf' });
    expect(cat?.format).toBe('pdf');
    expect(cat?.domain).toBe('生态环境');
    expect(cat?.rows.map((r) => r.second)).toEqual(Array.from({ length: 30 }, (_, i) => `事项${i + 1}`));
    expect(cat?.rows.map((r) => r.first)).toEqual(
      Array.from({ length: 30 }, (_, i) => `类别${Math.floor(i / 3) + 1}`),
    );
    expect(cat?.rows.map((r) => r.timeLimit?.workdays)).toEqual(Array.from({ length: 30 }, (_, i) => i + 6));
    expect(cat?.rows[0]?.content).toBe('1.事项1的名称\n2.办理依据和流程');
    expect(cat?.rows[0]?.channels).toEqual(['政府网站', '公示栏']);
    expect(cat?.rows[1]?.channels).toEqual(['政府网站']);
    expect(cat?.rows[0]?.audience).toEqual(['全社会']);
    expect(cat?.rows[0]?.mode).toEqual(['主动']);
    expect(cat?.rows.every((r) => r.problems.length === 0)).toBe(true);
    expect(new Set(cat?.rows.map((r) => r.location)).size).toBeGreaterThan(1);
  }, 60_000);
});

describe('parseCatalogueFile: other inputs', () => {
  it('reports a PDF page without a text layer instead of guessing', async () => {
    const pdf = pagesPdf([plainPage(['Annex']), plainPage([])]);
    const [cat] = await parseCatalogueFile(pdf, { url: 'http://x.gov.cn/scan.pdf' });
    expect(cat?.rows).toEqual([]);
    expect(cat?.problems).toContain('第2页无文字层，需人工查看');
  });

  it('reads page text with the text-level parser', async () => {
    const text = [
      '示范镇救灾领域基层政务公开标准目录',
      '序号 | 一级事项 | 二级事项 | 公开内容 | 公开依据 | 公开时限 | 公开主体 | 公开渠道和载体 |',
      '1 | 政策文件 | 法律法规 | 文件全文 | 《救灾条例》 | 信息形成之日起20个工作日内 | 示范镇人民政府 | ■政府网站 |',
    ].join('\n');
    const [cat] = await parseCatalogueFile(Buffer.from(text), { url: 'http://x.gov.cn/a.txt' });
    expect(cat?.format).toBe('text');
    expect(cat?.domain).toBe('救灾');
    expect(cat?.rows.map((r) => [r.first, r.second, r.timeLimit?.workdays, r.location])).toEqual([
      ['政策文件', '法律法规', 20, '第3行'],
    ]);
    expect(cat?.rows[0]?.problems).toEqual([]);
  });

  it('decodes a GBK page before reading its table', async () => {
    const html = `<html><head><meta charset="gbk"><title>乡村振兴领域基层政务公开标准目录</title></head><body><table>
<tr><td>一级事项</td><td>二级事项</td><td>公开内容</td><td>公开时限</td><td>公开主体</td></tr>
<tr><td>产业发展</td><td>项目公示</td><td>项目名称</td><td>10个工作日</td><td>镇政府</td></tr></table></body></html>`;
    const [cat] = await parseCatalogueFile(iconv.encode(html, 'gbk'), { url: 'http://x.gov.cn/ml.html' });
    expect(cat?.domain).toBe('乡村振兴');
    expect(cat?.rows.map((r) => [r.first, r.second, r.timeLimit?.workdays])).toEqual([
      ['产业发展', '项目公示', 10],
    ]);
  });

  it('turns an unreadable workbook into a problem, not an exception', async () => {
    const broken = Buffer.concat([Buffer.from('PK\u0003\u0004'), Buffer.alloc(64)]);
    const cats = await parseCatalogueFile(broken, { url: 'http://x.gov.cn/a.xlsx' });
    expect(cats[0]?.rows).toEqual([]);
    expect(cats[0]?.problems.length).toBeGreaterThan(0);
  });
});
