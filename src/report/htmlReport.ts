import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { OUTCOME_LABELS } from '../checks/defineCheck.js';
import type { Outcome } from '../checks/types.js';
import type { IndicatorResult, InspectionReport, ReportFinding, ReportUnit } from './model.js';
import { countProblems, PROBLEM_DEFINITION } from './counts.js';
import { formatScore, signed, standingChange, unitsInRankOrder } from './standing.js';
import { printable } from './noticeContent.js';
import { isFailingUnit } from './rankingWorkbook.js';
import { barChartSvg, escapeXml, histogramSvg, lineChartSvg, scoreBins } from './svgCharts.js';
import { shotsByFinding, type ReportScreenshot } from './evidenceFiles.js';
import {
  DEFAULT_EMBED_BYTES,
  EVIDENCE_STYLE,
  evidenceSectionHtml,
  shotAnchor,
  type EvidenceImages,
} from './evidenceHtml.js';

/**
 * 报告.html: the whole run in one self-contained page that opens offline in any browser. A pure
 * function of the InspectionReport (and, for the trend, of earlier runs' reports when given).
 *
 * Nothing is loaded from outside the file: the CSS and the table-sorting script are inline, charts
 * are SVG drawn here, fonts are the viewer's own. Scraped text (titles, messages, evidence, URLs)
 * is escaped everywhere, links are written only for http(s) addresses, and a Content-Security-Policy
 * lets only this file's own script run (by hash), so even a markup slip could not execute anything.
 *
 * Counts are the ones the ranking workbook shows: unit.counts per category title (findings with
 * outcome 问题) and their sum as 问题总数.
 */

export interface HtmlReportOptions {
  /** Earlier runs' reports (any order); the trend chart is drawn only when at least one is given. */
  previousRuns?: InspectionReport[];
  /** Screenshot bytes by hash (from the 证据 folder); without them screenshots are linked, not shown. */
  images?: Map<string, Buffer>;
  /** Most image bytes embedded in the report (default 40 MB); the rest are linked to their files. */
  maxEmbeddedBytes?: number;
}

/** At most this many earlier runs in the trend (a year of monthly inspections). */
const MAX_TREND_RUNS = 12;

/**
 * Earlier runs' reports for the trend, following previousRunId (when the report carries it) back
 * through the run.json files under outRoot. Stops at the first run whose run.json is missing or
 * unreadable: the trend shows only runs whose reports exist, nothing is filled in.
 */
export function loadPreviousRuns(outRoot: string, report: InspectionReport): InspectionReport[] {
  const runs: InspectionReport[] = [];
  const seen = new Set([report.runId]);
  let id = report.previousRunId;
  while (id !== undefined && !seen.has(id) && runs.length < MAX_TREND_RUNS) {
    seen.add(id);
    let previous: InspectionReport;
    try {
      previous = JSON.parse(readFileSync(join(outRoot, String(id), 'run.json'), 'utf8')) as InspectionReport;
    } catch {
      break;
    }
    if (previous.runId !== id || !Array.isArray(previous.units)) break;
    runs.push(previous);
    id = previous.previousRunId;
  }
  return runs;
}

const INDICATOR_KIND_LABELS: Record<IndicatorResult['kind'], string> = {
  veto: '否决',
  deduct: '扣分',
  bonus: '加分',
};

/** Findings inside a check group: problems first, then hints, reviews, errors, dismissed. */
const OUTCOME_ORDER: Outcome[] = ['fail', 'warn', 'needs-review', 'error', 'dismissed'];

/** Sorts a table.sortable by the clicked header; data-sort holds the key, blanks go last. */
const SORT_SCRIPT = `(function () {
  function key(cell) { var k = cell.getAttribute('data-sort'); return k === null ? cell.textContent.trim() : k; }
  document.querySelectorAll('table.sortable').forEach(function (table) {
    var heads = table.tHead.rows[0].cells;
    Array.prototype.forEach.call(heads, function (th, col) {
      var button = th.querySelector('button');
      if (!button) return;
      button.addEventListener('click', function () {
        var asc = th.getAttribute('aria-sort') !== 'ascending';
        Array.prototype.forEach.call(heads, function (h) { h.removeAttribute('aria-sort'); });
        th.setAttribute('aria-sort', asc ? 'ascending' : 'descending');
        var numeric = th.getAttribute('data-type') === 'number';
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (a, b) {
          var x = key(a.cells[col]), y = key(b.cells[col]);
          if (numeric) {
            var nx = x === '' ? NaN : Number(x), ny = y === '' ? NaN : Number(y);
            if (isNaN(nx) || isNaN(ny)) return (isNaN(nx) ? 1 : 0) - (isNaN(ny) ? 1 : 0);
            return asc ? nx - ny : ny - nx;
          }
          var c = x.localeCompare(y, 'zh-CN');
          return asc ? c : -c;
        });
        rows.forEach(function (r) { body.appendChild(r); });
      });
    });
  });
})();`;

const SCRIPT_HASH = createHash('sha256').update(SORT_SCRIPT).digest('base64');
const CSP = `default-src 'none'; style-src 'unsafe-inline'; img-src data:; script-src 'sha256-${SCRIPT_HASH}'; base-uri 'none'; form-action 'none'`;

const STYLE = `
* { box-sizing: border-box; }
body { margin: 0 auto; max-width: 1200px; padding: 16px 24px 48px; color: #222; line-height: 1.6;
  font-family: "Noto Sans CJK SC", "Microsoft YaHei", "PingFang SC", sans-serif; font-size: 15px; }
h1 { font-size: 26px; margin: 8px 0; } h2 { font-size: 20px; margin: 32px 0 8px; border-bottom: 2px solid #3b6ea8; }
h3 { font-size: 17px; margin: 20px 0 6px; } h4 { font-size: 15px; margin: 16px 0 4px; } h5 { font-size: 14px; margin: 12px 0 4px; }
.meta { color: #555; margin: 0; }
table { border-collapse: collapse; width: 100%; margin: 6px 0 12px; font-size: 14px; }
th { white-space: nowrap; }
th, td { border: 1px solid #ccc; padding: 4px 6px; text-align: left; vertical-align: top; overflow-wrap: anywhere; }
th { background: #eef2f7; }
td.num { text-align: right; white-space: nowrap; }
th button { all: unset; cursor: pointer; }
th button::after { content: " ⇅"; color: #999; }
th[aria-sort="ascending"] button::after { content: " ↑"; color: #222; }
th[aria-sort="descending"] button::after { content: " ↓"; color: #222; }
tr.failing td { background: #fde8e8; }
.charts { display: flex; flex-wrap: wrap; gap: 16px; }
.charts figure { margin: 0; } .charts figcaption { font-weight: 700; }
svg.chart { max-width: 100%; height: auto; }
.veto, .unscored { color: #a40000; font-weight: 700; }
.basis { color: #555; font-size: 13px; }
.outcome { white-space: nowrap; } .outcome-fail { color: #a40000; } .outcome-warn { color: #8a5a00; }
.url { word-break: break-all; }
.top { font-size: 13px; }
.table-wrap { overflow-x: auto; }
/* Many category columns: headers wrap, unit names do not. */
table.ranking th { white-space: normal; vertical-align: bottom; }
table.ranking td.name { white-space: nowrap; }
`;

/** Scraped or configured text as HTML: control characters dropped as in the notices, markup escaped. */
function esc(text: string | number): string {
  return escapeXml(printable(String(text)));
}

/** A table cell; `key` (data-sort) is what the sorting script compares. */
function td(content: string, key?: string | number, cls = ''): string {
  const sort = key === undefined ? '' : ` data-sort="${esc(key)}"`;
  return `<td${cls ? ` class="${cls}"` : ''}${sort}>${content}</td>`;
}

/** 2026-11-24T01:00:00.000Z → 2026-11-24 09:00（北京时间）; China has had no daylight saving since 1991. */
export function shanghaiTime(iso: string): string {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return iso;
  const s = new Date(t + 8 * 3600_000).toISOString();
  return `${s.slice(0, 10)} ${s.slice(11, 16)}`;
}

/** Links only for http(s) addresses; anything else (javascript:, data:, relative) is shown as text. */
function urlHtml(url: string): string {
  if (!url) return '';
  let ok = false;
  try {
    ok = /^https?:\/\//i.test(url) && ['http:', 'https:'].includes(new URL(url).protocol);
  } catch {
    ok = false;
  }
  const shown = `<span class="url">${esc(url)}</span>`;
  return ok ? `<a href="${esc(url)}" rel="noreferrer noopener" target="_blank">${shown}</a>` : shown;
}

/** 问题总数 as the workbook counts it (src/report/counts.ts). */
function problemTotal(unit: ReportUnit): number {
  return countProblems(unit.findings);
}

function deadLinkRate(unit: ReportUnit): number | undefined {
  const { links, deadLinks } = unit.crawl;
  return links ? ((deadLinks ?? 0) / links) * 100 : undefined;
}

export function renderHtmlReport(report: InspectionReport, options: HtmlReportOptions = {}): string {
  const units = unitsInRankOrder(report);
  const anchors = new Map(units.map((u, i) => [u, `unit-${i + 1}`]));
  const title = `网上巡查报告（第 ${report.runId} 批次，检查日期 ${report.inspectionDate}）`;
  const evidence: EvidenceImages = {
    images: options.images ?? new Map(),
    budget: { bytes: options.maxEmbeddedBytes ?? DEFAULT_EMBED_BYTES },
  };
  return [
    '<!DOCTYPE html>',
    '<html lang="zh-CN"><head><meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${CSP}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta name="referrer" content="no-referrer">',
    '<link rel="icon" href="data:,">',
    `<title>${esc(title)}</title>`,
    `<style>${STYLE}${EVIDENCE_STYLE}</style>`,
    '</head><body>',
    header(report, title),
    summary(report, units),
    rankingTable(report, units, anchors),
    charts(report, options.previousRuns ?? []),
    '<h2 id="units">各单位情况</h2>',
    ...units.map((u) => unitSection(report, u, anchors.get(u) ?? '', evidence)),
    notes(report),
    `<script>${SORT_SCRIPT}</script>`,
    '</body></html>',
  ].join('\n');
}

function header(report: InspectionReport, title: string): string {
  const facts = [
    `批次：第 ${report.runId} 批`,
    `检查日期：${report.inspectionDate}`,
    `巡查时间：${shanghaiTime(report.startedAt)} 至 ${shanghaiTime(report.finishedAt)}（北京时间）`,
    `指标体系：${report.indicatorSystem.title}`,
    `发布单位：${report.notice.issuer}`,
  ];
  return [
    '<header>',
    `<h1>${esc(title)}</h1>`,
    ...facts.map((f) => `<p class="meta">${esc(f)}</p>`),
    '</header>',
  ].join('\n');
}

function summary(report: InspectionReport, units: ReportUnit[]): string {
  const scored = units.filter((u) => u.unscored === undefined);
  const failing = units.filter((u) => isFailingUnit(u, report));
  const total = units.reduce((sum, u) => sum + problemTotal(u), 0);
  const text =
    `本次共巡查 ${units.length} 个单位的网站，其中 ${scored.length} 个单位计分，` +
    `${failing.length} 个单位不合格（单项否决、得分低于 ${report.indicatorSystem.failBelow} 分或网站无法访问），` +
    `共发现问题 ${total} 个。整改时限 ${report.notice.deadlineWorkdays} 个工作日（截至 ${report.notice.deadline}）。`;
  return `<p class="summary">${esc(text)}</p>`;
}

function sortableHead(label: string, numeric: boolean): string {
  return `<th${numeric ? ' data-type="number"' : ''}><button type="button">${esc(label)}</button></th>`;
}

function rankingTable(
  report: InspectionReport,
  units: ReportUnit[],
  anchors: Map<ReportUnit, string>,
): string {
  const trend = report.previousRunId !== undefined;
  const heads: [string, boolean][] = [
    ['排名', true],
    ['单位', false],
    ['级别', false],
    ['得分', true],
    ['等级', false],
    ['单项否决', false],
    ...report.categories.map((c): [string, boolean] => [c.title, true]),
    ['问题数', true],
    ...(trend ? [['升降位次', true] as [string, boolean], ['得分变化', true] as [string, boolean]] : []),
    ['抓取页面', true],
    ['死链率', true],
  ];
  const rows = units.map((u) => {
    const unscored = u.unscored !== undefined;
    const rate = deadLinkRate(u);
    const cells = [
      td(unscored ? '—' : esc(u.rank), unscored ? '' : u.rank, 'num'),
      td(`<a href="#${anchors.get(u) ?? ''}">${esc(u.name)}</a>`, u.name, 'name'),
      td(esc(u.level)),
      td(unscored ? '—' : esc(formatScore(u.score)), unscored ? '' : u.score, 'num'),
      td(esc(u.grade)),
      td(unscored ? '—' : u.vetoed ? `<span class="veto" title="${esc(u.vetoReason)}">是</span>` : '否'),
      ...report.categories.map((c) => {
        const n = u.counts[c.title] ?? 0;
        return td(esc(n), n, 'num');
      }),
      td(esc(problemTotal(u)), problemTotal(u), 'num'),
      ...(trend
        ? [
            td(esc(signed(standingChange(u).places, '↑', '↓')), standingChange(u).places ?? '', 'num'),
            td(esc(signed(standingChange(u).score, '+', '−')), standingChange(u).score ?? '', 'num'),
          ]
        : []),
      td(esc(u.crawl.pages), u.crawl.pages, 'num'),
      td(rate === undefined ? '' : `${rate.toFixed(2)}%`, rate ?? '', 'num'),
    ];
    return `<tr${isFailingUnit(u, report) ? ' class="failing"' : ''}>${cells.join('')}</tr>`;
  });
  return [
    '<h2 id="ranking">排名</h2>',
    `<p class="meta">${esc(`点击表头可排序；不合格单位整行标红。${PROBLEM_DEFINITION}`)}${trend ? esc(`升降位次、得分变化与第 ${report.previousRunId} 批（${report.previousInspectionDate ?? ''}）相比。`) : ''}</p>`,
    '<div class="table-wrap"><table class="sortable ranking">',
    `<thead><tr>${heads.map(([l, n]) => sortableHead(l, n)).join('')}</tr></thead>`,
    `<tbody>\n${rows.join('\n')}\n</tbody></table></div>`,
  ].join('\n');
}

function figure(caption: string, svg: string, note = ''): string {
  const extra = note ? `<p class="meta">${esc(note)}</p>` : '';
  return `<figure><figcaption>${esc(caption)}</figcaption>${svg}${extra}</figure>`;
}

function averageScore(report: InspectionReport): number | undefined {
  const scored = report.units.filter((u) => u.unscored === undefined);
  return scored.length ? scored.reduce((s, u) => s + u.score, 0) / scored.length : undefined;
}

function charts(report: InspectionReport, previousRuns: InspectionReport[]): string {
  const scored = report.units.filter((u) => u.unscored === undefined);
  const unscored = report.units.length - scored.length;
  const out = [
    '<h2 id="charts">统计图</h2>',
    '<div class="charts">',
    figure(
      '得分分布',
      histogramSvg(scoreBins(scored.map((u) => u.score)), '各得分区间的单位数'),
      unscored ? `另有 ${unscored} 个单位网站无法访问，未计分，不在图中。` : '',
    ),
    figure(
      '各类别问题数',
      barChartSvg(
        report.categories.map((c) => ({
          label: c.title,
          value: report.units.reduce((s, u) => s + (u.counts[c.title] ?? 0), 0),
        })),
        '各类别问题数（全部单位合计）',
      ),
    ),
  ];
  const runs = [...previousRuns.filter((r) => r.runId !== report.runId), report].sort(
    (a, b) => a.runId - b.runId,
  );
  if (runs.length > 1) {
    const labels = runs.map((r) => `第${r.runId}批 ${r.inspectionDate}`);
    const scores = { name: '平均得分', colour: '#3b6ea8', points: runs.map(averageScore), max: 100 };
    const problems = {
      name: '问题总数',
      colour: '#c0504d',
      points: runs.map((r) => r.units.reduce((sum, u) => sum + problemTotal(u), 0)),
    };
    out.push(
      figure(
        '历次巡查平均得分',
        lineChartSvg(labels, scores, '历次巡查平均得分'),
        '平均得分只计有得分的单位。',
      ),
      figure('历次巡查问题总数', lineChartSvg(labels, problems, '历次巡查问题总数')),
    );
  }
  out.push('</div>');
  return out.join('\n');
}

function unitSection(
  report: InspectionReport,
  unit: ReportUnit,
  anchor: string,
  evidence: EvidenceImages,
): string {
  const unscored = unit.unscored !== undefined;
  const facts = unscored
    ? `等级：${unit.grade}（未计分）；级别：${unit.level}`
    : `名次：第 ${unit.rank} 名；得分：${formatScore(unit.score)} 分；等级：${unit.grade}；级别：${unit.level}`;
  const crawl = `问题数：${problemTotal(unit)} 个；抓取页面 ${unit.crawl.pages} 个、附件 ${unit.crawl.attachments} 个、抓取失败 ${unit.crawl.failures} 次`;
  const out = [
    `<section class="unit" id="${esc(anchor)}" data-unit-id="${esc(unit.id)}">`,
    `<h3>${esc(unit.name)}</h3>`,
    `<p class="meta">${esc(facts)}</p>`,
    `<p class="meta">${esc(crawl)}</p>`,
    ...unit.startUrls.map((u) => `<p class="meta">网站：${urlHtml(u)}</p>`),
  ];
  if (unscored)
    out.push(
      `<p class="unscored">${esc(`${unit.grade}：${unit.unscored}（${report.indicatorSystem.unreachable.basis}）`)}</p>`,
    );
  if (unit.vetoed) out.push(`<p class="veto">${esc(`单项否决：${unit.vetoReason}`)}</p>`);
  const shots = report.screenshots ?? [];
  out.push(
    reasonsTable(unit),
    disclosureList(unit),
    findingsHtml(unit, shotsByFinding(shots)),
    evidenceSectionHtml(unit, shots, evidence),
  );
  out.push('<p class="top"><a href="#ranking">返回排名</a></p>', '</section>');
  return out.join('\n');
}

function reasonsTable(unit: ReportUnit): string {
  if (unit.reasons.length === 0) return '';
  const head = ['指标', '类型', '触发', '扣分/加分', '问题数', '说明', '已核实'];
  const rows = unit.reasons.map((r) =>
    [
      td(esc(r.title)),
      td(esc(INDICATOR_KIND_LABELS[r.kind])),
      td(r.triggered ? '是' : '否'),
      td(r.kind === 'veto' ? '' : esc(r.points), undefined, 'num'),
      td(esc(r.findingCount), undefined, 'num'),
      td(esc(r.reason)),
      td(r.verified ? '是' : '否'),
    ].join(''),
  );
  return [
    '<h4>得分明细</h4>',
    `<table class="reasons"><thead><tr>${head.map((h) => `<th>${h}</th>`).join('')}</tr></thead>`,
    `<tbody>${rows.map((r) => `<tr>${r}</tr>`).join('')}</tbody></table>`,
  ].join('\n');
}

function disclosureList(unit: ReportUnit): string {
  if (!unit.disclosure?.length) return '';
  const items = unit.disclosure.map(
    (p) => `<li>${esc(p.title)}：${p.url ? `找到 ${urlHtml(p.url)}` : '<strong>未找到</strong>'}</li>`,
  );
  return `<h4>政府信息公开专栏</h4><ul class="disclosure">${items.join('')}</ul>`;
}

function reviewText(f: ReportFinding): string {
  const r = f.review;
  if (!r) return '';
  return `${r.decision === 'dismissed' ? '已排除' : '已确认'}：${r.reviewer}（${shanghaiTime(r.decidedAt).slice(0, 10)}）${r.reason}`;
}

/** Findings grouped by check, in first-seen order; 依据 once per group when all its findings cite the same. */
function findingsHtml(unit: ReportUnit, shots: Map<number, ReportScreenshot>): string {
  if (unit.findings.length === 0) return '<h4>发现的问题</h4><p>未发现问题。</p>';
  const groups = new Map<string, ReportFinding[]>();
  for (const f of unit.findings) groups.set(f.checkId, [...(groups.get(f.checkId) ?? []), f]);
  const out = ['<h4>发现的问题</h4>'];
  for (const findings of groups.values()) {
    const first = findings[0]!;
    const sorted = [...findings].sort(
      (a, b) => OUTCOME_ORDER.indexOf(a.outcome) - OUTCOME_ORDER.indexOf(b.outcome),
    );
    const sameBasis = findings.every((f) => f.basis === first.basis);
    const head = [
      '序号',
      '结论',
      '问题描述',
      '位置',
      '证据（已脱敏）',
      '网址',
      ...(sameBasis ? [] : ['依据']),
    ];
    const rows = sorted.map((f, i) => {
      const review = reviewText(f);
      const cells = [
        td(String(i + 1), undefined, 'num'),
        td(
          `<span class="outcome outcome-${esc(f.outcome)}">${esc(OUTCOME_LABELS[f.outcome] ?? f.outcome)}</span>` +
            (review ? `<br><span class="basis">${esc(review)}</span>` : '') +
            (f.verified ? '' : '<br><span class="basis">数据待核实</span>'),
        ),
        td(esc(f.message)),
        td(esc(f.location)),
        td(esc(f.evidence)),
        td(urlHtml(f.url) + shotLink(f, shots)),
        ...(sameBasis ? [] : [td(esc(f.basis))]),
      ];
      return `<tr>${cells.join('')}</tr>`;
    });
    out.push(
      `<h5>${esc(`${first.checkTitle}（${first.categoryTitle}，${findings.length} 条）`)}</h5>`,
      sameBasis && first.basis ? `<p class="basis">${esc(`依据：${first.basis}`)}</p>` : '',
      `<table class="findings"><thead><tr>${head.map((h) => `<th>${h}</th>`).join('')}</tr></thead>`,
      `<tbody>${rows.join('\n')}</tbody></table>`,
    );
  }
  return out.join('\n');
}

/** A link from a finding to the screenshot that proves it. */
function shotLink(f: ReportFinding, shots: Map<number, ReportScreenshot>): string {
  const shot = f.findingId === undefined ? undefined : shots.get(f.findingId);
  return shot ? `<br><a class="shot-link" href="#${shotAnchor(shot)}">见取证截图</a>` : '';
}

function notes(report: InspectionReport): string {
  const items = [
    `${PROBLEM_DEFINITION}这些项仍在各单位明细中列出。`,
    `得分低于 ${report.indicatorSystem.failBelow} 分或触发单项否决的单位为不合格。所有时间均为北京时间。`,
    `证据均已脱敏。本页不联网，可离线打开；各网址链接指向被检查网站，打开时才会访问。`,
    ...report.unverified.map((u) => `待核实数据：${u.note}`),
    ...report.calendarWarnings.map((w) => `日历数据提示：${w}`),
    `生成工具：${report.tool.name} ${report.tool.version}；运行编号 ${report.runId}。`,
  ];
  return [
    '<h2 id="notes">说明</h2>',
    `<ul class="notes">${items.map((i) => `<li>${esc(i)}</li>`).join('')}</ul>`,
  ].join('\n');
}
