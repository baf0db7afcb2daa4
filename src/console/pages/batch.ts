import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { html, type Html } from '../html.js';
import type { ConsoleEnv, PageRequest, PageResult, PageRoute } from '../types.js';
import type { IndicatorResult, InspectionReport, ReportUnit } from '../../report/model.js';
import { getRun } from '../../store/runs.js';
import { batchProgress } from '../../queue/batchProgress.js';
import { batchReport, unitsInRankOrder } from '../data/report.js';
import { isFailingUnit } from '../../report/rankingWorkbook.js';
import { runningJobs, statusLabel } from '../data/batches.js';
import { enc, formatScore, notFound, positiveInt, shanghaiTime } from '../data/format.js';
import { batchCharts } from '../charts.js';
import { batchSummaryText, rankingTable, runningSection, type ExtraColumns } from './overview.js';
import { progressText } from './progress.js';

/** 批次: ranking with the score by indicator, counts per category, charts and the report files. */

/** Indicators in the order the scoring stage stored them, over all units (a unit may lack some). */
function indicators(report: InspectionReport): Pick<IndicatorResult, 'indicatorId' | 'title' | 'kind'>[] {
  const seen = new Map<string, Pick<IndicatorResult, 'indicatorId' | 'title' | 'kind'>>();
  for (const u of report.units)
    for (const r of u.reasons) if (!seen.has(r.indicatorId)) seen.set(r.indicatorId, r);
  return [...seen.values()];
}

/** One indicator of one unit as stored: 否决 when a veto triggered, −points / +points otherwise. */
export function indicatorCell(r: IndicatorResult | undefined): string {
  if (!r) return '';
  if (r.kind === 'veto') return r.triggered ? '否决' : '';
  if (!r.points) return '0';
  return r.kind === 'bonus' ? `+${formatScore(r.points)}` : `−${formatScore(r.points)}`;
}

/** 死链率 as 报告.html shows it (deadLinks / links of the crawl figures the report carries). */
function deadLinkRate(u: ReportUnit): string {
  const { links, deadLinks } = u.crawl;
  return links ? `${(((deadLinks ?? 0) / links) * 100).toFixed(2)}%` : '';
}

/** Counts per category and the crawl figures, after the ranking's own columns (as 报告.html). */
function countColumns(report: InspectionReport): ExtraColumns {
  return {
    heads: html`${report.categories.map((c) => html`<th>${c.title}</th>`)}
      <th>抓取页面</th>
      <th>死链率</th>`,
    cells: (u) =>
      html`${report.categories.map((c) => html`<td class="num">${u.counts[c.title] ?? 0}</td>`)}
        <td class="num">${u.crawl.pages}</td>
        <td class="num">${deadLinkRate(u)}</td>`,
  };
}

/** An indicator's title without its parenthesised rule: the column head (the whole title on hover). */
const shortTitle = (title: string) => title.replace(/（.*$/, '');

/**
 * 得分明细: per unit the points of every deduct/bonus indicator as stored by the scoring stage, and
 * the veto that decided the grade (the veto indicators are one column: at most one decides).
 */
function breakdownTable(report: InspectionReport): Html {
  const inds = indicators(report).filter((i) => i.kind !== 'veto');
  const rows = unitsInRankOrder(report).map((u) => {
    const reasons = new Map(u.reasons.map((r) => [r.indicatorId, r]));
    return html`<tr class="${isFailingUnit(u, report) ? 'failing' : ''}">
      <td class="num">${u.unscored !== undefined ? '—' : u.rank}</td>
      <td class="name"><a href="/units/${enc(u.id)}?run=${report.runId}">${u.name}</a></td>
      <td class="num">${u.unscored !== undefined ? '—' : formatScore(u.score)}</td>
      <td>
        ${u.unscored !== undefined ? u.grade : u.vetoed ? html`<span class="veto">${u.vetoReason}</span>` : ''}
      </td>
      ${inds.map((i) => html`<td class="num">${indicatorCell(reasons.get(i.indicatorId))}</td>`)}
    </tr>`;
  });
  return html`<table class="breakdown">
    <thead>
      <tr>
        <th class="num">排名</th>
        <th>单位</th>
        <th class="num">得分</th>
        <th>单项否决</th>
        ${inds.map((i) => html`<th title="${i.title}">${shortTitle(i.title)}</th>`)}
      </tr>
    </thead>
    <tbody>
      ${rows}
    </tbody>
  </table>`;
}

/** The batch's report folder (`<outDir>/<runId>/`): files an office downloads. */
function reportFiles(env: ConsoleEnv, runId: number): { name: string; size: number }[] {
  const dir = join(env.outDir, String(runId));
  try {
    return readdirSync(dir, { withFileTypes: true })
      .filter((e) => e.isFile())
      .map((e) => ({ name: e.name, size: statSync(join(dir, e.name)).size }))
      .sort((a, b) => a.name.localeCompare(b.name, 'zh-CN'));
  } catch {
    return [];
  }
}

function size(bytes: number): string {
  return bytes >= 1048576
    ? `${(bytes / 1048576).toFixed(1)} MB`
    : `${Math.max(1, Math.round(bytes / 1024))} KB`;
}

function filesSection(env: ConsoleEnv, runId: number): Html {
  const files = reportFiles(env, runId);
  return html`<section id="files">
    <h2>报告文件</h2>
    ${
      files.length
        ? html`<ul class="files">
              ${files.map(
                (f) =>
                  html`<li>
                    <a href="/batches/${runId}/files/${enc(f.name)}">${f.name}</a>
                    <span class="meta">${size(f.size)}</span>
                  </li>`,
              )}
            </ul>
            <p><a href="/batches/${runId}/files">全部报告文件（含取证截图）</a></p>`
        : html`<p class="meta">本批次的报告尚未生成。</p>`
    }
  </section>`;
}

async function batchPage(env: ConsoleEnv, req: PageRequest): Promise<PageResult> {
  const runId = positiveInt(req.params.runId);
  const run = runId === undefined ? undefined : await getRun(env.db, runId);
  if (!run || runId === undefined) return notFound('找不到该巡查批次');
  const title = `第 ${runId} 批巡查（检查日期 ${run.inspectionDate}）`;
  const facts = html`<p class="meta">
    状态：${statusLabel(run.status)}；开始：${shanghaiTime(run.createdAt)}${run.finishedAt ? `；完成：${shanghaiTime(run.finishedAt)}` : ''}（北京时间）
  </p>`;
  if (run.status !== 'scored' && run.status !== 'reported') {
    const running = await runningJobs(env);
    // Live only while a job of this console runs it; a batch left unfinished (stopped, or run by
    // the CLI) shows where the store says it stands, without polling.
    const live = running.some((r) => r.job.runId === runId);
    const p = await batchProgress(env.db, runId);
    const body = html`<h1>${title}</h1>
      ${facts}
      ${
        live
          ? runningSection(running)
          : html`<section id="stalled">
              <h2>进度</h2>
              <p class="progress">${progressText(p)}</p>
              <p class="meta">
                本控制台当前没有在运行这一批次；若它已中断，可用 xuncha crawl --resume 继续。
              </p>
            </section>`
      }
      <p class="meta">评分完成后显示排名。</p>`;
    return { kind: 'page', title, body };
  }
  const report = (await batchReport(env, runId))!;
  const body = html`<h1>${title}</h1>
    ${facts}
    <p class="meta">
      指标体系：${report.indicatorSystem.title}；整改时限 ${report.notice.deadlineWorkdays} 个工作日（截至
      ${report.notice.deadline}）
    </p>
    <p class="summary">${batchSummaryText(report)}</p>
    <p><a href="/findings?run=${runId}">查看本批次全部问题（可筛选、导出）</a></p>
    <section id="ranking">
      <h2>排名与得分明细</h2>
      <div class="table-wrap">${rankingTable(report, countColumns(report))}</div>
      <p class="meta">类别列为各类别问题数。</p>
    </section>
    <section id="breakdown">
      <h2>各指标扣分</h2>
      <div class="table-wrap">${breakdownTable(report)}</div>
      <p class="meta">取自评分结果：−为扣分、+为加分；鼠标停在表头上可看到指标的计分规则。</p>
    </section>
    ${batchCharts(report)} ${filesSection(env, runId)}`;
  return { kind: 'page', title, body };
}

export const batchRoute: PageRoute = {
  method: 'GET',
  path: '/batches/:runId',
  roles: ['admin', 'inspector'],
  handle: batchPage,
};
