import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SCANNED_WARNING, type Limits } from './limits.js';
import { MAX_OCR_PIXELS, ocrAvailable, ocrImageFile, withTempDir } from './ocr.js';
import type { Parsed } from './types.js';

interface ImageInfo {
  type: string;
  width: number;
  height: number;
}

function jpegSize(buf: Buffer): { width: number; height: number } | undefined {
  let p = 2;
  while (p + 9 < buf.length) {
    if (buf[p] !== 0xff) return undefined;
    const marker = buf[p + 1] ?? 0;
    if (marker === 0xff) {
      p += 1;
      continue;
    }
    const len = buf.readUInt16BE(p + 2);
    // SOF0..SOF15 except DHT (C4), JPG (C8) and DAC (CC) carry the frame size.
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc)
      return { height: buf.readUInt16BE(p + 5), width: buf.readUInt16BE(p + 7) };
    p += 2 + len;
  }
  return undefined;
}

function tiffSize(buf: Buffer): { width: number; height: number } | undefined {
  const le = buf[0] === 0x49;
  const u16 = (o: number) => (le ? buf.readUInt16LE(o) : buf.readUInt16BE(o));
  const u32 = (o: number) => (le ? buf.readUInt32LE(o) : buf.readUInt32BE(o));
  if (buf.length < 8) return undefined;
  const ifd = u32(4);
  if (ifd + 2 > buf.length) return undefined;
  let width = 0;
  let height = 0;
  const count = u16(ifd);
  for (let i = 0; i < count && ifd + 2 + i * 12 + 12 <= buf.length; i++) {
    const e = ifd + 2 + i * 12;
    const tag = u16(e);
    const value = u16(e + 2) === 3 ? u16(e + 8) : u32(e + 8);
    if (tag === 256) width = value;
    if (tag === 257) height = value;
  }
  return width && height ? { width, height } : undefined;
}

/** Image type and pixel size from the header; undefined when the header can't be read. */
export function imageInfo(buf: Buffer): ImageInfo | undefined {
  const at = (hex: string) => buf.subarray(0, hex.length / 2).equals(Buffer.from(hex, 'hex'));
  try {
    if (at('89504e470d0a1a0a') && buf.length >= 24)
      return { type: 'PNG', width: buf.readUInt32BE(16), height: buf.readUInt32BE(20) };
    if (at('ffd8ff')) {
      const size = jpegSize(buf);
      return size && { type: 'JPG', ...size };
    }
    if (/^GIF8[79]a/.test(buf.subarray(0, 6).toString('latin1')) && buf.length >= 10)
      return { type: 'GIF', width: buf.readUInt16LE(6), height: buf.readUInt16LE(8) };
    if (at('424d') && buf.length >= 26 && buf.readUInt32LE(2) === buf.length)
      return { type: 'BMP', width: buf.readInt32LE(18), height: Math.abs(buf.readInt32LE(22)) };
    if (at('49492a00') || at('4d4d002a')) {
      const size = tiffSize(buf);
      return size && { type: 'TIFF', ...size };
    }
  } catch {
    return undefined;
  }
  return undefined;
}

/** An image is only read by OCR: without tesseract, over the pixel cap or the page cap it needs review. */
export async function extractImage(body: Buffer, limits: Limits): Promise<Parsed> {
  const info = imageInfo(body);
  if (!(await ocrAvailable(limits))) return { segments: [], warnings: [SCANNED_WARNING] };
  if (info && info.width * info.height > MAX_OCR_PIXELS)
    return { segments: [], warnings: [`图片尺寸过大（${info.width}×${info.height}），未识别，需人工复核`] };
  if (limits.ocrLeft.pages <= 0)
    return {
      segments: [],
      warnings: [`文字识别已达上限（${limits.maxOcrPages} 页），本图片未识别，需人工复核`],
    };
  limits.ocrLeft.pages -= 1;
  const outcome = await withTempDir(async (dir) => {
    const file = join(dir, `image.${(info?.type ?? 'img').toLowerCase()}`);
    await writeFile(file, body);
    return ocrImageFile(file, limits);
  });
  if ('error' in outcome)
    return { segments: [], warnings: [`图片文字识别失败（${outcome.error}），需人工复核`] };
  if (outcome.text === '') return { segments: [], warnings: ['图片中未识别出文字，需人工复核'] };
  return {
    segments: [{ location: '图片（OCR 识别）', text: outcome.text }],
    warnings: ['图片已用文字识别（OCR）检查（识别结果可能有误）'],
  };
}
