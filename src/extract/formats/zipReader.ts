import { inflateRawSync } from 'node:zlib';

// ZIP reading without a dependency: the central directory, then node:zlib with an output cap.

export interface ZipEntry {
  name: string;
  flags: number;
  method: number;
  compressedSize: number;
  size: number;
  localOffset: number;
}

// One file inside an archive (or one part of a DOCX) may expand to at most this much.
export const MAX_ENTRY_BYTES = 64 * 1024 * 1024;
export const MAX_XML_PART_BYTES = 16 * 1024 * 1024;

function decodeZipName(raw: Buffer, flags: number): string {
  if (flags & 0x800) return raw.toString('utf8');
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(raw);
  } catch {
    // Archives made on Chinese Windows store names in GBK without the UTF-8 flag.
    return new TextDecoder('gb18030').decode(raw);
  }
}

/** Central directory entries; call only after zipBombReason() found the archive sane. */
export function readZipDirectory(buf: Buffer): ZipEntry[] {
  const eocd = buf.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (eocd < 0 || eocd + 22 > buf.length) return [];
  const count = buf.readUInt16LE(eocd + 10);
  let p = buf.readUInt32LE(eocd + 16);
  const entries: ZipEntry[] = [];
  for (let n = 0; n < count && p + 46 <= buf.length && buf.readUInt32LE(p) === 0x02014b50; n++) {
    const nameLen = buf.readUInt16LE(p + 28);
    const flags = buf.readUInt16LE(p + 8);
    entries.push({
      name: decodeZipName(buf.subarray(p + 46, p + 46 + nameLen), flags),
      flags,
      method: buf.readUInt16LE(p + 10),
      compressedSize: buf.readUInt32LE(p + 20),
      size: buf.readUInt32LE(p + 24),
      localOffset: buf.readUInt32LE(p + 42),
    });
    p += 46 + nameLen + buf.readUInt16LE(p + 30) + buf.readUInt16LE(p + 32);
  }
  return entries;
}

/** One entry's bytes; throws (a Chinese message) when it is encrypted, odd or too large. */
export function readZipEntry(buf: Buffer, e: ZipEntry, maxBytes: number): Buffer {
  if (e.flags & 0x1) throw new Error('文件已加密');
  if (e.size > maxBytes) throw new Error(`解压后超过 ${Math.round(maxBytes / 1048576)} MB`);
  const p = e.localOffset;
  if (p + 30 > buf.length || buf.readUInt32LE(p) !== 0x04034b50) throw new Error('压缩包内文件头损坏');
  const start = p + 30 + buf.readUInt16LE(p + 26) + buf.readUInt16LE(p + 28);
  const data = buf.subarray(start, start + e.compressedSize);
  if (data.length < e.compressedSize) throw new Error('压缩包被截断');
  if (e.method === 0) return Buffer.from(data);
  if (e.method !== 8) throw new Error(`不支持的压缩方式（${e.method}）`);
  try {
    // The cap holds even when the directory lies about the size.
    return inflateRawSync(data, { maxOutputLength: Math.max(1, Math.min(maxBytes, e.size)) });
  } catch {
    throw new Error('解压失败');
  }
}
