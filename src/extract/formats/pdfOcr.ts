import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Limits } from './limits.js';
import {
  detectOcrTools,
  MAX_OCR_MS_PER_PAGE,
  MAX_OCR_PIXELS,
  ocrAvailable,
  ocrImageFile,
  run,
  withTempDir,
  type OcrOutcome,
} from './ocr.js';
import type { PdfPages } from './pdf.js';

const PDF_RASTER_DPI = 200;

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

function pageOf(location: string): number {
  return Number(/^第(\d+)页/.exec(location)?.[1] ?? 0);
}

/** OCRs the wanted pages in order, within the shared OCR page cap and the deadline. */
async function ocrWantedPages(
  body: Buffer,
  wanted: number[],
  pages: PdfPages,
  limits: Limits,
): Promise<void> {
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
}

/**
 * OCRs pages without a text layer, sparse pages that show a raster image and pages whose text
 * layer is garbage. Pages OCR reads leave `empty` (and `sparseScans`; `garbled` pages stay listed,
 * with `ocrRead` telling they were read); the rest keep their "needs review" warning.
 */
export async function ocrPdfPages(body: Buffer, pages: PdfPages, limits: Limits): Promise<void> {
  const wanted = [...pages.empty, ...pages.sparseScans, ...pages.garbled].sort((a, b) => a - b);
  if (wanted.length === 0 || !(await ocrAvailable(limits)) || !(await detectOcrTools()).pdftoppm) return;
  await ocrWantedPages(body, wanted, pages, limits);
  pages.segments.sort((a, b) => pageOf(a.location) - pageOf(b.location));
  pages.empty = pages.empty.filter((n) => !pages.ocrRead.includes(n));
  // A sparse page OCR ran on is checked: its own text layer was read, and so was the image.
  const unread = new Set([...pages.ocrFailed, ...pages.ocrSkipped]);
  pages.sparseScans = pages.sparseScans.filter((n) => unread.has(n));
}
