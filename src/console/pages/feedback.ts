import type { ConsoleEnv, PageRequest, PageResult, PageRoute } from '../types.js';
import { html, type Html } from '../html.js';
import { findingKey } from '../../review/findingIdentity.js';
import {
  FEEDBACK_STATE_LABELS,
  decideFeedback,
  feedbackFile,
  getFeedback,
  listFeedback,
  loadFinding,
  submitFeedback,
  type FeedbackRecord,
  type FeedbackState,
} from '../../store/feedback.js';
import { loadUnits } from '../../store/runs.js';
import { recordAudit } from '../../store/audit.js';
import { maskText } from '../../pii/mask.js';
import { beijingTime, findingBlock, idParam, signature, unitLabel, unitOfFinding } from './review.js';

/** What a unit may attach as evidence of a fix: documents, pictures and archives, nothing runnable. */
const FILE_TYPES: Record<string, string> = {
  pdf: 'application/pdf',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  png: 'image/png',
  gif: 'image/gif',
  webp: 'image/webp',
  doc: 'application/msword',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xls: 'application/vnd.ms-excel',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  wps: 'application/vnd.ms-works',
  ofd: 'application/ofd',
  txt: 'text/plain',
  zip: 'application/zip',
  rar: 'application/vnd.rar',
  '7z': 'application/x-7z-compressed',
};

const time = (iso: string | null) => beijingTime(iso);

/** The file name as sent, without any folder a browser put in front of it. */
function baseName(name: string): string {
  return (name.split(/[\\/]/).pop() ?? '').replace(/[\x00-\x1f]/g, '').slice(0, 200);
}

async function unitOfFeedback(env: ConsoleEnv, req: PageRequest): Promise<string | undefined> {
  const id = idParam(req.params.id);
  return id === undefined ? undefined : (await getFeedback(env.db, id))?.unitId;
}

function feedbackItem(f: FeedbackRecord, req: PageRequest, withFinding: boolean): Html {
  const canDecide = req.account.role !== 'unit' && f.state === 'submitted';
  return html`<article class="feedback state-${f.state}">
    <p>
      <strong>${FEEDBACK_STATE_LABELS[f.state]}</strong>
      <span class="meta">反馈 ${f.id} · ${f.submittedBy} · ${time(f.submittedAt)}</span>
      ${withFinding ? html` · <a href="/findings/${f.findingId}/feedback">检查结果 ${f.findingId}</a>` : ''}
    </p>
    <p class="note">${maskText(f.note)}</p>
    ${f.hasFile ? html`<p>附件：<a href="/feedback/${f.id}/file">${f.fileName ?? '附件'}</a></p>` : ''}
    ${
      f.decidedAt
        ? html`<p class="decision">
            ${FEEDBACK_STATE_LABELS[f.state]}：${maskText(f.decisionNote ?? '')}
            <span class="meta">（${f.decidedBy}，${time(f.decidedAt)}）</span>
          </p>`
        : ''
    }
    ${
      canDecide
        ? html`<form method="post" action="/feedback/${f.id}/decide" class="stack decide">
            <input type="hidden" name="_csrf" value="${req.csrfToken}" />
            <label>审核意见（退回时必填）<textarea name="note" maxlength="1000" rows="2"></textarea></label>
            <div class="buttons">
              <button type="submit" name="decision" value="accepted">认可整改</button>
              <button type="submit" name="decision" value="rejected" class="secondary">退回</button>
            </div>
          </form>`
        : ''
    }
  </article>`;
}

async function findingFeedbackPage(env: ConsoleEnv, req: PageRequest): Promise<PageResult> {
  const id = idParam(req.params.findingId);
  const f = id === undefined ? undefined : await loadFinding(env.db, id);
  if (!f) return { kind: 'error', status: 404, message: '找不到该检查结果。' };
  const items = await listFeedback(env.db, { findingId: f.id });
  const pending = items.some((i) => i.state === 'submitted');
  const form =
    req.account.role === 'unit' && !pending
      ? html`<form
          method="post"
          action="/findings/${f.id}/feedback"
          enctype="multipart/form-data"
          class="stack"
        >
          <input type="hidden" name="_csrf" value="${req.csrfToken}" />
          <label
            >整改情况说明（必填）<textarea name="note" required maxlength="2000" rows="5"></textarea>
          </label>
          <label
            >证明材料（可选，不超过 20 MB：PDF、图片、Word、Excel、压缩包）<input type="file" name="file"
          /></label>
          <button type="submit">提交整改反馈</button>
        </form>`
      : pending && req.account.role === 'unit'
        ? html`<p class="notice">已有待审核的整改反馈，审核后可再次提交。</p>`
        : '';
  const body = html`${req.query.sent ? html`<div class="notice ok" role="status">整改反馈已提交，等待检查员审核。</div>` : ''}
    ${findingBlock(f, await unitLabel(env, f.runId, f.unitId))}
    <section>
      <h2>整改反馈</h2>
      ${items.length ? items.map((i) => feedbackItem(i, req, false)) : html`<p>尚无整改反馈。</p>`}
    </section>
    ${form}
    ${req.account.role !== 'unit' ? html`<p><a href="/findings/${f.id}/review">复核此检查结果</a></p>` : ''}`;
  return { kind: 'page', title: `检查结果 ${f.id} 的整改反馈`, body };
}

async function submitAction(env: ConsoleEnv, req: PageRequest): Promise<PageResult> {
  const id = idParam(req.params.findingId);
  const f = id === undefined ? undefined : await loadFinding(env.db, id);
  if (!f) return { kind: 'error', status: 404, message: '找不到该检查结果。' };
  const note = (req.form.note ?? '').trim();
  if (!note) return { kind: 'error', status: 400, message: '请填写整改情况说明。' };
  if (note.length > 2000) return { kind: 'error', status: 400, message: '整改情况说明不能超过 2000 个字。' };
  const upload = req.files.file;
  let file: { name: string; type: string; data: Buffer } | undefined;
  if (upload && upload.data.length) {
    const name = baseName(upload.name);
    const ext = name.toLowerCase().split('.').pop() ?? '';
    const type = name.includes('.') ? FILE_TYPES[ext] : undefined;
    if (!type)
      return {
        kind: 'error',
        status: 400,
        message: '证明材料的文件类型不支持，请上传 PDF、图片、Word、Excel、WPS、OFD、文本或压缩包。',
      };
    // The type is decided by the extension we accept, not by what the browser claimed.
    file = { name, type, data: upload.data };
  }
  if ((await listFeedback(env.db, { findingId: f.id, state: 'submitted' })).length)
    return { kind: 'error', status: 409, message: '该问题已有待审核的整改反馈，审核后可再次提交。' };
  const feedbackId = await submitFeedback(env.db, {
    finding: f,
    findingKey: findingKey(f),
    note,
    ...(file ? { file } : {}),
    submittedBy: signature(req),
    submittedAt: env.now().toISOString(),
  });
  await recordAudit(
    env.db,
    {
      account: req.account,
      action: 'feedback.submit',
      target: `feedback:${feedbackId}`,
      detail: {
        findingId: f.id,
        runId: f.runId,
        unitId: f.unitId,
        note,
        file: file?.name ?? null,
        size: file?.data.length ?? 0,
      },
      address: req.address,
    },
    env.now(),
  );
  return { kind: 'redirect', to: req.form.next || `/findings/${f.id}/feedback?sent=1` };
}

async function decideAction(env: ConsoleEnv, req: PageRequest): Promise<PageResult> {
  const id = idParam(req.params.id);
  const fb = id === undefined ? undefined : await getFeedback(env.db, id);
  if (!fb) return { kind: 'error', status: 404, message: '找不到该整改反馈。' };
  const decision = req.form.decision;
  if (decision !== 'accepted' && decision !== 'rejected')
    return { kind: 'error', status: 400, message: '请选择认可或退回。' };
  const note = (req.form.note ?? '').trim();
  if (decision === 'rejected' && !note)
    return { kind: 'error', status: 400, message: '退回整改反馈时请写明理由。' };
  if (note.length > 1000) return { kind: 'error', status: 400, message: '审核意见不能超过 1000 个字。' };
  const done = await decideFeedback(env.db, fb.id, {
    state: decision,
    decidedBy: signature(req),
    decidedAt: env.now().toISOString(),
    note,
  });
  if (!done) return { kind: 'error', status: 409, message: '该整改反馈已经审核过了。' };
  await recordAudit(
    env.db,
    {
      account: req.account,
      action: 'feedback.decide',
      target: `feedback:${fb.id}`,
      detail: { decision, note, findingId: fb.findingId, runId: fb.runId, unitId: fb.unitId },
      address: req.address,
    },
    env.now(),
  );
  return { kind: 'redirect', to: req.form.next || `/feedback?state=submitted` };
}

const STATES = Object.keys(FEEDBACK_STATE_LABELS) as FeedbackState[];

async function listPage(env: ConsoleEnv, req: PageRequest): Promise<PageResult> {
  const state = STATES.includes(req.query.state as FeedbackState)
    ? (req.query.state as FeedbackState)
    : undefined;
  const runId = idParam(req.query.run);
  const unitId = req.account.role === 'unit' ? (req.account.unitId ?? '\u0000') : req.query.unit || undefined;
  const items = await listFeedback(env.db, {
    ...(state ? { state } : {}),
    ...(runId ? { runId } : {}),
    ...(unitId ? { unitId } : {}),
  });
  const names = new Map<string, string>();
  for (const run of new Set(items.map((i) => i.runId)))
    for (const u of await loadUnits(env.db, run)) names.set(u.id, u.name);
  const filter = html`<form method="get" action="/feedback" class="filters">
    <label
      >状态
      <select name="state">
        <option value="">全部</option>
        ${STATES.map((s) => html`<option value="${s}" ${s === state ? html`selected` : ''}>${FEEDBACK_STATE_LABELS[s]}</option>`)}
      </select>
    </label>
    ${runId ? html`<input type="hidden" name="run" value="${runId}" />` : ''}
    <button type="submit">筛选</button>
  </form>`;
  const rows = items.map(
    (i) =>
      html`<tr>
        <td>${i.id}</td>
        <td>${names.get(i.unitId) ?? i.unitId}</td>
        <td><a href="/findings/${i.findingId}/feedback">${i.findingId}</a>（批次 ${i.runId}）</td>
        <td class="note">${maskText(i.note)}</td>
        <td>${i.hasFile ? html`<a href="/feedback/${i.id}/file">${i.fileName ?? '附件'}</a>` : ''}</td>
        <td>${i.submittedBy}<br /><span class="meta">${time(i.submittedAt)}</span></td>
        <td class="state-${i.state}">
          ${FEEDBACK_STATE_LABELS[i.state]}${i.decidedBy ? html`<br /><span class="meta">${i.decidedBy}</span>` : ''}
        </td>
        <td>
          ${req.account.role !== 'unit' && i.state === 'submitted' ? html`<a href="/feedback/${i.id}">审核</a>` : html`<a href="/feedback/${i.id}">查看</a>`}
        </td>
      </tr>`,
  );
  const body = html`${filter}
  ${
    items.length
      ? html`<div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th>编号</th>
                <th>单位</th>
                <th>检查结果</th>
                <th>整改说明</th>
                <th>附件</th>
                <th>提交</th>
                <th>状态</th>
                <th></th>
              </tr>
            </thead>
            <tbody>
              ${rows}
            </tbody>
          </table>
        </div>`
      : html`<p>没有符合条件的整改反馈。</p>`
  }`;
  return { kind: 'page', title: '整改反馈', body };
}

async function detailPage(env: ConsoleEnv, req: PageRequest): Promise<PageResult> {
  const id = idParam(req.params.id);
  const fb = id === undefined ? undefined : await getFeedback(env.db, id);
  if (!fb) return { kind: 'error', status: 404, message: '找不到该整改反馈。' };
  const f = await loadFinding(env.db, fb.findingId);
  const body = html`${f ? findingBlock(f, await unitLabel(env, f.runId, f.unitId)) : ''}
    ${feedbackItem(fb, req, true)}
    <p><a href="/feedback">返回整改反馈列表</a></p>`;
  return { kind: 'page', title: `整改反馈 ${fb.id}`, body };
}

async function fileDownload(env: ConsoleEnv, req: PageRequest): Promise<PageResult> {
  const id = idParam(req.params.id);
  const file = id === undefined ? undefined : await feedbackFile(env.db, id);
  if (!file) return { kind: 'error', status: 404, message: '该整改反馈没有附件。' };
  return { kind: 'file', name: file.name, type: file.type, data: file.data };
}

const everyone = ['admin', 'inspector', 'unit'] as const;

export const feedbackRoutes: PageRoute[] = [
  {
    method: 'GET',
    path: '/findings/:findingId/feedback',
    roles: everyone,
    unitOf: unitOfFinding,
    handle: findingFeedbackPage,
  },
  {
    method: 'POST',
    path: '/findings/:findingId/feedback',
    roles: ['unit'],
    unitOf: unitOfFinding,
    handle: submitAction,
  },
  // The list is filtered to the unit user's own unit, so their own unit is what it concerns.
  {
    method: 'GET',
    path: '/feedback',
    roles: everyone,
    unitOf: async (_env, req) => req.account.unitId ?? undefined,
    handle: listPage,
  },
  { method: 'GET', path: '/feedback/:id', roles: everyone, unitOf: unitOfFeedback, handle: detailPage },
  { method: 'POST', path: '/feedback/:id/decide', roles: ['admin', 'inspector'], handle: decideAction },
  {
    method: 'GET',
    path: '/feedback/:id/file',
    roles: everyone,
    unitOf: unitOfFeedback,
    handle: fileDownload,
  },
];
