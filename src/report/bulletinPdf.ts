import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { InspectionReport } from './model.js';
import { renderBulletinDocx } from './bulletinDocx.js';
import { renderBulletinHtml } from './bulletinHtml.js';
import { htmlToPdf } from '../render/htmlToPdf.js';
import { PDF_MARGIN } from './gongwen.js';

/**
 * The county 通报 as a PDF: the bulletin HTML printed by the shared Chromium with the GB/T 9704
 * margins and the page numbers (— 1 —) on the outer edge, as the notice PDFs have (gongwen.ts).
 */

/** Rejects (Chinese message) when Chromium is missing or cannot print; callers decide what that means. */
export function renderBulletinPdf(report: InspectionReport): Promise<Buffer> {
  return htmlToPdf(renderBulletinHtml(report), { margin: PDF_MARGIN });
}

export interface WrittenBulletin {
  docx: string;
  /** Absent when the PDF could not be printed (see warnings). */
  pdf?: string;
  /** Why the PDF could not be printed (first line of the error). */
  failure?: string;
}

/**
 * Write 通报-<批次>.docx, then the PDF. A missing Chromium only gives a warning; the caller closes
 * the shared browser (writeReports does so after the notice PDFs).
 */
export async function writeBulletin(report: InspectionReport, dir: string): Promise<WrittenBulletin> {
  const base = join(dir, `通报-${report.runId}`);
  const docx = `${base}.docx`;
  writeFileSync(docx, await renderBulletinDocx(report));
  try {
    const pdf = `${base}.pdf`;
    writeFileSync(pdf, await renderBulletinPdf(report));
    return { docx, pdf };
  } catch (err) {
    // Playwright appends a multi-line call log; the first line says what went wrong.
    const reason = (err instanceof Error ? err.message : String(err)).split('\n')[0] ?? '';
    return { docx, failure: reason };
  }
}

/**
 * The run's warnings with the 通报's own added, unless a notice warning already gives the same
 * reason: a missing Chromium is said once, not once per kind of document.
 */
export function withBulletinWarning(bulletin: WrittenBulletin, warnings: string[]): string[] {
  const reason = bulletin.failure;
  if (reason === undefined || warnings.some((w) => w.includes(reason))) return warnings;
  return [...warnings, `未能生成 PDF 版通报：${reason}。DOCX 版已照常生成。`];
}
