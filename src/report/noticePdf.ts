import type { InspectionReport, ReportUnit } from './model.js';
import type { NoticeTemplate } from './noticeTemplate.js';
import { renderNoticeHtml } from './noticeHtml.js';
import { CJK_FONT_FAMILY, htmlToPdf } from '../render/htmlToPdf.js';

/**
 * 整改通知 for one unit as a PDF: the notice HTML printed by the shared Chromium, with the
 * GB/T 9704 margins and the page number centred in the footer (— 1 —).
 */

const MARGIN = { top: '37mm', bottom: '35mm', left: '28mm', right: '26mm' };
// Single-quoted style: CJK_FONT_FAMILY holds double quotes.
const FOOTER =
  `<div style='width:100%;text-align:center;font-size:14px;font-family:${CJK_FONT_FAMILY};'>` +
  '— <span class="pageNumber"></span> —</div>';

/** Rejects (Chinese message) when Chromium is missing or cannot print; callers decide what that means. */
export function renderNoticePdf(
  report: InspectionReport,
  unit: ReportUnit,
  template: NoticeTemplate,
): Promise<Buffer> {
  return htmlToPdf(renderNoticeHtml(report, unit, template), { margin: MARGIN, footerTemplate: FOOTER });
}
