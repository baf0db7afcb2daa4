import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { InspectionReport } from './model.js';
import { renderRankingWorkbook } from './rankingWorkbook.js';
import { renderNoticeDocx } from './noticeDocx.js';
import { loadNoticeTemplate } from './noticeTemplate.js';

export interface WrittenReports {
  dir: string;
  workbook: string;
  notices: string[];
  json: string;
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
  writeFileSync(workbook, await renderRankingWorkbook(report));
  const template = loadNoticeTemplate(templateFile);
  const notices: string[] = [];
  for (const unit of report.units) {
    if (!unit.findings.some((f) => template.outcomes.includes(f.outcome))) continue;
    const file = join(dir, `整改通知-${safeName(unit.name)}.docx`);
    writeFileSync(file, await renderNoticeDocx(report, unit, template));
    notices.push(file);
  }
  const json = join(dir, 'run.json');
  writeFileSync(json, JSON.stringify(report, null, 2));
  return { dir, workbook, notices, json };
}
