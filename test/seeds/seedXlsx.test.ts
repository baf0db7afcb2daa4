import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import * as XLSX from '@e965/xlsx';
import { describe, expect, it } from 'vitest';
import { inspectSeeds, readSeeds } from '../../src/seeds/readSeeds.js';
import { SeedsError } from '../../src/seeds/seedProblems.js';

const dir = mkdtempSync(join(tmpdir(), 'xuncha-seeds-xlsx-'));

type Cell = ExcelJS.CellValue;

/** A unit list as an office keeps it: a merged title row, then the header, then the units. */
async function officeList(name: string, rows: Cell[][], title = '示范县网上巡查单位名单'): Promise<string> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('名单');
  ws.addRow([title]);
  ws.mergeCells(1, 1, 1, 6);
  ws.addRow([]);
  for (const row of rows) ws.addRow(row);
  wb.addWorksheet('说明').addRow(['本表由政务公开办维护']);
  const file = join(dir, name);
  writeFileSync(file, Buffer.from(await wb.xlsx.writeBuffer()));
  return file;
}

const HEADER = ['序号', '单位名称', '单位级别', '网站地址', '上级单位', '联系电话'];

describe('seed files in Excel', () => {
  it('finds the header below a title row and reads Chinese headers, links, numbers and parents by name', async () => {
    const file = await officeList('单位名单.xlsx', [
      HEADER,
      [1, '示范区人民政府', '区县政府', 'https://www.example.gov.cn/', '', 13800001234],
      [
        2,
        '示范区民政局',
        '部门',
        { text: '民政局网站', hyperlink: 'https://mzj.example.gov.cn/' },
        '示范区人民政府',
        '0595-22583366',
      ],
      [
        3,
        '示范区财政局',
        '部门',
        { text: 'https://czj.example.gov.cn/', hyperlink: 'https://wrong.example/' },
        '示范区人民政府',
        null,
      ],
    ]);
    const report = inspectSeeds(file);
    expect(report.problems).toEqual([]);
    expect(report).toMatchObject({ format: 'xlsx', sheet: '名单', otherSheets: ['说明'], headerLine: 3 });
    expect(report.columns?.map((c) => [c.column, c.header, c.key ?? c.skipped])).toEqual([
      ['A', '序号', 'ignored'],
      ['B', '单位名称', 'name'],
      ['C', '单位级别', 'level'],
      ['D', '网站地址', 'start'],
      ['E', '上级单位', 'parent'],
      ['F', '联系电话', 'contact'],
    ]);
    const units = readSeeds(file);
    expect(units.map((u) => [u.id, u.parent, u.startUrls[0]])).toEqual([
      ['示范区人民政府', undefined, 'https://www.example.gov.cn/'],
      // The link behind "民政局网站" is the start URL; a cell that shows a URL is taken as shown.
      ['示范区民政局', '示范区人民政府', 'https://mzj.example.gov.cn/'],
      ['示范区财政局', '示范区人民政府', 'https://czj.example.gov.cn/'],
    ]);
    // A phone number kept as a number in Excel comes out in full, not as 1.38E+10.
    expect(units[0]!.contact).toBe('13800001234');
  });

  it('names the file, the row as Excel shows it and the column as written, for every error', async () => {
    const file = await officeList('错误名单.xlsx', [
      ['单位名称', '层级', '网址', '主管单位', '栏目路径', '备注'],
      ['示范区人民政府', '区县政府', 'https://www.example.gov.cn/', '', '', ''],
      ['示范区民政局', '', 'www.mzj.example.gov.cn', '示范区人民政府', 'xwzx/mzdt/', '第二批'],
      ['示范区财政局', '部门', 'https://czj.example.gov.cn/', '示范区政府', '', ''],
    ]);
    const err = (() => {
      try {
        readSeeds(file);
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(SeedsError);
    const messages = (err as SeedsError).problems.map((p) => p.message);
    expect(messages).toEqual([
      `${file}:5 列「层级」：单位级别不能为空，实际为 ""`,
      `${file}:5 列「网址」：必须是 http:// 或 https:// 开头的完整网址，实际为 "www.mzj.example.gov.cn"`,
      expect.stringMatching(new RegExp(`^${file}:5 列「栏目路径」：应为以 / 开头的路径`)),
      `${file}:6 列「主管单位」：上级单位 "示范区政府" 不在种子文件中（按单位标识或单位名称查找）`,
    ]);
    expect((err as Error).message).toContain(`种子文件 ${file} 有 4 处错误`);
    // The unknown column is a warning, not an error.
    expect(
      inspectSeeds(file)
        .problems.filter((p) => p.severity === 'warning')
        .map((p) => p.message),
    ).toEqual([`${file}:3 列「备注」：未识别的列，内容不读取（可用的列名见 seeds/README.md）`]);
  });

  it('repeats a merged 上级单位 over its rows and reads =HYPERLINK() targets', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('乡镇');
    ws.addRow(['name', 'level', 'start', 'parent', 'id']);
    ws.addRow(['示范区人民政府', '区县政府', 'https://www.example.gov.cn/', '', 'qzf']);
    ws.addRow([
      '城关镇',
      '乡镇',
      { formula: 'HYPERLINK("https://cgz.example.gov.cn/","城关镇网站")', result: '城关镇网站' },
      'qzf',
    ]);
    ws.addRow(['东湖镇', '乡镇', 'https://dhz.example.gov.cn/']);
    ws.mergeCells('D3:D4');
    const file = join(dir, 'merged.xlsx');
    writeFileSync(file, Buffer.from(await wb.xlsx.writeBuffer()));
    const units = readSeeds(file);
    expect(units.map((u) => [u.id, u.parent, u.startUrls[0]])).toEqual([
      ['qzf', undefined, 'https://www.example.gov.cn/'],
      ['城关镇', 'qzf', 'https://cgz.example.gov.cn/'],
      ['东湖镇', 'qzf', 'https://dhz.example.gov.cn/'],
    ]);
  });

  it('reads .xls (Excel 97-2003) too', () => {
    const sheet = XLSX.utils.aoa_to_sheet([
      ['单位名单'],
      ['单位名称', '级别', '网址'],
      ['示范区人民政府', '区县政府', 'https://www.example.gov.cn/'],
    ]);
    const book = XLSX.utils.book_new();
    XLSX.utils.book_append_sheet(book, sheet, 'Sheet1');
    const file = join(dir, 'old.xls');
    writeFileSync(file, XLSX.write(book, { type: 'buffer', bookType: 'biff8' }) as Buffer);
    expect(readSeeds(file).map((u) => u.name)).toEqual(['示范区人民政府']);
    expect(inspectSeeds(file)).toMatchObject({ format: 'xls', headerLine: 2 });
  });

  it('says which sheet it read when no header row is found, and refuses a broken workbook', async () => {
    const file = await officeList('无表头.xlsx', [
      ['单位', '备注'],
      ['示范区人民政府', ''],
    ]);
    expect(() => readSeeds(file)).toThrow(
      /找不到表头行：.*网址列.*（只读取第一个工作表「名单」，本工作簿还有：说明）/,
    );
    const broken = join(dir, 'broken.xlsx');
    writeFileSync(broken, Buffer.from('PK\x03\x04 this is not a workbook'));
    expect(() => readSeeds(broken)).toThrow(/无法读取 Excel 工作簿/);
  });

  it('warns about a hidden row it still reads, and reads a workbook saved under a .csv name', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('名单');
    ws.addRow(['单位名称', '级别', '网址']);
    ws.addRow(['示范区人民政府', '区县政府', 'https://www.example.gov.cn/']);
    ws.addRow(['示范区老干部局', '部门', 'https://lgb.example.gov.cn/']).hidden = true;
    const file = join(dir, '名单.csv');
    writeFileSync(file, Buffer.from(await wb.xlsx.writeBuffer()));
    const report = inspectSeeds(file);
    expect(report.format).toBe('xlsx');
    expect(report.units).toHaveLength(2);
    expect(report.problems.map((p) => [p.severity, p.message])).toEqual([
      ['warning', `${file} 字段 (根)：扩展名是 .csv，但内容是 Excel 工作簿，已按工作簿读取`],
      ['warning', expect.stringMatching(new RegExp(`^${file}:3：这一行在 Excel 中是隐藏的`))],
    ]);
  });
});
