import { imageInfo } from './image.js';
import { stripBom } from './text.js';
import type { AttachmentFormat } from './types.js';

// Format detection by magic bytes: what a file is, whatever its name or Content-Type claims.

export interface FormatGuess {
  format: AttachmentFormat;
  /** Shown in the unsupported-format warning. */
  label: string;
}

export const LEGACY_LABELS: Readonly<Record<string, string>> = {
  doc: 'DOC',
  xls: 'XLS',
  wps: 'WPS',
  et: 'ET',
  dps: 'DPS',
  ppt: 'PPT',
  pptx: 'PPTX',
  ofd: 'OFD',
  zip: 'ZIP',
  rar: 'RAR',
  '7z': '7Z',
};

/** Entry names from a ZIP's central directory; empty when the directory can't be read. */
function zipEntryNames(buf: Buffer): string[] {
  const eocd = buf.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (eocd < 0 || eocd + 22 > buf.length) return [];
  const count = buf.readUInt16LE(eocd + 10);
  let p = buf.readUInt32LE(eocd + 16);
  const names: string[] = [];
  for (let n = 0; n < count && p + 46 <= buf.length && buf.readUInt32LE(p) === 0x02014b50; n++) {
    const nameLen = buf.readUInt16LE(p + 28);
    names.push(buf.toString('utf8', p + 46, p + 46 + nameLen));
    p += 46 + nameLen + buf.readUInt16LE(p + 30) + buf.readUInt16LE(p + 32);
  }
  return names;
}

function guessZip(buf: Buffer, ext: string): FormatGuess {
  const names = zipEntryNames(buf);
  // A truncated archive has no central directory; local headers still carry the names in clear.
  const has = (prefix: string, file: string): boolean =>
    names.length > 0 ? names.some((n) => n.startsWith(prefix)) : buf.includes(file);
  if (has('word/', 'word/document.xml')) return { format: 'docx', label: 'DOCX' };
  if (has('xl/', 'xl/workbook.xml')) return { format: 'xlsx', label: 'XLSX' };
  if (has('ppt/', 'ppt/presentation.xml')) return { format: 'pptx', label: 'PPTX' };
  // GB/T 33190 names the package's entry point OFD.xml, at the root.
  if (has('OFD.xml', 'OFD.xml')) return { format: 'ofd', label: 'OFD' };
  // OpenDocument and other packaged formats name their type in a `mimetype` entry.
  if (names.includes('mimetype'))
    return { format: 'unknown', label: LEGACY_LABELS[ext] ?? (ext ? ext.toUpperCase() : '未知') };
  // An archive whose directory can't be read is no archive we can open.
  if (names.length > 0) return { format: 'zip', label: 'ZIP' };
  // A damaged package of a format we read: its parser's zip guard names the damage.
  if (ext === 'ofd' || ext === 'pptx') return { format: ext, label: ext.toUpperCase() };
  return { format: 'unknown', label: LEGACY_LABELS[ext] ?? 'ZIP' };
}

const OLE_MAGIC = Buffer.from('d0cf11e0a1b11ae1', 'hex');

/**
 * Whether an OLE compound file has a storage entry of this name. Directory entries are 128-byte
 * records (name in UTF-16LE, then its byte length incl. the terminator at offset 64), aligned to
 * 128 bytes from the start of the file; body text at such an offset with a matching length field is
 * not a realistic false positive.
 */
function oleHasEntry(buf: Buffer, name: string): boolean {
  const needle = Buffer.from(`${name}\0`, 'utf16le');
  for (let at = buf.indexOf(needle, 512); at >= 0; at = buf.indexOf(needle, at + 1)) {
    if (at % 128 === 0 && at + 66 <= buf.length && buf.readUInt16LE(at + 64) === needle.length) return true;
  }
  return false;
}

function guessOle(buf: Buffer, ext: string): FormatGuess {
  if (oleHasEntry(buf, 'WordDocument')) return { format: 'doc', label: ext === 'wps' ? 'WPS' : 'DOC' };
  if (oleHasEntry(buf, 'Workbook') || oleHasEntry(buf, 'Book'))
    return { format: 'xls', label: ext === 'et' ? 'ET' : 'XLS' };
  if (oleHasEntry(buf, 'EncryptedPackage')) return { format: 'unknown', label: '加密的 Office 文档' };
  if (oleHasEntry(buf, 'PowerPoint Document'))
    return { format: 'unknown', label: LEGACY_LABELS[ext] ?? 'PPT' };
  return { format: 'unknown', label: LEGACY_LABELS[ext] ?? 'OLE 复合文档（DOC/XLS/WPS）' };
}

function guessImage(buf: Buffer): FormatGuess | undefined {
  const info = imageInfo(buf);
  if (info && info.width > 0 && info.height > 0) return { format: 'image', label: `图片（${info.type}）` };
  // Recognisable as an image but its header is unreadable: nothing to OCR.
  if (buf.subarray(0, 3).equals(Buffer.from([0xff, 0xd8, 0xff])))
    return { format: 'unknown', label: '图片（JPG）' };
  if (buf.subarray(0, 4).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47])))
    return { format: 'unknown', label: '图片（PNG）' };
  return undefined;
}

export function guessByMagic(buf: Buffer, ext: string): FormatGuess | undefined {
  const head = buf.subarray(0, 1024);
  if (head.includes('%PDF')) return { format: 'pdf', label: 'PDF' };
  if (buf.subarray(0, 2).toString('latin1') === 'PK') return guessZip(buf, ext);
  if (buf.subarray(0, 8).equals(OLE_MAGIC)) return guessOle(buf, ext);
  if (buf.subarray(0, 4).toString('latin1') === 'Rar!') return { format: 'unknown', label: 'RAR' };
  if (buf.subarray(0, 6).equals(Buffer.from('377abcaf271c', 'hex')))
    return { format: 'unknown', label: '7Z' };
  const image = guessImage(buf);
  if (image) return image;
  if (/^\s*<(?:!doctype html|html|head|body)/i.test(stripBom(head.toString('latin1')))) {
    return { format: 'html', label: 'HTML' };
  }
  return undefined;
}
