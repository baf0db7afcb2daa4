import type { ConsoleEnv, PageRequest, PageResult } from '../types.js';
import { html } from '../html.js';
import { maskText } from '../../pii/mask.js';
import { recordAudit } from '../../store/audit.js';
import { getSmtpSettings, putSetting, SETTING_SMTP, type SmtpSettings } from '../../store/consoleSettings.js';
import { listMailLog } from '../../store/mailLog.js';
import { createMailer } from '../../mail/send.js';
import { beijingMinute } from '../../schedule/jobs.js';

/**
 * 设置 → 邮件: the SMTP server and the office's recipients, a test mail, and the latest mails sent
 * or attempted. The password is write-only: the form never shows it, and an empty field keeps it.
 */

const DONE: Record<string, string> = {
  saved: '邮件设置已保存。',
  test: '测试邮件已发出，请到收件箱查看。',
};

const ADDRESS = /^[^\s@<>,;]+@[^\s@<>,;]+\.[^\s@<>,;]+$/;
const KIND: Record<string, string> = {
  summary: '巡查情况报告',
  notice: '整改通知',
  reminder: '期限提醒',
  test: '测试邮件',
};

export async function mailPage(env: ConsoleEnv, req: PageRequest): Promise<PageResult> {
  const s = await getSmtpSettings(env.db);
  const done = req.query.done ? DONE[req.query.done] : undefined;
  const log = await listMailLog(env.db, { limit: 50 });
  const body = html`${done ? html`<div class="notice ok" role="status">${done}</div>` : ''}
    <section>
      <h2>发送服务器</h2>
      <p class="hint">
        每批次完成后，向下列政务公开办邮箱发送巡查情况报告（附排名表），并向各单位联系人邮箱发送整改通知（附
        DOCX 和 PDF）；整改期限前按“定时任务”的设置发送提醒。邮件正文中的个人信息一律遮蔽。
      </p>
      <form method="post" action="/settings/mail" class="stack">
        <input type="hidden" name="_csrf" value="${req.csrfToken}" />
        <label>SMTP 服务器<input name="host" value="${s?.host ?? ''}" required maxlength="200" /></label>
        <label
          >端口<input name="port" type="number" min="1" max="65535" value="${String(s?.port ?? 25)}" required
        /></label>
        <label
          ><input type="checkbox" name="secure" value="1" ${s?.secure ? html`checked` : ''} /> 使用 SSL/TLS
          连接（通常为 465 端口；不勾选时服务器支持则用 STARTTLS）</label
        >
        <label
          >用户名（不需要登录时留空）<input
            name="user"
            value="${s?.user ?? ''}"
            maxlength="200"
            autocomplete="off"
        /></label>
        <label
          >密码${s?.password ? '（已设置，留空则不修改）' : ''}<input
            name="password"
            type="password"
            value=""
            maxlength="200"
            autocomplete="new-password"
        /></label>
        <label
          >发件人（如 示范区政务公开办 &lt;gkb@example.gov.cn&gt;）<input
            name="from"
            value="${s?.from ?? ''}"
            required
            maxlength="200"
        /></label>
        <label
          >政务公开办收件邮箱（每行一个）<textarea name="office" rows="3">
${(s?.office ?? []).join('\n')}</textarea>
        </label>
        <label
          >控制台网址（邮件中的链接，如 http://10.0.0.5:8080）<input
            name="consoleUrl"
            value="${s?.consoleUrl ?? ''}"
            maxlength="200"
        /></label>
        <button type="submit">保存</button>
      </form>
    </section>
    <section>
      <h2>发送测试邮件</h2>
      <form method="post" action="/settings/mail/test" class="inline">
        <input type="hidden" name="_csrf" value="${req.csrfToken}" />
        <input
          name="to"
          type="email"
          required
          placeholder="收件邮箱"
          aria-label="测试邮件收件邮箱"
          value="${req.account.email ?? ''}"
        />
        <button type="submit" ${s?.host ? '' : html`disabled`}>发送测试邮件</button>
      </form>
    </section>
    <section>
      <h2>最近的邮件</h2>
      ${
        log.length
          ? html`<div class="table-wrap">
              <table>
                <thead>
                  <tr>
                    <th>时间（北京）</th>
                    <th>类别</th>
                    <th>收件人</th>
                    <th>主题</th>
                    <th>批次</th>
                    <th>结果</th>
                  </tr>
                </thead>
                <tbody>
                  ${log.map(
                    (m) =>
                      html`<tr>
                        <td>${beijingMinute(new Date(m.at))}</td>
                        <td>${KIND[m.kind] ?? m.kind}</td>
                        <td>${maskText(m.recipient) || '（无邮箱）'}</td>
                        <td>${maskText(m.subject)}</td>
                        <td>${m.runId ?? ''}</td>
                        <td>${m.outcome === 'sent' ? '已发送' : `失败：${maskText(m.error ?? '')}`}</td>
                      </tr>`,
                  )}
                </tbody>
              </table>
            </div>`
          : html`<p class="meta">尚未发送过邮件。</p>`
      }
    </section>`;
  return { kind: 'page', title: '邮件设置', body };
}

const bad = (message: string): PageResult => ({ kind: 'error', status: 400, message });

export async function mailSaveAction(env: ConsoleEnv, req: PageRequest): Promise<PageResult> {
  const f = req.form;
  const host = (f.host ?? '').trim();
  const port = Number(f.port);
  const from = (f.from ?? '').trim();
  const office = (f.office ?? '').split(/[\s,;，；]+/).filter(Boolean);
  const consoleUrl = (f.consoleUrl ?? '').trim().replace(/\/+$/, '');
  if (!host || /[\s/]/.test(host)) return bad('请填写 SMTP 服务器的主机名或 IP 地址。');
  if (!Number.isInteger(port) || port < 1 || port > 65535) return bad('端口应为 1 到 65535 的整数。');
  if (!/[^\s@<>]+@[^\s@<>]+/.test(from)) return bad('发件人应包含邮箱地址。');
  const wrong = office.find((a) => !ADDRESS.test(a));
  if (wrong) return bad(`政务公开办收件邮箱「${wrong}」格式不正确。`);
  if (consoleUrl && !/^https?:\/\/[^\s]+$/.test(consoleUrl))
    return bad('控制台网址应以 http:// 或 https:// 开头。');
  const previous = await getSmtpSettings(env.db);
  const password = f.password ? f.password : (previous?.password ?? '');
  const settings: SmtpSettings = {
    host,
    port,
    secure: f.secure === '1' || f.secure === 'on',
    user: (f.user ?? '').trim(),
    password,
    from,
    office,
    ...(consoleUrl ? { consoleUrl } : {}),
  };
  await putSetting(env.db, SETTING_SMTP, settings, req.account.username, env.now());
  const { password: _hidden, ...shown } = settings;
  await recordAudit(
    env.db,
    {
      account: req.account,
      action: 'settings.mail',
      target: 'settings:smtp',
      detail: { ...shown, passwordChanged: Boolean(f.password) },
      address: req.address,
    },
    env.now(),
  );
  return { kind: 'redirect', to: '/settings/mail?done=saved' };
}

export async function mailTestAction(env: ConsoleEnv, req: PageRequest): Promise<PageResult> {
  const to = (req.form.to ?? '').trim();
  if (!ADDRESS.test(to)) return bad('请填写正确的收件邮箱。');
  const result = await createMailer(env).sendTest(to, req.account.displayName || req.account.username);
  await recordAudit(
    env.db,
    {
      account: req.account,
      action: 'settings.mail.test',
      target: 'settings:smtp',
      detail: { to, ok: result.ok, error: result.error ?? null },
      address: req.address,
    },
    env.now(),
  );
  if (!result.ok) return bad(`测试邮件未能发出：${maskText(result.error ?? '')}`);
  return { kind: 'redirect', to: '/settings/mail?done=test' };
}
