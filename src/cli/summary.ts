import type { Logger } from '../log.js';
import type { WrittenReports } from '../report/writeReports.js';
import type { InspectionReport } from '../report/model.js';
import { readFileSync } from 'node:fs';

function pad(s: string, width: number): string {
  // CJK characters take two terminal columns.
  const w = [...s].reduce((a, ch) => a + (/[\u2e80-\uffff]/.test(ch) ? 2 : 1), 0);
  return s + ' '.repeat(Math.max(0, width - w));
}

/** The short Chinese summary printed at the end of a run. */
export function printSummary(log: Logger, written: WrittenReports): void {
  const report = JSON.parse(readFileSync(written.json, 'utf8')) as InspectionReport;
  log.info('');
  log.info(`网上巡查结果（检查日期 ${report.inspectionDate}，共 ${report.units.length} 个单位）`);
  log.info(`${pad('排名', 6)}${pad('单位', 28)}${pad('得分', 8)}${pad('等级', 8)}问题数`);
  for (const u of report.units) {
    const problems = u.findings.filter((f) => f.outcome === 'fail').length;
    log.info(
      `${pad(String(u.rank), 6)}${pad(u.name, 28)}${pad(u.score.toFixed(1), 8)}${pad(u.grade, 8)}${problems}${u.vetoed ? `  单项否决：${u.vetoReason}` : ''}`,
    );
  }
  if (report.unverified.length)
    log.info(`注意：${report.unverified.length} 项规则数据尚待核实，详见排名表「说明」工作表。`);
  log.info('');
  log.info(`报告已生成：${written.dir}`);
  log.info(`  排名表：${written.workbook}`);
  log.info(`  整改通知：${written.notices.length} 份`);
  log.info(`  完整数据：${written.json}`);
}
