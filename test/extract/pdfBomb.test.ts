import { deflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { extractAttachmentText, needsReview } from '../../src/extract/attachmentText.js';
import { countInflated, pdfStreams, type InflateCaps } from '../../src/extract/formats/pdfGuard.js';
import { bombPdf, pagesPdf, pdfFrom, plainPage, streamObject, zerosThenDeflate } from './pdfBombFiles.js';

const MB = 1024 * 1024;
const DEFAULT_CAPS: InflateCaps = { maxStream: 128 * MB, maxTotal: 256 * MB, deadline: Infinity };
const caps = (maxStream: number, maxTotal: number): InflateCaps => ({
  maxStream,
  maxTotal,
  deadline: Infinity,
});
const flatePage = (zeros: number, lines: string[] = []) => ({
  data: zerosThenDeflate(
    zeros,
    Buffer.from(`\nBT /F1 12 Tf 20 780 Td (${lines.join(' ')}) Tj ET\n`, 'latin1'),
  ),
  filter: '/Filter /FlateDecode',
});
// Caps no bomb here reaches: what the parser child does on its own.
const NO_GUARD = { maxInflatedBytes: 1e12, maxStreamInflatedBytes: 1e12 };

/** A deterministic byte generator (xorshift), so a failing garbage case can be replayed. */
function noise(seed: number, length: number): Buffer {
  let x = seed || 1;
  const out = Buffer.alloc(length);
  for (let i = 0; i < length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

describe('PDF pre-scan (pdfGuard)', () => {
  it('finds each stream with its filters, also in arrays, abbreviated or #-escaped', () => {
    const data = Buffer.from('x');
    const pdf = pdfFrom([
      ['<< /Type /Catalog >>'],
      streamObject('/Filter /FlateDecode', data),
      streamObject('/Filter [/ASCII85Decode /Fl]', data),
      streamObject('/Filter /Flate#44ecode /DecodeParms << /Predictor 12 >>', data),
      streamObject('/Filter 9 0 R', data),
      streamObject('/Subtype /Image /Width 1 /Height 1 /Filter /DCTDecode', data),
      streamObject('', data),
    ]);
    const found = [...pdfStreams(pdf)].map((s) => [
      s.filters,
      s.image,
      pdf.toString('latin1', s.start, s.end),
    ]);
    expect(found).toEqual([
      [['FlateDecode'], false, 'x'],
      [['ASCII85Decode', 'FlateDecode'], false, 'x'],
      [['FlateDecode'], false, 'x'],
      [undefined, false, 'x'],
      [['DCTDecode'], true, 'x'],
      [[], false, 'x'],
    ]);
  });

  it('stops counting a 600 MB content stream at the per-stream cap, without inflating it all', async () => {
    const t0 = Date.now();
    const count = await countInflated(bombPdf(600 * MB), DEFAULT_CAPS);
    expect(count.over).toBe('stream');
    expect(count.total).toBeGreaterThan(128 * MB);
    expect(count.total).toBeLessThan(129 * MB);
    expect(Date.now() - t0).toBeLessThan(5000);
  });

  it('applies the per-stream cap to one stream and the per-file cap to the sum', async () => {
    const three = pagesPdf([flatePage(0.6 * MB), flatePage(0.6 * MB), flatePage(0.6 * MB)]);
    expect(await countInflated(three, caps(1 * MB, 10 * MB))).toMatchObject({ streams: 3 });
    expect((await countInflated(three, caps(1 * MB, 10 * MB))).over).toBeUndefined();
    expect(await countInflated(three, caps(1 * MB, 1.5 * MB))).toMatchObject({ over: 'file', streams: 3 });
    const one = pagesPdf([flatePage(2 * MB)]);
    expect(await countInflated(one, caps(1 * MB, 10 * MB))).toMatchObject({ over: 'stream', streams: 1 });
    expect((await countInflated(one, caps(3 * MB, 10 * MB))).over).toBeUndefined();
  });

  it('counts object streams, ASCII-encoded and doubly compressed streams, but not images', async () => {
    const bomb = zerosThenDeflate(300 * MB);
    const objStm = streamObject('/Type /ObjStm /N 1 /First 4 /Filter /FlateDecode', bomb);
    expect((await countInflated(pagesPdf([plainPage(['a'])], [objStm]), DEFAULT_CAPS)).over).toBe('stream');
    const hex = Buffer.from(`${bomb.toString('hex')}>`, 'latin1');
    const hexed = streamObject('/Filter [/ASCIIHexDecode /FlateDecode]', hex);
    expect((await countInflated(pdfFrom([['<< >>'], hexed]), DEFAULT_CAPS)).over).toBe('stream');
    const twice = streamObject('/Filter [/FlateDecode /FlateDecode]', deflateSync(bomb));
    expect((await countInflated(pdfFrom([['<< >>'], twice]), DEFAULT_CAPS)).over).toBe('stream');
    const image = streamObject(
      '/Type /XObject /Subtype /Image /Width 20000 /Height 15000 /Filter /FlateDecode',
      bomb,
    );
    expect(await countInflated(pdfFrom([['<< >>'], image]), DEFAULT_CAPS)).toEqual({ total: 0, streams: 0 });
  });

  it('never throws on garbage, truncated or mangled files, and stays within the caps', async () => {
    const bomb = bombPdf(64 * MB, ['hello']);
    const small = caps(8 * MB, 16 * MB);
    const cases: Buffer[] = [
      Buffer.alloc(0),
      Buffer.from('stream\nendstream'),
      Buffer.from('<< /Filter /FlateDecode >>stream\r\n'),
      Buffer.from('>> stream\n\x78\x9c\xff\xff\xff'),
      Buffer.from('%PDF-1.7\n1 0 obj << /Filter [/FlateDecode /Length 5 >>\nstream\nabcde\nendstream'),
      bomb.subarray(0, bomb.length / 2),
    ];
    for (let seed = 1; seed <= 40; seed++) {
      cases.push(noise(seed, 4096 * seed));
      const mangled = Buffer.from(bomb);
      const hits = noise(seed * 7919, 64);
      for (let i = 0; i + 1 < hits.length; i += 2) {
        const at = (hits.readUInt16LE(i) * seed) % mangled.length;
        mangled[at] = mangled[at]! ^ 0x5a;
      }
      cases.push(mangled);
    }
    // A bomb cut in half is still a bomb: its stream is counted up to where the bytes end.
    expect((await countInflated(bomb.subarray(0, bomb.length / 2), small)).over).toBe('stream');
    for (const pdf of cases) {
      const count = await countInflated(pdf, small);
      expect(count.total).toBeLessThanOrEqual(8 * MB + 64 * 1024);
      expect(count.total).toBeGreaterThanOrEqual(0);
    }
  });

  it('stops at the deadline', async () => {
    const count = await countInflated(bombPdf(600 * MB), { ...DEFAULT_CAPS, deadline: Date.now() - 1 });
    expect(count).toEqual({ total: 0, streams: 0 });
  });
});

describe('extractAttachmentText on PDF bombs', () => {
  it('returns promptly with a "not fully checked" warning for a 600 MB content stream', async () => {
    const pdf = bombPdf(600 * MB, ['ID 350504198305058086']);
    expect(pdf.length).toBeLessThan(1 * MB);
    const t0 = Date.now();
    const r = await extractAttachmentText(pdf, { url: 'http://x.gov.cn/bomb.pdf' });
    expect(Date.now() - t0).toBeLessThan(10_000);
    expect(r).toEqual({
      format: 'pdf',
      segments: [],
      warnings: ['PDF 中有数据流解压后超过上限（128 MB），未完整检查，需人工复核'],
    });
    expect(needsReview(r.warnings[0]!)).toBe(true);
  });

  it('reports the per-file cap when many ordinary-sized streams add up', async () => {
    const pdf = pagesPdf([flatePage(3 * MB), flatePage(3 * MB), flatePage(3 * MB)]);
    const r = await extractAttachmentText(pdf, { url: 'http://x/a.pdf' }, { maxInflatedBytes: 8 * MB });
    expect(r.warnings).toEqual(['PDF 解压后数据超过上限（8 MB），未完整检查，需人工复核']);
    expect(needsReview(r.warnings[0]!)).toBe(true);
  });

  it('still reads an ordinary PDF with compressed pages', async () => {
    const pdf = pagesPdf([flatePage(0, ['ID 350504198305058086']), plainPage(['second page'])]);
    const r = await extractAttachmentText(pdf, { url: 'http://x/a.pdf' });
    expect(r.warnings).toEqual([]);
    expect(r.segments.map((s) => [s.location, s.text.trim()])).toEqual([
      ['第1页', 'ID 350504198305058086'],
      ['第2页', 'second page'],
    ]);
  });

  it('kills the parser over its memory cap when a bomb gets past the pre-scan, and reads the other pages', async () => {
    const pdf = pagesPdf([
      plainPage(['first page']),
      flatePage(1024 * MB, ['hidden']),
      plainPage(['third page']),
    ]);
    const t0 = Date.now();
    const r = await extractAttachmentText(
      pdf,
      { url: 'http://x/a.pdf' },
      { ...NO_GUARD, parserMemoryMb: 300 },
    );
    expect(Date.now() - t0).toBeLessThan(25_000);
    expect(r.segments.map((s) => s.location)).toEqual(['第1页', '第3页']);
    expect(r.warnings).toEqual(['第2页解析占用内存超过上限（300 MB），需人工复核']);
    expect(needsReview(r.warnings[0]!)).toBe(true);
  });

  it('gives up a page over the per-page time budget and goes on with the next', async () => {
    const pdf = pagesPdf([flatePage(400 * MB, ['slow']), plainPage(['second page'])]);
    const t0 = Date.now();
    const r = await extractAttachmentText(
      pdf,
      { url: 'http://x/a.pdf' },
      { ...NO_GUARD, pageTimeoutMs: 1500 },
    );
    expect(Date.now() - t0).toBeLessThan(15_000);
    expect(r.segments.map((s) => [s.location, s.text.trim()])).toEqual([['第2页', 'second page']]);
    expect(r.warnings).toEqual(['第1页解析超时（每页上限 1.5 秒），需人工复核']);
    expect(needsReview(r.warnings[0]!)).toBe(true);
  });
});
