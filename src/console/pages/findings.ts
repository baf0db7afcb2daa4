import { html, type Html } from '../html.js';
import type { ConsoleEnv, PageRequest, PageResult, PageRoute } from '../types.js';
import type { InspectionReport } from '../../report/model.js';
import { OUTCOME_LABELS } from '../../checks/defineCheck.js';
import { checks } from '../../checks/index.js';
import { batchReport } from '../data/report.js';
import { latestRanked, listBatches } from '../data/batches.js';
import {
  filterFindings,
  findingsCsv,
  findingsXlsx,
  parseFilter,
  REVIEW_STATE_LABELS,
  type FindingFilter,
  type FindingRow,
} from '../data/findings.js';
import { enc, notFound, outcomeLabel, positiveInt, queryString, select, urlLink } from '../data/format.js';

/**
 * 问题清单: a batch's findings filtered by unit, check, outcome (as reviewed) and review state, 50 a
 * page, and the same list as CSV or XLSX. A 单位用户 sees only their own unit whatever the query
 * says (the server has already refused a `unit` that is not theirs).
 */

const PAGE_SIZE = 50;

interface Resolved {
  report: InspectionReport;
  filter: FindingFilter;
  rows: FindingRow[];
}

/** The batch (`?run=`, default the newest ranked) and the filter, scoped to the account's unit. */
async function resolve(env: ConsoleEnv, req: PageRequest): Promise<Resolved | PageResult> {
  let runId = positiveInt(req.query.run);
  if (req.query.run && runId === undefined) return notFound('找不到该巡查批次');
  runId ??= latestRanked(await listBatches(env.db))?.id;
  if (runId === undefined)
    return {
      kind: 'page',
      title: '问题清单',
      body: html`<h1>问题清单</h1>
        <p>还没有完成评分的巡查批次。</p>`,
    };
  const report = await batchReport(env, runId);
  if (!report) return notFound('找不到该巡查批次');
  const filter = parseFilter(req.query);
  // Fail closed: a unit user's list is their unit's, even if unitOf was bypassed.
  if (req.account.role === 'unit') filter.unitId = req.account.unitId ?? '\u0000';
  return { report, filter, rows: filterFindings(report, filter) };
}

function isResult(x: Resolved | PageResult): x is PageResult {
  return 'kind' in x;
}

function filterForm(
  req: PageRequest,
  report: InspectionReport,
  filter: FindingFilter,
  runs: { id: number; inspectionDate: string }[],
): Html {
  const units =
    req.account.role === 'unit'
      ? report.units.filter((u) => u.id === req.account.unitId)
      : [...report.units].sort((a, b) => a.rank - b.rank);
  return html`<form method="get" action="/findings" class="filters">
    ${select(
      'run',
      '批次',
      runs.map((r) => ({ value: String(r.id), label: `第 ${r.id} 批（${r.inspectionDate}）` })),
      String(report.runId),
    )}
    ${select(
      'unit',
      '单位',
      units.map((u) => ({ value: u.id, label: u.name })),
      filter.unitId,
      req.account.role === 'unit' ? undefined : '全部单位',
    )}
    ${select(
      'check',
      '检查项',
      checks.map((c) => ({ value: c.id, label: c.title })),
      filter.checkId,
      '全部检查项',
    )}
    ${select(
      'outcome',
      '结论',
      Object.entries(OUTCOME_LABELS).map(([value, label]) => ({ value, label })),
      filter.outcome,
      '全部结论',
    )}
    ${select(
      'review',
      '复核',
      Object.entries(REVIEW_STATE_LABELS).map(([value, label]) => ({ value, label })),
      filter.review,
      '全部',
    )}
    <button type="submit">筛选</button>
  </form>`;
}

function rowHtml(r: FindingRow, runId: number): Html {
  const f = r.finding;
  const anchor = f.findingId !== undefined ? `#finding-${f.findingId}` : '';
  return html`<tr>
    <td class="num">${f.findingId ?? ''}</td>
    <td><a href="/units/${enc(r.unitId)}?run=${runId}${anchor}">${r.unitName}</a></td>
    <td>${f.checkTitle}</td>
    <td>${outcomeLabel(f.outcome)}</td>
    <td>${f.message}</td>
    <td>${f.location}</td>
    <td class="evidence">${f.evidence}</td>
    <td>${urlLink(f.url)}</td>
    <td>${f.review ? REVIEW_STATE_LABELS[f.review.decision] : REVIEW_STATE_LABELS.none}</td>
  </tr>`;
}

function pager(base: Record<string, string | number | undefined>, page: number, pages: number): Html {
  if (pages <= 1) return html``;
  const link = (p: number, label: string) =>
    html`<a href="/findings${queryString({ ...base, page: p })}">${label}</a>`;
  return html`<nav class="pager" aria-label="分页">
    ${page > 1 ? link(page - 1, '上一页') : ''} 第 ${page}/${pages} 页
    ${page < pages ? link(page + 1, '下一页') : ''}
  </nav>`;
}

async function findingsPage(env: ConsoleEnv, req: PageRequest): Promise<PageResult> {
  const r = await resolve(env, req);
  if (isResult(r)) return r;
  const { report, filter, rows } = r;
  const pages = Math.max(1, Math.ceil(rows.length / PAGE_SIZE));
  const page = Math.min(pages, positiveInt(req.query.page) ?? 1);
  const base = {
    run: report.runId,
    unit: req.account.role === 'unit' ? undefined : filter.unitId,
    check: filter.checkId,
    outcome: filter.outcome,
    review: filter.review,
  };
  const runs = (await listBatches(env.db)).filter((b) => b.scored > 0);
  const title = `问题清单（第 ${report.runId} 批）`;
  const body = html`<h1>${title}</h1>
    ${filterForm(req, report, filter, runs)}
    <p class="meta">
      共 ${rows.length} 条。导出：<a href="/findings.csv${queryString(base)}">CSV</a> ·
      <a href="/findings.xlsx${queryString(base)}">Excel</a>（导出全部筛选结果，个人信息已脱敏）
    </p>
    ${
      rows.length
        ? html`<table class="findings">
            <thead>
              <tr>
                <th>编号</th>
                <th>单位</th>
                <th>检查项</th>
                <th>结论</th>
                <th>问题描述</th>
                <th>位置</th>
                <th>证据（已脱敏）</th>
                <th>网址</th>
                <th>复核</th>
              </tr>
            </thead>
            <tbody>
              ${rows.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE).map((x) => rowHtml(x, report.runId))}
            </tbody>
          </table>`
        : html`<p>没有符合条件的问题。</p>`
    }
    ${pager(base, page, pages)}`;
  return { kind: 'page', title, body };
}

/** For a 单位用户: the unit the query asks for, or their own; the server refuses any other. */
const scopedUnit: PageRoute['unitOf'] = (_env, req) =>
  Promise.resolve(
    req.account.role === 'unit' ? (req.query.unit ?? req.account.unitId ?? undefined) : req.query.unit,
  );

export const findingsRoute: PageRoute = {
  method: 'GET',
  path: '/findings',
  roles: ['admin', 'inspector', 'unit'],
  unitOf: scopedUnit,
  handle: findingsPage,
};

function exportName(report: InspectionReport, ext: string): string {
  return `问题清单-第${report.runId}批-${report.inspectionDate}.${ext}`;
}

export const findingsCsvRoute: PageRoute = {
  method: 'GET',
  path: '/findings.csv',
  roles: ['admin', 'inspector', 'unit'],
  unitOf: scopedUnit,
  async handle(env, req) {
    const r = await resolve(env, req);
    if (isResult(r)) return r;
    return {
      kind: 'file',
      name: exportName(r.report, 'csv'),
      type: 'text/csv; charset=utf-8',
      data: findingsCsv(r.rows),
    };
  },
};

export const findingsXlsxRoute: PageRoute = {
  method: 'GET',
  path: '/findings.xlsx',
  roles: ['admin', 'inspector', 'unit'],
  unitOf: scopedUnit,
  async handle(env, req) {
    const r = await resolve(env, req);
    if (isResult(r)) return r;
    const title = `问题清单（第 ${r.report.runId} 批，检查日期 ${r.report.inspectionDate}）`;
    return {
      kind: 'file',
      name: exportName(r.report, 'xlsx'),
      type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      data: await findingsXlsx(r.rows, title),
    };
  },
};
