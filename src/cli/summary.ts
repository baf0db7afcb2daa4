import { formatTable, type Logger } from '../log.js';
import type { WrittenReports } from '../report/writeReports.js';
import type { InspectionReport } from '../report/model.js';
import { readFileSync } from 'node:fs';
import { countProblems, PROBLEM_DEFINITION } from '../report/counts.js';

/** The short Chinese summary printed at the end of a run. */
export function printSummary(log: Logger, written: WrittenReports): void {
  const report = JSON.parse(readFileSync(written.json, 'utf8')) as InspectionReport;
  log.info('');
  log.info(`网上巡查结果（检查日期 ${report.inspectionDate}，共 ${report.units.length} 个单位）`);
  const rows = report.units.map((u) => [
    u.unscored !== undefined ? '—' : String(u.rank),
    u.name,
    u.unscored !== undefined ? '—' : u.score.toFixed(1),
    u.grade,
    String(countProblems(u.findings)),
    u.unscored !== undefined ? `不评分：${u.unscored}` : u.vetoed ? `单项否决：${u.vetoReason}` : '',
  ]);
  for (const line of formatTable([['排名', '单位', '得分', '等级', '问题数', '说明'], ...rows]))
    log.info(line);
  log.info(`说明：${PROBLEM_DEFINITION}`);
  if (report.unverified.length)
    log.info(`注意：${report.unverified.length} 项规则数据尚待核实，详见排名表「说明」工作表。`);
  log.info('');
  log.info(`报告已生成：${written.dir}`);
  log.info(`  排名表：${written.workbook}`);
  log.info(`  整改通知：${noticeCount(written)}`);
  log.info(`  完整数据：${written.json}`);
}

/** 5 份（DOCX 与 PDF）, or both counts when some PDFs are missing (the warnings say why). */
function noticeCount(written: WrittenReports): string {
  const docx = written.notices.length;
  const pdf = written.noticePdfs.length;
  if (pdf !== docx) return `DOCX ${docx} 份，PDF ${pdf} 份`;
  return docx === 0 ? '0 份' : `${docx} 份（DOCX 与 PDF）`;
}
