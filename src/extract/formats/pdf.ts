import { streamParser, type StreamEnd } from './childParser.js';
import type { PdfChildItem, PdfChildMessage } from './childParserScript.js';
import { DeadlineError, SCANNED_WARNING, type Limits } from './limits.js';
import { cjkShare, isGarbled, isNonsenseInChinese, textQuality, type TextQuality } from './pdfGarbled.js';
import { countInflated, inflateWarning, type InflateCaps } from './pdfGuard.js';
import { ocrPdfPages } from './pdfOcr.js';
import { pageSegments } from './pdfTables.js';
import type { Parsed, TextSegment } from './types.js';
import { foldCjkRadicals } from '../cjkRadicals.js';

// PDF text: a pre-scan counts what the compressed streams inflate to (pdfGuard.ts); a file over
// the caps never reaches pdf.js. The rest is read by pdf.js in a child process (childParser.ts)
// that reports page by page, so a page that hangs or needs too much memory costs that page only:
// the child is killed and a fresh one resumes after it.

// A page with less text than this may be a scan with a stamped page number or watermark.
const SPARSE_PAGE_CHARS = 40;
/** Fresh children after a hung or oversized page before the rest of the file is given up. */
const MAX_RESTARTS = 3;

export interface PdfPages {
  segments: TextSegment[];
  /** Pages read (1..read), whether or not they had text. */
  read: number;
  /** Pages without any text (after OCR: without any text OCR could read either). */
  empty: number[];
  failed: number[];
  /** Pages given up after the per-page time budget. */
  timedOut: number[];
  /** Pages during which the parser passed its memory cap. */
  overMemory: number[];
  /** Pages with a little text and a raster image (a scan with a stamped page number), not OCR'd. */
  sparseScans: number[];
  /** Pages whose text layer is garbage (glyphs without a Unicode map…): OCR'd like scans. */
  garbled: number[];
  ocrRead: number[];
  ocrFailed: number[];
  ocrSkipped: number[];
  /** Page sizes in points, for choosing a rasterising resolution that stays under the pixel cap. */
  sizes: Map<number, { width: number; height: number }>;
  /** Positioned text items per page, when they were asked for (readPdfLayout). */
  items?: Map<number, PdfChildItem[]>;
  /** Set when tables are rebuilt from positions: the last table header seen, for the next page. */
  tables?: { header?: string[] };
  /** Text quality of each page with text. */
  quality: Map<number, TextQuality>;
}

const listed = (pages: number[]): string => pages.join('、');

function pdfCoverageWarnings(pageCount: number, pages: PdfPages, limits: Limits): string[] {
  const { read, empty, failed, timedOut, overMemory, sparseScans, ocrRead, ocrSkipped, garbled } = pages;
  const warnings: string[] = [];
  const unreadGarbled = garbled.filter((n) => !ocrRead.includes(n));
  const garbledRead = garbled.filter((n) => ocrRead.includes(n));
  const scansRead = ocrRead.filter((n) => !garbled.includes(n));
  if (read > 0 && empty.length === read) warnings.push(SCANNED_WARNING);
  else if (empty.length > 0) warnings.push(`第${listed(empty)}页无文字层（可能为扫描页），需人工复核`);
  if (sparseScans.length > 0)
    warnings.push(`第${listed(sparseScans)}页文字很少且含图片（可能为扫描页），需人工复核`);
  if (failed.length > 0) warnings.push(`第${listed(failed)}页解析失败，需人工复核`);
  if (timedOut.length > 0)
    warnings.push(
      `第${listed(timedOut)}页解析超时（每页上限 ${limits.pageTimeoutMs / 1000} 秒），需人工复核`,
    );
  if (overMemory.length > 0)
    warnings.push(`第${listed(overMemory)}页解析占用内存超过上限（${limits.parserMemoryMb} MB），需人工复核`);
  if (ocrSkipped.length > 0)
    warnings.push(
      `文字识别已达上限（${limits.maxOcrPages} 页）或超时，第${listed(ocrSkipped)}页未识别，需人工复核`,
    );
  if (unreadGarbled.length > 0)
    warnings.push(
      `第${listed(unreadGarbled)}页文字层无法识别（字形缺少 Unicode 映射或为乱码），未能用文字识别检查，需人工复核`,
    );
  if (scansRead.length > 0)
    warnings.push(`第${listed(scansRead)}页为扫描页，已用文字识别（OCR）检查（识别结果可能有误）`);
  if (garbledRead.length > 0)
    warnings.push(`第${listed(garbledRead)}页文字层为乱码，已用文字识别（OCR）检查（识别结果可能有误）`);
  if (read < pageCount) warnings.push(`PDF 共 ${pageCount} 页，仅检查了前 ${read} 页，其余需人工复核`);
  return warnings;
}

function emptyPdfPages(): PdfPages {
  return {
    segments: [],
    read: 0,
    empty: [],
    failed: [],
    timedOut: [],
    overMemory: [],
    sparseScans: [],
    garbled: [],
    ocrRead: [],
    ocrFailed: [],
    ocrSkipped: [],
    sizes: new Map(),
    quality: new Map(),
  };
}

/** Records page n's text (or its lack, or its failure) as the child reported it. */
function notePage(m: Extract<PdfChildMessage, { type: 'page' }>, pages: PdfPages): void {
  pages.read = m.n;
  if (m.failed) {
    pages.failed.push(m.n);
    return;
  }
  pages.sizes.set(m.n, { width: m.width, height: m.height });
  if (m.items && pages.items) pages.items.set(m.n, m.items);
  if (m.text.trim() === '') {
    pages.empty.push(m.n);
    return;
  }
  // Chrome-printed PDFs map shared glyphs to radical code points (⽰范区 for 示范区).
  const text = foldCjkRadicals(m.text);
  const quality = textQuality(text);
  pages.quality.set(m.n, quality);
  if (isGarbled(quality)) {
    pages.garbled.push(m.n);
    return;
  }
  const items = pages.tables && m.items?.map((i) => ({ ...i, s: foldCjkRadicals(i.s) }));
  const rows = items && pageSegments(m.n, items, pages.tables!);
  pages.segments.push(...(rows ?? [{ location: `第${m.n}页`, text }]));
  if (m.image) pages.sparseScans.push(m.n);
}

const pageOf = (location: string): number => Number(/^第(\d+)页/.exec(location)?.[1] ?? 0);

/** Pages of Latin nonsense in a document whose other pages are Chinese join the garbled pages. */
function noteNonsensePages(pages: PdfPages): void {
  const share = cjkShare([...pages.quality].filter(([n]) => !pages.garbled.includes(n)).map(([, q]) => q));
  const nonsense = new Set(
    [...pages.quality]
      .filter(([n, q]) => !pages.garbled.includes(n) && isNonsenseInChinese(q, share))
      .map(([n]) => n),
  );
  if (nonsense.size === 0) return;
  pages.garbled.push(...nonsense);
  pages.garbled.sort((a, b) => a - b);
  pages.segments = pages.segments.filter((s) => !nonsense.has(pageOf(s.location)));
  pages.sparseScans = pages.sparseScans.filter((n) => !nonsense.has(n));
}

/** Before the page count arrived the document itself failed: a warning, or an error to report. */
function loadFailure(end: StreamEnd, limits: Limits): string {
  if (end.kind === 'memory')
    return `PDF 解析占用内存超过上限（${limits.parserMemoryMb} MB），未完整检查，需人工复核`;
  if (end.kind === 'deadline') throw new DeadlineError('timeout');
  throw new Error(end.kind === 'error' || end.kind === 'crashed' ? end.message : end.kind);
}

type PdfRead = { pages: PdfPages; pageCount: number } | { warning: string };

/** Reads pages in the parser child; a hung or oversized page is recorded and the rest resumed. */
async function readPdfPages(
  body: Buffer,
  limits: Limits,
  withItems = false,
  tables = false,
): Promise<PdfRead> {
  const pages = emptyPdfPages();
  if (withItems && !tables) pages.items = new Map();
  if (tables) pages.tables = {};
  let pageCount: number | undefined;
  let next = 1;
  const options = {
    deadline: limits.deadline,
    memoryMb: limits.parserMemoryMb,
    stepMs: limits.pageTimeoutMs,
  };
  for (let restarts = 0; ; restarts++) {
    const job = {
      task: 'pdf',
      first: next,
      last: limits.maxPages,
      sparseChars: SPARSE_PAGE_CHARS,
      ...(withItems || tables ? { items: true } : {}),
    } as const;
    const end = await streamParser<PdfChildMessage>(job, body, options, (m) => {
      if (m.type === 'doc') pageCount = m.pages;
      else if (m.type === 'page') {
        notePage(m, pages);
        next = m.n + 1;
      }
    });
    if (end.kind === 'done') break;
    if (pageCount === undefined) return { warning: loadFailure(end, limits) };
    // Past the deadline, or after every page was reported: the pages read so far stand.
    const last = Math.min(pageCount, limits.maxPages);
    if (end.kind === 'deadline' || end.kind === 'error' || next > last) break;
    if (end.kind === 'stalled') pages.timedOut.push(next);
    else if (end.kind === 'memory') pages.overMemory.push(next);
    else pages.failed.push(next);
    pages.read = next;
    next += 1;
    if (next > last || restarts >= MAX_RESTARTS) break;
  }
  return { pages, pageCount: pageCount ?? 0 };
}

export async function extractPdf(body: Buffer, limits: Limits): Promise<Parsed> {
  const caps: InflateCaps = {
    maxStream: limits.maxStreamInflatedBytes,
    maxTotal: limits.maxInflatedBytes,
    deadline: limits.deadline,
  };
  const bomb = inflateWarning(await countInflated(body, caps), caps);
  if (bomb) return { segments: [], warnings: [bomb] };
  const read = await readPdfPages(body, limits, false, true);
  if ('warning' in read) return { segments: [], warnings: [read.warning] };
  noteNonsensePages(read.pages);
  await ocrPdfPages(body, read.pages, limits);
  return { segments: read.pages.segments, warnings: pdfCoverageWarnings(read.pageCount, read.pages, limits) };
}

export type PdfTextItem = PdfChildItem;

/** A PDF's text items with positions, page by page, for reading its tables (no OCR). */
export interface PdfLayout {
  pages: { n: number; width: number; height: number; items: PdfTextItem[] }[];
  /** Pages without a text layer (scans). */
  empty: number[];
  /** Chinese: pages failed, timed out, over memory, not read; or why the file was not read at all. */
  warnings: string[];
}

export async function readPdfLayout(body: Buffer, limits: Limits): Promise<PdfLayout> {
  const caps: InflateCaps = {
    maxStream: limits.maxStreamInflatedBytes,
    maxTotal: limits.maxInflatedBytes,
    deadline: limits.deadline,
  };
  const bomb = inflateWarning(await countInflated(body, caps), caps);
  if (bomb) return { pages: [], empty: [], warnings: [bomb] };
  const read = await readPdfPages(body, limits, true);
  if ('warning' in read) return { pages: [], empty: [], warnings: [read.warning] };
  const { pages, pageCount } = read;
  const out: PdfLayout['pages'] = [];
  for (const [n, items] of pages.items ?? new Map<number, PdfChildItem[]>()) {
    const size = pages.sizes.get(n) ?? { width: 0, height: 0 };
    // Chrome-printed PDFs map shared glyphs to radical code points (⽰范区 for 示范区).
    const folded = items.map((i) => ({ ...i, s: foldCjkRadicals(i.s) }));
    if (!pages.empty.includes(n)) out.push({ n, ...size, items: folded });
  }
  out.sort((a, b) => a.n - b.n);
  const noOcr = { ...pages, empty: [], sparseScans: [], garbled: [] };
  return { pages: out, empty: pages.empty, warnings: pdfCoverageWarnings(pageCount, noOcr, limits) };
}
