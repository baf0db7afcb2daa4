import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ConsoleEnv } from '../types.js';
import { html, type Html } from '../html.js';
import { findAccountByUsername, publicAccount } from '../../store/accounts.js';
import { recordAudit } from '../../store/audit.js';
import { dummyHash, verifyPassword } from '../auth/passwords.js';
import { endSession, SESSION_COOKIE, startSession, ABSOLUTE_MS } from '../auth/sessions.js';
import { newToken, tokensMatch } from '../auth/csrf.js';
import type { LoginThrottle } from '../auth/throttle.js';
import { firstString, safeNext, stringRecord } from '../auth/requests.js';

/** The login form's own CSRF token (double submit): there is no session to hold one yet. */
const LOGIN_CSRF_COOKIE = 'xuncha_login';

export interface LoginDeps {
  throttle: LoginThrottle;
  secure(req: FastifyRequest): boolean;
  page(req: FastifyRequest, title: string, body: Html): string;
  sendError(req: FastifyRequest, reply: FastifyReply, status: number, message: string): unknown;
}

function loginForm(token: string, next: string, username: string, message?: string, ok = false): Html {
  return html`<form method="post" action="/login" class="login">
    ${message ? html`<div class="notice ${ok ? 'ok' : 'error'}" role="alert">${message}</div>` : ''}
    <input type="hidden" name="_csrf" value="${token}" />
    <input type="hidden" name="next" value="${next}" />
    <label
      >用户名 <input name="username" autocomplete="username" required value="${username}" autofocus
    /></label>
    <label>密码 <input name="password" type="password" autocomplete="current-password" required /></label>
    <button type="submit">登录</button>
    <p class="hint">账号由管理员分配。忘记密码请联系政务公开办管理员重置。</p>
  </form>`;
}

/** GET/POST /login and POST /logout: the only routes that handle cookies themselves. */
export function registerLoginRoutes(app: FastifyInstance, env: ConsoleEnv, deps: LoginDeps): void {
  const cookieOptions = (req: FastifyRequest) => ({
    httpOnly: true,
    sameSite: 'strict' as const,
    secure: deps.secure(req),
    path: '/',
  });

  const showForm = (
    req: FastifyRequest,
    reply: FastifyReply,
    status: number,
    username: string,
    message?: string,
  ) => {
    const token = newToken();
    const next = safeNext(
      firstString((req.query as Record<string, unknown>).next) ?? stringRecord(req.body).next,
    );
    void reply.setCookie(LOGIN_CSRF_COOKIE, token, { ...cookieOptions(req), path: '/login', maxAge: 3600 });
    return reply
      .code(status)
      .type('text/html; charset=utf-8')
      .header('cache-control', 'no-store')
      .send(deps.page(req, '登录', loginForm(token, next, username, message, status === 200)));
  };

  app.get('/login', async (req, reply) => {
    if (req.consoleSession)
      return reply.redirect(safeNext(firstString((req.query as Record<string, unknown>).next)), 302);
    const changed = firstString((req.query as Record<string, unknown>).changed) === '1';
    return showForm(req, reply, 200, '', changed ? '密码已修改，请用新密码登录。' : undefined);
  });

  app.post('/login', async (req, reply) => {
    const form = stringRecord(req.body);
    const username = (form.username ?? '').trim().slice(0, 100);
    const password = form.password ?? '';
    if (!tokensMatch(form._csrf, req.cookies[LOGIN_CSRF_COOKIE] ?? ''))
      return showForm(req, reply, 403, username, '登录表单已过期，请重新输入后登录。');
    const now = env.now().getTime();
    const keys = [`addr:${req.ip}`, `user:${username.toLowerCase()}`];
    const wait = deps.throttle.blockedFor(keys, now);
    if (wait > 0) {
      await recordAudit(
        env.db,
        { account: null, username, action: 'login.blocked', target: `account:${username}`, address: req.ip },
        env.now(),
      );
      return deps.sendError(req, reply, 429, `登录失败次数过多，请 ${Math.ceil(wait / 60000)} 分钟后再试。`);
    }
    const account = username ? await findAccountByUsername(env.db, username) : undefined;
    // An unknown name costs a hash too, so response times do not tell which names exist.
    const ok = await verifyPassword(password, account?.passwordHash ?? (await dummyHash()));
    if (!account || !ok || account.disabled) {
      deps.throttle.fail(keys, now);
      await recordAudit(
        env.db,
        { account: null, username, action: 'login.failed', target: `account:${username}`, address: req.ip },
        env.now(),
      );
      return showForm(req, reply, 401, username, '用户名或密码错误，或账号已停用。');
    }
    deps.throttle.succeed(keys[1]!);
    const { token } = await startSession(env.db, account.id, env.now());
    await recordAudit(
      env.db,
      {
        account: publicAccount(account),
        action: 'login',
        target: `account:${account.username}`,
        address: req.ip,
      },
      env.now(),
    );
    void reply.clearCookie(LOGIN_CSRF_COOKIE, { path: '/login' });
    void reply.setCookie(SESSION_COOKIE, token, { ...cookieOptions(req), maxAge: ABSOLUTE_MS / 1000 });
    return reply.redirect(safeNext(form.next), 303);
  });

  app.post('/logout', async (req, reply) => {
    const s = req.consoleSession;
    if (!s) return reply.redirect('/login', 303);
    const form = stringRecord(req.body);
    if (!tokensMatch(form._csrf ?? firstString(req.headers['x-csrf-token']), s.csrfToken))
      return deps.sendError(
        req,
        reply,
        403,
        '表单校验失败（可能已过期或来自其他网站），请刷新页面后重新提交。',
      );
    await endSession(env.db, s.tokenHash);
    await recordAudit(
      env.db,
      { account: s.account, action: 'logout', target: `account:${s.account.username}`, address: req.ip },
      env.now(),
    );
    void reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return reply.redirect('/login', 303);
  });
}
