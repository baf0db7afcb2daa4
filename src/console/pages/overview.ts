import { html, type Html } from '../html.js';
import type { ConsoleEnv, PageRequest, PageResult, PageRoute } from '../types.js';
import type { InspectionReport } from '../../report/model.js';
import { countProblems, PROBLEM_DEFINITION } from '../../report/counts.js';
import { isFailingUnit } from '../../report/rankingWorkbook.js';
import { batchReport, standingChange, unitsInRankOrder } from '../data/report.js';
import {
  latestRanked,
  listBatches,
  runningJobs,
  statusLabel,
  type BatchSummary,
  type RunningView,
} from '../data/batches.js';
import { enc, formatScore, shanghaiTime, signed } from '../data/format.js';
import { batchCharts } from '../charts.js';
import { progressText } from './progress.js';

/** 巡查总览: the latest ranking with its change, charts, running batches, starting one, earlier batches. */

/** The sentence under a batch's title: the same counts 报告.html's summary gives. */
export function batchSummaryText(report: InspectionReport): string {
  const scored = report.units.filter((u) => u.unscored === undefined).length;
  const failing = report.units.filter((u) => isFailingUnit(u, report)).length;
  const problems = report.units.reduce((n, u) => n + countProblems(u.findings), 0);
  return (
    `共巡查 ${report.units.length} 个单位，其中 ${scored} 个单位计分，${failing} 个单位不合格` +
    `（单项否决、得分低于 ${report.indicatorSystem.failBelow} 分或网站无法访问），共发现问题 ${problems} 个。`
  );
}

/** Extra columns after the standard ones (the batch page adds indicator points and category counts). */
export interface ExtraColumns {
  heads: Html;
  cells(u: InspectionReport['units'][number]): Html;
}

/** The ranking with 月度对比 columns when there is a previous batch. */
export function rankingTable(report: InspectionReport, extra?: ExtraColumns): Html {
  const trend = report.previousRunId !== undefined;
  const rows = unitsInRankOrder(report).map((u) => {
    const unscored = u.unscored !== undefined;
    const change = standingChange(u);
    return html`<tr class="${isFailingUnit(u, report) ? 'failing' : ''}" data-unit-id="${u.id}">
      <td class="num">${unscored ? '—' : u.rank}</td>
      <td class="name"><a href="/units/${enc(u.id)}?run=${report.runId}">${u.name}</a></td>
      <td class="num">${unscored ? '—' : formatScore(u.score)}</td>
      <td>
        ${u.grade}${u.vetoed ? html`<br /><span class="veto" title="${u.vetoReason}">单项否决</span>` : ''}
      </td>
      <td class="num">${countProblems(u.findings)}</td>
      ${
        trend
          ? html`<td class="num change">${signed(change.places, '↑', '↓')}</td>
              <td class="num change">${signed(change.score, '+', '−')}</td>
              <td class="num">${u.previous ? (u.opened ?? 0) : '—'}</td>
              <td class="num">${u.previous ? (u.closed ?? 0) : '—'}</td>`
          : ''
      }
      ${extra ? extra.cells(u) : ''}
    </tr>`;
  });
  return html`<table class="ranking">
      <thead>
        <tr>
          <th>排名</th>
          <th>单位</th>
          <th>得分</th>
          <th>等级</th>
          <th>问题数</th>
          ${
            trend
              ? html`<th>升降位次</th>
                  <th>得分变化</th>
                  <th>新增问题</th>
                  <th>已整改</th>`
              : ''
          }
          ${extra ? extra.heads : ''}
        </tr>
      </thead>
      <tbody>
        ${rows}
      </tbody>
    </table>
    <p class="meta">
      ${PROBLEM_DEFINITION}${
        trend
          ? `升降位次、得分变化与第 ${report.previousRunId} 批（检查日期 ${report.previousInspectionDate ?? ''}）相比；新增、已整改问题按检查项、问题类型和网址比对。`
          : '没有可比较的上一批次。'
      }
    </p>`;
}

/**
 * 正在进行: every running job, one row each. console.js polls /api/progress and reloads the page
 * when the set of running batches differs from the rows here, so this section must list exactly
 * what env.jobs.running() lists (never a batch that is not running).
 */
export function runningSection(running: RunningView[]): Html {
  const rows = running.map(
    ({ job, progress }) =>
      html`<tr data-run-id="${job.runId ?? ''}">
        <td>${job.runId !== null ? html`<a href="/batches/${job.runId}">第 ${job.runId} 批</a>` : '—'}</td>
        <td>${job.kind === 'batch' ? '巡查' : job.kind === 'recheck' ? '整改复查' : '可用性监测'}</td>
        <td class="stage">${job.stage}</td>
        <td class="progress">${progress ? progressText(progress) : '准备中'}</td>
        <td>${shanghaiTime(job.startedAt)}</td>
        <td>${job.startedBy}</td>
      </tr>`,
  );
  return html`<section id="running" data-progress-url="/api/progress">
    <h2>正在进行</h2>
    ${
      running.length
        ? html`<table class="running">
            <thead>
              <tr>
                <th>批次</th>
                <th>类型</th>
                <th>阶段</th>
                <th>进度</th>
                <th>开始时间</th>
                <th>发起人</th>
              </tr>
            </thead>
            <tbody>
              ${rows}
            </tbody>
          </table>`
        : html`<p class="meta">当前没有正在进行的巡查。</p>`
    }
  </section>`;
}

function startForm(req: PageRequest, busy: boolean): Html {
  return html`<form method="post" action="/batches" class="start-batch">
    <input type="hidden" name="_csrf" value="${req.csrfToken}" />
    <button type="submit" ${busy ? html`disabled` : ''}>开始新一轮巡查</button>
    <span class="meta"
      >${busy ? '已有巡查正在进行，结束后才能开始新的一轮。' : '按单位名单巡查全部单位，完成后生成排名表、整改通知和报告。'}</span
    >
  </form>`;
}

export function batchList(batches: BatchSummary[]): Html {
  if (!batches.length) return html`<p class="meta">还没有巡查批次。</p>`;
  return html`<table class="batches">
    <thead>
      <tr>
        <th>批次</th>
        <th>检查日期</th>
        <th>开始时间</th>
        <th>完成时间</th>
        <th>状态</th>
        <th>单位数</th>
        <th>已评分</th>
      </tr>
    </thead>
    <tbody>
      ${batches.map(
        (b) =>
          html`<tr>
            <td><a href="/batches/${b.id}">第 ${b.id} 批</a></td>
            <td>${b.inspectionDate}</td>
            <td>${shanghaiTime(b.createdAt)}</td>
            <td>${b.finishedAt ? shanghaiTime(b.finishedAt) : '—'}</td>
            <td>${statusLabel(b.status)}</td>
            <td class="num">${b.units}</td>
            <td class="num">${b.scored}</td>
          </tr>`,
      )}
    </tbody>
  </table>`;
}

async function overview(env: ConsoleEnv, req: PageRequest): Promise<PageResult> {
  if (req.account.role === 'unit')
    return { kind: 'redirect', to: req.account.unitId ? `/units/${enc(req.account.unitId)}` : '/findings' };
  const batches = await listBatches(env.db);
  const running = await runningJobs(env);
  const latest = latestRanked(batches);
  const report = latest ? await batchReport(env, latest.id) : undefined;
  const body = html`<h1>巡查总览</h1>
    ${runningSection(running)}
    ${startForm(
      req,
      running.some((r) => r.job.kind !== 'probe'),
    )}
    ${
      report
        ? html`<section id="latest">
            <h2>
              最新排名：<a href="/batches/${report.runId}">第 ${report.runId} 批</a>（检查日期
              ${report.inspectionDate}）
            </h2>
            <p class="summary">${batchSummaryText(report)}</p>
            ${batchCharts(report)} ${rankingTable(report)}
          </section>`
        : html`<p class="meta">还没有完成评分的巡查批次。</p>`
    }
    <section id="batches">
      <h2>全部批次</h2>
      ${batchList(batches)}
    </section>`;
  return { kind: 'page', title: '巡查总览', body };
}

export const overviewRoute: PageRoute = {
  method: 'GET',
  path: '/',
  roles: ['admin', 'inspector', 'unit'],
  // A 单位用户 is only ever sent on to their own unit's page.
  unitOf: (_env, req) => Promise.resolve(req.account.unitId ?? undefined),
  handle: overview,
};

/** POST /batches: start a batch on the roster and go to its page. */
export const startBatchRoute: PageRoute = {
  method: 'POST',
  path: '/batches',
  roles: ['admin', 'inspector'],
  async handle(env, req) {
    try {
      const { runId } = await env.jobs.startBatch(req.account);
      return { kind: 'redirect', to: `/batches/${runId}` };
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      return { kind: 'error', status: 409, message: `未能开始巡查：${reason}` };
    }
  },
};
