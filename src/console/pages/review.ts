import type { ConsoleEnv, PageRequest, PageResult, PageRoute } from '../types.js';
import { html, type Html } from '../html.js';
import type { StoredFinding } from '../../checks/types.js';
import { OUTCOME_LABELS } from '../../checks/defineCheck.js';
import { DECISION_LABELS, type ReviewDecision } from '../../review/ledger.js';
import { findingKey } from '../../review/findingIdentity.js';
import { clearReview, listReviews, saveReview } from '../../store/reviews.js';
import { loadFinding } from '../../store/feedback.js';
import { loadUnits } from '../../store/runs.js';
import { recordAudit } from '../../store/audit.js';
import { maskText } from '../../pii/mask.js';

/** A positive integer route parameter, or undefined (an id like `1e3` or `-1` names nothing). */
export function idParam(value: string | undefined): number | undefined {
  if (!value || !/^\d{1,15}$/.test(value)) return undefined;
  const n = Number(value);
  return n > 0 ? n : undefined;
}

/** The unit a `/findings/:findingId/…` request concerns: the finding's own, from the store. */
export async function unitOfFinding(env: ConsoleEnv, req: PageRequest): Promise<string | undefined> {
  const id = idParam(req.params.findingId);
  return id === undefined ? undefined : (await loadFinding(env.db, id))?.unitId;
}

/** “示范区民政局（mzj）”, or the id when the batch does not know it. */
export async function unitLabel(env: ConsoleEnv, runId: number, unitId: string): Promise<string> {
  const unit = (await loadUnits(env.db, runId)).find((u) => u.id === unitId);
  return unit ? `${unit.name}（${unitId}）` : unitId;
}

/** A scraped address: a link only when it is http(s), never a `javascript:` one. */
export function urlText(url: string): Html {
  return /^https?:\/\//i.test(url)
    ? html`<a href="${url}" rel="noopener noreferrer nofollow" target="_blank">${url}</a>`
    : html`${url}`;
}

export function findingBlock(f: StoredFinding, unit: string): Html {
  return html`<dl class="facts">
    <dt>编号</dt>
    <dd>${f.id}（批次 ${f.runId}）</dd>
    <dt>单位</dt>
    <dd>${unit}</dd>
    <dt>检查项</dt>
    <dd>${f.checkId}</dd>
    <dt>结论</dt>
    <dd>${OUTCOME_LABELS[f.outcome] ?? f.outcome}</dd>
    <dt>问题</dt>
    <dd>${maskText(f.message)}</dd>
    <dt>网址</dt>
    <dd>${urlText(f.url)}</dd>
    ${
      f.location
        ? html`<dt>位置</dt>
            <dd>${maskText(f.location)}</dd>`
        : ''
    }
    ${
      f.evidence
        ? html`<dt>证据</dt>
            <dd class="evidence">${maskText(f.evidence)}</dd>`
        : ''
    }
  </dl>`;
}

/** A stored ISO time as an office reads it: Beijing time, to the minute (or second). */
export function beijingTime(iso: string | null | undefined, seconds = false): string {
  const t = iso ? Date.parse(iso) : NaN;
  if (Number.isNaN(t)) return '';
  return new Date(t + 8 * 3600_000)
    .toISOString()
    .slice(0, seconds ? 19 : 16)
    .replace('T', ' ');
}

/** Who signs a decision: the display name people know, with the login name for the record. */
export function signature(req: PageRequest): string {
  const a = req.account;
  return a.displayName && a.displayName !== a.username ? `${a.displayName}（${a.username}）` : a.username;
}

async function reviewPage(env: ConsoleEnv, req: PageRequest): Promise<PageResult> {
  const id = idParam(req.params.findingId);
  const f = id === undefined ? undefined : await loadFinding(env.db, id);
  if (!f) return { kind: 'error', status: 404, message: '找不到该检查结果。' };
  const key = findingKey(f);
  const current = (await listReviews(env.db)).find((r) => r.findingKey === key);
  const body = html`${req.query.saved ? html`<div class="notice ok" role="status">复核结论已记录。</div>` : ''}
    ${findingBlock(f, await unitLabel(env, f.runId, f.unitId))}
    <section>
      <h2>当前复核结论</h2>
      ${
        current
          ? html`<p>
              <strong>${DECISION_LABELS[current.decision]}</strong>：${maskText(current.reason)}
              <span class="meta"
                >（${current.reviewer}，${beijingTime(current.decidedAt)}，批次 ${current.runId}）</span
              >
            </p>`
          : html`<p>尚未复核。</p>`
      }
      <p class="meta">复核结论记入复核台账，与命令 xuncha review 共用；之后各批次中相同的问题沿用此结论。</p>
    </section>
    <form method="post" action="/findings/${f.id}/review" class="stack">
      <input type="hidden" name="_csrf" value="${req.csrfToken}" />
      <fieldset>
        <legend>复核</legend>
        <label><input type="radio" name="decision" value="confirmed" required /> 确认为问题</label>
        <label><input type="radio" name="decision" value="dismissed" /> 排除（误报或不适用）</label>
        ${current ? html`<label><input type="radio" name="decision" value="clear" /> 撤销之前的结论</label>` : ''}
      </fieldset>
      <label
        >理由（必填，全程留痕）<textarea name="reason" required maxlength="500" rows="3"></textarea>
      </label>
      <button type="submit">保存复核结论</button>
    </form>
    <p><a href="/findings/${f.id}/feedback">该问题的整改反馈</a></p>`;
  return { kind: 'page', title: `复核检查结果 ${f.id}`, body };
}

async function saveReviewAction(env: ConsoleEnv, req: PageRequest): Promise<PageResult> {
  const id = idParam(req.params.findingId);
  const f = id === undefined ? undefined : await loadFinding(env.db, id);
  if (!f) return { kind: 'error', status: 404, message: '找不到该检查结果。' };
  const decision = req.form.decision;
  if (decision !== 'dismissed' && decision !== 'confirmed' && decision !== 'clear')
    return { kind: 'error', status: 400, message: '请选择复核结论（确认、排除或撤销）。' };
  const reason = (req.form.reason ?? '').trim();
  if (!reason) return { kind: 'error', status: 400, message: '请写明复核理由（复核记录需全程留痕）。' };
  if (reason.length > 500) return { kind: 'error', status: 400, message: '复核理由不能超过 500 个字。' };
  const key = findingKey(f);
  // The same ledger `xuncha review` writes: scoring and reports of later runs read it.
  const by = { reason, reviewer: signature(req), decidedAt: env.now().toISOString(), runId: f.runId };
  if (decision === 'clear') await clearReview(env.db, key, by);
  else
    await saveReview(
      env.db,
      { findingKey: key, unitId: f.unitId, checkId: f.checkId, decision: decision as ReviewDecision, ...by },
      f,
    );
  await recordAudit(
    env.db,
    {
      account: req.account,
      action: decision === 'clear' ? 'review.clear' : 'review',
      target: `finding:${f.id}`,
      detail: { decision, reason, runId: f.runId, unitId: f.unitId, checkId: f.checkId, message: f.message },
      address: req.address,
    },
    env.now(),
  );
  // A form on another page (the unit page) may say where to return; the server keeps it on this site.
  return { kind: 'redirect', to: req.form.next || `/findings/${f.id}/review?saved=1` };
}

export const reviewRoutes: PageRoute[] = [
  { method: 'GET', path: '/findings/:findingId/review', roles: ['admin', 'inspector'], handle: reviewPage },
  {
    method: 'POST',
    path: '/findings/:findingId/review',
    roles: ['admin', 'inspector'],
    handle: saveReviewAction,
  },
];
