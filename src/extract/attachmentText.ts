import { execFile, spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inflateRawSync } from 'node:zlib';
import * as cheerio from 'cheerio';
import type { AnyNode, Element } from 'domhandler';
import ExcelJS from 'exceljs';
import mammoth from 'mammoth';
import { getDocumentProxy, getResolvedPDFJS } from 'unpdf';
import { foldCjkRadicals } from './cjkRadicals.js';
import { visibleText } from './visibleText.js';
import { zipBombReason } from './zipGuard.js';
import { decodeHtml } from '../crawl/decodeHtml.js';
import { maskText } from '../pii/mask.js';

export type AttachmentFormat =
  'pdf' | 'docx' | 'xlsx' | 'doc' | 'xls' | 'html' | 'text' | 'zip' | 'image' | 'unknown';

export interface TextSegment {
  /** Chinese, e.g. 第3页, 正文, 页眉, 工作表「名单」第3行, 压缩包内 a.xlsx：工作表「名单」第3行. */
  location: string;
  text: string;
  /** Text that labels this segment (a table's header row); PII detection counts its context words. */
  context?: string;
}

export interface AttachmentText {
  format: AttachmentFormat;
  segments: TextSegment[];
  /**
   * Chinese; never raw personal data (all pass through maskText). Most mean "not fully checked, a
   * person must look"; a few only say what was read besides the obvious — see needsReview().
   */
  warnings: string[];
}

export interface AttachmentHint {
  url: string;
  contentType?: string;
}

export interface ExtractLimits {
  /** PDF pages read at most (default 200). */
  maxPages?: number;
  /** Whole-extraction time budget in ms (default 60 000). */
  timeoutMs?: number;
  /** Spreadsheet rows read at most, over all sheets (default 100 000). */
  maxRows?: number;
  /** Scanned pages and images passed to OCR at most, over the whole file (default 20). */
  maxOcrPages?: number;
  /** Files read from one ZIP archive at most (default 200). */
  maxZipEntries?: number;
  /** false: never run OCR, even when tesseract is installed (default true). */
  ocr?: boolean;
}

/** Exact text of the warning for a scan (PDF without text layer, image) that was not OCR'd; checks may match on it. */
export const SCANNED_WARNING = '扫描件，需人工复核';

/** Endings of warnings that only say what was read; every other warning means a person must look. */
const INFORMATIONAL_ENDINGS = ['已一并检查', '（识别结果可能有误）', '压缩包内没有文件'];

/**
 * true when a warning means the file was not (fully) checked — scanned, unsupported, corrupt,
 * truncated, timed out; false for notes such as "hidden sheet, read as well" or "OCR was used".
 */
export function needsReview(warning: string): boolean {
  return !INFORMATIONAL_ENDINGS.some((end) => warning.endsWith(end));
}

const DEFAULTS = {
  maxPages: 200,
  timeoutMs: 60_000,
  maxRows: 100_000,
  maxOcrPages: 20,
  maxZipEntries: 200,
  ocr: true,
} as const;

type Limits = Required<ExtractLimits> & {
  deadline: number;
  /** Shared by every part of one extraction (ZIP entries included). */
  ocrLeft: { pages: number };
};

interface Parsed {
  segments: TextSegment[];
  warnings: string[];
}

// ---------------------------------------------------------------------------------------------
// Format detection

interface FormatGuess {
  format: AttachmentFormat;
  /** Shown in the unsupported-format warning. */
  label: string;
}

const LEGACY_LABELS: Readonly<Record<string, string>> = {
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

const EXTENSION_FORMATS: Readonly<Record<string, AttachmentFormat>> = {
  pdf: 'pdf',
  docx: 'docx',
  xlsx: 'xlsx',
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
  if (type === 'text/html' || type === 'application/xhtml+xml') return 'html';
  if (type === 'text/plain' || type === 'text/csv') return 'text';
  return undefined;
}

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
  if (names.includes('OFD.xml')) return { format: 'unknown', label: 'OFD' };
  if (names.some((n) => n.startsWith('ppt/'))) return { format: 'unknown', label: 'PPTX' };
  // OpenDocument and other packaged formats name their type in a `mimetype` entry.
  if (names.includes('mimetype'))
    return { format: 'unknown', label: LEGACY_LABELS[ext] ?? (ext ? ext.toUpperCase() : '未知') };
  // An archive whose directory can't be read is no archive we can open.
  if (names.length > 0) return { format: 'zip', label: 'ZIP' };
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
function imageInfo(buf: Buffer): ImageInfo | undefined {
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

function guessByMagic(buf: Buffer, ext: string): FormatGuess | undefined {
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

/** Magic bytes win over what the URL or server claims; the claim is only a fallback. */
export function detectAttachmentFormat(body: Buffer, hint: AttachmentHint): FormatGuess {
  const ext = urlExtension(hint.url);
  const byMagic = guessByMagic(body, ext);
  if (byMagic) return byMagic;
  const claimed = EXTENSION_FORMATS[ext] ?? formatFromContentType(hint.contentType ?? '');
  if (claimed) return { format: claimed, label: claimed.toUpperCase() };
  return { format: 'unknown', label: LEGACY_LABELS[ext] ?? (ext ? ext.toUpperCase() : '未知') };
}

// ---------------------------------------------------------------------------------------------
// Shared helpers

function stripBom(text: string): string {
  return text.replace(/^(?:\uFEFF|\u00EF\u00BB\u00BF)/, '');
}

class DeadlineError extends Error {}

/** Rejects once the overall deadline passes, so one huge or hostile file can't stall a run. */
async function withDeadline<T>(work: Promise<T>, deadline: number): Promise<T> {
  if (Date.now() >= deadline) {
    work.catch(() => undefined); // the abandoned work may still fail later; that must not crash the run
    throw new DeadlineError('timeout');
  }
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new DeadlineError('timeout')), Math.max(0, deadline - Date.now()));
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Text files and HTML: UTF-16 by BOM, otherwise as the crawler decodes pages (UTF-8 BOM, declared
 * charset, strict UTF-8, GB18030 — government sites serve GBK as often as UTF-8).
 */
function decodeText(buf: Buffer, contentType?: string): string {
  if (buf[0] === 0xff && buf[1] === 0xfe) return new TextDecoder('utf-16le').decode(buf);
  if (buf[0] === 0xfe && buf[1] === 0xff) return new TextDecoder('utf-16be').decode(buf);
  return decodeHtml(buf, contentType).text;
}

/** Library messages are English and end in a period; trimmed so the Chinese sentence reads cleanly. */
const errorText = (err: unknown): string =>
  maskText(err instanceof Error ? err.message : String(err))
    .replace(/[.。\s]+$/, '')
    .slice(0, 200);

/** OCR output of Chinese puts spaces between characters; a reader (and the detectors) would not. */
function tidyOcrText(text: string): string {
  return text
    .replace(/(?<=[\u3000-\u9fff\uff00-\uffef])[ \t]+(?=[\u3000-\u9fff\uff00-\uffef])/g, '')
    .replace(/\f/g, '\n')
    .trim();
}

// ---------------------------------------------------------------------------------------------
// OCR (Debian's tesseract and poppler-utils, when installed)

interface OcrTools {
  tesseract: boolean;
  /** tesseract -l value, e.g. chi_sim+eng; empty when Chinese is not installed. */
  languages: string;
  pdftoppm: boolean;
}

const OCR_ENV = { ...process.env, OMP_THREAD_LIMIT: '1' };
let ocrTools: Promise<OcrTools> | undefined;

function run(
  cmd: string,
  args: string[],
  timeoutMs: number,
): Promise<{ ok: boolean; stdout: string; missing: boolean; timedOut: boolean }> {
  return new Promise((resolve) => {
    execFile(
      cmd,
      args,
      { timeout: Math.max(1, timeoutMs), maxBuffer: 16 * 1024 * 1024, env: OCR_ENV, encoding: 'utf8' },
      (err, stdout) => {
        const e = err as (NodeJS.ErrnoException & { killed?: boolean }) | null;
        resolve({
          ok: !e,
          stdout: stdout ?? '',
          missing: e?.code === 'ENOENT',
          timedOut: Boolean(e?.killed),
        });
      },
    );
  });
}

/** Whether tesseract (with chi_sim) and pdftoppm are installed; asked once per process. */
export function detectOcrTools(): Promise<OcrTools> {
  ocrTools ??= (async () => {
    const langs = await run('tesseract', ['--list-langs'], 10_000);
    const list = new Set(langs.stdout.split(/\s+/));
    const languages = list.has('chi_sim') ? (list.has('eng') ? 'chi_sim+eng' : 'chi_sim') : '';
    const pdftoppm = await run('pdftoppm', ['-v'], 10_000);
    return { tesseract: langs.ok && !langs.missing, languages, pdftoppm: !pdftoppm.missing };
  })();
  return ocrTools;
}

async function ocrAvailable(limits: Limits): Promise<boolean> {
  if (!limits.ocr) return false;
  const tools = await detectOcrTools();
  return tools.tesseract && tools.languages !== '';
}

// Leptonica decodes the whole bitmap: refuse pixel bombs before tesseract sees them.
const MAX_OCR_PIXELS = 60_000_000;
// One image or page may take at most this long, whatever is left of the overall budget.
const MAX_OCR_MS_PER_PAGE = 60_000;
const PDF_RASTER_DPI = 200;

type OcrOutcome = { text: string } | { error: string };

async function ocrImageFile(file: string, limits: Limits): Promise<OcrOutcome> {
  const tools = await detectOcrTools();
  const budget = Math.min(MAX_OCR_MS_PER_PAGE, limits.deadline - Date.now());
  if (budget <= 0) return { error: '超时' };
  const r = await run('tesseract', [file, '-', '-l', tools.languages], budget);
  if (r.timedOut) return { error: '超时' };
  if (!r.ok) return { error: '识别程序出错' };
  return { text: tidyOcrText(r.stdout) };
}

async function withTempDir<T>(work: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'xuncha-ocr-'));
  try {
    return await work(dir);
  } finally {
    await rm(dir, { recursive: true, force: true }).catch(() => undefined);
  }
}

// ---------------------------------------------------------------------------------------------
// Images

async function extractImage(body: Buffer, limits: Limits): Promise<Parsed> {
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

// ---------------------------------------------------------------------------------------------
// PDF

type PdfDocument = Awaited<ReturnType<typeof getDocumentProxy>>;

interface PdfTextItem {
  str?: string;
  hasEOL?: boolean;
}

interface PdfPageText {
  text: string;
  /** Page size in points (1/72 inch). */
  width: number;
  height: number;
}

async function readPdfPage(pdf: PdfDocument, n: number): Promise<PdfPageText> {
  const page = await pdf.getPage(n);
  const content = await page.getTextContent();
  const [x0 = 0, y0 = 0, x1 = 0, y1 = 0] = page.view;
  page.cleanup();
  // Same joining as unpdf's extractText: items carry their own spacing, EOL marks line ends.
  const text = (content.items as PdfTextItem[]).map((i) => (i.str ?? '') + (i.hasEOL ? '\n' : '')).join('');
  return { text, width: Math.abs(x1 - x0), height: Math.abs(y1 - y0) };
}

// A page with less text than this may be a scan with a stamped page number or watermark.
const SPARSE_PAGE_CHARS = 40;
let imageOps: Promise<Set<number>> | undefined;

/** pdf.js operator codes that paint a raster image. */
function pdfImageOps(): Promise<Set<number>> {
  imageOps ??= getResolvedPDFJS().then((pdfjs) => {
    const ops = pdfjs.OPS as Record<string, number>;
    return new Set(
      [
        'paintImageXObject',
        'paintInlineImageXObject',
        'paintInlineImageXObjectGroup',
        'paintImageXObjectRepeat',
        'paintImageMaskXObject',
      ]
        .map((k) => ops[k])
        .filter((v): v is number => typeof v === 'number'),
    );
  });
  return imageOps;
}

async function pageHasImage(pdf: PdfDocument, n: number): Promise<boolean> {
  const page = await pdf.getPage(n);
  const ops = await pdfImageOps();
  const list = await page.getOperatorList();
  page.cleanup();
  return list.fnArray.some((op) => ops.has(op));
}

interface PdfPages {
  segments: TextSegment[];
  /** Pages read (1..read), whether or not they had text. */
  read: number;
  /** Pages without any text (after OCR: without any text OCR could read either). */
  empty: number[];
  failed: number[];
  /** Pages with a little text and a raster image (a scan with a stamped page number), not OCR'd. */
  sparseScans: number[];
  ocrRead: number[];
  ocrFailed: number[];
  ocrSkipped: number[];
  /** Page sizes in points, for choosing a rasterising resolution that stays under the pixel cap. */
  sizes: Map<number, { width: number; height: number }>;
}

function pdfCoverageWarnings(pageCount: number, pages: PdfPages, limits: Limits): string[] {
  const { read, empty, failed, sparseScans, ocrRead, ocrSkipped } = pages;
  const warnings: string[] = [];
  if (read > 0 && empty.length === read) warnings.push(SCANNED_WARNING);
  else if (empty.length > 0) warnings.push(`第${empty.join('、')}页无文字层（可能为扫描页），需人工复核`);
  if (sparseScans.length > 0)
    warnings.push(`第${sparseScans.join('、')}页文字很少且含图片（可能为扫描页），需人工复核`);
  if (failed.length > 0) warnings.push(`第${failed.join('、')}页解析失败，需人工复核`);
  if (ocrSkipped.length > 0)
    warnings.push(
      `文字识别已达上限（${limits.maxOcrPages} 页）或超时，第${ocrSkipped.join('、')}页未识别，需人工复核`,
    );
  if (ocrRead.length > 0)
    warnings.push(`第${ocrRead.join('、')}页为扫描页，已用文字识别（OCR）检查（识别结果可能有误）`);
  if (read < pageCount) warnings.push(`PDF 共 ${pageCount} 页，仅检查了前 ${read} 页，其余需人工复核`);
  return warnings;
}

async function loadPdf(body: Buffer, deadline: number): Promise<PdfDocument> {
  // Copy: pdf.js may take ownership of (detach) the buffer it is given.
  const loading = getDocumentProxy(new Uint8Array(body), { verbosity: 0 });
  return withDeadline(loading, deadline).catch((err: unknown) => {
    // A document that finishes loading after the deadline must still be released.
    loading.then((late) => late.destroy()).catch(() => undefined);
    throw err;
  });
}

/** Reads pages until the page cap or the deadline; one bad page does not lose the others. */
async function readPdfPages(pdf: PdfDocument, limits: Limits): Promise<PdfPages> {
  const pages: PdfPages = {
    segments: [],
    read: 0,
    empty: [],
    failed: [],
    sparseScans: [],
    ocrRead: [],
    ocrFailed: [],
    ocrSkipped: [],
    sizes: new Map(),
  };
  const last = Math.min(pdf.numPages, limits.maxPages);
  for (let n = 1; n <= last && Date.now() < limits.deadline; n++) {
    let text: string;
    try {
      const page = await withDeadline(readPdfPage(pdf, n), limits.deadline);
      text = page.text;
      pages.sizes.set(n, { width: page.width, height: page.height });
    } catch (err) {
      if (err instanceof DeadlineError) break;
      pages.failed.push(n);
      text = '';
    }
    pages.read = n;
    // Chrome-printed PDFs map shared glyphs to radical code points (⽰范区 for 示范区).
    if (text.trim() !== '') {
      pages.segments.push({ location: `第${n}页`, text: foldCjkRadicals(text) });
      if (text.replace(/\s/g, '').length < SPARSE_PAGE_CHARS) {
        const scan = await withDeadline(pageHasImage(pdf, n), limits.deadline).catch(() => false);
        if (scan) pages.sparseScans.push(n);
      }
    } else if (!pages.failed.includes(n)) pages.empty.push(n);
  }
  return pages;
}

/** Resolution for a page: PDF_RASTER_DPI, lowered so a huge MediaBox can't become a pixel bomb. */
function rasterDpi(size: { width: number; height: number } | undefined): number {
  if (!size || size.width <= 0 || size.height <= 0) return 72;
  const squareInches = (size.width / 72) * (size.height / 72);
  return Math.max(1, Math.min(PDF_RASTER_DPI, Math.floor(Math.sqrt(MAX_OCR_PIXELS / squareInches))));
}

/** Rasterises one page with pdftoppm and OCRs it. */
async function ocrPdfPage(
  pdfFile: string,
  dir: string,
  n: number,
  dpi: number,
  limits: Limits,
): Promise<OcrOutcome> {
  const budget = Math.min(MAX_OCR_MS_PER_PAGE, limits.deadline - Date.now());
  if (budget <= 0) return { error: '超时' };
  const prefix = join(dir, `page-${n}`);
  const args = ['-f', String(n), '-l', String(n), '-r', String(dpi), '-gray', '-png', '-singlefile'];
  const r = await run('pdftoppm', [...args, pdfFile, prefix], budget);
  if (r.timedOut) return { error: '超时' };
  if (!r.ok) return { error: '页面转换失败' };
  return ocrImageFile(`${prefix}.png`, limits);
}

/**
 * OCRs pages without a text layer and sparse pages that show a raster image. Pages OCR reads leave
 * `empty` (and `sparseScans`); the rest keep their "needs review" warning.
 */
async function ocrPdfPages(body: Buffer, pages: PdfPages, limits: Limits): Promise<void> {
  const wanted = [...pages.empty, ...pages.sparseScans].sort((a, b) => a - b);
  if (wanted.length === 0 || !(await ocrAvailable(limits)) || !(await detectOcrTools()).pdftoppm) return;
  await withTempDir(async (dir) => {
    const pdfFile = join(dir, 'in.pdf');
    await writeFile(pdfFile, body);
    for (const n of wanted) {
      if (limits.ocrLeft.pages <= 0 || Date.now() >= limits.deadline) {
        pages.ocrSkipped.push(n);
        continue;
      }
      limits.ocrLeft.pages -= 1;
      const outcome = await ocrPdfPage(pdfFile, dir, n, rasterDpi(pages.sizes.get(n)), limits);
      if ('error' in outcome) pages.ocrFailed.push(n);
      else if (outcome.text !== '') {
        pages.ocrRead.push(n);
        pages.segments.push({ location: `第${n}页（OCR 识别）`, text: outcome.text });
      }
    }
  });
  pages.segments.sort((a, b) => pageOf(a.location) - pageOf(b.location));
  pages.empty = pages.empty.filter((n) => !pages.ocrRead.includes(n));
  // A sparse page OCR ran on is checked: its own text layer was read, and so was the image.
  const unread = new Set([...pages.ocrFailed, ...pages.ocrSkipped]);
  pages.sparseScans = pages.sparseScans.filter((n) => unread.has(n));
}

function pageOf(location: string): number {
  return Number(/^第(\d+)页/.exec(location)?.[1] ?? 0);
}

async function extractPdf(body: Buffer, limits: Limits): Promise<Parsed> {
  const pdf = await loadPdf(body, limits.deadline);
  let pages: PdfPages;
  let pageCount: number;
  try {
    pages = await readPdfPages(pdf, limits);
    pageCount = pdf.numPages;
  } finally {
    pdf.destroy().catch(() => undefined);
  }
  await ocrPdfPages(body, pages, limits);
  return { segments: pages.segments, warnings: pdfCoverageWarnings(pageCount, pages, limits) };
}

// ---------------------------------------------------------------------------------------------
// ZIP reading (no dependency: the central directory, then node:zlib with an output cap)

interface ZipEntry {
  name: string;
  flags: number;
  method: number;
  compressedSize: number;
  size: number;
  localOffset: number;
}

// One file inside an archive (or one part of a DOCX) may expand to at most this much.
const MAX_ENTRY_BYTES = 64 * 1024 * 1024;
const MAX_XML_PART_BYTES = 16 * 1024 * 1024;

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
function readZipDirectory(buf: Buffer): ZipEntry[] {
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
function readZipEntry(buf: Buffer, e: ZipEntry, maxBytes: number): Buffer {
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

// ---------------------------------------------------------------------------------------------
// DOCX

const XML_ENTITIES: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decodeXmlText(s: string): string {
  return s.replace(/&(#x[0-9a-f]+|#\d+|amp|lt|gt|quot|apos);/gi, (m, e: string) => {
    if (e[0] !== '#') return XML_ENTITIES[e.toLowerCase()] ?? m;
    const code = e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
    return Number.isFinite(code) && code <= 0x10ffff ? String.fromCodePoint(code) : m;
  });
}

/**
 * Text of a WordprocessingML part: runs (w:t, or w:delText for deleted revisions) with paragraph
 * ends, tabs, breaks and table cells kept apart. mc:Fallback repeats mc:Choice content (text boxes)
 * and is dropped.
 */
function wordXmlText(xml: string, runTag: 't' | 'delText'): string {
  const clean = xml.replace(/<mc:Fallback\b[\s\S]*?<\/mc:Fallback>/g, '');
  const re = new RegExp(
    `<w:${runTag}(?:\\s[^>]*)?>([^<]*)</w:${runTag}>|<w:tab/>|<w:br\\b[^>]*/>|<w:cr/>|</w:p>|</w:tc>`,
    'g',
  );
  const parts: string[] = [];
  for (const m of clean.matchAll(re)) {
    const tag = m[0];
    if (m[1] !== undefined) parts.push(decodeXmlText(m[1]));
    else if (tag === '</w:p>' || tag.startsWith('<w:br') || tag === '<w:cr/>') parts.push('\n');
    else parts.push('\t');
  }
  return parts
    .join('')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

const DOCX_PARTS: readonly { re: RegExp; location: string; runTag: 't' | 'delText' }[] = [
  { re: /^word\/header\d*\.xml$/, location: '页眉', runTag: 't' },
  { re: /^word\/footer\d*\.xml$/, location: '页脚', runTag: 't' },
  { re: /^word\/comments\.xml$/, location: '批注', runTag: 't' },
  { re: /^word\/footnotes\.xml$/, location: '脚注', runTag: 't' },
  { re: /^word\/endnotes\.xml$/, location: '尾注', runTag: 't' },
  // Tracked deletions stay in the file: whoever opens it with revisions shown sees them.
  { re: /^word\/document\.xml$/, location: '修订中已删除的内容', runTag: 'delText' },
];

/** Headers, footers, comments, foot/endnotes and tracked deletions, which mammoth does not return. */
function docxExtraParts(body: Buffer): Parsed {
  const segments: TextSegment[] = [];
  const warnings: string[] = [];
  const seen = new Set<string>();
  const entries = readZipDirectory(body).sort((a, b) =>
    a.name.localeCompare(b.name, 'en', { numeric: true }),
  );
  for (const part of DOCX_PARTS) {
    for (const e of entries.filter((x) => part.re.test(x.name))) {
      let xml: string;
      try {
        xml = readZipEntry(body, e, MAX_XML_PART_BYTES).toString('utf8');
      } catch (err) {
        warnings.push(`${part.location}（${e.name}）未能读取：${errorText(err)}，需人工复核`);
        continue;
      }
      if (part.runTag === 'delText' && !xml.includes('<w:delText')) continue;
      const text = wordXmlText(xml, part.runTag);
      // Word writes the same header for first, even and default pages: report it once.
      const key = `${part.location}\n${text}`;
      if (text === '' || seen.has(key)) continue;
      seen.add(key);
      segments.push({ location: part.location, text });
    }
  }
  return { segments, warnings };
}

async function extractDocx(body: Buffer, limits: Limits): Promise<Parsed> {
  const result = await withDeadline(mammoth.extractRawText({ buffer: body }), limits.deadline);
  const text = result.value;
  const extra = docxExtraParts(body);
  const segments: TextSegment[] = text.trim() === '' ? [] : [{ location: '正文', text }];
  segments.push(...extra.segments);
  if (segments.length === 0)
    return { segments: [], warnings: ['文档无文字内容（可能仅含图片），需人工复核', ...extra.warnings] };
  return { segments, warnings: extra.warnings };
}

// ---------------------------------------------------------------------------------------------
// Legacy formats (DOC, XLS, WPS, ET) and the XLSX fallback, parsed in a child process.
//
// word-extractor and SheetJS parse synchronously: a crafted file (a sector chain that loops, a
// huge sheet) would block the event loop, where no deadline can stop it, or grow an array until
// V8 aborts — which takes down the whole process, worker threads included. A child process can be
// killed at the deadline, has its own memory cap, and its crash is only a warning here. Its code
// is plain CommonJS given with -e, so it runs the same from source (tsx, vitest) and from the build.

const PARSER_SOURCE = String.raw`
'use strict';
async function word() {
  const WordExtractor = require(paths.word);
  const doc = await new WordExtractor().extract(buf);
  const o = { filterUnicode: false };
  return {
    body: doc.getBody(o),
    headers: doc.getHeaders({ filterUnicode: false, includeFooters: false }),
    footers: doc.getFooters(o),
    footnotes: doc.getFootnotes(o),
    endnotes: doc.getEndnotes(o),
    annotations: doc.getAnnotations(o),
    textboxes: doc.getTextboxes(o),
  };
}

function cellValue(cell) {
  if (!cell || cell.t === 'z') return null;
  if (cell.t === 'n' && typeof cell.v === 'number') return cell.v;
  if (cell.t === 's' && typeof cell.v === 'string') return cell.v;
  if (cell.w !== undefined) return String(cell.w);
  return cell.v === undefined || cell.v === null ? null : String(cell.v);
}

function sheets() {
  const XLSX = require(paths.xlsx);
  const wb = XLSX.read(buf, {
    type: 'buffer', dense: true, sheetRows, cellFormula: false, cellHTML: false, cellNF: false,
    cellText: true, cellDates: false, cellStyles: true, WTF: false, bookVBA: false,
  });
  const meta = (wb.Workbook && wb.Workbook.Sheets) || [];
  return wb.SheetNames.map((name, i) => {
    const ws = wb.Sheets[name] || {};
    const data = ws['!data'] || [];
    const range = ws['!ref'] ? XLSX.utils.decode_range(ws['!ref']) : { e: { c: -1 } };
    const rows = [];
    const notes = [];
    for (let r = 0; r < data.length; r++) {
      const row = data[r];
      if (!row) continue;
      const cells = [];
      for (let c = 0; c < row.length; c++) {
        const cell = row[c];
        cells.push(cellValue(cell));
        if (cell && Array.isArray(cell.c))
          for (const n of cell.c) if (n && n.t) notes.push({ r, c, text: String(n.t) });
      }
      rows.push({ r, cells });
    }
    const hiddenRows = (ws['!rows'] || []).some((x) => x && x.hidden);
    const hiddenCols = (ws['!cols'] || []).slice(0, range.e.c + 1).some((x) => x && x.hidden);
    const truncated = Boolean(ws['!fullref'] && ws['!fullref'] !== ws['!ref']);
    const m = meta[i] || {};
    return { name, hidden: m.Hidden || 0, rows, notes, hiddenRows, hiddenCols, truncated };
  });
}

// A parse stuck in a synchronous loop never returns to the event loop: a thread of its own kills
// the process once the deadline has passed or the parent is gone (killed, crashed).
function watchdog(until) {
  const { Worker } = require('node:worker_threads');
  const source =
    "const { workerData: d } = require('node:worker_threads');" +
    "setInterval(() => { if (process.ppid !== d.ppid || Date.now() > d.until) process.kill(process.pid, 'SIGKILL'); }, 500);";
  new Worker(source, { eval: true, workerData: { ppid: process.ppid, until } }).unref();
}

let task, buf, paths, sheetRows;
const reply = (m) => process.send(m, () => process.exit(0));
process.once('message', async (msg) => {
  watchdog(msg.until);
  ({ task, paths, sheetRows } = msg);
  buf = Buffer.from(msg.body.buffer, msg.body.byteOffset, msg.body.byteLength);
  try {
    reply({ ok: true, result: task === 'word' ? await word() : sheets() });
  } catch (err) {
    reply({ ok: false, error: err && err.message ? String(err.message) : String(err) });
  }
});
`;

interface WordParts {
  body: string;
  headers: string;
  footers: string;
  footnotes: string;
  endnotes: string;
  annotations: string;
  textboxes: string;
}

interface SheetData {
  name: string;
  /** 0 visible, 1 hidden, 2 very hidden. */
  hidden: number;
  rows: { r: number; cells: (string | number | null)[] }[];
  notes: { r: number; c: number; text: string }[];
  hiddenRows: boolean;
  hiddenCols: boolean;
  truncated: boolean;
}

type ParserTask = { task: 'word' } | { task: 'sheets'; sheetRows: number };

const PARSER_MEMORY_MB = 768;
// The child kills itself this long after the deadline, should the parent's kill not reach it.
const PARSER_GRACE_MS = 5000;
let parserPaths: { word: string; xlsx: string } | undefined;

function resolveParserPaths(): { word: string; xlsx: string } {
  if (!parserPaths) {
    const require = createRequire(import.meta.url);
    parserPaths = { word: require.resolve('word-extractor'), xlsx: require.resolve('@e965/xlsx') };
  }
  return parserPaths;
}

/** Runs one parse in a child Node process, killed at the deadline; library output goes nowhere. */
function runParser<T>(job: ParserTask, body: Buffer, deadline: number): Promise<T> {
  if (Date.now() >= deadline) return Promise.reject(new DeadlineError('timeout'));
  return new Promise<T>((resolve, reject) => {
    let settled = false;
    const child = spawn(process.execPath, [`--max-old-space-size=${PARSER_MEMORY_MB}`, '-e', PARSER_SOURCE], {
      stdio: ['ignore', 'ignore', 'ignore', 'ipc'],
      serialization: 'advanced',
      // No loaders or debugger flags of ours: the parser needs plain Node only.
      env: { ...process.env, NODE_OPTIONS: '' },
    });
    const finish = (fn: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      fn();
    };
    const timer = setTimeout(
      () => finish(() => reject(new DeadlineError('timeout'))),
      Math.max(0, deadline - Date.now()),
    );
    child.on('message', (m: { ok: boolean; result?: T; error?: string }) =>
      finish(() => (m.ok ? resolve(m.result as T) : reject(new Error(m.error ?? '未知错误')))),
    );
    child.on('error', (err) => finish(() => reject(err)));
    child.on('exit', (code, signal) =>
      finish(() =>
        reject(
          new Error(
            signal === 'SIGABRT' || code === 134
              ? `解析进程内存或数据量超限（上限 ${PARSER_MEMORY_MB} MB）`
              : `解析进程异常退出（${signal ?? code}）`,
          ),
        ),
      ),
    );
    child.send({
      ...job,
      sheetRows: 'sheetRows' in job ? job.sheetRows : 0,
      body,
      paths: resolveParserPaths(),
      until: deadline + PARSER_GRACE_MS,
    });
  });
}

const WORD_PARTS: readonly [keyof WordParts, string][] = [
  ['body', '正文'],
  ['textboxes', '文本框'],
  ['headers', '页眉'],
  ['footers', '页脚'],
  ['footnotes', '脚注'],
  ['endnotes', '尾注'],
  ['annotations', '批注'],
];

async function extractDoc(body: Buffer, limits: Limits): Promise<Parsed> {
  const parts = await runParser<WordParts>({ task: 'word' }, body, limits.deadline);
  const segments: TextSegment[] = [];
  for (const [key, location] of WORD_PARTS) {
    // Word 97 marks cells and rows with control characters; word-extractor maps most to tabs and newlines.
    const text = (parts[key] ?? '').replace(/[\x00-\x08\x0b\x0c\x0e-\x1f]/g, '\n');
    if (text.trim() !== '') segments.push({ location, text });
  }
  if (segments.length === 0)
    return { segments: [], warnings: ['文档无文字内容（可能仅含图片），需人工复核'] };
  return { segments, warnings: [] };
}

// ---------------------------------------------------------------------------------------------
// Spreadsheets (XLSX by exceljs; XLS, ET and unreadable XLSX by SheetJS)

// Excel keeps 15 significant digits: from 1e15 up, the stored number has lost digits.
const EXCEL_PRECISION_LIMIT = 1e15;
// Below this, String(n) is exact and short; above, toFixed avoids any exponent form.
const LONG_NUMBER = 1e10;

interface SheetState {
  lostPrecision: number;
  firstLostRow: number;
}

function numberText(n: number, row: number, state: SheetState): string {
  if (!Number.isFinite(n)) return '';
  if (Math.abs(n) < LONG_NUMBER) return String(n);
  if (Math.abs(n) >= EXCEL_PRECISION_LIMIT) {
    state.lostPrecision += 1;
    if (state.firstLostRow === 0) state.firstLostRow = row;
  }
  // toFixed switches to exponent form from 1e21; no identifier is that long.
  return Math.abs(n) < 1e21 ? n.toFixed(0) : String(n);
}

/** Renders any exceljs cell value as the text a reader would see (formulas by their result). */
function cellText(value: ExcelJS.CellValue | undefined, row: number, state: SheetState): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return numberText(value, row, state);
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return String(value);
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? '' : value.toISOString().slice(0, 10);
  if ('richText' in value) return value.richText.map((r) => r.text).join('');
  if ('hyperlink' in value)
    return value.text === value.hyperlink ? value.text : `${value.text} ${value.hyperlink}`;
  if ('result' in value) return cellText(value.result, row, state);
  if ('error' in value) return value.error;
  return '';
}

function noteText(note: ExcelJS.Comment | string | undefined): string {
  if (!note) return '';
  if (typeof note === 'string') return note;
  return (note.texts ?? []).map((t) => t.text).join('');
}

function rowText(row: ExcelJS.Row, state: SheetState, notes: string[]): string {
  const cells: string[] = [];
  row.eachCell({ includeEmpty: false }, (cell) => {
    const note = noteText(cell.note as ExcelJS.Comment | string | undefined);
    if (note.trim() !== '') notes.push(`${cell.address}\t${note}`);
    // A merged range repeats the master's value in every cell; read it once.
    if (cell.isMerged && cell.master !== cell) return;
    cells.push(cellText(cell.value, row.number, state));
  });
  return cells.join('\t');
}

interface SheetFacts {
  name: string;
  hidden: boolean;
  hiddenRowsOrCols: boolean;
  state: SheetState;
}

function sheetNotes(f: SheetFacts): string[] {
  const notes: string[] = [];
  if (f.hidden) notes.push(`工作表「${f.name}」为隐藏工作表，已一并检查`);
  if (f.hiddenRowsOrCols) notes.push(`工作表「${f.name}」含隐藏行或列，已一并检查`);
  if (f.state.lostPrecision > 0) {
    notes.push(
      `工作表「${f.name}」有 ${f.state.lostPrecision} 个超过15位的数值（首个在第${f.state.firstLostRow}行），` +
        '按数值存储的身份证号等会丢失末位，需人工复核',
    );
  }
  return notes;
}

interface RowBudget {
  rows: number;
  truncated: boolean;
}

function readSheet(ws: ExcelJS.Worksheet, budget: RowBudget): Parsed {
  const state: SheetState = { lostPrecision: 0, firstLostRow: 0 };
  const segments: TextSegment[] = [];
  const notes: string[] = [];
  let header: string | undefined;
  let hiddenRows = false;
  ws.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    if (budget.rows <= 0) {
      budget.truncated = true;
      return;
    }
    const text = rowText(row, state, notes);
    if (text.trim() === '') return;
    budget.rows -= 1;
    hiddenRows ||= row.hidden;
    header ??= text;
    segments.push({ location: `工作表「${ws.name}」第${rowNumber}行`, text, context: header });
  });
  if (notes.length > 0) segments.push({ location: `工作表「${ws.name}」单元格批注`, text: notes.join('\n') });
  const hiddenCols = (ws.columns ?? []).some((c) => c.hidden);
  const facts = {
    name: ws.name,
    hidden: ws.state !== 'visible',
    hiddenRowsOrCols: hiddenRows || hiddenCols,
    state,
  };
  return { segments, warnings: sheetNotes(facts) };
}

function rowBudgetWarning(budget: RowBudget, limits: Limits): string[] {
  return budget.truncated ? [`表格超过 ${limits.maxRows} 行，仅检查了前 ${limits.maxRows} 行`] : [];
}

async function extractXlsxWithExcelJs(body: Buffer, limits: Limits): Promise<Parsed> {
  const wb = new ExcelJS.Workbook();
  // exceljs's load() is typed for its own Buffer alias; a Node Buffer is what it expects at run time.
  await withDeadline(wb.xlsx.load(body as unknown as ExcelJS.Buffer), limits.deadline);
  const budget: RowBudget = { rows: limits.maxRows, truncated: false };
  const parsed: Parsed = { segments: [], warnings: [] };
  // worksheets includes hidden and very hidden sheets: both are read.
  for (const ws of wb.worksheets) {
    const sheet = readSheet(ws, budget);
    parsed.segments.push(...sheet.segments);
    parsed.warnings.push(...sheet.warnings);
  }
  parsed.warnings.push(...rowBudgetWarning(budget, limits));
  return parsed;
}

function sheetJsSegments(sheet: SheetData, budget: RowBudget): Parsed {
  const state: SheetState = { lostPrecision: 0, firstLostRow: 0 };
  const segments: TextSegment[] = [];
  let header: string | undefined;
  for (const row of sheet.rows) {
    if (budget.rows <= 0) {
      budget.truncated = true;
      break;
    }
    const text = row.cells
      .map((v) => (v === null ? '' : typeof v === 'number' ? numberText(v, row.r + 1, state) : v))
      .filter((v) => v !== '')
      .join('\t');
    if (text.trim() === '') continue;
    budget.rows -= 1;
    header ??= text;
    segments.push({ location: `工作表「${sheet.name}」第${row.r + 1}行`, text, context: header });
  }
  if (sheet.truncated) budget.truncated = true;
  if (sheet.notes.length > 0) {
    const text = sheet.notes.map((n) => `第${n.r + 1}行第${n.c + 1}列\t${n.text}`).join('\n');
    segments.push({ location: `工作表「${sheet.name}」单元格批注`, text });
  }
  const facts = {
    name: sheet.name,
    hidden: sheet.hidden > 0,
    hiddenRowsOrCols: sheet.hiddenRows || sheet.hiddenCols,
    state,
  };
  return { segments, warnings: sheetNotes(facts) };
}

async function extractWithSheetJs(body: Buffer, limits: Limits): Promise<Parsed> {
  const sheets = await runParser<SheetData[]>(
    { task: 'sheets', sheetRows: limits.maxRows + 1 },
    body,
    limits.deadline,
  );
  const budget: RowBudget = { rows: limits.maxRows, truncated: false };
  const parsed: Parsed = { segments: [], warnings: [] };
  for (const sheet of sheets) {
    const one = sheetJsSegments(sheet, budget);
    parsed.segments.push(...one.segments);
    parsed.warnings.push(...one.warnings);
  }
  parsed.warnings.push(...rowBudgetWarning(budget, limits));
  return parsed;
}

/** exceljs reads XLSX with cell-level detail; files it can't read (some WPS or strict OOXML) go to SheetJS. */
async function extractXlsx(body: Buffer, limits: Limits): Promise<Parsed> {
  try {
    return await extractXlsxWithExcelJs(body, limits);
  } catch (err) {
    if (err instanceof DeadlineError) throw err;
    try {
      return await extractWithSheetJs(body, limits);
    } catch (second) {
      if (second instanceof DeadlineError) throw second;
      throw err;
    }
  }
}

// ---------------------------------------------------------------------------------------------
// HTML and plain text

/** Attributes whose values a visitor can see (tooltips, alt text, form values) or that carry data. */
const SHOWN_ATTRIBUTES = new Set(['title', 'alt', 'value', 'placeholder', 'label', 'aria-label', 'summary']);
const LINK_SCHEMES = /^\s*(?:tel|sms|mailto):/i;
const JS_TYPES = /^(?:$|text\/javascript|application\/javascript|module|text\/ecmascript)/i;

function attributeLocation(el: Element, name: string, value: string): string | undefined {
  if (SHOWN_ATTRIBUTES.has(name) || name.startsWith('data-')) return `网页属性 ${name}`;
  if (name === 'content' && el.name === 'meta') return '网页属性 content（meta）';
  if (name === 'href' && LINK_SCHEMES.test(value)) return '网页属性 href（电话或邮件链接）';
  return undefined;
}

/** Attribute values, comments and data scripts (XML/JSON records a script renders into the page). */
function hiddenHtmlText(root: AnyNode[]): Map<string, string[]> {
  const found = new Map<string, string[]>();
  const add = (location: string, text: string) => {
    if (text.trim() === '') return;
    const list = found.get(location) ?? [];
    list.push(text.trim());
    found.set(location, list);
  };
  const walk = (node: AnyNode): void => {
    if (node.type === 'comment') {
      add('HTML 注释', (node as unknown as { data: string }).data);
      return;
    }
    if (node.type !== 'tag' && node.type !== 'script' && node.type !== 'style' && node.type !== 'root')
      return;
    const el = node as Element;
    for (const [name, value] of Object.entries(el.attribs ?? {})) {
      const location = attributeLocation(el, name.toLowerCase(), value);
      if (location) add(location, value);
    }
    if (el.name === 'script' && !JS_TYPES.test(el.attribs?.type?.trim() ?? '')) {
      add('网页脚本数据', el.children.map((c) => (c as unknown as { data?: string }).data ?? '').join(''));
      return;
    }
    for (const child of el.children ?? []) walk(child);
  };
  root.forEach(walk);
  return found;
}

/**
 * Segments of an HTML page: 网页标题, 正文 (visible text, table cells tab-separated), then attribute
 * values (网页属性 title …), HTML 注释 and 网页脚本数据 — published, even where a browser hides them.
 */
export function htmlSegments(html: string): TextSegment[] {
  const $ = cheerio.load(html);
  const segments: TextSegment[] = [];
  const title = $('title').first().text().trim();
  if (title) segments.push({ location: '网页标题', text: title });
  const text = visibleText($.root().toArray());
  if (text.trim()) segments.push({ location: '正文', text });
  for (const [location, values] of hiddenHtmlText($.root().toArray()))
    segments.push({ location, text: values.join('\n') });
  return segments;
}

function extractHtml(body: Buffer, contentType: string): Parsed {
  return { segments: htmlSegments(decodeText(body, contentType)), warnings: [] };
}

function extractPlain(body: Buffer, ext: string, contentType: string): Parsed {
  const text = stripBom(decodeText(body, contentType));
  if (ext !== 'csv' && !contentType.toLowerCase().includes('text/csv')) {
    return { segments: text.trim() ? [{ location: '正文', text }] : [], warnings: [] };
  }
  const segments: TextSegment[] = [];
  let header: string | undefined;
  text.split(/\r?\n/).forEach((line, i) => {
    if (line.trim() === '') return;
    header ??= line;
    segments.push({ location: `第${i + 1}行`, text: line, context: header });
  });
  return { segments, warnings: [] };
}

// ---------------------------------------------------------------------------------------------
// ZIP archives

// Archive noise a user never sees: macOS resource forks and Finder files, Windows thumbnails.
const ZIP_NOISE = /(?:^|\/)(?:__MACOSX\/|\.DS_Store$|Thumbs\.db$|desktop\.ini$)/i;

async function extractZip(body: Buffer, limits: Limits, depth: number): Promise<Parsed> {
  if (depth > 0) return { segments: [], warnings: ['压缩包内的压缩包未检查，需人工复核'] };
  const files = readZipDirectory(body).filter((e) => !e.name.endsWith('/') && !ZIP_NOISE.test(e.name));
  const parsed: Parsed = { segments: [], warnings: [] };
  if (files.length === 0) return { segments: [], warnings: ['压缩包内没有文件'] };
  const todo = files.slice(0, limits.maxZipEntries);
  for (const [i, e] of todo.entries()) {
    const name = maskText(e.name);
    if (Date.now() >= limits.deadline) {
      parsed.warnings.push(`解析超时，压缩包内还有 ${todo.length - i} 个文件未检查，需人工复核`);
      break;
    }
    let inner: Buffer;
    try {
      inner = readZipEntry(body, e, MAX_ENTRY_BYTES);
    } catch (err) {
      parsed.warnings.push(`压缩包内 ${name}：${errorText(err)}，未检查，需人工复核`);
      continue;
    }
    const r = await extractAny(inner, { url: e.name }, limits, depth + 1);
    for (const s of r.segments) parsed.segments.push({ ...s, location: `压缩包内 ${name}：${s.location}` });
    for (const w of r.warnings) parsed.warnings.push(`压缩包内 ${name}：${w}`);
  }
  if (files.length > todo.length)
    parsed.warnings.push(`压缩包内有 ${files.length} 个文件，仅检查了前 ${todo.length} 个，其余需人工复核`);
  return parsed;
}

// ---------------------------------------------------------------------------------------------
// Entry point

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
    case 'doc':
      return extractDoc(body, limits);
    case 'xls':
      return extractWithSheetJs(body, limits);
    case 'html':
      return extractHtml(body, hint.contentType ?? '');
    case 'text':
      return extractPlain(body, urlExtension(hint.url), hint.contentType ?? '');
    case 'zip':
      return extractZip(body, limits, depth);
    case 'image':
      return extractImage(body, limits);
    case 'unknown':
      return { segments: [], warnings: [] };
  }
}

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
  const bomb = format === 'docx' || format === 'xlsx' || format === 'zip' ? zipBombReason(body) : undefined;
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
 * 压缩包内 a.xlsx：…). Never throws for a bad file: unsupported formats, corrupt files and timeouts
 * become warnings, so a check can report "needs review" instead of silently passing.
 */
export async function extractAttachmentText(
  body: Buffer,
  hint: AttachmentHint,
  limits: ExtractLimits = {},
): Promise<AttachmentText> {
  const full: Limits = {
    ...DEFAULTS,
    ...limits,
    deadline: Date.now() + (limits.timeoutMs ?? DEFAULTS.timeoutMs),
    ocrLeft: { pages: limits.maxOcrPages ?? DEFAULTS.maxOcrPages },
  };
  return extractAny(body, hint, full, 0);
}
