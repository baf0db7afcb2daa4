import type { ConsoleEnv, PageRequest, PageResult, PageRoute, Role } from '../types.js';
import { ROLE_LABELS } from '../types.js';
import { html } from '../html.js';
import {
  createAccount,
  findAccountByUsername,
  getAccount,
  listAccounts,
  setAccountDisabled,
  setAccountPassword,
} from '../../store/accounts.js';
import { deleteSessionsOf } from '../../store/sessions.js';
import { recordAudit } from '../../store/audit.js';
import { rosterUnits } from '../../jobs/roster.js';
import type { Unit } from '../../seeds/unit.js';
import { maskText } from '../../pii/mask.js';
import { hashPassword, passwordProblem } from '../auth/passwords.js';
import { idParam } from './review.js';

const ROLES = Object.keys(ROLE_LABELS) as Role[];
const USERNAME = /^[\p{L}\p{N}_.@-]{2,64}$/u;

const DONE: Record<string, string> = {
  created: '账号已创建。',
  disabled: '账号已停用，其登录状态已失效。',
  enabled: '账号已启用。',
  reset: '密码已重置，该账号需用新密码重新登录。',
};

/** A refused form: what was wrong, in Chinese (never echoing a password). */
const bad = (message: string): PageResult => ({ kind: 'error', status: 400, message });

/** The roster's units (or the latest batch's), which a 单位用户's unit must be one of when known. */
async function knownUnits(env: ConsoleEnv): Promise<Unit[]> {
  try {
    return (await rosterUnits(env.db))?.units ?? [];
  } catch {
    // A roster that no longer parses must not lock the administrator out of the accounts page.
    return [];
  }
}

async function accountsPage(env: ConsoleEnv, req: PageRequest): Promise<PageResult> {
  const accounts = await listAccounts(env.db);
  const units = await knownUnits(env);
  const done = req.query.done ? DONE[req.query.done] : undefined;
  const rows = accounts.map(
    (a) =>
      html`<tr class="${a.disabled ? 'disabled' : ''}">
        <td>${maskText(a.username)}</td>
        <td>${maskText(a.displayName)}</td>
        <td>${ROLE_LABELS[a.role] ?? a.role}</td>
        <td>${a.unitId ?? ''}</td>
        <td>${a.email ? maskText(a.email) : ''}</td>
        <td>${a.disabled ? '已停用' : '正常'}</td>
        <td class="actions">
          ${
            a.id === req.account.id
              ? html`<span class="meta">当前账号</span>`
              : html`<form method="post" action="/accounts/${a.id}/disable" class="inline">
                  <input type="hidden" name="_csrf" value="${req.csrfToken}" />
                  <input type="hidden" name="disabled" value="${a.disabled ? '0' : '1'}" />
                  <button type="submit" class="secondary">${a.disabled ? '启用' : '停用'}</button>
                </form>`
          }
          <form method="post" action="/accounts/${a.id}/password" class="inline">
            <input type="hidden" name="_csrf" value="${req.csrfToken}" />
            <input
              type="password"
              name="password"
              placeholder="新密码"
              autocomplete="new-password"
              required
              minlength="10"
              aria-label="${maskText(a.username)} 的新密码"
            />
            <button type="submit" class="secondary">重置密码</button>
          </form>
        </td>
      </tr>`,
  );
  const body = html`${done ? html`<div class="notice ok" role="status">${done}</div>` : ''}
    <div class="table-wrap">
      <table>
        <thead>
          <tr>
            <th>用户名</th>
            <th>姓名</th>
            <th>角色</th>
            <th>单位</th>
            <th>邮箱</th>
            <th>状态</th>
            <th>操作</th>
          </tr>
        </thead>
        <tbody>
          ${rows}
        </tbody>
      </table>
    </div>
    <section>
      <h2>新建账号</h2>
      <form method="post" action="/accounts" class="stack">
        <input type="hidden" name="_csrf" value="${req.csrfToken}" />
        <label
          >用户名（字母、数字、汉字或 _ . @ -）<input
            name="username"
            required
            maxlength="64"
            autocomplete="off"
        /></label>
        <label>姓名<input name="displayName" maxlength="64" /></label>
        <label
          >角色
          <select name="role" required>
            ${ROLES.map((r) => html`<option value="${r}">${ROLE_LABELS[r]}</option>`)}
          </select>
        </label>
        <label
          >所属单位（单位用户必填，从单位名单中选填单位编号）<input
            name="unitId"
            list="unit-ids"
            maxlength="64"
        /></label>
        <datalist id="unit-ids">
          ${units.map((u) => html`<option value="${u.id}">${u.name}</option>`)}
        </datalist>
        <label>邮箱（可选，用于接收整改通知）<input name="email" type="email" maxlength="200" /></label>
        <label
          >初始密码（至少 10 个字符）<input
            name="password"
            type="password"
            required
            minlength="10"
            autocomplete="new-password"
        /></label>
        <button type="submit">创建账号</button>
      </form>
    </section>`;
  return { kind: 'page', title: '账号管理', body };
}

async function createAction(env: ConsoleEnv, req: PageRequest): Promise<PageResult> {
  const username = (req.form.username ?? '').trim();
  const displayName = (req.form.displayName ?? '').trim().slice(0, 64) || username;
  const role = req.form.role as Role;
  const unitId = (req.form.unitId ?? '').trim();
  const email = (req.form.email ?? '').trim();
  const password = req.form.password ?? '';
  if (!USERNAME.test(username)) return bad('用户名应为 2–64 个字母、数字、汉字或 _ . @ - 。');
  if (!ROLES.includes(role)) return bad('请选择角色。');
  if (role === 'unit' && !unitId) return bad('单位用户必须填写所属单位编号。');
  if (unitId.length > 64 || /[/\\:*?"<>|\x00-\x1f]/.test(unitId)) return bad('单位编号无效。');
  const units = role === 'unit' ? await knownUnits(env) : [];
  if (units.length && !units.some((u) => u.id === unitId))
    return bad(`单位编号「${unitId}」不在单位名单中（请从名单中选择单位编号）。`);
  if (email && !/^[^\s@]+@[^\s@]+$/.test(email)) return bad('邮箱格式不正确。');
  const problem = passwordProblem(password, username);
  if (problem) return bad(problem);
  if (await findAccountByUsername(env.db, username))
    return { kind: 'error', status: 409, message: `用户名「${username}」已存在。` };
  const id = await createAccount(
    env.db,
    {
      username,
      displayName,
      role,
      unitId: role === 'unit' ? unitId : null,
      email: email || null,
      passwordHash: await hashPassword(password),
    },
    env.now(),
  );
  await recordAudit(
    env.db,
    {
      account: req.account,
      action: 'account.create',
      target: `account:${username}`,
      detail: { id, role, unitId: role === 'unit' ? unitId : null },
      address: req.address,
    },
    env.now(),
  );
  return { kind: 'redirect', to: '/accounts?done=created' };
}

async function disableAction(env: ConsoleEnv, req: PageRequest): Promise<PageResult> {
  const id = idParam(req.params.id);
  const target = id === undefined ? undefined : await getAccount(env.db, id);
  if (!target) return { kind: 'error', status: 404, message: '找不到该账号。' };
  if (target.id === req.account.id) return bad('不能停用自己的账号。');
  const disabled = req.form.disabled !== '0';
  await setAccountDisabled(env.db, target.id, disabled);
  if (disabled) await deleteSessionsOf(env.db, target.id);
  await recordAudit(
    env.db,
    {
      account: req.account,
      action: disabled ? 'account.disable' : 'account.enable',
      target: `account:${target.username}`,
      address: req.address,
    },
    env.now(),
  );
  return { kind: 'redirect', to: `/accounts?done=${disabled ? 'disabled' : 'enabled'}` };
}

async function resetAction(env: ConsoleEnv, req: PageRequest): Promise<PageResult> {
  const id = idParam(req.params.id);
  const target = id === undefined ? undefined : await getAccount(env.db, id);
  if (!target) return { kind: 'error', status: 404, message: '找不到该账号。' };
  const password = req.form.password ?? '';
  const problem = passwordProblem(password, target.username);
  if (problem) return bad(problem);
  await setAccountPassword(env.db, target.id, await hashPassword(password), env.now());
  // Whoever was logged in with the old password is logged out.
  if (target.id !== req.account.id) await deleteSessionsOf(env.db, target.id);
  await recordAudit(
    env.db,
    {
      account: req.account,
      action: 'account.password-reset',
      target: `account:${target.username}`,
      address: req.address,
    },
    env.now(),
  );
  return { kind: 'redirect', to: '/accounts?done=reset' };
}

export const accountRoutes: PageRoute[] = [
  { method: 'GET', path: '/accounts', roles: ['admin'], handle: accountsPage },
  { method: 'POST', path: '/accounts', roles: ['admin'], handle: createAction },
  { method: 'POST', path: '/accounts/:id/disable', roles: ['admin'], handle: disableAction },
  { method: 'POST', path: '/accounts/:id/password', roles: ['admin'], handle: resetAction },
];
