/**
 * Decompression-bomb guard for ZIP-based attachments (DOCX, XLSX, PPTX, OFD, ZIP): read the central
 * directory (no inflating) and refuse archives that would expand beyond our limits before any
 * parser sees them.
 */
export interface ZipLimits {
  maxEntries: number;
  maxTotalBytes: number;
  /** Uncompressed / compressed size of one entry. */
  maxRatio: number;
}

export const DEFAULT_ZIP_LIMITS: ZipLimits = {
  maxEntries: 5000,
  maxTotalBytes: 300 * 1024 * 1024,
  maxRatio: 200,
};

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;

function findEndOfCentralDirectory(buf: Buffer): number {
  // The EOCD record sits in the last 22 bytes plus at most a 64 KB comment.
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 22 - 65535); i--)
    if (buf.readUInt32LE(i) === EOCD) return i;
  return -1;
}

/** A Chinese reason to refuse the archive, or undefined when it is safe to open. */
export function zipBombReason(buf: Buffer, limits: ZipLimits = DEFAULT_ZIP_LIMITS): string | undefined {
  const eocd = findEndOfCentralDirectory(buf);
  if (eocd < 0) return '压缩包结构损坏（找不到目录）';
  const entries = buf.readUInt16LE(eocd + 10);
  let offset = buf.readUInt32LE(eocd + 16);
  if (entries === 0xffff || offset === 0xffffffff) return '压缩包使用 ZIP64 超大格式，拒绝解压';
  if (entries > limits.maxEntries) return `压缩包文件数过多（${entries} 个）`;
  let total = 0;
  for (let i = 0; i < entries; i++) {
    if (offset + 46 > buf.length || buf.readUInt32LE(offset) !== CENTRAL) return '压缩包目录损坏';
    const compressed = buf.readUInt32LE(offset + 20);
    const size = buf.readUInt32LE(offset + 24);
    if (size === 0xffffffff) return '压缩包使用 ZIP64 超大格式，拒绝解压';
    total += size;
    if (total > limits.maxTotalBytes)
      return `解压后超过 ${Math.round(limits.maxTotalBytes / 1048576)} MB，疑似压缩炸弹`;
    if (size > 1024 * 1024 && size / Math.max(compressed, 1) > limits.maxRatio)
      return `压缩比异常（${Math.round(size / Math.max(compressed, 1))} 倍），疑似压缩炸弹`;
    offset +=
      46 + buf.readUInt16LE(offset + 28) + buf.readUInt16LE(offset + 30) + buf.readUInt16LE(offset + 32);
  }
  return undefined;
}
