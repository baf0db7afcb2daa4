import { readdirSync, statSync } from 'node:fs';
import { extname, join, resolve } from 'node:path';
import type { ConsoleEnv, PageRequest, PageResult, PageRoute } from '../types.js';
import { html } from '../html.js';
import { getRun, loadUnits } from '../../store/runs.js';
import { listBatches } from '../data/batches.js';
import { insideDir } from '../auth/requests.js';
import { idParam } from './review.js';

const TYPES: Record<string, string> = {
  '.xlsx': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  '.docx': 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  '.pdf': 'application/pdf',
  '.html': 'text/html; charset=utf-8',
  '.json': 'application/json',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.txt': 'text/plain; charset=utf-8',
  '.csv': 'text/csv; charset=utf-8',
};

/**
 * The file-name form of a unit name, exactly as src/report/writeReports.ts and supervisionFiles.ts
 * make it for `整改通知-<name>` and `督办通知-<name>` (neither exports it). Kept identical: a unit
 * user's notice is recognised by it.
 */
export function safeName(name: string): string {
  return name.replace(/[\\/:*?"<>|\x00-\x1f]/g, '_').trim() || 'unit';
}

/** A unit's own files: its 整改通知 (writeReports) and its 督办通知 after a 复查 (supervisionFiles). */
const NOTICE = /^(?:整改通知|督办通知)-(.+)\.(docx|pdf)$/;

/**
 * The unit whose 整改通知 this file of the batch folder is, derived from the batch's units —
 * never from anything else in the URL. Undefined for any other file, or when two units of the
 * batch would write the same name (then the file is nobody's alone).
 */
export async function noticeUnit(
  env: ConsoleEnv,
  runId: number,
  relPath: string,
): Promise<string | undefined> {
  const m = NOTICE.exec(relPath);
  if (!m) return undefined;
  const matching = (await loadUnits(env.db, runId)).filter((u) => safeName(u.name) === m[1]);
  return matching.length === 1 ? matching[0]!.id : undefined;
}

/** A relative path inside the batch folder, or undefined for anything that could leave it. */
function cleanRelative(path: string | undefined): string | undefined {
  if (!path || path.length > 500 || /[\x00-\x1f\\]/.test(path) || path.startsWith('/')) return undefined;
  const parts = path.split('/');
  if (parts.some((p) => !p || p === '.' || p === '..')) return undefined;
  return parts.join('/');
}

interface BatchFile {
  path: string;
  size: number;
}

/** Every file of the batch folder, subfolders (证据) included, sorted; symbolic links leading out are left out. */
function batchFiles(dir: string): BatchFile[] {
  const out: BatchFile[] = [];
  const walk = (rel: string, depth: number) => {
    let names: string[];
    try {
      names = readdirSync(join(dir, rel));
    } catch {
      return;
    }
    for (const name of names.sort()) {
      const relPath = rel ? `${rel}/${name}` : name;
      const full = join(dir, relPath);
      let st;
      try {
        st = statSync(full);
      } catch {
        continue;
      }
      if (st.isDirectory()) {
        if (depth < 3) walk(relPath, depth + 1);
      } else if (insideDir(dir, full)) out.push({ path: relPath, size: st.size });
    }
  };
  walk('', 0);
  return out;
}

function size(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(0)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

const href = (runId: number, path: string) =>
  `/batches/${runId}/files/${path.split('/').map(encodeURIComponent).join('/')}`;

async function listPage(env: ConsoleEnv, req: PageRequest): Promise<PageResult> {
  const runId = idParam(req.params.runId);
  if (!runId || !(await getRun(env.db, runId)))
    return { kind: 'error', status: 404, message: '找不到该巡查批次。' };
  let files = batchFiles(resolve(env.outDir, String(runId)));
  if (req.account.role === 'unit') {
    const own: BatchFile[] = [];
    for (const f of files) if ((await noticeUnit(env, runId, f.path)) === req.account.unitId) own.push(f);
    files = own;
  }
  const body = files.length
    ? html`<div class="table-wrap">
        <table>
          <thead>
            <tr>
              <th>文件</th>
              <th>大小</th>
            </tr>
          </thead>
          <tbody>
            ${files.map(
              (f) =>
                html`<tr>
                  <td><a href="${href(runId, f.path)}">${f.path}</a></td>
                  <td>${size(f.size)}</td>
                </tr>`,
            )}
          </tbody>
        </table>
      </div>`
    : html`<p>
        ${req.account.role === 'unit' ? '本批次没有本单位的整改通知。' : '本批次还没有生成报告文件。'}
      </p>`;
  return { kind: 'page', title: `批次 ${runId} 的报告文件`, body };
}

async function download(env: ConsoleEnv, req: PageRequest): Promise<PageResult> {
  const runId = idParam(req.params.runId);
  const rel = cleanRelative(req.params['*']);
  if (!runId || !rel) return { kind: 'error', status: 404, message: '找不到该文件。' };
  const dir = resolve(env.outDir, String(runId));
  const file = insideDir(dir, join(dir, ...rel.split('/')));
  if (!file) return { kind: 'error', status: 404, message: '找不到该文件。' };
  const name = rel.split('/').pop()!;
  return {
    kind: 'file',
    name,
    type: TYPES[extname(name).toLowerCase()] ?? 'application/octet-stream',
    path: file,
  };
}

/**
 * 整改通知: where a 单位用户 finds their own notices, every batch newest first (they have no batch
 * page); the office gets each batch's file list.
 */
async function noticesPage(env: ConsoleEnv, req: PageRequest): Promise<PageResult> {
  const batches = await listBatches(env.db);
  if (req.account.role !== 'unit') {
    const body = batches.length
      ? html`<ul class="files">
          ${batches.map(
            (b) =>
              html`<li>
                <a href="/batches/${b.id}/files">批次 ${b.id}（${b.inspectionDate}）的报告文件</a>
              </li>`,
          )}
        </ul>`
      : html`<p>还没有巡查批次。</p>`;
    return { kind: 'page', title: '整改通知与报告文件', body };
  }
  const sections = [];
  for (const b of batches) {
    const own = [];
    for (const f of batchFiles(resolve(env.outDir, String(b.id))))
      if ((await noticeUnit(env, b.id, f.path)) === req.account.unitId) own.push(f);
    if (own.length)
      sections.push(
        html`<section>
          <h2>批次 ${b.id}（巡查日期 ${b.inspectionDate}）</h2>
          <ul class="files">
            ${own.map((f) => html`<li><a href="${href(b.id, f.path)}">${f.path}</a> <span class="meta">${size(f.size)}</span></li>`)}
          </ul>
        </section>`,
      );
  }
  const body = sections.length ? html`${sections}` : html`<p>还没有本单位的整改通知。</p>`;
  return { kind: 'page', title: '本单位的整改通知', body };
}

export const downloadRoutes: PageRoute[] = [
  {
    method: 'GET',
    path: '/notices',
    roles: ['admin', 'inspector', 'unit'],
    // Filtered to the unit user's own files.
    unitOf: async (_env, req) => req.account.unitId ?? undefined,
    handle: noticesPage,
  },
  {
    method: 'GET',
    path: '/batches/:runId/files',
    roles: ['admin', 'inspector', 'unit'],
    // A unit user sees the list filtered to their own notices, in a batch that inspected them.
    unitOf: async (env, req) => {
      const runId = idParam(req.params.runId);
      if (!runId || !req.account.unitId) return undefined;
      return (await loadUnits(env.db, runId)).some((u) => u.id === req.account.unitId)
        ? req.account.unitId
        : undefined;
    },
    handle: listPage,
  },
  {
    method: 'GET',
    path: '/batches/:runId/files/*',
    roles: ['admin', 'inspector', 'unit'],
    unitOf: async (env, req) => {
      const runId = idParam(req.params.runId);
      const rel = cleanRelative(req.params['*']);
      return runId && rel ? noticeUnit(env, runId, rel) : undefined;
    },
    handle: download,
  },
];
