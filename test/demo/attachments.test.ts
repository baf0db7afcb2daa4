import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inflateRawSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { buildAttachments, describeAttachments } from '../../src/demo/attachments.js';
import { ADMIN_CODES, MOBILE_PREFIXES, fakePeople } from '../../src/demo/fakePeople.js';
import { closeBrowser, htmlToPdf } from '../../src/render/htmlToPdf.js';
import { foldCjkRadicals } from '../../src/extract/cjkRadicals.js';
import { extractAttachmentText } from '../../src/extract/attachmentText.js';

const SITES = join(import.meta.dirname, '../../seeds/demo/site');
const today = new Date('2026-11-20T00:00:00Z');

afterAll(async () => {
  await closeBrowser();
});

/** Independent check of a 居民身份证号: region, real birth date, ISO 7064 MOD 11-2 check character. */
function validIdCard(id: string): boolean {
  if (!/^\d{17}[\dX]$/.test(id)) return false;
  const [y, m, d] = [Number(id.slice(6, 10)), Number(id.slice(10, 12)), Number(id.slice(12, 14))];
  const birth = new Date(Date.UTC(y, m - 1, d));
  if (birth.getUTCFullYear() !== y || birth.getUTCMonth() !== m - 1 || birth.getUTCDate() !== d) return false;
  if (y < 1900 || birth.getTime() > Date.now()) return false;
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = weights.reduce((acc, w, i) => acc + w * Number(id[i]), 0);
  return '10X98765432'[sum % 11] === id[17];
}

/** Read one entry of a zip archive (DOCX) without a zip library: local headers + raw deflate. */
function readZipEntry(zip: Buffer, name: string): string | undefined {
  // The central directory has reliable sizes even when local headers use data descriptors.
  const eocd = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  let p = zip.readUInt32LE(eocd + 16);
  const count = zip.readUInt16LE(eocd + 10);
  for (let i = 0; i < count; i++) {
    const method = zip.readUInt16LE(p + 10);
    const compressed = zip.readUInt32LE(p + 20);
    const nameLen = zip.readUInt16LE(p + 28);
    const extraLen = zip.readUInt16LE(p + 30);
    const commentLen = zip.readUInt16LE(p + 32);
    const local = zip.readUInt32LE(p + 42);
    const entry = zip.toString('utf8', p + 46, p + 46 + nameLen);
    if (entry === name) {
      const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
      const data = zip.subarray(start, start + compressed);
      return (method === 8 ? inflateRawSync(data) : data).toString('utf8');
    }
    p += 46 + nameLen + extraLen + commentLen;
  }
  return undefined;
}

describe('fakePeople', () => {
  const people = fakePeople(300, 7);

  it('gives valid 18-digit ID numbers with real prefixes, birth dates and check digits (incl. X)', () => {
    for (const p of people) {
      expect(validIdCard(p.idCard), p.idCard).toBe(true);
      expect(ADMIN_CODES as readonly string[]).toContain(p.idCard.slice(0, 6));
      expect(p.idCard.slice(6, 14)).toBe(p.birthDate.replace(/-/g, ''));
      // 顺序码 parity encodes the gender.
      expect(Number(p.idCard[16]) % 2 === 1 ? '男' : '女').toBe(p.gender);
    }
    expect(people.some((p) => p.idCard.endsWith('X'))).toBe(true);
  });

  it('gives 11-digit mobiles with real prefixes and addresses down to the house number', () => {
    for (const p of people) {
      expect(p.mobile).toMatch(/^1\d{10}$/);
      expect(MOBILE_PREFIXES as readonly string[]).toContain(p.mobile.slice(0, 3));
      expect(p.address).toMatch(/^示范区.+(村\d+组\d+号|社区.+小区\d+幢\d+单元\d+室)$/);
      expect(p.address.startsWith(p.addressArea)).toBe(true);
      expect(p.addressArea).toMatch(/(村|社区)$/);
    }
    expect(new Set(people.map((p) => p.idCard)).size).toBe(people.length);
    expect(new Set(people.map((p) => p.mobile)).size).toBe(people.length);
  });

  it('is deterministic for a seed and differs between seeds', () => {
    expect(fakePeople(8, 101)).toEqual(fakePeople(8, 101));
    expect(fakePeople(8, 101)).not.toEqual(fakePeople(8, 102));
    expect(fakePeople(3, 5)).toEqual(fakePeople(8, 5).slice(0, 3));
  });

  it('can keep people in one town or village', () => {
    const local = fakePeople(20, 3, { town: '西山镇', village: '后洋村' });
    expect(local.every((p) => p.addressArea === '示范区西山镇后洋村')).toBe(true);
    expect(() => fakePeople(1, 3, { town: '不存在镇' })).toThrow(/未知的乡镇街道/);
  });
});

describe('attachments of the demo sites', () => {
  it('builds the 民政局 unmasked roster as XLSX whose cells hold the raw IDs and mobiles', async () => {
    const dir = join(SITES, 'mzj');
    const specs = await describeAttachments(dir, { today });
    const spec = specs.find((s) => s.path === '/attach/dbdx_mingdan.xlsx')!;
    expect(spec.people).toHaveLength(8);
    expect(spec.masked).toBe(false);
    expect(spec.title).toBe('示范区2026年城乡最低生活保障审批对象名单');

    const files = await buildAttachments(dir, { today });
    const file = files.get('/attach/dbdx_mingdan.xlsx')!;
    expect(file.contentType).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(file.body as unknown as ArrayBuffer);
    const cells: string[] = [];
    wb.eachSheet((ws) => ws.eachRow((row) => row.eachCell((c) => cells.push(String(c.value)))));
    for (const p of spec.people) {
      expect(cells).toContain(p.idCard);
      expect(cells).toContain(p.mobile);
      expect(cells).toContain(p.address);
    }
    expect(cells).toContain('制表日期：2026年11月14日');
  });

  it('builds masked rosters that show no raw ID or mobile', async () => {
    const specs = await describeAttachments(join(SITES, 'mzj'), { today });
    const spec = specs.find((s) => s.path === '/attach/tkry_mingdan.pdf')!;
    expect(spec.masked).toBe(true);
    const shown = spec.displayRows.flat().map(String).join('\n');
    for (const p of spec.people) {
      expect(shown).not.toContain(p.idCard);
      expect(shown).not.toContain(p.mobile);
      expect(shown).not.toContain(p.addressDetail);
      expect(shown).toContain(`${p.idCard.slice(0, 6)}********${p.idCard.slice(-4)}`);
      expect(shown).toContain(`${p.mobile.slice(0, 3)}****${p.mobile.slice(-4)}`);
      expect(shown).toContain(`${p.addressArea}***`);
    }
  });

  it('builds DOCX whose word/document.xml holds the text and the unmasked table', async () => {
    const dir = join(SITES, 'zrzyj');
    const [spec] = await describeAttachments(dir, { today });
    const files = await buildAttachments(dir, { today });
    const docx = files.get('/attach/zd_gonggao.docx')!;
    expect(docx.body.subarray(0, 2).toString()).toBe('PK');
    const xml = readZipEntry(docx.body, 'word/document.xml')!;
    expect(xml).toContain('示范区人民政府征收土地预公告');
    expect(xml).toContain('联系人：王科长 0595-22581234');
    expect(spec!.people).toHaveLength(3);
    for (const p of spec!.people) {
      expect(xml).toContain(p.idCard);
      expect(xml).toContain(p.mobile);
      expect(p.addressArea).toBe('示范区西山镇后洋村');
    }
  });

  it('builds PDFs that the attachment extractor reads as written (radicals folded)', async () => {
    const dir = join(SITES, 'jdb');
    const [spec] = await describeAttachments(dir, { today });
    const files = await buildAttachments(dir, { today });
    const pdf = files.get('/attach/dibao_gongshi.pdf')!;
    expect(pdf.contentType).toBe('application/pdf');
    expect(pdf.body.subarray(0, 5).toString()).toBe('%PDF-');

    const { segments } = await extractAttachmentText(pdf.body, { url: 'http://x/dibao_gongshi.pdf' });
    const text = segments.map((seg) => seg.text).join('\n');
    expect(text).toContain('东湖街道最低生活保障对象公示名单');
    expect(text).not.toMatch(/[\u2e80-\u2fdf]/);
    for (const p of spec!.people) {
      expect(text).toContain(p.name);
      expect(text).not.toContain(p.idCard);
      expect(text).not.toContain(p.mobile);
    }
  });

  it('folds radicals in text from other PDFs', () => {
    expect(foldCjkRadicals('⽰范区⺠政局 ⾝份证号 ⼾主')).toBe('示范区民政局 身份证号 户主');
  });

  it('renders arbitrary HTML to PDF', async () => {
    const pdf = await htmlToPdf('<html><body><p>测试</p></body></html>');
    expect(pdf.subarray(0, 4).toString()).toBe('%PDF');
  });

  it('returns nothing for a site without _attachments.yaml', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'xuncha-att-'));
    expect((await buildAttachments(dir, { today })).size).toBe(0);
  });

  it('rejects a bad _attachments.yaml naming the file and the field', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'xuncha-att-'));
    writeFileSync(
      join(dir, '_attachments.yaml'),
      '- path: /attach/a.xlsx\n  format: xlsx\n  title: 名单\n  columns: [序号, 籍贯]\n  people: { count: 2, seed: 1, masked: false }\n',
    );
    await expect(describeAttachments(dir, { today })).rejects.toThrow(
      /_attachments\.yaml:4 字段 \[0\]\.columns\[1\]：.*籍贯/,
    );
    writeFileSync(join(dir, '_attachments.yaml'), '- path: /attach/a.pdf\n  format: docx\n  title: 名单\n');
    await expect(describeAttachments(dir, { today })).rejects.toThrow(/字段 \[0\]\.format：.*扩展名不一致/);
  });

  it('builds every attachment of every demo site', async () => {
    for (const site of ['qzf', 'mzj', 'czj', 'zrzyj', 'jdb']) {
      const specs = await describeAttachments(join(SITES, site), { today });
      const files = await buildAttachments(join(SITES, site), { today });
      expect([...files.keys()].sort()).toEqual(specs.map((s) => s.path).sort());
      for (const f of files.values()) expect(f.body.length).toBeGreaterThan(1000);
    }
  });
});
