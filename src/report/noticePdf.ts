import type { InspectionReport, ReportUnit } from './model.js';
import type { NoticeTemplate } from './noticeTemplate.js';
import { renderNoticeContentHtml, renderNoticeHtml } from './noticeHtml.js';
import type { NoticeContent } from './noticeContent.js';
import { htmlToPdf } from '../render/htmlToPdf.js';
import { PDF_MARGIN } from './gongwen.js';

/**
 * 整改通知 for one unit as a PDF: the notice HTML printed by the shared Chromium with the GB/T 9704
 * margins; the page numbers (— 1 —, outer edge) are the HTML's own page-margin boxes.
 */

/** Rejects (Chinese message) when Chromium is missing or cannot print; callers decide what that means. */
export function renderNoticePdf(
  report: InspectionReport,
  unit: ReportUnit,
  template: NoticeTemplate,
  images: Map<string, Buffer> = new Map(),
): Promise<Buffer> {
  return htmlToPdf(renderNoticeHtml(report, unit, template, images), { margin: PDF_MARGIN });
}

/** Any notice's content (整改通知, 督办通知) as a PDF, printed as renderNoticePdf prints. */
export function renderNoticeContentPdf(content: NoticeContent): Promise<Buffer> {
  return htmlToPdf(renderNoticeContentHtml(content), { margin: PDF_MARGIN });
}
