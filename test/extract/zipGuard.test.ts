import { describe, expect, it } from 'vitest';
import { deflateRawSync } from 'node:zlib';
import ExcelJS from 'exceljs';
import { zipBombReason } from '../../src/extract/zipGuard.js';
import { extractAttachmentText } from '../../src/extract/attachmentText.js';

/** A minimal ZIP (stored central directory) holding the given entries, deflated. */
function zip(entries: { name: string; data: Buffer }[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const packed = deflateRawSync(e.data);
    const name = Buffer.from(e.name);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(packed.length, 18);
    local.writeUInt32LE(e.data.length, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(packed.length, 20);
    central.writeUInt32LE(e.data.length, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, packed);
    centrals.push(central, name);
    offset += 30 + name.length + packed.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}

describe('zip bomb guard', () => {
  it('lets an ordinary XLSX through', async () => {
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('名单').addRow(['序号', '姓名']);
    expect(zipBombReason(Buffer.from(await wb.xlsx.writeBuffer()))).toBeUndefined();
  });

  it('refuses an entry that inflates a thousandfold, before any parser runs', async () => {
    const bomb = zip([
      { name: '[Content_Types].xml', data: Buffer.from('<Types/>') },
      { name: 'xl/worksheets/sheet1.xml', data: Buffer.alloc(50 * 1024 * 1024, 0x20) },
    ]);
    expect(bomb.length).toBeLessThan(200 * 1024);
    expect(zipBombReason(bomb)).toMatch(/压缩比异常/);
    const text = await extractAttachmentText(bomb, { url: 'http://x/a.xlsx' });
    expect(text.segments).toEqual([]);
    expect(text.warnings[0]).toMatch(/^附件未解析：压缩比异常/);
  });

  it('refuses archives with too many entries or a broken directory', () => {
    const many = zip(Array.from({ length: 5001 }, (_, i) => ({ name: `f${i}`, data: Buffer.from('x') })));
    expect(zipBombReason(many)).toMatch(/文件数过多/);
    expect(zipBombReason(Buffer.from('PK\x03\x04 not really a zip'))).toMatch(/损坏/);
  });
});
