import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import multipart from '@fastify/multipart';
import { createReadStream, existsSync, readdirSync, readFileSync } from 'node:fs';
import { extname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ConsoleEnv, PageRequest, PageResult, PageRoute, Role } from './types.js';
import { html } from './html.js';
import { NAV_CANDIDATES, renderErrorPage, renderLayout, type NavItem } from './layout.js';
import { coreRoutes } from './pages/coreRoutes.js';
import { viewRoutes } from './pages/viewRoutes.js';
import { settingsRoutes } from './pages/settingsRoutes.js';
import { resolveSession, SESSION_COOKIE, type ActiveSession } from './auth/sessions.js';
import { tokensMatch } from './auth/csrf.js';
import { firstString, insideDir, safeNext, stringRecord } from './auth/requests.js';
import { LoginThrottle } from './auth/throttle.js';
import { registerLoginRoutes } from './pages/login.js';

export { firstString, insideDir, safeNext, stringRecord };

export interface ConsoleServerOptions {
  /** Mark cookies Secure even over plain http (behind a TLS-terminating proxy). */
  secureCookies?: boolean;
  /** Largest uploaded file (bytes); 20 MB by default. */
  uploadLimitBytes?: number;
  /** Tests pass their own to see the limit without waiting 15 minutes. */
  loginThrottle?: LoginThrottle;
  /** Extra routes (tests). */
  routes?: PageRoute[];
  /** Trust X-Forwarded-* from a reverse proxy for the client address and https. */
  trustProxy?: boolean;
}

declare module 'fastify' {
  interface FastifyRequest {
    consoleSession?: ActiveSession;
  }
}

/** assets/console/ at the package root: the same from src/console (tsx) and dist/console (built). */
export const ASSETS_DIR = fileURLToPath(new URL('../../assets/console/', import.meta.url));

const ASSET_TYPES: Record<string, string> = {
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
};

/**
 * Self only, no inline script or style, no framing: a hostile page title that slipped through
 * escaping still could not run. Downloads get a sandbox on top (报告.html opened from the console
 * runs nothing).
 */
const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; " +
  "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/** Fastify's and its plugins' own error codes, in words an office user reads. */
const ERROR_MESSAGES: Record<string, [number, string]> = {
  FST_ERR_CTP_BODY_TOO_LARGE: [413, '提交的内容过大。'],
  FST_REQ_FILE_TOO_LARGE: [413, '上传的文件过大，请压缩后重试。'],
  FST_PARTS_LIMIT: [413, '提交的字段或文件过多。'],
  FST_FILES_LIMIT: [413, '一次提交的文件过多。'],
  FST_FIELDS_LIMIT: [413, '提交的字段过多。'],
  FST_ERR_CTP_INVALID_MEDIA_TYPE: [415, '不支持的提交格式。'],
  FST_ERR_CTP_EMPTY_JSON_BODY: [400, '提交的内容为空。'],
  FST_ERR_CTP_INVALID_JSON_BODY: [400, '提交的内容无法解析。'],
  FST_ERR_BAD_URL: [400, '网址无效。'],
  FST_INVALID_MULTIPART_CONTENT_TYPE: [400, '提交的内容无法解析。'],
};

/** `attachment` with the name in UTF-8 (RFC 6266) and an ASCII fallback for old clients. */
export function contentDisposition(name: string): string {
  const fallback = name.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  // encodeURIComponent leaves ' ( ) * as they are; RFC 5987 does not allow them in the value.
  const encoded = encodeURIComponent(name).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}

export function createConsoleServer(env: ConsoleEnv, opts: ConsoleServerOptions = {}): FastifyInstance {
  const uploadLimit = opts.uploadLimitBytes ?? 20 * 1024 * 1024;
  const app = Fastify({ logger: false, trustProxy: opts.trustProxy ?? false, bodyLimit: 1024 * 1024 });
  void app.register(cookie);
  void app.register(formbody);
  void app.register(multipart, {
    limits: { fileSize: uploadLimit, files: 5, fields: 100, fieldSize: 4 * 1024 * 1024, parts: 110 },
  });

  const routes = [...coreRoutes, ...viewRoutes, ...settingsRoutes, ...(opts.routes ?? [])];
  const secure = (req: FastifyRequest) => Boolean(opts.secureCookies) || req.protocol === 'https';

  // The menu: entries whose GET route exists, per role.
  const getRoles = new Map<string, readonly Role[]>();
  for (const r of routes) if (r.method === 'GET') getRoles.set(r.path, r.roles);
  const navFor = (role: Role): NavItem[] =>
    NAV_CANDIDATES.filter((item) => getRoles.get(item.path)?.includes(role));

  const page = (req: FastifyRequest, title: string, body: ReturnType<typeof html>) => {
    const s = req.consoleSession;
    return renderLayout({
      title,
      body,
      ...(s ? { account: s.account, csrfToken: s.csrfToken, nav: navFor(s.account.role) } : {}),
      currentPath: req.url.split('?')[0] ?? '/',
    });
  };

  const sendError = (req: FastifyRequest, reply: FastifyReply, status: number, message: string) => {
    const s = req.consoleSession;
    return reply
      .code(status)
      .header('cache-control', 'no-store')
      .type('text/html; charset=utf-8')
      .send(
        renderErrorPage(
          status,
          message,
          s ? { account: s.account, csrfToken: s.csrfToken, nav: navFor(s.account.role) } : {},
        ),
      );
  };

  // Every response: what the browser may do with it.
  app.addHook('onSend', async (_req, reply, payload) => {
    // A download brings its own, stricter policy.
    if (!reply.hasHeader('content-security-policy')) reply.header('content-security-policy', CSP);
    reply.header('x-content-type-options', 'nosniff');
    reply.header('x-frame-options', 'DENY');
    reply.header('referrer-policy', 'same-origin');
    reply.header('cross-origin-opener-policy', 'same-origin');
    return payload;
  });

  // Every path but the login page and its assets needs a live session; without one, the login page.
  app.addHook('onRequest', async (req, reply) => {
    const path = req.url.split('?')[0] ?? '/';
    // Only the asset names the server serves: `/assets/../x` is not an asset.
    const open = path === '/login' || /^\/assets\/[\w-]+\.[a-z0-9]+$/.test(path);
    // Assets need no session, and looking one up for each stylesheet would cost two queries.
    if (path.startsWith('/assets/') && open) return;
    const session = await resolveSession(env.db, req.cookies[SESSION_COOKIE], env.now());
    if (session) req.consoleSession = session;
    else if (!open) {
      const next = req.method === 'GET' ? `?next=${encodeURIComponent(req.url)}` : '';
      return reply.redirect(`/login${next}`, 302);
    }
  });

  const assets = existsSync(ASSETS_DIR)
    ? new Map(
        readdirSync(ASSETS_DIR)
          .filter((n) => ASSET_TYPES[extname(n)])
          .map((n) => [n, resolve(ASSETS_DIR, n)]),
      )
    : new Map<string, string>();
  app.get<{ Params: { name: string } }>('/assets/:name', async (req, reply) => {
    const file = assets.get(req.params.name);
    if (!file) return sendError(req, reply, 404, '找不到该文件。');
    return reply
      .type(ASSET_TYPES[extname(file)]!)
      .header('cache-control', 'no-cache')
      .send(readFileSync(file));
  });

  registerLoginRoutes(app, env, {
    throttle: opts.loginThrottle ?? new LoginThrottle(),
    secure,
    page,
    sendError,
  });

  for (const route of routes)
    app.route({
      method: route.method,
      url: route.path,
      handler: (req, reply) => runPage(route, req, reply),
    });

  // A home page until the overview exists (the view routes bring their own '/').
  if (!getRoles.has('/'))
    app.get('/', async (req, reply) => {
      const items = navFor(req.consoleSession!.account.role).filter((i) => i.path !== '/');
      return reply
        .type('text/html; charset=utf-8')
        .header('cache-control', 'no-store')
        .send(
          page(
            req,
            '首页',
            html`<ul class="cards">
              ${items.map((i) => html`<li><a href="${i.path}">${i.label}</a></li>`)}
            </ul>`,
          ),
        );
    });

  app.setNotFoundHandler((req, reply) => sendError(req, reply, 404, `页面不存在：${req.url.split('?')[0]}`));

  app.setErrorHandler((err: { code?: string; statusCode?: number; message?: string }, req, reply) => {
    const known = err.code ? ERROR_MESSAGES[err.code] : undefined;
    if (known) {
      const message =
        err.code === 'FST_REQ_FILE_TOO_LARGE'
          ? `上传的文件过大（上限 ${Math.round(uploadLimit / 1024 / 1024)} MB），请压缩后重试。`
          : known[1];
      return sendError(req, reply, known[0], message);
    }
    const status = err.statusCode && err.statusCode >= 400 && err.statusCode < 500 ? err.statusCode : 500;
    if (status === 500)
      env.log.error(`控制台请求出错（${req.method} ${req.url.split('?')[0]}）：${String(err.message)}`);
    return sendError(
      req,
      reply,
      status,
      status === 500 ? '服务器内部错误，请稍后重试；问题持续时请联系管理员查看服务日志。' : '请求无法处理。',
    );
  });

  async function readForm(req: FastifyRequest): Promise<Pick<PageRequest, 'form' | 'files'>> {
    const form: Record<string, string> = {};
    const files: PageRequest['files'] = {};
    if (req.method !== 'POST') return { form, files };
    if (req.isMultipart()) {
      for await (const part of req.parts()) {
        if (part.type === 'file') {
          const data = await part.toBuffer();
          // A file input left empty still sends a part without a name or bytes.
          if (part.filename || data.length)
            files[part.fieldname] = { name: part.filename, type: part.mimetype, data };
        } else {
          const v = firstString(part.value);
          if (v !== undefined) form[part.fieldname] = v;
        }
      }
      return { form, files };
    }
    return { form: stringRecord(req.body), files };
  }

  async function runPage(route: PageRoute, req: FastifyRequest, reply: FastifyReply): Promise<unknown> {
    const session = req.consoleSession;
    if (!session) return reply.redirect('/login', 302);
    const { account } = session;
    if (!route.roles.includes(account.role)) return sendError(req, reply, 403, '您的账号无权访问此页面。');
    const { form, files } = await readForm(req);
    const preq: PageRequest = {
      account,
      params: stringRecord(req.params),
      query: stringRecord(req.query),
      form,
      files,
      csrfToken: session.csrfToken,
      address: req.ip,
    };
    if (
      route.method === 'POST' &&
      !tokensMatch(form._csrf ?? firstString(req.headers['x-csrf-token']), session.csrfToken)
    )
      return sendError(req, reply, 403, '表单校验失败（可能已过期或来自其他网站），请刷新页面后重新提交。');
    if (account.role === 'unit') {
      // Fail closed: a route without a unit scope, or one that cannot say, is refused.
      const unit = route.unitOf ? await route.unitOf(env, preq) : undefined;
      if (!account.unitId || unit === undefined || unit !== account.unitId)
        return sendError(req, reply, 403, '单位用户只能查看和办理本单位的内容。');
    }
    return sendResult(req, reply, await route.handle(env, preq));
  }

  function sendResult(req: FastifyRequest, reply: FastifyReply, result: PageResult): unknown {
    switch (result.kind) {
      case 'page':
        return reply
          .code(result.status ?? 200)
          .type('text/html; charset=utf-8')
          .header('cache-control', 'no-store')
          .send(page(req, result.title, result.body));
      case 'redirect':
        return reply.redirect(safeNext(result.to), 303);
      case 'json':
        return reply.header('cache-control', 'no-store').send(result.data);
      case 'error':
        return sendError(req, reply, result.status, result.message);
      case 'file': {
        reply
          .header('content-disposition', contentDisposition(result.name))
          .header('cache-control', 'no-store')
          .header('content-security-policy', "sandbox; default-src 'none'")
          .type(result.type || 'application/octet-stream');
        if (result.data) return reply.send(result.data);
        const file = result.path ? insideDir(env.outDir, resolve(result.path)) : undefined;
        if (!file) return sendError(req, reply, 404, '找不到该文件。');
        return reply.send(createReadStream(file));
      }
    }
  }

  return app;
}
