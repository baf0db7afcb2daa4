/**
 * Charts for the HTML report, drawn here as inline SVG strings: no chart library, no script and
 * nothing loaded at view time. Every label is escaped (unit and category names come from settings,
 * but they are text all the same). Each chart carries a <title> and an aria-label for screen readers
 * and a class naming its kind, which the tests look for.
 */

import { escapeXml } from './escape.js';

export { escapeXml };

const FONT = 'font-family="Noto Sans CJK SC, sans-serif"';
const BAR_COLOUR = '#3b6ea8';
const AXIS_COLOUR = '#666';

/** A number as shown on a chart: at most one decimal, no trailing zero. */
function num(n: number): string {
  return String(Math.round(n * 10) / 10);
}

/** The grid step for values up to max: 1, 2 or 5 × 10ⁿ, at most 5 steps, never below 1 (counts are whole). */
function axisStep(max: number): number {
  const raw = Math.max(1, max / 5);
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  return ([1, 2, 5, 10].map((m) => m * magnitude).find((s) => s >= raw) ?? raw) as number;
}

/** The top of the value axis: the first grid line at or above max. */
function axisTop(max: number): number {
  const step = axisStep(max);
  return Math.max(step, Math.ceil(max / step) * step);
}

function svgOpen(kind: string, width: number, height: number, title: string): string {
  const t = escapeXml(title);
  return (
    `<svg class="chart chart-${kind}" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" ` +
    `width="${width}" height="${height}" role="img" aria-label="${t}"><title>${t}</title>`
  );
}

function text(x: number, y: number, content: string, attrs = ''): string {
  return `<text x="${num(x)}" y="${num(y)}" ${FONT} font-size="12"${attrs ? ` ${attrs}` : ''}>${escapeXml(content)}</text>`;
}

/** Horizontal grid lines with their values on the left. */
function valueAxis(top: number, x0: number, x1: number, y0: number, plotHeight: number): string[] {
  const ticks = Math.max(1, Math.round(top / axisStep(top)));
  const out: string[] = [];
  for (let i = 0; i <= ticks; i++) {
    const value = (top / ticks) * i;
    const y = y0 - (plotHeight * i) / ticks;
    out.push(
      `<line x1="${x0}" x2="${x1}" y1="${num(y)}" y2="${num(y)}" stroke="${i === 0 ? AXIS_COLOUR : '#ddd'}"/>`,
    );
    out.push(text(x0 - 6, y + 4, num(value), 'text-anchor="end" fill="#333"'));
  }
  return out;
}

export interface Bin {
  label: string;
  count: number;
}

/** Scores in bins of 10 (0–9.99 … 90–100); 100 falls in the last bin. Scores outside 0–100 are clamped. */
export function scoreBins(scores: number[]): Bin[] {
  const bins: Bin[] = Array.from({ length: 10 }, (_, i) => ({
    label: i === 9 ? '90–100' : `${i * 10}–${i * 10 + 9}`,
    count: 0,
  }));
  for (const s of scores) {
    const i = Math.min(9, Math.max(0, Math.floor(s / 10)));
    bins[i]!.count++;
  }
  return bins;
}

/** Vertical bars over fixed bins: the score distribution. */
export function histogramSvg(bins: Bin[], title: string, valueLabel = '单位数'): string {
  const width = 640;
  const height = 280;
  const left = 48;
  const right = 16;
  const top = 36;
  const bottom = 48;
  const plotW = width - left - right;
  const plotH = height - top - bottom;
  const y0 = top + plotH;
  const max = axisTop(Math.max(0, ...bins.map((b) => b.count)));
  const slot = plotW / Math.max(1, bins.length);
  const parts = [
    svgOpen('histogram', width, height, title),
    ...valueAxis(max, left, width - right, y0, plotH),
  ];
  bins.forEach((b, i) => {
    const h = (plotH * b.count) / max;
    const x = left + slot * i + slot * 0.1;
    const w = slot * 0.8;
    parts.push(
      `<rect class="bar" x="${num(x)}" y="${num(y0 - h)}" width="${num(w)}" height="${num(h)}" fill="${BAR_COLOUR}">` +
        `<title>${escapeXml(`${b.label} 分：${b.count} 个单位`)}</title></rect>`,
    );
    if (b.count > 0) parts.push(text(x + w / 2, y0 - h - 4, String(b.count), 'text-anchor="middle"'));
    parts.push(text(x + w / 2, y0 + 16, b.label, 'text-anchor="middle" fill="#333"'));
  });
  parts.push(text(8, 16, valueLabel, 'fill="#333"'));
  parts.push(text(left + plotW / 2, height - 10, '得分区间（分）', 'text-anchor="middle" fill="#333"'));
  parts.push('</svg>');
  return parts.join('');
}

export interface BarItem {
  label: string;
  value: number;
}

/** Horizontal bars, one per item in the given order: problems by category. */
export function barChartSvg(items: BarItem[], title: string): string {
  const width = 640;
  const rowH = 30;
  const left = 130;
  const right = 48;
  const top = 12;
  const height = top + rowH * Math.max(1, items.length) + 12;
  const plotW = width - left - right;
  const max = Math.max(1, ...items.map((i) => i.value));
  const parts = [svgOpen('bar', width, height, title)];
  items.forEach((item, i) => {
    const y = top + rowH * i;
    const w = (plotW * item.value) / max;
    parts.push(text(left - 8, y + rowH / 2 + 4, item.label, 'text-anchor="end" fill="#333"'));
    parts.push(
      `<rect class="bar" x="${left}" y="${num(y + 5)}" width="${num(w)}" height="${rowH - 10}" fill="${BAR_COLOUR}">` +
        `<title>${escapeXml(`${item.label}：${item.value}`)}</title></rect>`,
    );
    parts.push(text(left + w + 6, y + rowH / 2 + 4, String(item.value)));
  });
  parts.push(`<line x1="${left}" x2="${left}" y1="${top}" y2="${height - 12}" stroke="${AXIS_COLOUR}"/>`);
  parts.push('</svg>');
  return parts.join('');
}

export interface LineSeries {
  name: string;
  colour: string;
  /** One value per label; undefined where the run has none (the line breaks there). */
  points: (number | undefined)[];
  /** The top of the value axis (e.g. 100 for scores); a round number above the largest value when absent. */
  max?: number;
}

/** One line over a shared x axis (one label per run): a trend over runs. */
export function lineChartSvg(labels: string[], series: LineSeries, title: string): string {
  const width = 640;
  const height = 240;
  const left = 48;
  const right = 24;
  const inset = 56;
  const top = 36;
  const bottom = 40;
  const plotW = width - left - right;
  const plotH = height - top - bottom;
  const y0 = top + plotH;
  const span = plotW - 2 * inset;
  const xAt = (i: number) =>
    labels.length > 1 ? left + inset + (span * i) / (labels.length - 1) : left + plotW / 2;
  const values = series.points.filter((v): v is number => v !== undefined);
  const max = series.max ?? axisTop(Math.max(0, ...values));
  const yAt = (v: number) => y0 - (plotH * v) / max;
  const parts = [svgOpen('line', width, height, title), ...valueAxis(max, left, width - right, y0, plotH)];
  labels.forEach((l, i) => parts.push(text(xAt(i), y0 + 18, l, 'text-anchor="middle" fill="#333"')));
  parts.push(
    `<rect x="${left}" y="8" width="12" height="12" fill="${series.colour}"/>` +
      text(left + 18, 18, series.name, 'fill="#333"'),
  );
  let path = '';
  series.points.forEach((v, i) => {
    if (v === undefined) return;
    const cmd = i > 0 && series.points[i - 1] !== undefined ? 'L' : 'M';
    path += `${cmd}${num(xAt(i))},${num(yAt(v))}`;
  });
  if (path)
    parts.push(`<path class="series" d="${path}" fill="none" stroke="${series.colour}" stroke-width="2"/>`);
  series.points.forEach((v, i) => {
    if (v === undefined) return;
    parts.push(
      `<circle cx="${num(xAt(i))}" cy="${num(yAt(v))}" r="4" fill="${series.colour}">` +
        `<title>${escapeXml(`${labels[i] ?? ''} ${series.name}：${num(v)}`)}</title></circle>`,
    );
    parts.push(text(xAt(i), yAt(v) - 8, num(v), `text-anchor="middle" fill="${series.colour}"`));
  });
  parts.push('</svg>');
  return parts.join('');
}
