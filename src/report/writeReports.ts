import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { InspectionReport, ReportUnit } from './model.js';
import { renderRankingWorkbook } from './rankingWorkbook.js';
import { renderNoticeDocx } from './noticeDocx.js';
import { renderNoticePdf } from './noticePdf.js';
import { loadNoticeTemplate, type NoticeTemplate } from './noticeTemplate.js';
import { withBulletinWarning, writeBulletin } from './bulletinPdf.js';
import { closeBrowser } from '../render/htmlToPdf.js';
import { loadPreviousRuns, renderHtmlReport } from './htmlReport.js';
import { readEvidenceImages } from './evidenceFiles.js';

export interface WrittenReports {
  dir: string;
  workbook: string;
  /** 整改通知 as DOCX, one per unit with listed findings. */
  notices: string[];
  /** The same notices as PDF; fewer than `notices` when some could not be printed (see warnings). */
  noticePdfs: string[];
  json: string;
  /** The county 通报 (通报-<批次>.docx) sent to all units. */
  bulletin: string;
  /** The same 通报 as PDF; absent when it could not be printed (see warnings). */
  bulletinPdf?: string;
  /** 报告.html: the whole run in one offline page (ranking, charts, every unit's findings). */
  html: string;
  /** Chinese messages about outputs that could not be produced; the run itself still succeeded. */
  warnings: string[];
}

/** File-name safe unit name (keeps Chinese; drops path separators and control characters). */
function safeName(name: string): string {
  return name.replace(/[\\/:*?"<>|\x00-\x1f]/g, '_').trim() || 'unit';
}

/** Render every output of a run from the InspectionReport into reports/out/<run>/. */
export async function writeReports(
  report: InspectionReport,
  outRoot: string,
  templateFile?: string,
): Promise<WrittenReports> {
  const dir = resolve(outRoot, String(report.runId));
  mkdirSync(dir, { recursive: true });
  const workbook = join(dir, '网上巡查排名.xlsx');
  // Screenshots were exported into <dir>/证据 by the report stage (they come from the store).
  const images = readEvidenceImages(dir, report.screenshots ?? []);
  writeFileSync(workbook, await renderRankingWorkbook(report, images));
  const template = loadNoticeTemplate(templateFile);
  const units = report.units.filter((u) => u.findings.some((f) => template.outcomes.includes(f.outcome)));
  const notices: string[] = [];
  for (const unit of units) {
    const file = join(dir, `整改通知-${safeName(unit.name)}.docx`);
    writeFileSync(file, await renderNoticeDocx(report, unit, template, images));
    notices.push(file);
  }
  const json = join(dir, 'run.json');
  writeFileSync(json, JSON.stringify(report, null, 2));
  const html = join(dir, '报告.html');
  writeFileSync(html, renderHtmlReport(report, { previousRuns: loadPreviousRuns(outRoot, report), images }));
  // PDFs last: they need Chromium, and everything above must be on disk even when it is missing.
  // The 通报 writes its DOCX first; its PDF shares the browser that writeNoticePdfs closes.
  const bulletin = await writeBulletin(report, dir);
  const { files: noticePdfs, warnings } = await writeNoticePdfs(report, units, template, dir, images);
  return {
    dir,
    workbook,
    notices,
    noticePdfs,
    json,
    html,
    bulletin: bulletin.docx,
    ...(bulletin.pdf ? { bulletinPdf: bulletin.pdf } : {}),
    warnings: withBulletinWarning(bulletin, warnings),
  };
}

async function writeNoticePdfs(
  report: InspectionReport,
  units: ReportUnit[],
  template: NoticeTemplate,
  dir: string,
  images: Map<string, Buffer>,
): Promise<{ files: string[]; warnings: string[] }> {
  const files: string[] = [];
  /** Failure reason → units, so a missing Chromium gives one warning, not one per unit. */
  const failed = new Map<string, string[]>();
  try {
    for (const unit of units) {
      const file = join(dir, `整改通知-${safeName(unit.name)}.pdf`);
      try {
        writeFileSync(file, await renderNoticePdf(report, unit, template, images));
        files.push(file);
      } catch (err) {
        // Playwright appends a multi-line call log; the first line says what went wrong.
        const reason = (err instanceof Error ? err.message : String(err)).split('\n')[0] ?? '';
        failed.set(reason, [...(failed.get(reason) ?? []), unit.name]);
      }
    }
  } finally {
    // The shared browser would keep the CLI process alive.
    await closeBrowser();
  }
  const warnings = [...failed].map(
    ([reason, names]) => `未能生成 PDF 版整改通知（${names.join('、')}）：${reason}。DOCX 版已照常生成。`,
  );
  return { files, warnings };
}
