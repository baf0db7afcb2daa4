import { html } from '../html.js';
import { maskUrl } from '../../pii/mask.js';
import type { ConsoleEnv, PageRequest, PageResult, PageRoute } from '../types.js';
import { unitNames } from '../data/batches.js';
import { availability, availabilityRule } from '../data/probes.js';
import { enc, notFound, positiveInt, queryString, shanghaiTime } from '../data/format.js';
import { availabilityChart, availabilityStrip } from '../charts.js';

/**
 * 可用性监测: every unit's home-page probes per day over the last `?days=` (default the check's
 * window, at most 90), as a strip per unit; `?unit=` shows one unit's daily line and its latest
 * failures. A 单位用户 sees only their own unit.
 */

const MAX_DAYS = 90;

function percent(probes: number, failures: number): string {
  return probes ? `${(((probes - failures) / probes) * 100).toFixed(1)}%` : '—';
}

async function probesPage(env: ConsoleEnv, req: PageRequest): Promise<PageResult> {
  const rule = availabilityRule(env.rulesDir);
  const days = Math.min(MAX_DAYS, positiveInt(req.query.days) ?? rule.windowDays);
  const names = await unitNames(env.db);
  const only = req.account.role === 'unit' ? (req.account.unitId ?? '\u0000') : req.query.unit || undefined;
  if (only !== undefined && !names.has(only)) return notFound('找不到该单位');
  const ids = only !== undefined ? [only] : [...names.keys()];
  const rows = await availability(env, ids, days);
  const veto = `${rule.vetoShare * 100}%`;
  const dayLinks = html`<p class="meta">
    时间范围：${[7, 30, 90].map(
      (d) =>
        html`<a
          href="/probes${queryString({ unit: only, days: d })}"
          ${d === days ? html`aria-current="page"` : ''}
          >近 ${d} 天</a
        > `,
    )}
  </p>`;
  const legend = html`<p class="meta">
    每格一天（北京时间）：绿色全部可访问，黄色有失败，红色失败比例达到否决线
    ${veto}，灰色无监测。检查项“站点可用性”按检查日前 ${rule.windowDays} 天、每天不少于 20 次的监测判断。
  </p>`;
  if (only !== undefined) {
    const u = rows[0]!;
    const name = names.get(only) ?? only;
    const title = `可用性监测：${name}`;
    const body = html`<h1>${title}</h1>
      ${dayLinks}
      <p class="summary">
        近 ${days} 天监测 ${u.probes} 次，失败 ${u.failures} 次，可访问比例
        ${percent(u.probes, u.failures)}（否决线：失败比例 ${veto}）。
      </p>
      ${u.probes ? html`<figure>${availabilityChart(u.days, name)}</figure>` : html`<p class="meta">这段时间没有监测记录。</p>`}
      ${legend}
      <p>${availabilityStrip(u.days, rule.vetoShare)}</p>
      ${
        u.recentFailures.length
          ? html`<h2>最近的失败</h2>
              <table class="probe-failures">
                <thead>
                  <tr>
                    <th>时间（北京时间）</th>
                    <th>网址</th>
                    <th>状态码</th>
                    <th>错误</th>
                    <th>用时</th>
                  </tr>
                </thead>
                <tbody>
                  ${u.recentFailures.map(
                    (p) =>
                      html`<tr>
                        <td>${shanghaiTime(p.at)}</td>
                        <td>${maskUrl(p.url)}</td>
                        <td class="num">${p.status || '—'}</td>
                        <td>${p.errorKind ?? ''}</td>
                        <td class="num">${p.durationMs} 毫秒</td>
                      </tr>`,
                  )}
                </tbody>
              </table>`
          : ''
      }
      ${req.account.role === 'unit' ? '' : html`<p><a href="/probes${queryString({ days })}">返回全部单位</a></p>`}`;
    return { kind: 'page', title, body };
  }
  const title = '可用性监测';
  const body = html`<h1>${title}</h1>
    ${dayLinks}${legend}
    ${
      rows.length
        ? html`<table class="probes">
            <thead>
              <tr>
                <th>单位</th>
                <th>监测次数</th>
                <th>失败次数</th>
                <th>可访问比例</th>
                <th>每日情况</th>
              </tr>
            </thead>
            <tbody>
              ${rows.map(
                (u) =>
                  html`<tr class="${u.probes && u.failures / u.probes >= rule.vetoShare ? 'failing' : ''}">
                    <td>
                      <a href="/probes${queryString({ unit: u.unitId, days })}"
                        >${names.get(u.unitId) ?? u.unitId}</a
                      >
                    </td>
                    <td class="num">${u.probes}</td>
                    <td class="num">${u.failures}</td>
                    <td class="num">${percent(u.probes, u.failures)}</td>
                    <td>${availabilityStrip(u.days, rule.vetoShare)}</td>
                  </tr>`,
              )}
            </tbody>
          </table>`
        : html`<p class="meta">还没有单位。</p>`
    }`;
  return { kind: 'page', title, body };
}

export const probesRoute: PageRoute = {
  method: 'GET',
  path: '/probes',
  roles: ['admin', 'inspector', 'unit'],
  unitOf: (_env, req) =>
    Promise.resolve(
      req.account.role === 'unit' ? (req.query.unit ?? req.account.unitId ?? undefined) : req.query.unit,
    ),
  handle: probesPage,
};

/** A unit's availability page (linked from the unit page). */
export const probesLink = (unitId: string): string => `/probes?unit=${enc(unitId)}`;
