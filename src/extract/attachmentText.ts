import * as cheerio from 'cheerio';
import ExcelJS from 'exceljs';
import mammoth from 'mammoth';
import { getDocumentProxy } from 'unpdf';
import { foldCjkRadicals } from './cjkRadicals.js';
import { zipBombReason } from './zipGuard.js';
import { maskText } from '../pii/mask.js';

export type AttachmentFormat = 'pdf' | 'docx' | 'xlsx' | 'html' | 'text' | 'unknown';

export interface TextSegment {
  /** Chinese, e.g. 第3页, 正文, 工作表「名单」第3行. */
  location: string;
  text: string;
  /** Text that labels this segment (a table's header row); PII detection counts its context words. */
  context?: string;
}

export interface AttachmentText {
  format: AttachmentFormat;
  segments: TextSegment[];
  /** Chinese; never raw personal data (all pass through maskText). */
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
}

/** Exact text of the warning for a PDF with pages but no text layer; checks may match on it. */
export const SCANNED_WARNING = '扫描件，需人工复核';

const DEFAULTS = { maxPages: 200, timeoutMs: 60_000, maxRows: 100_000 } as const;

type Limits = Required<ExtractLimits> & { deadline: number };

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

function urlExtension(url: string): string {
  let path = url;
  try {
    path = new URL(url).pathname;
  } catch {
    // A relative or odd URL: take the text as is.
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
  return { format: 'unknown', label: LEGACY_LABELS[ext] ?? 'ZIP' };
}

function guessByMagic(buf: Buffer, ext: string): FormatGuess | undefined {
  const head = buf.subarray(0, 1024);
  if (head.includes('%PDF')) return { format: 'pdf', label: 'PDF' };
  if (buf.subarray(0, 2).toString('latin1') === 'PK') return guessZip(buf, ext);
  if (buf.subarray(0, 8).equals(Buffer.from('d0cf11e0a1b11ae1', 'hex'))) {
    return { format: 'unknown', label: LEGACY_LABELS[ext] ?? 'OLE 复合文档（DOC/XLS/WPS）' };
  }
  if (buf.subarray(0, 4).toString('latin1') === 'Rar!') return { format: 'unknown', label: 'RAR' };
  if (buf.subarray(0, 3).equals(Buffer.from([0xff, 0xd8, 0xff])))
    return { format: 'unknown', label: '图片（JPG）' };
  if (buf.subarray(0, 4).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47]))) {
    return { format: 'unknown', label: '图片（PNG）' };
  }
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

/** Government sites serve GBK as often as UTF-8; invalid UTF-8 is taken as GB18030 (a GBK superset). */
function decodeText(buf: Buffer): string {
  if (buf[0] === 0xff && buf[1] === 0xfe) return new TextDecoder('utf-16le').decode(buf);
  if (buf[0] === 0xfe && buf[1] === 0xff) return new TextDecoder('utf-16be').decode(buf);
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(buf);
  } catch {
    return new TextDecoder('gb18030').decode(buf);
  }
}

/** Library messages are English and end in a period; trimmed so the Chinese sentence reads cleanly. */
const errorText = (err: unknown): string =>
  maskText(err instanceof Error ? err.message : String(err)).replace(/[.。\s]+$/, '');

// ---------------------------------------------------------------------------------------------
// PDF

type PdfDocument = Awaited<ReturnType<typeof getDocumentProxy>>;

interface PdfTextItem {
  str?: string;
  hasEOL?: boolean;
}

async function readPdfPage(pdf: PdfDocument, n: number): Promise<string> {
  const page = await pdf.getPage(n);
  const content = await page.getTextContent();
  page.cleanup();
  // Same joining as unpdf's extractText: items carry their own spacing, EOL marks line ends.
  return (content.items as PdfTextItem[]).map((i) => (i.str ?? '') + (i.hasEOL ? '\n' : '')).join('');
}

interface PdfPages {
  segments: TextSegment[];
  /** Pages read (1..read), whether or not they had text. */
  read: number;
  empty: number[];
  failed: number[];
}

function pdfCoverageWarnings(pageCount: number, pages: PdfPages): string[] {
  const { read, empty, failed } = pages;
  const warnings: string[] = [];
  if (read > 0 && empty.length === read) warnings.push(SCANNED_WARNING);
  else if (empty.length > 0) warnings.push(`第${empty.join('、')}页无文字层（可能为扫描页），需人工复核`);
  if (failed.length > 0) warnings.push(`第${failed.join('、')}页解析失败，需人工复核`);
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
  const pages: PdfPages = { segments: [], read: 0, empty: [], failed: [] };
  const last = Math.min(pdf.numPages, limits.maxPages);
  for (let n = 1; n <= last && Date.now() < limits.deadline; n++) {
    let text: string;
    try {
      text = await withDeadline(readPdfPage(pdf, n), limits.deadline);
    } catch (err) {
      if (err instanceof DeadlineError) break;
      pages.failed.push(n);
      text = '';
    }
    pages.read = n;
    // Chrome-printed PDFs map shared glyphs to radical code points (⽰范区 for 示范区).
    if (text.trim() !== '') pages.segments.push({ location: `第${n}页`, text: foldCjkRadicals(text) });
    else if (!pages.failed.includes(n)) pages.empty.push(n);
  }
  return pages;
}

async function extractPdf(body: Buffer, limits: Limits): Promise<Parsed> {
  const pdf = await loadPdf(body, limits.deadline);
  try {
    const pages = await readPdfPages(pdf, limits);
    return { segments: pages.segments, warnings: pdfCoverageWarnings(pdf.numPages, pages) };
  } finally {
    pdf.destroy().catch(() => undefined);
  }
}

// ---------------------------------------------------------------------------------------------
// DOCX

async function extractDocx(body: Buffer, limits: Limits): Promise<Parsed> {
  const result = await withDeadline(mammoth.extractRawText({ buffer: body }), limits.deadline);
  const text = result.value;
  if (text.trim() === '') return { segments: [], warnings: ['文档无文字内容（可能仅含图片），需人工复核'] };
  return { segments: [{ location: '正文', text }], warnings: [] };
}

// ---------------------------------------------------------------------------------------------
// XLSX

// Excel keeps 15 significant digits: from 1e15 up, the stored number has lost digits.
const EXCEL_PRECISION_LIMIT = 1e15;
// Below this, String(n) is exact and short; above, toFixed avoids any exponent form.
const LONG_NUMBER = 1e10;

interface SheetState {
  lostPrecision: number;
  firstLostRow: number;
}

function numberText(n: number, row: number, state: SheetState): string {
  if (Math.abs(n) < LONG_NUMBER) return String(n);
  if (Math.abs(n) >= EXCEL_PRECISION_LIMIT) {
    state.lostPrecision += 1;
    if (state.firstLostRow === 0) state.firstLostRow = row;
  }
  return n.toFixed(0);
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

function rowText(row: ExcelJS.Row, state: SheetState): string {
  const cells: string[] = [];
  row.eachCell({ includeEmpty: false }, (cell) => {
    // A merged range repeats the master's value in every cell; read it once.
    if (cell.isMerged && cell.master !== cell) return;
    cells.push(cellText(cell.value, row.number, state));
  });
  return cells.join('\t');
}

function sheetNotes(ws: ExcelJS.Worksheet, state: SheetState, hiddenRows: boolean): string[] {
  const notes: string[] = [];
  if (ws.state !== 'visible') notes.push(`工作表「${ws.name}」为隐藏工作表，已一并检查`);
  const hiddenCols = (ws.columns ?? []).some((c) => c.hidden);
  if (hiddenRows || hiddenCols) notes.push(`工作表「${ws.name}」含隐藏行或列，已一并检查`);
  if (state.lostPrecision > 0) {
    notes.push(
      `工作表「${ws.name}」有 ${state.lostPrecision} 个超过15位的数值（首个在第${state.firstLostRow}行），` +
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
  let header: string | undefined;
  let hiddenRows = false;
  ws.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    if (budget.rows <= 0) {
      budget.truncated = true;
      return;
    }
    const text = rowText(row, state);
    if (text.trim() === '') return;
    budget.rows -= 1;
    hiddenRows ||= row.hidden;
    header ??= text;
    segments.push({ location: `工作表「${ws.name}」第${rowNumber}行`, text, context: header });
  });
  return { segments, warnings: sheetNotes(ws, state, hiddenRows) };
}

async function extractXlsx(body: Buffer, limits: Limits): Promise<Parsed> {
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
  if (budget.truncated)
    parsed.warnings.push(`表格超过 ${limits.maxRows} 行，仅检查了前 ${limits.maxRows} 行`);
  return parsed;
}

// ---------------------------------------------------------------------------------------------
// HTML and plain text

const BLOCK_TAGS = 'p,div,td,th,tr,li,dd,dt,h1,h2,h3,h4,h5,h6,table,section,article,blockquote,pre,hr';

function extractHtml(body: Buffer): Parsed {
  const $ = cheerio.load(decodeText(body));
  $('script,style,noscript,template').remove();
  // Without breaks, adjacent table cells would glue numbers into one long run.
  $('br').replaceWith('\n');
  $(BLOCK_TAGS).each((_, el) => {
    $(el).append('\n');
  });
  const text = $.root().text();
  return { segments: text.trim() ? [{ location: '正文', text }] : [], warnings: [] };
}

function extractPlain(body: Buffer, ext: string, contentType: string): Parsed {
  const text = stripBom(decodeText(body));
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
// Entry point

async function parse(format: AttachmentFormat, body: Buffer, hint: AttachmentHint, limits: Limits) {
  switch (format) {
    case 'pdf':
      return extractPdf(body, limits);
    case 'docx':
      return extractDocx(body, limits);
    case 'xlsx':
      return extractXlsx(body, limits);
    case 'html':
      return extractHtml(body);
    case 'text':
      return extractPlain(body, urlExtension(hint.url), hint.contentType ?? '');
    case 'unknown':
      return { segments: [], warnings: [] };
  }
}

/**
 * Turns an attachment's bytes into text segments with Chinese locations (第N页, 工作表「名单」第3行).
 * Never throws for a bad file: unsupported formats, corrupt files and timeouts become warnings, so a
 * check can report "needs review" instead of silently passing.
 */
export async function extractAttachmentText(
  body: Buffer,
  hint: AttachmentHint,
  limits: ExtractLimits = {},
): Promise<AttachmentText> {
  const { format, label } = detectAttachmentFormat(body, hint);
  if (body.length === 0) return { format, segments: [], warnings: ['附件为空文件，需人工复核'] };
  if (format === 'unknown') return { format, segments: [], warnings: [`暂不支持的附件格式：${label}`] };
  const bomb = format === 'docx' || format === 'xlsx' ? zipBombReason(body) : undefined;
  if (bomb) return { format, segments: [], warnings: [`附件未解析：${bomb}，需人工复核`] };
  const full: Limits = {
    ...DEFAULTS,
    ...limits,
    deadline: Date.now() + (limits.timeoutMs ?? DEFAULTS.timeoutMs),
  };
  try {
    const parsed = await parse(format, body, hint, full);
    return { format, segments: parsed.segments, warnings: parsed.warnings.map((w) => maskText(w)) };
  } catch (err) {
    const reason = err instanceof DeadlineError ? '解析超时' : errorText(err);
    return { format, segments: [], warnings: [`附件解析失败（${label}）：${reason}，需人工复核`] };
  }
}
