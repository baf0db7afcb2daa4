import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { inspectSeeds, parseSeedText, readSeeds } from '../../src/seeds/readSeeds.js';
import { SeedsError } from '../../src/seeds/seedProblems.js';

const dir = mkdtempSync(join(tmpdir(), 'xuncha-seeds-csv-'));

function write(name: string, bytes: Buffer | string): string {
  const file = join(dir, name);
  writeFileSync(file, bytes);
  return file;
}

/** Excel's "CSV（逗号分隔）" on Chinese Windows: GBK, CRLF, a title row, Chinese headers. */
const OFFICE_CSV = [
  '示范县网上巡查单位名单,,,,',
  '单位名称,级别,网址,上级单位,联系方式',
  '示范区人民政府,区县政府,https://www.example.gov.cn/,,政务公开办 0595-22580000',
  '示范区民政局,部门,https://mzj.example.gov.cn/,示范区人民政府,',
  '',
].join('\r\n');

function problemsOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (err) {
    if (err instanceof SeedsError) return err.problems.map((p) => p.message);
    throw err;
  }
  throw new Error('expected a SeedsError');
}

describe('CSV encodings', () => {
  it('reads GBK as Excel saves it on Chinese Windows, and says so', () => {
    const file = write('gbk.csv', iconv.encode(OFFICE_CSV, 'gbk'));
    const report = inspectSeeds(file);
    expect(report.problems).toEqual([]);
    expect(report).toMatchObject({ encoding: 'GBK', headerLine: 2 });
    expect(report.units.map((u) => [u.unit.name, u.unit.parent])).toEqual([
      ['示范区人民政府', undefined],
      ['示范区民政局', '示范区人民政府'],
    ]);
  });

  it('reads UTF-8 with and without a BOM', () => {
    const bom = write('bom.csv', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(OFFICE_CSV)]));
    expect(inspectSeeds(bom)).toMatchObject({ encoding: 'UTF-8（带 BOM）' });
    expect(readSeeds(bom)[0]!.name).toBe('示范区人民政府');
    expect(inspectSeeds(write('utf8.csv', OFFICE_CSV))).toMatchObject({ encoding: 'UTF-8' });
    const lying = write(
      'bom-gbk.csv',
      Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), iconv.encode(OFFICE_CSV, 'gbk')]),
    );
    expect(problemsOf(() => readSeeds(lying))).toEqual([
      expect.stringMatching(
        /bom-gbk\.csv 字段 \(根\)：文件开头标明是 UTF-8（BOM），但第 1 行有不是 UTF-8 的字节.*另存为/,
      ),
    ]);
  });

  it('reads a character only GB18030 has (four bytes), not GBK', () => {
    // 𠀀 (U+20000) has no GBK code; GB18030 writes it in four bytes.
    const text = OFFICE_CSV.replace('示范区民政局', '𠀀村民委员会');
    const bytes = iconv.encode(text, 'gb18030');
    expect(bytes.includes(Buffer.from([0x95, 0x32, 0x82, 0x36]))).toBe(true);
    const report = inspectSeeds(write('gb18030.csv', bytes));
    expect(report.encoding).toBe('GB18030');
    expect(report.units[1]!.unit.name).toBe('𠀀村民委员会');
  });

  it('refuses bytes that are neither UTF-8 nor GBK, naming the file and the line, never reading mojibake', () => {
    // Big5 (traditional Chinese): decodes "cleanly" as GBK into nonsense characters.
    const big5 = write('big5.csv', iconv.encode(OFFICE_CSV.replace(/示范区/g, '臺北市'), 'big5'));
    const [message] = problemsOf(() => readSeeds(big5));
    expect(message).toMatch(new RegExp(`^${big5} 字段 \\(根\\)：无法确定文件编码`));
    expect(message).toContain('另存为');
    expect(message).toContain('CSV UTF-8');
    // A UTF-8 file with a few bytes of something else on line 3 (two files joined): that line is named.
    const garbled = Buffer.concat([
      Buffer.from('单位名称,级别,网址\n示范区人民政府,区县政府,https://www.example.gov.cn/\n'),
      Buffer.from([0xff, 0xfe, 0x80, 0x2c, 0x81, 0x0a]),
    ]);
    const [bad] = problemsOf(() => readSeeds(write('garbled.csv', garbled)));
    expect(bad).toMatch(/文件基本是 UTF-8 编码，但第 3 行有不是 UTF-8 的字节/);
    expect(
      problemsOf(() => readSeeds(write('utf16.csv', iconv.encode(OFFICE_CSV, 'utf16le', { addBOM: true })))),
    ).toEqual([expect.stringContaining('UTF-16')]);
  });
});

describe('CSV quoting (RFC 4180)', () => {
  const header = 'id,name,level,parent,start,catalogues,contact';

  it('reads quoted commas, doubled quotes and line breaks inside quotes', () => {
    const csv = [
      header,
      'qzf,"示范区人民政府（含政务服务中心, 大数据局）",区县政府,,https://www.example.gov.cn/,,"政务公开办 ""值班电话"" 0595-22580000"',
      'mzj,示范区民政局,部门,qzf,"https://mzj.example.gov.cn/',
      'https://www.example.gov.cn/mzj/",社会救助=https://mzj.example.gov.cn/xxgk/shjz/ml.html,',
      '',
    ].join('\n');
    const units = parseSeedText(csv, 'units.csv');
    expect(units[0]!.name).toBe('示范区人民政府（含政务服务中心, 大数据局）');
    expect(units[0]!.contact).toBe('政务公开办 "值班电话" 0595-22580000');
    expect(units[1]!.startUrls).toEqual(['https://mzj.example.gov.cn/', 'https://www.example.gov.cn/mzj/']);
  });

  it('counts physical lines after a multi-line field, and lists every error', () => {
    const csv = [
      header,
      'qzf,示范区人民政府,区县政府,,https://www.example.gov.cn/,,"第一行',
      '第二行',
      '第三行"',
      'mzj,示范区民政局,部门,qzf,ftp://mzj.example.gov.cn/,,',
      'czj,示范区财政局,,qzf,https://czj.example.gov.cn/,社会救助,',
      'xyz,示范区某局,部门,qzf,https://a.example.gov.cn/,,,多出来的',
      '',
    ].join('\n');
    expect(problemsOf(() => parseSeedText(csv, 'units.csv'))).toEqual([
      'units.csv:5 列「start」：必须是 http:// 或 https:// 开头的完整网址，实际为 "ftp://mzj.example.gov.cn/"',
      'units.csv:6 列「catalogues」：应写作“领域=网址”（如 社会救助=https://…/ml.html），实际为 "社会救助"',
      'units.csv:6 列「level」：单位级别不能为空，实际为 ""',
      'units.csv:7：第 8 列（H 列）没有表头，却有内容 "多出来的"（含逗号的内容是否漏加了英文双引号？）',
    ]);
  });

  it('names the line where an unclosed quote starts', () => {
    const csv = `${header}\nqzf,示范区人民政府,区县政府,,https://www.example.gov.cn/,,\nmzj,"示范区民政局,部门,qzf,https://mzj.example.gov.cn/,,\n\n`;
    expect(problemsOf(() => parseSeedText(csv, 'units.csv'))).toEqual([
      'units.csv:3：英文双引号没有配对：从这一行开始的带引号内容直到文件末尾都没有结束（内容中的英文双引号要写成两个：""）',
    ]);
    const stray = `${header}\nqzf,"示范区"人民政府,区县政府,,https://www.example.gov.cn/,,\n`;
    expect(problemsOf(() => parseSeedText(stray, 'units.csv'))[0]).toMatch(
      /^units\.csv:2：带引号的内容结束后应为逗号或换行，实际为 "人"/,
    );
  });

  it('still reads the original format: English header on line 1, | lists, 领域=网址', () => {
    const csv = `${header},hosts,paths\nqzf,示范区人民政府,区县政府,,https://www.example.gov.cn/|https://en.example.gov.cn/,,,,\nmzj,示范区民政局,部门,qzf,https://mzj.example.gov.cn/,社会救助=https://mzj.example.gov.cn/ml.html?a=1,,www.example.gov.cn|mzj2.example.gov.cn:8080,/xwzx/mzdt/|https://www.example.gov.cn/mzj/\n`;
    const [qzf, mzj] = parseSeedText(csv, 'units.csv');
    expect(qzf!.startUrls).toHaveLength(2);
    expect(mzj).toMatchObject({
      catalogues: [{ domain: '社会救助', url: 'https://mzj.example.gov.cn/ml.html?a=1' }],
      hosts: ['www.example.gov.cn', 'mzj2.example.gov.cn:8080'],
      paths: ['https://mzj.example.gov.cn/xwzx/mzdt/', 'https://www.example.gov.cn/mzj/'],
    });
  });
});
