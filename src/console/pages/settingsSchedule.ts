import type { ConsoleEnv, PageRequest, PageResult } from '../types.js';
import { html } from '../html.js';
import { maskText } from '../../pii/mask.js';
import { recordAudit } from '../../store/audit.js';
import {
  getScheduleJob,
  insertScheduleJobs,
  listScheduleJobs,
  updateScheduleJob,
  type ScheduleJob,
} from '../../store/scheduleJobs.js';
import { beijingMinute, cronOf, cronProblem, DEFAULT_JOBS, KIND_LABELS } from '../../schedule/jobs.js';

/**
 * 设置 → 定时任务: the scheduler's jobs with their next times and last outcome; an administrator
 * edits a job's cron (checked before it is stored), turns it on or off, and sets the working days
 * of the deadline-driven jobs. The running scheduler reads the table again within a minute.
 */

const DONE: Record<string, string> = { saved: '定时任务已保存，一分钟内生效。' };

/** The working-day option of a kind, with its label. */
const DAY_OPTION: Partial<Record<ScheduleJob['kind'], { key: string; label: string }>> = {
  recheck: { key: 'workdaysAfterDeadline', label: '整改期限后第几个工作日复查' },
  reminder: { key: 'workdaysBefore', label: '整改期限前几个工作日提醒' },
};

const WHAT: Record<ScheduleJob['kind'], string> = {
  batch: '按单位名单新建批次并完成抓取、检查、评分和报告，随后发送邮件',
  probe: '访问各单位首页一次，记录可用性（每小时一次即每天 24 次，满足不少于 20 次的要求）',
  recheck: '每天检查最近一批次的整改期限，期满后按设定的工作日启动整改复查（每批次一次）',
  reminder: '每天检查最近一批次的整改期限，临近时向各单位联系人发送提醒邮件（每批次一次）',
};

function nextTimes(cron: string, from: Date): string[] {
  try {
    return cronOf(cron)
      .nextRuns(3, from)
      .map((d) => beijingMinute(d));
  } catch {
    return [];
  }
}

function when(iso: string | null): string {
  return iso ? beijingMinute(new Date(iso)) : '';
}

export async function schedulePage(env: ConsoleEnv, req: PageRequest): Promise<PageResult> {
  // The scheduler creates the defaults at its start; a console run with --no-scheduler shows them too.
  if (!(await listScheduleJobs(env.db)).length) await insertScheduleJobs(env.db, DEFAULT_JOBS);
  const jobs = await listScheduleJobs(env.db);
  const done = req.query.done ? DONE[req.query.done] : undefined;
  const running = env.jobs.running();
  const cards = jobs.map((j) => {
    const option = DAY_OPTION[j.kind];
    const times = j.enabled ? nextTimes(j.cron, env.now()) : [];
    return html`<section>
      <h2>
        ${KIND_LABELS[j.kind] ?? j.kind}（${j.name}）${j.enabled ? '' : html` <span class="meta">已停用</span>`}
      </h2>
      <p class="hint">${WHAT[j.kind] ?? ''}</p>
      <dl class="facts">
        <dt>下次运行</dt>
        <dd>${times.length ? times.join('；') : '—'}</dd>
        <dt>上次运行</dt>
        <dd>
          ${
            j.lastStartedAt
              ? html`开始
                ${when(j.lastStartedAt)}${j.lastFinishedAt ? `，结束 ${when(j.lastFinishedAt)}` : ''}：${maskText(j.lastOutcome ?? '')}
                ${
                  j.lastRunId !== null && (j.kind === 'batch' || j.kind === 'recheck')
                    ? html`（<a href="/batches/${j.lastRunId}">第 ${j.lastRunId} 批次</a>）`
                    : ''
                }`
              : '尚未运行'
          }
        </dd>
      </dl>
      <form method="post" action="/settings/schedule/${encodeURIComponent(j.name)}" class="stack">
        <input type="hidden" name="_csrf" value="${req.csrfToken}" />
        <label
          >时间表达式（分 时 日 月 周，北京时间）<input
            name="cron"
            value="${j.cron}"
            required
            maxlength="100"
            pattern="\\S+(\\s+\\S+){4}"
        /></label>
        ${
          option
            ? html`<label
                >${option.label}<input
                  name="days"
                  type="number"
                  min="0"
                  max="60"
                  value="${String(j.options[option.key] ?? '')}"
              /></label>`
            : ''
        }
        <label
          ><input type="checkbox" name="enabled" value="1" ${j.enabled ? html`checked` : ''} /> 启用</label
        >
        <button type="submit">保存</button>
      </form>
    </section>`;
  });
  const body = html`${done ? html`<div class="notice ok" role="status">${done}</div>` : ''}
    <p class="hint">
      时间表达式与 crontab 相同，如 <code>0 1 1 * *</code> 为每月 1 日 01:00，<code>0 * * * *</code>
      为每小时整点。
      同一时间只进行一个批次：到期时已有批次在进行，本次跳过并记入操作日志。控制台停止期间错过的任务，在下次启动时补做一次。
    </p>
    ${
      running.length
        ? html`<div class="notice" role="status">
            正在进行：${running.map(
              (r) =>
                html`<div>${r.runId !== null ? `第 ${r.runId} 批次` : ''} ${r.stage}（${r.startedBy}）</div>`,
            )}
          </div>`
        : ''
    }
    ${cards}`;
  return { kind: 'page', title: '定时任务', body };
}

export async function scheduleEditAction(env: ConsoleEnv, req: PageRequest): Promise<PageResult> {
  const name = req.params.name ?? '';
  const job = await getScheduleJob(env.db, name);
  if (!job) return { kind: 'error', status: 404, message: '没有这个定时任务。' };
  const cron = (req.form.cron ?? '').trim().replace(/\s+/g, ' ');
  const problem = cronProblem(cron);
  if (problem) return { kind: 'error', status: 400, message: `时间表达式「${cron}」无效：${problem}` };
  const enabled = req.form.enabled === '1' || req.form.enabled === 'on';
  const option = DAY_OPTION[job.kind];
  let options = job.options;
  if (option && req.form.days !== undefined && req.form.days !== '') {
    const days = Number(req.form.days);
    if (!Number.isInteger(days) || days < 0 || days > 60)
      return { kind: 'error', status: 400, message: `${option.label}应为 0 到 60 的整数。` };
    options = { ...job.options, [option.key]: days };
  }
  await updateScheduleJob(env.db, name, { cron, enabled, options });
  await recordAudit(
    env.db,
    {
      account: req.account,
      action: 'settings.schedule',
      target: `schedule:${name}`,
      detail: {
        before: { cron: job.cron, enabled: job.enabled, options: job.options },
        after: { cron, enabled, options },
      },
      address: req.address,
    },
    env.now(),
  );
  return { kind: 'redirect', to: '/settings/schedule?done=saved' };
}
