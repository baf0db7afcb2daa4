import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'xuncha-seeds-check-'));
});

async function workbook(name: string, rows: ExcelJS.CellValue[][]): Promise<string> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('名单');
  ws.addRow(['示范县网上巡查单位名单']);
  for (const row of rows) ws.addRow(row);
  const file = join(dir, name);
  writeFileSync(file, Buffer.from(await wb.xlsx.writeBuffer()));
  return file;
}

describe('xuncha seeds check', { timeout: 60_000 }, () => {
  it('shows what it understood unit by unit, and every problem with line and column; exit 2 on errors', async () => {
    const file = await workbook('单位名单.xlsx', [
      ['单位名称', '级别', '网址', '上级单位', '标准目录', '联系人', '联系电话', '备注'],
      ['示范区人民政府', '区县政府', 'https://www.example.gov.cn/', '', '', '张三', 13800001234, ''],
      [
        '示范区民政局',
        '部门',
        { text: '民政局网站', hyperlink: 'https://mzj.example.gov.cn/' },
        '示范区人民政府',
        '社会救助=https://mzj.example.gov.cn/xxgk/shjz/ml.html',
        '',
        '',
        '',
      ],
      [
        '示范区财政局',
        '部门',
        'czj.example.gov.cn',
        '示范区人民政府',
        '社会救济=https://czj.example.gov.cn/ml.html',
        '',
        '',
        '',
      ],
      ['示范区教育局', '', 'https://jyj.example.gov.cn/', '示范区政府', '', '', '', ''],
    ]);
    const r = await runCli(['seeds', 'check', file]);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stdout).toContain('格式：Excel 工作簿（.xlsx）');
    expect(r.stdout).toContain('工作表：「名单」');
    expect(r.stdout).toContain('表头：第 2 行');
    expect(r.stdout).toContain('C 列「网址」→ 起始网址（start）');
    expect(r.stdout).toContain('H 列「备注」→ 未识别，不读取');
    expect(r.stdout).toContain('读到 2 个单位（有错误的单位未列出）');
    expect(r.stdout).toContain('2. 示范区民政局（第 4 行）');
    expect(r.stdout).toContain('标识：示范区民政局（按单位名称自动生成）');
    expect(r.stdout).toContain('上级单位：示范区人民政府');
    expect(r.stdout).toContain('起始网址：https://mzj.example.gov.cn/');
    expect(r.stdout).toContain('标准目录：社会救助 https://mzj.example.gov.cn/xxgk/shjz/ml.html');
    // Personal data is masked like every other output.
    expect(r.stdout).toContain('联系方式：张三 138****1234');
    expect(r.stdout).not.toContain('13800001234');
    const errors = r.stderr.split('\n').filter((l) => l.startsWith('错误：'));
    expect(errors).toEqual([
      `错误：${file}:5 列「网址」：必须是 http:// 或 https:// 开头的完整网址，实际为 "czj.example.gov.cn"`,
      expect.stringMatching(
        new RegExp(
          `^错误：${file}:5 列「标准目录」：标准目录领域不在规则中（可用：.*社会救助.*），实际为 "社会救济"`,
        ),
      ),
      `错误：${file}:6 列「级别」：单位级别不能为空，实际为 ""`,
      `错误：${file}:6 列「上级单位」：上级单位 "示范区政府" 不在种子文件中（按单位标识或单位名称查找）`,
      '错误：共 4 处错误、1 处警告：改正之前 run / crawl / probe 会拒绝这个文件',
    ]);
    expect(r.stderr).toContain(`警告：${file}:2 列「备注」：未识别的列`);
  });

  it('passes a good GBK list with exit 0, naming the encoding; warnings do not fail it', async () => {
    const csv =
      'name,level,start,paths,其他\n示范区人民政府,区县政府,https://www.example.gov.cn/,,\n示范区民政局,部门,https://www.example.gov.cn/mzj/,/xwzx/mzdt/,\n';
    const file = join(dir, 'gbk.csv');
    writeFileSync(file, iconv.encode(csv, 'gbk'));
    const r = await runCli(['seeds', 'check', file]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('编码：GBK');
    expect(r.stdout).toContain('栏目路径：https://www.example.gov.cn/xwzx/mzdt/');
    expect(r.stdout).toContain('检查通过：2 个单位，1 处警告（不影响巡查）');
    expect(r.stderr).toContain('列「其他」：未识别的列');
  });

  it('--json prints one object with units, columns and problems; an unreadable file is a problem too', async () => {
    const file = join(dir, 'bad.csv');
    writeFileSync(
      file,
      'id,name,level,start\nqzf,示范区人民政府,区县政府,https://www.example.gov.cn/\nmzj,示范区民政局,,ftp://x\n',
    );
    const r = await runCli(['seeds', 'check', file, '--json']);
    expect(r.code).toBe(2);
    const out = JSON.parse(r.stdout) as Record<string, unknown> & {
      units: { id: string; idGenerated: boolean; startUrls: string[] }[];
      problems: { severity: string; line: number; field: string; kind: string; message: string }[];
    };
    expect(out).toMatchObject({ format: 'csv', encoding: 'UTF-8', headerLine: 1 });
    expect(out.units).toEqual([
      expect.objectContaining({
        id: 'qzf',
        idGenerated: false,
        startUrls: ['https://www.example.gov.cn/'],
        line: 2,
      }),
    ]);
    expect(out.problems.map((p) => [p.severity, p.line, p.kind, p.field])).toEqual([
      ['error', 3, 'column', 'level'],
      ['error', 3, 'column', 'start'],
    ]);
    const missing = await runCli(['seeds', 'check', join(dir, 'nowhere.xlsx'), '--json']);
    expect(missing.code).toBe(2);
    expect(JSON.parse(missing.stdout)).toMatchObject({
      format: 'xlsx',
      units: [],
      problems: [{ severity: 'error', message: expect.stringContaining('无法读取种子文件（ENOENT）') }],
    });
  });
});
