import { getDocumentProxy, getResolvedPDFJS } from 'unpdf';
import { DeadlineError, SCANNED_WARNING, withDeadline, type Limits } from './limits.js';
import { ocrPdfPages } from './pdfOcr.js';
import type { Parsed, TextSegment } from './types.js';
import { foldCjkRadicals } from '../cjkRadicals.js';

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

export interface PdfPages {
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

function emptyPdfPages(): PdfPages {
  return {
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
}

/** Records page n's text (or its lack); a page with little text is checked for a raster image. */
async function notePageText(
  pdf: PdfDocument,
  n: number,
  text: string,
  pages: PdfPages,
  limits: Limits,
): Promise<void> {
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

/** Reads pages until the page cap or the deadline; one bad page does not lose the others. */
async function readPdfPages(pdf: PdfDocument, limits: Limits): Promise<PdfPages> {
  const pages = emptyPdfPages();
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
    await notePageText(pdf, n, text, pages, limits);
  }
  return pages;
}

export async function extractPdf(body: Buffer, limits: Limits): Promise<Parsed> {
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
