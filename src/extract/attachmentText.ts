import { extractDocx } from './formats/docx.js';
import { extractHtml } from './formats/html.js';
import { extractImage } from './formats/image.js';
import { DeadlineError, errorText, startLimits, type ExtractLimits, type Limits } from './formats/limits.js';
import { guessByMagic, LEGACY_LABELS, type FormatGuess } from './formats/magicBytes.js';
import { extractOfd } from './formats/ofd.js';
import { extractPdf } from './formats/pdf.js';
import { extractPptx } from './formats/pptx.js';
import { extractWithSheetJs } from './formats/sheetjs.js';
import { extractPlain } from './formats/text.js';
import type { AttachmentFormat, AttachmentHint, AttachmentText, Parsed } from './formats/types.js';
import { extractDoc } from './formats/word97.js';
import { extractXlsx } from './formats/xlsx.js';
import { extractZip } from './formats/zip.js';
import { zipBombReason } from './zipGuard.js';
import { maskText } from '../pii/mask.js';

// Attachment text: detects the format, hands the bytes to that format's parser in ./formats/, and
// turns every failure into a masked warning.

export type { AttachmentFormat, AttachmentHint, AttachmentText, TextSegment } from './formats/types.js';
export type { ExtractLimits } from './formats/limits.js';
export { needsReview, SCANNED_WARNING } from './formats/limits.js';
export { detectOcrTools } from './formats/ocr.js';
export { closeParsers, parserSpawnCount } from './formats/childParser.js';
export { htmlSegments } from './formats/html.js';

const EXTENSION_FORMATS: Readonly<Record<string, AttachmentFormat>> = {
  pdf: 'pdf',
  docx: 'docx',
  xlsx: 'xlsx',
  pptx: 'pptx',
  ofd: 'ofd',
  html: 'html',
  htm: 'html',
  shtml: 'html',
  txt: 'text',
  csv: 'text',
};

/** File extensions `xuncha scan` reads from a directory (anything else is skipped there). */
export const SUPPORTED_EXTENSIONS: ReadonlySet<string> = new Set([
  'pdf',
  'docx',
  'doc',
  'wps',
  'xlsx',
  'xls',
  'et',
  'pptx',
  'ofd',
  'html',
  'htm',
  'shtml',
  'txt',
  'csv',
  'zip',
  'png',
  'jpg',
  'jpeg',
  'gif',
  'bmp',
  'tif',
  'tiff',
]);

function urlExtension(url: string): string {
  let path = url;
  try {
    path = new URL(url).pathname;
  } catch {
    // A relative or odd URL (or a path inside a ZIP): take the text as is.
  }
  return /\.([a-z0-9]{1,5})$/i.exec(path)?.[1]?.toLowerCase() ?? '';
}

function formatFromContentType(contentType: string): AttachmentFormat | undefined {
  const type = contentType.split(';')[0]?.trim().toLowerCase() ?? '';
  if (type === 'application/pdf') return 'pdf';
  if (type.includes('wordprocessingml.document')) return 'docx';
  if (type.includes('spreadsheetml.sheet')) return 'xlsx';
  if (type.includes('presentationml.presentation')) return 'pptx';
  if (type === 'application/ofd') return 'ofd';
  if (type === 'text/html' || type === 'application/xhtml+xml') return 'html';
  if (type === 'text/plain' || type === 'text/csv') return 'text';
  return undefined;
}

/** Magic bytes win over what the URL or server claims; the claim is only a fallback. */
export function detectAttachmentFormat(body: Buffer, hint: AttachmentHint): FormatGuess {
  const ext = urlExtension(hint.url);
  const byMagic = guessByMagic(body, ext);
  if (byMagic) return byMagic;
  const claimed = EXTENSION_FORMATS[ext] ?? formatFromContentType(hint.contentType ?? '');
  if (claimed) return { format: claimed, label: claimed.toUpperCase() };
  return { format: 'unknown', label: LEGACY_LABELS[ext] ?? (ext ? ext.toUpperCase() : '未知') };
}

async function parse(
  format: AttachmentFormat,
  body: Buffer,
  hint: AttachmentHint,
  limits: Limits,
  depth: number,
): Promise<Parsed> {
  switch (format) {
    case 'pdf':
      return extractPdf(body, limits);
    case 'docx':
      return extractDocx(body, limits);
    case 'xlsx':
      return extractXlsx(body, limits);
    case 'pptx':
      return extractPptx(body, limits);
    case 'ofd':
      return extractOfd(body, limits);
    case 'doc':
      return extractDoc(body, limits);
    case 'xls':
      return extractWithSheetJs(body, limits);
    case 'html':
      return extractHtml(body, hint.contentType ?? '');
    case 'text':
      return extractPlain(body, urlExtension(hint.url), hint.contentType ?? '');
    case 'zip':
      return extractZip(body, limits, depth, extractAny);
    case 'image':
      return extractImage(body, limits);
    case 'unknown':
      return { segments: [], warnings: [] };
  }
}

// Zip packages: the bomb guard reads their directory before any parser inflates an entry.
const ZIP_FORMATS: ReadonlySet<AttachmentFormat> = new Set(['docx', 'xlsx', 'pptx', 'ofd', 'zip']);

/** Never throws: every failure becomes a (masked) warning. */
async function extractAny(
  body: Buffer,
  hint: AttachmentHint,
  limits: Limits,
  depth: number,
): Promise<AttachmentText> {
  const { format, label } = detectAttachmentFormat(body, hint);
  if (body.length === 0) return { format, segments: [], warnings: ['附件为空文件，需人工复核'] };
  if (format === 'unknown') return { format, segments: [], warnings: [`暂不支持的附件格式：${label}`] };
  const bomb = ZIP_FORMATS.has(format) ? zipBombReason(body) : undefined;
  if (bomb) return { format, segments: [], warnings: [`附件未解析：${bomb}，需人工复核`] };
  try {
    const parsed = await parse(format, body, hint, limits, depth);
    return { format, segments: parsed.segments, warnings: parsed.warnings.map((w) => maskText(w)) };
  } catch (err) {
    const reason = err instanceof DeadlineError ? '解析超时' : errorText(err);
    return { format, segments: [], warnings: [`附件解析失败（${label}）：${reason}，需人工复核`] };
  }
}

/**
 * Turns an attachment's bytes into text segments with Chinese locations (第N页, 页眉, 工作表「名单」第3行,
 * 第N张幻灯片, 压缩包内 a.xlsx：…). Never throws for a bad file: unsupported formats, corrupt files and timeouts
 * become warnings, so a check can report "needs review" instead of silently passing.
 */
export async function extractAttachmentText(
  body: Buffer,
  hint: AttachmentHint,
  limits: ExtractLimits = {},
): Promise<AttachmentText> {
  return extractAny(body, hint, startLimits(limits), 0);
}
