import { html, raw, type Html } from './html.js';
import type { InspectionReport } from '../report/model.js';
import { isProblem } from '../report/counts.js';
import { barChartSvg, escapeXml, histogramSvg, lineChartSvg, scoreBins } from '../report/svgCharts.js';
import type { UnitStanding } from './data/batches.js';
import type { DayAvailability } from './data/probes.js';

/**
 * The console's charts: the report's own SVG charts (src/report/svgCharts.ts — the same bins, axes
 * and escaping as 报告.html) fed from the same InspectionReport, plus one small availability strip
 * that the reports have no counterpart for. Every label inside is escaped by the chart code; `raw`
 * only marks the finished SVG as markup the console made.
 */

/** Units per score bin; unscored units (home page unreachable) are left out, as in 报告.html. */
export function scoreDistributionChart(report: InspectionReport): Html {
  const scored = report.units.filter((u) => u.unscored === undefined);
  return raw(histogramSvg(scoreBins(scored.map((u) => u.score)), '各得分区间的单位数'));
}

/** 问题 per check (counts.ts's definition), largest first; at most `limit` checks. */
export function problemsByCheck(
  report: InspectionReport,
): { label: string; value: number; checkId: string }[] {
  const byCheck = new Map<string, { label: string; value: number; checkId: string }>();
  for (const u of report.units)
    for (const f of u.findings) {
      if (!isProblem(f)) continue;
      const item = byCheck.get(f.checkId) ?? { label: f.checkTitle, value: 0, checkId: f.checkId };
      item.value++;
      byCheck.set(f.checkId, item);
    }
  return [...byCheck.values()].sort((a, b) => b.value - a.value || a.label.localeCompare(b.label, 'zh-CN'));
}

export function problemsByCheckChart(report: InspectionReport, limit = 12): Html {
  const items = problemsByCheck(report).slice(0, limit);
  if (!items.length) return raw('');
  return raw(barChartSvg(items, '各检查项问题数（全部单位合计）'));
}

/** The two charts of a batch, side by side (overview and batch page). */
export function batchCharts(report: InspectionReport): Html {
  return html`<div class="charts">
    <figure>
      <figcaption>得分分布</figcaption>
      ${scoreDistributionChart(report)}
    </figure>
    <figure>
      <figcaption>各检查项问题数</figcaption>
      ${problemsByCheckChart(report)}
    </figure>
  </div>`;
}

/** A unit's stored score per batch, oldest first; unscored batches break the line. */
export function unitScoreChart(history: UnitStanding[]): Html {
  const runs = [...history].reverse().filter((h) => h.grade !== undefined);
  const labels = runs.map((h) => `第${h.runId}批 ${h.inspectionDate}`);
  const series = { name: '得分', colour: '#3b6ea8', points: runs.map((h) => h.score), max: 100 };
  return raw(lineChartSvg(labels, series, '历次巡查得分'));
}

/** Rank per batch (1 is best: the line falling means the unit rose). */
export function unitRankChart(history: UnitStanding[]): Html {
  const runs = [...history].reverse().filter((h) => h.grade !== undefined);
  const labels = runs.map((h) => `第${h.runId}批 ${h.inspectionDate}`);
  const series = { name: '名次（数值越小越靠前）', colour: '#c0504d', points: runs.map((h) => h.rank) };
  return raw(lineChartSvg(labels, series, '历次巡查名次'));
}

/** Daily availability (%) of one unit, days without probes left as gaps. */
export function availabilityChart(days: DayAvailability[], unitName: string): Html {
  const labels = days.map((d) => d.day.slice(5));
  const points = days.map((d) => (d.probes ? ((d.probes - d.failures) / d.probes) * 100 : undefined));
  const series = { name: '可访问比例（%）', colour: '#3b6ea8', points, max: 100 };
  return raw(lineChartSvg(labels, series, `${unitName} 每日首页可访问比例`));
}

/** The colour of a day: no probes grey, then green → red as the failure share passes the veto line. */
function dayColour(d: DayAvailability, vetoShare: number): string {
  if (!d.probes) return '#ddd';
  const share = d.failures / d.probes;
  if (share === 0) return '#4c9a52';
  return share >= vetoShare ? '#c0392b' : '#e0a800';
}

/** One cell per day: a row of the availability table that shows a week or a month at a glance. */
export function availabilityStrip(days: DayAvailability[], vetoShare: number): Html {
  const cell = 14;
  const width = days.length * (cell + 2);
  const parts = [
    `<svg class="chart chart-strip" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${cell}" ` +
      `width="${width}" height="${cell}" role="img" aria-label="每日可访问情况"><title>每日可访问情况</title>`,
  ];
  days.forEach((d, i) => {
    const label = d.probes ? `${d.day}：监测 ${d.probes} 次，失败 ${d.failures} 次` : `${d.day}：无监测`;
    parts.push(
      `<rect x="${i * (cell + 2)}" y="0" width="${cell}" height="${cell}" fill="${dayColour(d, vetoShare)}">` +
        `<title>${escapeXml(label)}</title></rect>`,
    );
  });
  parts.push('</svg>');
  return raw(parts.join(''));
}
