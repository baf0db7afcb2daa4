import type { ConsoleEnv, PageRequest, PageResult } from '../types.js';
import { html } from '../html.js';
import { maskText } from '../../pii/mask.js';
import { recordAudit } from '../../store/audit.js';
import { getSetting, SETTING_UNITS, type ConsoleRoster } from '../../store/consoleSettings.js';
import { importRoster, rosterUnits, saveRoster, storedRoster } from '../../jobs/roster.js';
import type { SeedProblem } from '../../seeds/seedProblems.js';
import { ConfigError } from '../../config/yamlFile.js';
import { SeedsError } from '../../seeds/seedProblems.js';
import type { Unit } from '../../seeds/unit.js';
import { MAX_SEED_BYTES } from '../../seeds/readSeeds.js';

/**
 * 设置 → 单位名单: import the roster from a seed file (any format `xuncha run --seeds` reads), list
 * it, edit one unit. Every check is the seed reader's, so a roster the console accepts is one the
 * CLI accepts, and its messages name file, line and field as `xuncha seeds check` does.
 */

const DONE: Record<string, string> = {
  imported: '单位名单已导入，下一批次起按新名单巡查。',
  saved: '单位信息已保存。',
};

function problemsTable(problems: SeedProblem[]) {
  return html`<div class="table-wrap">
    <table>
      <thead>
        <tr>
          <th>类别</th>
          <th>文件</th>
          <th>行</th>
          <th>字段或列</th>
          <th>问题</th>
        </tr>
      </thead>
      <tbody>
        ${problems.map(
          (p) =>
            html`<tr>
              <td>${p.severity === 'error' ? '错误' : '警告'}</td>
              <td>${p.file}</td>
              <td class="num">${p.line ?? ''}</td>
              <td>${p.field}</td>
              <td>${maskText(p.detail)}</td>
            </tr>`,
        )}
      </tbody>
    </table>
  </div>`;
}

function uploadForm(req: PageRequest) {
  return html`<section>
    <h2>导入单位名单</h2>
    <p class="hint">
      支持 YAML、CSV（UTF-8 或 GBK）和 Excel（.xlsx/.xls，读取第一个工作表），字段见
      seeds/README.md。导入后替换现有名单；有错误时不导入，并逐条列出错误所在的行和字段。
    </p>
    <form method="post" action="/settings/units" enctype="multipart/form-data" class="stack">
      <input type="hidden" name="_csrf" value="${req.csrfToken}" />
      <label>种子文件<input type="file" name="file" required accept=".yaml,.yml,.csv,.xlsx,.xls" /></label>
      <button type="submit">检查并导入</button>
    </form>
  </section>`;
}

export async function unitsPage(env: ConsoleEnv, req: PageRequest): Promise<PageResult> {
  const done = req.query.done ? DONE[req.query.done] : undefined;
  const stored = await getSetting<ConsoleRoster>(env.db, SETTING_UNITS);
  let units: Unit[] = [];
  let source = '';
  let broken: string | undefined;
  try {
    const roster = await rosterUnits(env.db);
    units = roster?.units ?? [];
    source = stored
      ? `名单来自 ${stored.value.file}，${stored.updatedBy} 于 ${stored.updatedAt.slice(0, 16).replace('T', ' ')}（UTC）更新`
      : roster
        ? `尚未导入名单，暂用${roster.source}`
        : '尚未导入单位名单';
  } catch (err) {
    broken = err instanceof ConfigError ? err.message : String(err);
  }
  const rows = units.map(
    (u) =>
      html`<tr>
        <td>${u.id}</td>
        <td>${maskText(u.name)}</td>
        <td>${u.level}</td>
        <td class="url">${u.startUrls.map((s) => html`<div>${maskText(s)}</div>`)}</td>
        <td>${u.contact ? maskText(u.contact) : ''}</td>
        <td><a href="/settings/units/${encodeURIComponent(u.id)}">编辑</a></td>
      </tr>`,
  );
  const body = html`${done ? html`<div class="notice ok" role="status">${done}</div>` : ''}
    ${broken ? html`<div class="notice error" role="alert">现有名单无法读取：${maskText(broken)}</div>` : ''}
    <p class="meta">
      ${source}${units.length ? `，共 ${units.length} 个单位` : ''}。
      ${stored ? html`<a href="/settings/units.yaml">下载名单（YAML）</a>` : ''}
    </p>
    ${
      units.length
        ? html`<div class="table-wrap">
            <table>
              <thead>
                <tr>
                  <th>编号</th>
                  <th>单位名称</th>
                  <th>级别</th>
                  <th>网址</th>
                  <th>联系人</th>
                  <th>操作</th>
                </tr>
              </thead>
              <tbody>
                ${rows}
              </tbody>
            </table>
          </div>`
        : ''
    }
    ${uploadForm(req)}`;
  return { kind: 'page', title: '单位名单', body };
}

export async function importAction(env: ConsoleEnv, req: PageRequest): Promise<PageResult> {
  const file = req.files.file;
  if (!file || !file.data.length) return { kind: 'error', status: 400, message: '请选择要导入的种子文件。' };
  if (file.data.length > MAX_SEED_BYTES)
    return { kind: 'error', status: 400, message: '文件超过 5 MB，请确认是否选错文件。' };
  const { report, saved } = await importRoster(env.db, file, req.account.username, env.now());
  if (!saved) {
    const errors = report.problems.filter((p) => p.severity === 'error');
    const body = html`<div class="notice error" role="alert">
        ${file.name} 有 ${errors.length || 1} 处错误，未导入（现有名单保持不变）。请修改后重新导入。
      </div>
      ${report.problems.length ? problemsTable(report.problems) : html`<p>文件中没有单位。</p>`}
      ${uploadForm(req)}`;
    return { kind: 'page', title: '单位名单导入失败', body, status: 400 };
  }
  await recordAudit(
    env.db,
    {
      account: req.account,
      action: 'settings.units.import',
      target: 'settings:units',
      detail: {
        file: file.name,
        format: report.format,
        units: report.units.length,
        warnings: report.problems.map((p) => p.message),
      },
      address: req.address,
    },
    env.now(),
  );
  return { kind: 'redirect', to: '/settings/units?done=imported' };
}

export async function rosterDownload(env: ConsoleEnv): Promise<PageResult> {
  const roster = await storedRoster(env.db);
  if (!roster) return { kind: 'error', status: 404, message: '尚未导入单位名单。' };
  return {
    kind: 'file',
    name: 'units.yaml',
    type: 'text/yaml; charset=utf-8',
    data: Buffer.from(roster.text),
  };
}

async function findUnit(env: ConsoleEnv, id: string | undefined) {
  const roster = await rosterUnits(env.db);
  const unit = roster?.units.find((u) => u.id === id);
  return roster && unit ? { roster, unit } : undefined;
}

function editForm(req: PageRequest, u: Unit, values?: Record<string, string>) {
  const v = values ?? {
    name: u.name,
    level: u.level,
    start: u.startUrls.join('\n'),
    contact: u.contact ?? '',
  };
  return html`<form method="post" action="/settings/units/${encodeURIComponent(u.id)}" class="stack">
    <input type="hidden" name="_csrf" value="${req.csrfToken}" />
    <label>单位编号<input value="${u.id}" disabled /></label>
    <label>单位名称<input name="name" value="${v.name}" required maxlength="200" /></label>
    <label>级别<input name="level" value="${v.level}" required maxlength="50" /></label>
    <label
      >起始网址（每行一个，http:// 或 https:// 开头）<textarea name="start" rows="3" required>
${v.start}</textarea>
    </label>
    <label
      >联系人（姓名、电话和电子邮箱；整改通知发往其中的邮箱）<input
        name="contact"
        value="${v.contact}"
        maxlength="300"
    /></label>
    <button type="submit">保存</button>
  </form>`;
}

export async function unitEditPage(env: ConsoleEnv, req: PageRequest): Promise<PageResult> {
  const found = await findUnit(env, req.params.unitId);
  if (!found) return { kind: 'error', status: 404, message: '名单中没有该单位。' };
  const body = html`<p><a href="/settings/units">← 返回单位名单</a></p>
    ${editForm(req, found.unit)}`;
  return { kind: 'page', title: `编辑单位：${maskText(found.unit.name)}`, body };
}

export async function unitEditAction(env: ConsoleEnv, req: PageRequest): Promise<PageResult> {
  const found = await findUnit(env, req.params.unitId);
  if (!found) return { kind: 'error', status: 404, message: '名单中没有该单位。' };
  const { roster, unit } = found;
  const form = {
    name: (req.form.name ?? '').trim(),
    level: (req.form.level ?? '').trim(),
    start: (req.form.start ?? '').trim(),
    contact: (req.form.contact ?? '').trim(),
  };
  const edited: Unit = {
    ...unit,
    name: form.name,
    level: form.level,
    startUrls: form.start.split(/\s+/).filter(Boolean),
    ...(form.contact ? { contact: form.contact } : {}),
  };
  if (!form.contact) delete edited.contact;
  const units = roster.units.map((u) => (u.id === unit.id ? edited : u));
  const file = (await storedRoster(env.db))?.file ?? 'units.yaml';
  try {
    await saveRoster(env.db, units, file, req.account.username, env.now());
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    const problems =
      err instanceof SeedsError
        ? err.problems.map((p) => (p.field ? `${p.field}：${p.detail}` : p.detail))
        : [err.message];
    const body = html`<div class="notice error" role="alert">
        未保存：${problems.map((p) => html`<div>${maskText(p)}</div>`)}
      </div>
      ${editForm(req, unit, form)}`;
    return { kind: 'page', title: `编辑单位：${maskText(unit.name)}`, body, status: 400 };
  }
  const changed = (['name', 'level', 'startUrls', 'contact'] as const).filter(
    (k) => JSON.stringify(unit[k] ?? null) !== JSON.stringify(edited[k] ?? null),
  );
  await recordAudit(
    env.db,
    {
      account: req.account,
      action: 'settings.units.edit',
      target: `unit:${unit.id}`,
      detail: { changed },
      address: req.address,
    },
    env.now(),
  );
  return { kind: 'redirect', to: '/settings/units?done=saved' };
}
