import type { ConsoleEnv, PageRequest, PageResult, PageRoute } from '../types.js';
import { html } from '../html.js';
import { countAudit, listAudit } from '../../store/audit.js';
import { maskText } from '../../pii/mask.js';
import { beijingTime, idParam } from './review.js';

const PAGE_SIZE = 50;

/** What each action is called on the page (others are shown as recorded). */
export const ACTION_LABELS: Record<string, string> = {
  login: '登录',
  'login.failed': '登录失败',
  'login.blocked': '登录被限制',
  logout: '退出登录',
  review: '复核',
  'review.clear': '撤销复核',
  'feedback.submit': '提交整改反馈',
  'feedback.decide': '审核整改反馈',
  'account.create': '新建账号',
  'account.disable': '停用账号',
  'account.enable': '启用账号',
  'account.password-reset': '重置密码',
  'account.password-change': '修改密码',
  'account.init-admin': '初始化管理员',
};

/** A detail object as `key：value；…` (values that are objects as JSON), masked. */
function detailText(detail: unknown): string {
  if (detail === null || detail === undefined) return '';
  if (typeof detail !== 'object' || Array.isArray(detail))
    return maskText(typeof detail === 'string' ? detail : JSON.stringify(detail));
  return maskText(
    Object.entries(detail as Record<string, unknown>)
      .filter(([, v]) => v !== null && v !== undefined && v !== '')
      .map(([k, v]) => `${k}：${typeof v === 'object' ? JSON.stringify(v) : String(v)}`)
      .join('；'),
  );
}

/** 操作日志: newest first, paged; filtered by action when asked. */
async function auditPage(env: ConsoleEnv, req: PageRequest): Promise<PageResult> {
  const page = idParam(req.query.page) ?? 1;
  const action = req.query.action || undefined;
  const filter = action ? { action } : {};
  const total = await countAudit(env.db, filter);
  const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
  const rows = await listAudit(env.db, {
    ...filter,
    limit: PAGE_SIZE,
    offset: (Math.min(page, pages) - 1) * PAGE_SIZE,
  });
  const link = (p: number) => `/audit?page=${p}${action ? `&action=${encodeURIComponent(action)}` : ''}`;
  const body = html`<form method="get" action="/audit" class="filters">
      <label
        >操作
        <select name="action">
          <option value="">全部</option>
          ${Object.entries(ACTION_LABELS).map(([k, v]) => html`<option value="${k}" ${k === action ? html`selected` : ''}>${v}</option>`)}
        </select>
      </label>
      <button type="submit">筛选</button>
    </form>
    <p class="meta">共 ${total} 条，第 ${Math.min(page, pages)} / ${pages} 页。</p>
    <div class="table-wrap">
      <table class="audit">
        <thead>
          <tr>
            <th>时间（北京时间）</th>
            <th>账号</th>
            <th>操作</th>
            <th>对象</th>
            <th>详情</th>
            <th>地址</th>
          </tr>
        </thead>
        <tbody>
          ${rows.map(
            (r) =>
              html`<tr>
                <td>${beijingTime(r.at, true)}</td>
                <td>${maskText(r.username)}</td>
                <td>${ACTION_LABELS[r.action] ?? r.action}</td>
                <td>${r.target}</td>
                <td class="detail">${detailText(r.detail)}</td>
                <td>${r.address ?? ''}</td>
              </tr>`,
          )}
        </tbody>
      </table>
    </div>
    <nav class="pager" aria-label="翻页">
      ${page > 1 ? html`<a href="${link(page - 1)}">上一页</a>` : ''}
      ${page < pages ? html`<a href="${link(page + 1)}">下一页</a>` : ''}
    </nav>`;
  return { kind: 'page', title: '操作日志', body };
}

export const auditRoutes: PageRoute[] = [
  { method: 'GET', path: '/audit', roles: ['admin'], handle: auditPage },
];
