import type { ReportUnit, InspectionReport } from './model.js';
import type { ReportScreenshot } from './evidenceFiles.js';

/**
 * 取证截图 in a 整改通知: the unit's screenshots as an annex after the findings, each with a caption
 * (the page, when it was fetched, what it proves). Kept apart from the letter's text: the same
 * items are drawn by the PDF (HTML) and the DOCX renderer.
 */
export interface NoticeShot {
  imageHash: string;
  /** 图1 http://… */
  title: string;
  /** 抓取时间 …（北京时间），HTTP 200；截图中已遮蔽个人信息 2 处 */
  record: string;
  /** 所证明的问题：… */
  proves: string;
}

export function noticeShots(report: InspectionReport, unit: ReportUnit): NoticeShot[] {
  const shots = (report.screenshots ?? []).filter((s) => s.unitId === unit.id);
  return shots.map((s, i) => ({
    imageHash: s.imageHash,
    title: `图${i + 1}\u3000${s.pageUrl}`,
    record: recordLine(s),
    proves: provesLine(s, unit),
  }));
}

function recordLine(s: ReportScreenshot): string {
  const parts = [`抓取时间 ${s.fetchedAt}（北京时间），HTTP ${s.status}`];
  if (s.masked) parts.push(`截图中已遮蔽个人信息 ${s.masked} 处`);
  if (s.targets && !s.located) parts.push('未能定位到问题元素，截图为页面顶部');
  return parts.join('；');
}

function provesLine(s: ReportScreenshot, unit: ReportUnit): string {
  const messages = [
    ...new Set(
      s.findingIds
        .map((id) => unit.findings.find((f) => f.findingId === id)?.message)
        .filter((m): m is string => !!m),
    ),
  ];
  if (!messages.length) return '';
  const shown = messages.slice(0, 3).join('；');
  return `所证明的问题：${shown}${messages.length > 3 ? ` 等 ${messages.length} 项` : ''}`;
}

/** The annex that carries the screenshots, after the lists (附件N：取证截图). */
export const EVIDENCE_ANNEX_TITLE = '取证截图';
export const EVIDENCE_ANNEX_NOTE =
  '以下截图为巡查时抓取的页面原样（个人信息已在截图中遮蔽，问题位置以红框标出）；截图、页面副本及其哈希值见巡查报告“证据”文件夹中的《证据清单》。';
