import { html, type Html } from '../html.js';
import type { ConsoleEnv, PageRequest, PageResult, PageRoute } from '../types.js';
import type { ReportFinding, ReportUnit } from '../../report/model.js';
import type { Outcome } from '../../checks/types.js';
import { countProblems, PROBLEM_DEFINITION } from '../../report/counts.js';
import { listScreenshots } from '../../store/screenshots.js';
import { loadBody } from '../../store/crawlData.js';
import { FEEDBACK_STATE_LABELS, listFeedback, type FeedbackRecord } from '../../store/feedback.js';
import { DECISION_LABELS } from '../../review/ledger.js';
import { maskText } from '../../pii/mask.js';
import { batchReport } from '../data/report.js';
import { unitHistory, type UnitStanding } from '../data/batches.js';
import {
  enc,
  formatScore,
  notFound,
  outcomeLabel,
  positiveInt,
  select,
  shanghaiTime,
  urlLink,
} from '../data/format.js';
import { unitRankChart, unitScoreChart } from '../charts.js';
import { indicatorCell } from './batch.js';
import { probesLink } from './probes.js';
import { noticeUnit } from './downloads.js';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

/**
 * 单位: one unit in one batch (`?run=`, default its newest scored batch) — score breakdown, findings
 * grouped by check with evidence and screenshots, review and 整改反馈 state with their forms, and
 * the unit's standing across batches. Everything shown comes from the batch's InspectionReport, the
 * feedback table and the stored scores.
 */

/** Within a check: problems first, then hints, reviews, errors, dismissed (as 报告.html). */
const OUTCOME_ORDER: Outcome[] = ['fail', 'warn', 'needs-review', 'error', 'dismissed'];

/** Findings a unit can answer with 整改反馈: what was held against it. */
const ANSWERABLE: Outcome[] = ['fail', 'warn', 'needs-review'];

/** The indicators that cost or earned the unit something first; the rest folded away. */
function reasonsTable(unit: ReportUnit): Html {
  if (!unit.reasons.length) return html``;
  const kinds = { veto: '否决', deduct: '扣分', bonus: '加分' } as const;
  const row = (r: ReportUnit['reasons'][number]) =>
    html`<tr>
      <td>${r.title}</td>
      <td>${kinds[r.kind]}</td>
      <td>${r.triggered ? '是' : '否'}</td>
      <td class="num">${indicatorCell(r)}</td>
      <td class="num">${r.findingCount}</td>
      <td>${r.reason}</td>
    </tr>`;
  const table = (rows: ReportUnit['reasons']) =>
    html`<table class="reasons">
      <thead>
        <tr>
          <th>指标</th>
          <th>类型</th>
          <th>触发</th>
          <th>扣分/加分</th>
          <th>问题数</th>
          <th>说明</th>
        </tr>
      </thead>
      <tbody>
        ${rows.map(row)}
      </tbody>
    </table>`;
  const counted = unit.reasons.filter((r) => r.triggered || r.points || r.findingCount);
  const rest = unit.reasons.filter((r) => !counted.includes(r));
  return html`<h3>得分明细</h3>
    ${counted.length ? table(counted) : html`<p>各项指标均未扣分。</p>`}
    ${
      rest.length
        ? html`<details>
            <summary>其余 ${rest.length} 项指标未扣分、无问题</summary>
            ${table(rest)}
          </details>`
        : ''
    }`;
}

function reviewState(f: ReportFinding): Html {
  const r = f.review;
  if (!r) return html`<span class="review review-none">未复核</span>`;
  return html`<span class="review review-${r.decision}"
    >${DECISION_LABELS[r.decision]}：${maskText(r.reviewer)}（${shanghaiTime(r.decidedAt)}）${r.reason}</span
  >`;
}

function feedbackState(fb: FeedbackRecord | undefined): Html {
  if (!fb) return html``;
  return html`<div class="feedback state-${fb.state}">
    整改反馈：${FEEDBACK_STATE_LABELS[fb.state]}
    （${maskText(fb.submittedBy)}，${shanghaiTime(fb.submittedAt)}）${fb.note}${fb.fileName ? html`<br />附件：<a href="/feedback/${fb.id}/file">${maskText(fb.fileName)}</a>` : ''}
    ${fb.decidedAt ? html`<br />审核：${maskText(fb.decidedBy ?? '')}（${shanghaiTime(fb.decidedAt)}）${fb.decisionNote ?? ''}` : ''}
    <br /><a href="/feedback/${fb.id}">${fb.state === 'submitted' ? '查看并审核' : '查看详情'}</a>
  </div>`;
}

function reviewForm(req: PageRequest, id: number, back: string): Html {
  return html`<form method="post" action="/findings/${id}/review" class="review-form">
    <input type="hidden" name="_csrf" value="${req.csrfToken}" />
    <input type="hidden" name="next" value="${back}" />
    <select name="decision" aria-label="复核结论">
      <option value="dismissed">排除（误报）</option>
      <option value="confirmed">确认问题</option>
    </select>
    <input type="text" name="reason" required maxlength="500" placeholder="复核理由" aria-label="复核理由" />
    <button type="submit">提交复核</button>
  </form>`;
}

function feedbackForm(req: PageRequest, id: number, back: string): Html {
  return html`<form
    method="post"
    action="/findings/${id}/feedback"
    enctype="multipart/form-data"
    class="feedback-form"
  >
    <input type="hidden" name="_csrf" value="${req.csrfToken}" />
    <input type="hidden" name="next" value="${back}" />
    <textarea
      name="note"
      required
      maxlength="2000"
      rows="2"
      placeholder="整改情况说明"
      aria-label="整改情况说明"
    ></textarea>
    <input type="file" name="file" aria-label="整改材料（可选）" />
    <button type="submit">提交整改反馈</button>
  </form>`;
}

function findingRow(
  req: PageRequest,
  f: ReportFinding,
  i: number,
  shotUrl: string | undefined,
  fb: FeedbackRecord | undefined,
  /** This finding on this page: where the review and feedback forms come back to. */
  back: string,
): Html {
  const role = req.account.role;
  const id = f.findingId;
  const canReview = role !== 'unit' && id !== undefined && f.outcome !== 'error';
  const canAnswer =
    role === 'unit' && id !== undefined && ANSWERABLE.includes(f.outcome) && (!fb || fb.state === 'rejected');
  return html`<tr id="${id !== undefined ? `finding-${id}` : ''}">
    <td class="num">${i + 1}</td>
    <td>${outcomeLabel(f.outcome)}<br />${reviewState(f)}</td>
    <td>
      ${f.message}${f.foundOn ? html`<br /><span class="meta">发布页面：${f.foundOn.title} ${urlLink(f.foundOn.url)}</span>` : ''}
    </td>
    <td>${f.location}</td>
    <td class="evidence">${f.evidence}</td>
    <td>
      ${urlLink(f.url)}${
        shotUrl
          ? html`<br /><a href="${shotUrl}" class="shot-link"
                ><img src="${shotUrl}" alt="取证截图" loading="lazy" width="160"
              /></a>`
          : ''
      }
    </td>
    <td>
      ${feedbackState(fb)}${canReview ? reviewForm(req, id, back) : ''}${canAnswer ? feedbackForm(req, id, back) : ''}
    </td>
  </tr>`;
}

/** Findings grouped by check in first-seen order, each group's 依据 once. */
function findingsSection(
  req: PageRequest,
  runId: number,
  unit: ReportUnit,
  shots: Map<number, number>,
  feedback: Map<number, FeedbackRecord>,
): Html {
  if (!unit.findings.length)
    return html`<h3>发现的问题</h3>
      <p>未发现问题。</p>`;
  const groups = new Map<string, ReportFinding[]>();
  for (const f of unit.findings) groups.set(f.checkId, [...(groups.get(f.checkId) ?? []), f]);
  // Checks with the most 问题 first (what the unit must fix); otherwise the report's order.
  const ordered = [...groups.values()].sort((a, b) => countProblems(b) - countProblems(a));
  const shotUrl = (f: ReportFinding) => {
    const n = f.findingId === undefined ? undefined : shots.get(f.findingId);
    return n === undefined ? undefined : `/batches/${runId}/units/${enc(unit.id)}/screenshots/${n}`;
  };
  return html`<h3>发现的问题</h3>
    <p class="meta">${PROBLEM_DEFINITION}证据均已脱敏。</p>
    ${ordered.map((list) => {
      const first = list[0]!;
      const sorted = [...list].sort(
        (a, b) => OUTCOME_ORDER.indexOf(a.outcome) - OUTCOME_ORDER.indexOf(b.outcome),
      );
      return html`<section class="check-group" data-check-id="${first.checkId}">
        <h4>
          ${first.checkTitle}（${first.categoryTitle}，${list.length} 条，其中问题 ${countProblems(list)} 个）
        </h4>
        ${first.basis ? html`<p class="basis">依据：${first.basis}</p>` : ''}
        ${first.advice ? html`<p class="basis">整改建议：${first.advice}</p>` : ''}
        <table class="findings">
          <thead>
            <tr>
              <th>序号</th>
              <th>结论</th>
              <th>问题描述</th>
              <th>位置</th>
              <th>证据（已脱敏）</th>
              <th>网址</th>
              <th>复核与整改</th>
            </tr>
          </thead>
          <tbody>
            ${sorted.map((f, i) =>
              findingRow(
                req,
                f,
                i,
                shotUrl(f),
                f.findingId === undefined ? undefined : feedback.get(f.findingId),
                `/units/${enc(unit.id)}?run=${runId}#finding-${f.findingId ?? ''}`,
              ),
            )}
          </tbody>
        </table>
      </section>`;
    })}`;
}

/** The unit's own 整改通知 / 督办通知 in the batch folder, recognised as the downloads do. */
async function noticeLinks(env: ConsoleEnv, runId: number, unitId: string): Promise<Html> {
  let names: string[] = [];
  try {
    names = readdirSync(join(env.outDir, String(runId)));
  } catch {
    return html``;
  }
  const own: string[] = [];
  for (const name of names.sort()) if ((await noticeUnit(env, runId, name)) === unitId) own.push(name);
  if (!own.length) return html``;
  return html`<p class="meta">
    本单位的通知：${own.map((n, i) => html`${i ? ' · ' : ''}<a href="/batches/${runId}/files/${enc(n)}">${n}</a>`)}
  </p>`;
}

/** The 政府信息公开专栏 parts found or not (as 报告.html lists them), when the check ran. */
function disclosureList(unit: ReportUnit): Html {
  if (!unit.disclosure?.length) return html``;
  return html`<h3>政府信息公开专栏</h3>
    <ul class="disclosure">
      ${unit.disclosure.map((p) => html`<li>${p.title}：${p.url ? html`找到 ${urlLink(p.url)}` : html`<strong>未找到</strong>`}</li>`)}
    </ul>`;
}

function historySection(history: UnitStanding[], unitId: string): Html {
  const scored = history.filter((h) => h.grade !== undefined);
  return html`<section id="history">
    <h3>历次巡查</h3>
    <table class="history">
      <thead>
        <tr>
          <th>批次</th>
          <th>检查日期</th>
          <th>名次</th>
          <th>得分</th>
          <th>等级</th>
        </tr>
      </thead>
      <tbody>
        ${history.map(
          (h) =>
            html`<tr>
              <td><a href="/units/${enc(unitId)}?run=${h.runId}">第 ${h.runId} 批</a></td>
              <td>${h.inspectionDate}</td>
              <td class="num">${h.rank ?? '—'}</td>
              <td class="num">${h.score !== undefined ? formatScore(h.score) : '—'}</td>
              <td>${h.grade ?? '未评分'}</td>
            </tr>`,
        )}
      </tbody>
    </table>
    ${
      scored.length > 1
        ? html`<div class="charts">
            <figure>${unitScoreChart(history)}</figure>
            <figure>${unitRankChart(history)}</figure>
          </div>`
        : ''
    }
  </section>`;
}

async function unitPage(env: ConsoleEnv, req: PageRequest): Promise<PageResult> {
  const unitId = req.params.unitId ?? '';
  const history = await unitHistory(env.db, unitId);
  if (!history.length) {
    // A 单位用户 whose unit is on the roster but not inspected yet lands here after logging in.
    if (req.account.role === 'unit' && unitId === req.account.unitId)
      return {
        kind: 'page',
        title: '本单位',
        body: html`<h1>本单位</h1>
          <p>本单位尚未被巡查。巡查完成后，这里会显示得分、发现的问题和整改通知。</p>`,
      };
    return notFound('找不到该单位');
  }
  const asked = req.query.run === undefined ? undefined : positiveInt(req.query.run);
  if (req.query.run !== undefined && asked === undefined) return notFound('找不到该巡查批次');
  const chosen =
    asked !== undefined
      ? history.find((h) => h.runId === asked)
      : (history.find((h) => h.grade !== undefined) ?? history[0]);
  if (!chosen) return notFound('该单位不在这一巡查批次中');
  const runSelect = html`<form method="get" action="/units/${enc(unitId)}" class="filters">
    ${select(
      'run',
      '巡查批次',
      history.map((h) => ({ value: String(h.runId), label: `第 ${h.runId} 批（${h.inspectionDate}）` })),
      String(chosen.runId),
    )}
    <button type="submit">查看</button>
  </form>`;
  const title = `${chosen.name}（第 ${chosen.runId} 批）`;
  const report = chosen.grade !== undefined ? await batchReport(env, chosen.runId) : undefined;
  const unit = report?.units.find((u) => u.id === unitId);
  if (!report || !unit) {
    const body = html`<h1>${chosen.name}</h1>
      ${runSelect}
      <p class="meta">第 ${chosen.runId} 批尚未完成评分，评分后显示得分和问题。</p>
      ${historySection(history, unitId)}`;
    return { kind: 'page', title, body };
  }
  // Screenshot number n (1-based, the store's order within the unit) for each finding it proves.
  const shots = new Map<number, number>();
  report.screenshots
    .filter((s) => s.unitId === unitId)
    .forEach((s, i) => s.findingIds.forEach((id) => shots.has(id) || shots.set(id, i + 1)));
  // listFeedback is newest first: the first record per finding is its current state.
  const feedback = new Map<number, FeedbackRecord>();
  for (const fb of await listFeedback(env.db, { runId: report.runId, unitId }))
    if (!feedback.has(fb.findingId)) feedback.set(fb.findingId, fb);
  const unscored = unit.unscored !== undefined;
  const body = html`<h1>${unit.name}</h1>
    ${runSelect}
    <p class="meta">
      ${
        unscored
          ? `等级：${unit.grade}（未计分）`
          : `名次：第 ${unit.rank} 名（共 ${report.units.length} 个单位）；得分：${formatScore(unit.score)} 分；等级：${unit.grade}`
      }；级别：${unit.level}；检查日期：${report.inspectionDate}
    </p>
    <p class="meta">
      问题数：${countProblems(unit.findings)} 个；抓取页面 ${unit.crawl.pages} 个、附件
      ${unit.crawl.attachments} 个、抓取失败 ${unit.crawl.failures} 次；整改时限截至 ${report.notice.deadline}
    </p>
    ${unit.startUrls.map((u) => html`<p class="meta">网站：${urlLink(u)}</p>`)}
    <p class="meta">
      <a href="${probesLink(unitId)}">首页可用性监测</a> ·
      <a href="/findings?run=${report.runId}&amp;unit=${enc(unitId)}">问题清单（可导出）</a>
    </p>
    ${unscored ? html`<p class="unscored">${unit.grade}：${unit.unscored}（${report.indicatorSystem.unreachable.basis}）</p>` : ''}
    ${unit.vetoed ? html`<p class="veto">单项否决：${unit.vetoReason}</p>` : ''}
    ${await noticeLinks(env, report.runId, unitId)} ${reasonsTable(unit)} ${disclosureList(unit)}
    ${findingsSection(req, report.runId, unit, shots, feedback)} ${historySection(history, unitId)}`;
  return { kind: 'page', title, body };
}

export const unitRoute: PageRoute = {
  method: 'GET',
  path: '/units/:unitId',
  roles: ['admin', 'inspector', 'unit'],
  unitOf: (_env, req) => Promise.resolve(req.params.unitId),
  handle: unitPage,
};

/** A screenshot of the run's evidence: the unit's n-th (1-based, the store's order). */
export const screenshotRoute: PageRoute = {
  method: 'GET',
  path: '/batches/:runId/units/:unitId/screenshots/:n',
  roles: ['admin', 'inspector', 'unit'],
  unitOf: (_env, req) => Promise.resolve(req.params.unitId),
  async handle(env, req) {
    const runId = positiveInt(req.params.runId);
    const n = positiveInt(req.params.n);
    if (runId === undefined || n === undefined) return notFound('找不到该截图');
    const shot = (await listScreenshots(env.db, runId)).filter((s) => s.unitId === req.params.unitId)[n - 1];
    const data = shot ? await loadBody(env.db, shot.imageHash) : undefined;
    if (!data) return notFound('找不到该截图');
    return { kind: 'file', name: `取证截图-${runId}-${n}.jpg`, type: 'image/jpeg', data };
  },
};
