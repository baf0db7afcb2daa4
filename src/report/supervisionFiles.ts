import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { closeBrowser } from '../render/htmlToPdf.js';
import { renderNoticeContentDocx } from './noticeDocx.js';
import { renderNoticeContentPdf } from './noticePdf.js';
import type { NoticeTemplate } from './noticeTemplate.js';
import type { SupervisionReport } from './supervision.js';
import { supervisionContent } from './supervisionContent.js';
import type { SupervisionTemplate } from './supervisionTemplate.js';

export interface WrittenSupervision {
  /** 督办通知-<单位>.docx, one per unit with 未整改 problems. */
  docx: string[];
  /** The same as PDF; fewer when Chromium could not print (see warnings). */
  pdfs: string[];
  /** Chinese messages about files that could not be produced. */
  warnings: string[];
}

/** File-name safe unit name (keeps Chinese; drops path separators and control characters). */
function safeName(name: string): string {
  return name.replace(/[\\/:*?"<>|\x00-\x1f]/g, '_').trim() || 'unit';
}

/** The file name of a unit's 督办通知, without extension. */
export function supervisionFileStem(unitName: string): string {
  return `督办通知-${safeName(unitName)}`;
}

/**
 * Every 督办通知 of the plan into `dir` (the re-check's folder, beside 整改复查.xlsx), DOCX first,
 * then PDF: a missing Chromium costs the PDFs only, with one warning.
 */
export async function writeSupervisionNotices(
  plan: SupervisionReport,
  dir: string,
  notice: NoticeTemplate,
  template: SupervisionTemplate,
): Promise<WrittenSupervision> {
  mkdirSync(dir, { recursive: true });
  const contents = plan.units.map((su) => ({
    stem: join(dir, supervisionFileStem(su.unit.name)),
    name: su.unit.name,
    content: supervisionContent(plan, su, notice, template),
  }));
  const docx: string[] = [];
  for (const c of contents) {
    const file = `${c.stem}.docx`;
    writeFileSync(file, await renderNoticeContentDocx(c.content, plan.report.tool.name));
    docx.push(file);
  }
  const pdfs: string[] = [];
  /** Failure reason → units, so a missing Chromium gives one warning, not one per unit. */
  const failed = new Map<string, string[]>();
  try {
    for (const c of contents) {
      const file = `${c.stem}.pdf`;
      try {
        writeFileSync(file, await renderNoticeContentPdf(c.content));
        pdfs.push(file);
      } catch (err) {
        // Playwright appends a multi-line call log; the first line says what went wrong.
        const reason = (err instanceof Error ? err.message : String(err)).split('\n')[0] ?? '';
        failed.set(reason, [...(failed.get(reason) ?? []), c.name]);
      }
    }
  } finally {
    if (contents.length) await closeBrowser();
  }
  const warnings = [...failed].map(
    ([reason, names]) => `未能生成 PDF 版督办通知（${names.join('、')}）：${reason}。DOCX 版已照常生成。`,
  );
  return { docx, pdfs, warnings };
}
