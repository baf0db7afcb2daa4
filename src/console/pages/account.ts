import type { ConsoleEnv, PageRequest, PageResult, PageRoute } from '../types.js';
import { ROLE_LABELS } from '../types.js';
import { html } from '../html.js';
import { getAccount, setAccountPassword } from '../../store/accounts.js';
import { deleteSessionsOf } from '../../store/sessions.js';
import { recordAudit } from '../../store/audit.js';
import { maskText } from '../../pii/mask.js';
import { hashPassword, passwordProblem, verifyPassword } from '../auth/passwords.js';

/** One's own account: who the console thinks you are, and changing your password. */
async function accountPage(_env: ConsoleEnv, req: PageRequest): Promise<PageResult> {
  const a = req.account;
  const body = html` <dl class="facts">
      <dt>用户名</dt>
      <dd>${maskText(a.username)}</dd>
      <dt>姓名</dt>
      <dd>${maskText(a.displayName)}</dd>
      <dt>角色</dt>
      <dd>${ROLE_LABELS[a.role]}</dd>
      ${
        a.unitId
          ? html`<dt>所属单位</dt>
              <dd>${a.unitId}</dd>`
          : ''
      }
    </dl>
    <section>
      <h2>修改密码</h2>
      <form method="post" action="/account/password" class="stack">
        <input type="hidden" name="_csrf" value="${req.csrfToken}" />
        <label
          >当前密码<input name="current" type="password" required autocomplete="current-password"
        /></label>
        <label
          >新密码（至少 10 个字符）<input
            name="password"
            type="password"
            required
            minlength="10"
            autocomplete="new-password"
        /></label>
        <label
          >再次输入新密码<input
            name="confirm"
            type="password"
            required
            minlength="10"
            autocomplete="new-password"
        /></label>
        <button type="submit">修改密码</button>
      </form>
    </section>`;
  return { kind: 'page', title: '我的账号', body };
}

async function changePassword(env: ConsoleEnv, req: PageRequest): Promise<PageResult> {
  const stored = await getAccount(env.db, req.account.id);
  if (!stored) return { kind: 'error', status: 404, message: '找不到该账号。' };
  if (!(await verifyPassword(req.form.current ?? '', stored.passwordHash)))
    return { kind: 'error', status: 400, message: '当前密码不正确。' };
  const password = req.form.password ?? '';
  if (password !== req.form.confirm)
    return { kind: 'error', status: 400, message: '两次输入的新密码不一致。' };
  const problem = passwordProblem(password, stored.username);
  if (problem) return { kind: 'error', status: 400, message: problem };
  await setAccountPassword(env.db, stored.id, await hashPassword(password), env.now());
  await recordAudit(
    env.db,
    {
      account: req.account,
      action: 'account.password-change',
      target: `account:${stored.username}`,
      address: req.address,
    },
    env.now(),
  );
  // Every session that knew the old password ends, this one too: log in again with the new one.
  await deleteSessionsOf(env.db, stored.id);
  return { kind: 'redirect', to: '/login?changed=1' };
}

/** Everyone's own page: a 单位用户's concerns their own unit. */
const own = async (_env: ConsoleEnv, req: PageRequest) => req.account.unitId ?? undefined;

export const ownAccountRoutes: PageRoute[] = [
  {
    method: 'GET',
    path: '/account',
    roles: ['admin', 'inspector', 'unit'],
    unitOf: own,
    handle: accountPage,
  },
  {
    method: 'POST',
    path: '/account/password',
    roles: ['admin', 'inspector', 'unit'],
    unitOf: own,
    handle: changePassword,
  },
];
