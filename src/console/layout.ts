import { html, type Html } from './html.js';
import { ROLE_LABELS, type Account, type Role } from './types.js';
import { maskText } from '../pii/mask.js';

/** A navigation entry; shown only when a GET route with this path is registered and admits the role. */
export interface NavItem {
  path: string;
  label: string;
}

/**
 * Where the console's pages live, in menu order. The areas are built by different modules; the
 * server keeps only the entries whose route exists, so the menu never links to a missing page.
 */
export const NAV_CANDIDATES: readonly NavItem[] = [
  { path: '/', label: '总览' },
  { path: '/batches', label: '巡查批次' },
  { path: '/findings', label: '问题清单' },
  { path: '/probes', label: '可用性监测' },
  { path: '/notices', label: '整改通知' },
  { path: '/feedback', label: '整改反馈' },
  { path: '/units', label: '单位管理' },
  { path: '/schedule', label: '定时任务' },
  { path: '/settings', label: '设置' },
  { path: '/mail', label: '邮件' },
  { path: '/accounts', label: '账号管理' },
  { path: '/audit', label: '操作日志' },
];

export interface LayoutInput {
  title: string;
  body: Html;
  /** Absent on the login and error pages seen without a session. */
  account?: Account;
  csrfToken?: string;
  nav?: NavItem[];
  /** The request path, to mark the current menu entry. */
  currentPath?: string;
}

function isCurrent(item: NavItem, path: string | undefined): boolean {
  if (!path) return false;
  if (item.path === '/') return path === '/';
  return path === item.path || path.startsWith(item.path + '/');
}

/** A body that opens with its own `<h1>` (a unit page names the unit) gets no second one. */
function ownHeading(body: Html): boolean {
  return /^\s*<h1[\s>]/.test(body.text);
}

function accountLabel(a: Account): string {
  // Display names are people's names: masked like every other personal datum shown.
  const name = maskText(a.displayName || a.username);
  return `${name}（${ROLE_LABELS[a.role as Role] ?? a.role}${a.unitId ? `·${a.unitId}` : ''}）`;
}

/** The page shell: Chinese, navigation by role, the account and a logout form carrying the CSRF token. */
export function renderLayout(p: LayoutInput): string {
  const nav = p.account
    ? html`<nav class="nav" aria-label="主菜单">
        <ul>
          ${(p.nav ?? []).map(
            (item) =>
              html`<li>
                <a href="${item.path}" ${isCurrent(item, p.currentPath) ? html`aria-current="page"` : ''}
                  >${item.label}</a
                >
              </li>`,
          )}
        </ul>
      </nav>`
    : '';
  const user = p.account
    ? html`<div class="user">
        <a href="/account" title="修改密码">${accountLabel(p.account)}</a>
        <form method="post" action="/logout" class="inline">
          <input type="hidden" name="_csrf" value="${p.csrfToken ?? ''}" />
          <button type="submit" class="link">退出登录</button>
        </form>
      </div>`
    : '';
  const page = html`<!doctype html>
    <html lang="zh-CN">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        ${p.csrfToken ? html`<meta name="csrf-token" content="${p.csrfToken}" />` : ''}
        <title>${p.title} · 巡查控制台</title>
        <link rel="icon" href="/assets/favicon.svg" type="image/svg+xml" />
        <link rel="stylesheet" href="/assets/console.css" />
        <script src="/assets/console.js" defer></script>
      </head>
      <body>
        <header class="top">
          <a class="brand" href="/">巡查 · 政务公开网上巡查</a>
          ${user}
        </header>
        ${nav}
        <main id="main">${ownHeading(p.body) ? '' : html`<h1>${p.title}</h1>`} ${p.body}</main>
        <footer class="foot">xuncha 巡查控制台 · 页面中的个人信息已脱敏</footer>
      </body>
    </html>`;
  return page.text;
}

/** A Chinese error page, with or without a session. */
export function renderErrorPage(
  status: number,
  message: string,
  input: Omit<LayoutInput, 'title' | 'body'> = {},
): string {
  const titles: Record<number, string> = {
    400: '请求有误',
    403: '无权访问',
    404: '页面不存在',
    409: '操作冲突',
    413: '文件过大',
    429: '尝试次数过多',
    500: '服务器内部错误',
  };
  return renderLayout({
    ...input,
    title: titles[status] ?? '出错了',
    body: html`<div class="notice error" role="alert"><p>${message}</p></div>
      <p><a href="/">返回首页</a></p>`,
  });
}
