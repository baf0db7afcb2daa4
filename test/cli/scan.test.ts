import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as XLSX from '@e965/xlsx';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scanInputs } from '../../src/cli/scanCommand.js';
import { startSiteServer, type RunningSite } from '../../src/demo/siteServer.js';
import { closeParsers, parserSpawnCount } from '../../src/extract/attachmentText.js';
import { detectPersonalData } from '../../src/pii/detect.js';
import { pagesPdf, plainPage } from '../extract/pdfBombFiles.js';
import { runCli, type CliResult } from '../helpers/cli.js';

// Fake people only.
const ID = '350504198305058086';
const MOBILE = '13912345670';
const ID2 = '350525199509099097';
const MOBILE2 = '18712340005';
const ID3 = '130423197011110115';
const NAME_ID = '350583196609186067';
const URL_ID = '350521197511053034';
const PARTIAL_ID = '35050419830505****';
/** Every raw value the fixtures hold; none may appear in any output. */
const RAW = [ID, MOBILE, ID2, MOBILE2, ID3, NAME_ID, URL_ID, '35050419830505', '1391234'];

const LEAK_TEXT = `姓名：张三 身份证号码：${ID} 联系电话：${MOBILE}\n`;

let dir: string;
let site: RunningSite;
const outputs: CliResult[] = [];

/** Runs `xuncha scan` through the real CLI in a child process, keeping every output for the leak test. */
async function scan(...args: string[]): Promise<CliResult> {
  const result = await runCli(['scan', ...args]);
  outputs.push(result);
  return result;
}

const json = (r: CliResult): unknown => JSON.parse(r.stdout);

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'xuncha-scan-'));
  writeFileSync(join(dir, 'leak.txt'), LEAK_TEXT);
  writeFileSync(join(dir, 'masked.txt'), '姓名：张三 身份证号码：350504********8086 联系电话：139****5670\n');
  writeFileSync(join(dir, 'partial.txt'), `身份证号码：${PARTIAL_ID}\n`);
  writeFileSync(join(dir, `张三${NAME_ID}.txt`), '本文件内容无个人信息\n');
  writeFileSync(join(dir, 'archive.rar'), 'Rar!\u001a\u0007\u0000junk');

  const batch = join(dir, 'batch');
  mkdirSync(join(batch, 'sub'), { recursive: true });
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('名单');
  ws.addRow(['序号', '户主姓名', '身份证号', '联系电话']);
  ws.addRow([1, '李四', ID2, Number(MOBILE2)]);
  writeFileSync(join(batch, 'sub', 'mingdan.xlsx'), Buffer.from(await wb.xlsx.writeBuffer()));
  writeFileSync(join(batch, 'clean.html'), '<html><body><p>关于做好冬季防火工作的通知</p></body></html>');
  writeFileSync(join(batch, 'tool.exe'), `MZ ${ID3}`); // not a supported extension: skipped
  writeFileSync(join(batch, '.draft.txt'), `身份证号码：${ID3}`); // hidden: skipped

  mkdirSync(join(dir, 'site'));
  writeFileSync(
    join(dir, 'site', 'gs.html'),
    `<html><head><meta charset="utf-8"><title>公示</title></head><body>` +
      `<p>联系人：王五</p><span title="身份证号码 ${ID3}">王五</span></body></html>`,
  );
  site = await startSiteServer({ dir: join(dir, 'site') });
});

afterAll(async () => {
  await site?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('xuncha scan --json', () => {
  it('prints exactly the documented shape, listing exposures, and exits 1', async () => {
    const file = join(dir, 'leak.txt');
    const r = await scan('--json', file);
    expect(r.code).toBe(1);
    expect(json(r)).toStrictEqual({
      files: [
        {
          path: file,
          findings: [
            {
              type: 'id-card',
              masked: '350504********8086',
              insufficient: false,
              location: { segment: '正文', offset: LEAK_TEXT.indexOf(ID) },
            },
            {
              type: 'mobile',
              masked: '139****5670',
              insufficient: false,
              location: { segment: '正文', offset: LEAK_TEXT.indexOf(MOBILE) },
            },
          ],
          errors: [],
        },
      ],
    });
  });

  it('finds nothing in a correctly masked file and exits 0', async () => {
    const file = join(dir, 'masked.txt');
    const r = await scan('--json', file);
    expect(r.code).toBe(0);
    expect(json(r)).toStrictEqual({ files: [{ path: file, findings: [], errors: [] }] });
    expect(r.stderr).toBe('');
  });

  it('reports insufficient masking (birth date visible) as an exposure', async () => {
    const r = await scan('--json', join(dir, 'partial.txt'));
    expect(r.code).toBe(1);
    const expected = detectPersonalData(`身份证号码：${PARTIAL_ID}`)[0];
    expect(json(r)).toMatchObject({
      files: [{ findings: [{ type: 'id-card', insufficient: true, masked: expected?.masked }], errors: [] }],
    });
  });

  it('exits 2 on a missing file, a bad URL or an unsupported file, and still reports the rest', async () => {
    const r = await scan(
      '--json',
      join(dir, 'masked.txt'),
      join(dir, 'nope.pdf'),
      'ftp://x.gov.cn/a.pdf',
      join(dir, 'archive.rar'),
    );
    expect(r.code).toBe(2);
    expect(json(r)).toStrictEqual({
      files: [
        { path: join(dir, 'masked.txt'), findings: [], errors: [] },
        { path: join(dir, 'nope.pdf'), findings: [], errors: ['找不到文件'] },
        { path: 'ftp://x.gov.cn/a.pdf', findings: [], errors: ['只支持 http:// 或 https:// 网址'] },
        { path: join(dir, 'archive.rar'), findings: [], errors: ['暂不支持的附件格式：RAR'] },
      ],
    });
  });

  it('exits 1 when an exposure is found, even if another file could not be read', async () => {
    const r = await scan('--json', join(dir, 'leak.txt'), join(dir, 'nope.pdf'));
    expect(r.code).toBe(1);
    expect((json(r) as { files: { errors: string[] }[] }).files[1]!.errors).toEqual(['找不到文件']);
  });

  it('exits 2 when a URL cannot be fetched', async () => {
    const r = await scan('--json', `${site.origin}/missing.html`);
    expect(r.code).toBe(2);
    expect(json(r)).toStrictEqual({
      files: [{ path: `${site.origin}/missing.html`, findings: [], errors: ['服务器返回 HTTP 404'] }],
    });
  });

  it('walks a directory recursively, reading only supported files and skipping hidden ones', async () => {
    const batch = join(dir, 'batch');
    const r = await scan('--json', batch);
    expect(r.code).toBe(1);
    const report = json(r) as {
      files: { path: string; findings: { masked: string; location: unknown }[] }[];
    };
    expect(report.files.map((f) => f.path)).toEqual([
      join(batch, 'clean.html'),
      join(batch, 'sub', 'mingdan.xlsx'),
    ]);
    expect(report.files[1]?.findings).toEqual([
      {
        type: 'id-card',
        masked: '350525********9097',
        insufficient: false,
        location: { segment: '工作表「名单」第2行', offset: 5 },
      },
      {
        type: 'mobile',
        masked: '187****0005',
        insufficient: false,
        location: { segment: '工作表「名单」第2行', offset: 5 + ID2.length + 1 },
      },
    ]);
  });

  it('fetches a URL once and finds data hidden in an attribute', async () => {
    const url = `${site.origin}/gs.html`;
    const before = site.requests.length;
    const r = await scan('--json', url);
    expect(r.code).toBe(1);
    expect(site.requests.length - before).toBe(1);
    expect(json(r)).toMatchObject({
      files: [
        {
          path: url,
          findings: [
            { type: 'id-card', masked: '130423********0115', location: { segment: '网页属性 title' } },
          ],
          errors: [],
        },
      ],
    });
  });

  it('treats a personal-data file name as an exposure and never prints it raw', async () => {
    const r = await scan('--json', join(dir, `张三${NAME_ID}.txt`));
    expect(r.code).toBe(1);
    const report = json(r) as { files: { path: string; findings: { location: { segment: string } }[] }[] };
    expect(report.files[0]?.path).toBe(join(dir, '张三350583********6067.txt'));
    expect(report.files[0]?.findings[0]?.location.segment).toBe('文件名');
  });

  it('scans a URL whose query string holds an ID', async () => {
    const url = `${site.origin}/gs.html?sfzh=${URL_ID}`;
    const r = await scan('--json', url);
    const report = json(r) as { files: { path: string; findings: { location: { segment: string } }[] }[] };
    expect(report.files[0]?.path).toBe(`${site.origin}/gs.html?sfzh=350521********3034`);
    expect(report.files[0]?.findings.map((f) => f.location.segment)).toEqual(['网址', '网页属性 title']);
  });
});

describe('xuncha scan (table)', () => {
  it('prints a Chinese table with masked values and a summary', async () => {
    const r = await scan(join(dir, 'leak.txt'), join(dir, 'masked.txt'));
    expect(r.code).toBe(1);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toMatch(/^文件\s+类型\s+脱敏后内容\s+位置\s+说明$/);
    expect(r.stdout).toMatch(/leak\.txt\s+身份证号\s+350504\*{8}8086\s+正文（第\d+个字符起）\s+未脱敏/);
    expect(r.stdout).toMatch(/leak\.txt\s+手机号码\s+139\*{4}5670/);
    expect(r.stdout).toMatch(/masked\.txt\s+—\s+未发现未脱敏的个人信息/);
    expect(r.stdout).toContain('共检查 2 个文件：1 个文件发现 2 处未脱敏或脱敏不充分的个人信息。');
  });

  it('says a missing file is missing, on stdout and stderr, and never “未发现”', async () => {
    const r = await scan(join(dir, 'nope.pdf'));
    expect(r.code).toBe(2);
    expect(r.stdout).toMatch(/nope\.pdf\s+未检查\s+找不到文件/);
    expect(r.stdout).toContain('共 1 个文件：1 个文件找不到，未检查。');
    expect(r.stdout).not.toContain('未发现');
    expect(r.stderr).toContain(`错误：找不到文件：${join(dir, 'nope.pdf')}`);
  });

  it('counts “未发现” only over the files it read through', async () => {
    const r = await scan(join(dir, 'masked.txt'), join(dir, 'nope.pdf'), join(dir, 'archive.rar'));
    expect(r.code).toBe(2);
    expect(r.stdout).toMatch(/archive\.rar\s+需人工复核\s+暂不支持的附件格式/);
    expect(r.stdout).toContain(
      '共检查 3 个文件：1 个文件未发现未脱敏的个人信息；1 个文件找不到，未检查；1 个文件未能完整检查，需人工复核。',
    );
  });
});

describe('scanning a folder', () => {
  it('starts one parser child per kind for the whole folder, not one per file', async () => {
    const many = join(dir, 'many');
    mkdirSync(join(many, 'deeper'), { recursive: true });
    for (let i = 0; i < 4; i++) {
      writeFileSync(join(many, `n${i}.pdf`), pagesPdf([plainPage([`Notice ${i}`])]));
      const wb = XLSX.utils.book_new();
      XLSX.utils.book_append_sheet(wb, XLSX.utils.aoa_to_sheet([['序号'], [i]]), '表');
      writeFileSync(join(many, 'deeper', `t${i}.xls`), XLSX.write(wb, { type: 'buffer', bookType: 'biff8' }));
      copyFileSync(new URL('../fixtures/files/roster.doc', import.meta.url), join(many, `w${i}.doc`));
    }
    // From an empty pool: test files share a worker's modules, and an earlier file's idle children
    // would serve this folder too.
    closeParsers();
    const before = parserSpawnCount();
    const { report } = await scanInputs([many]);
    expect(report.files).toHaveLength(12);
    expect(report.files.flatMap((f) => f.errors)).toEqual([]);
    // pdf.js in one child; word-extractor and SheetJS in another, both reused for every file.
    expect(parserSpawnCount() - before).toBe(2);
  });
});

describe('no re-leak', () => {
  it('never printed a raw fixture value on stdout or stderr', () => {
    expect(outputs.length).toBeGreaterThan(5);
    for (const { stdout, stderr } of outputs)
      for (const raw of RAW) {
        expect(stdout).not.toContain(raw);
        expect(stderr).not.toContain(raw);
      }
  });
});
