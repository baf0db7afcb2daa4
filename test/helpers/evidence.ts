import type { Check, CheckFinding } from '../../src/checks/defineCheck.js';
import { loadCheckRule } from '../../src/config/checkRules.js';
import { loadCatalogues } from '../../src/config/catalogues.js';
import {
  assembleEvidence,
  type AttachmentEvidence,
  type UnitEvidence,
} from '../../src/extract/unitEvidence.js';
import { parseHtmlPage, type PageFacts } from '../../src/extract/htmlPage.js';
import { PageSteps } from '../../src/checks/pageSteps.js';
import { WorkdayCalendar } from '../../src/workdays/calendar.js';
import type { CrossUnit } from '../../src/extract/crossUnit.js';
import { CatalogueCollector, type CatalogueDocument } from '../../src/extract/catalogueDocuments.js';
import type { LinkRecord, ResourceRecord } from '../../src/store/crawlData.js';
import type { UnitRow } from '../../src/store/runs.js';

export const ORIGIN = 'http://127.0.0.1:9';

export function resource(url: string, extra: Partial<ResourceRecord> = {}): ResourceRecord {
  return {
    url,
    finalUrl: url,
    kind: 'page',
    depth: 1,
    status: 200,
    errorKind: null,
    error: null,
    contentType: 'text/html; charset=utf-8',
    charset: 'utf-8',
    headers: {},
    fetchedAt: '2026-11-24T02:00:00.000Z',
    durationMs: 5,
    size: 100,
    contentHash: 'h',
    ...extra,
  };
}

export interface EvidenceSpec {
  unit?: Partial<UnitRow>;
  /** path → HTML; each becomes a fetched page. */
  pages?: Record<string, string>;
  /** Extra resources (failures, attachments) by path. */
  resources?: (Partial<ResourceRecord> & { path: string })[];
  links?: { from: string; to: string; anchor?: string }[];
  attachments?: (Omit<AttachmentEvidence, 'resource' | 'url'> & { path: string })[];
  /** What other units of the run mean for this one (a portal it lives on). */
  cross?: Partial<CrossUnit>;
  /** Catalogues published as attachments, already parsed (pages are parsed from their HTML). */
  catalogueDocuments?: (Omit<CatalogueDocument, 'url'> & { path: string })[];
}

/** Build a unit's evidence in memory, as the store would give it, without crawling. */
export function evidence(spec: EvidenceSpec): UnitEvidence {
  const abs = (p: string) => `${ORIGIN}${p}`;
  const unit: UnitRow = {
    id: 'u',
    name: '测试单位',
    level: '部门',
    startUrls: [abs('/')],
    catalogues: [],
    hosts: [],
    crawlStatus: 'done',
    crawlError: null,
    ...spec.unit,
  };
  const pages = Object.entries(spec.pages ?? {}).map(([p, html]) => parseHtmlPage(html, abs(p)));
  const resources = [
    ...pages.map((p) => resource(p.url)),
    ...(spec.resources ?? []).map(({ path, ...r }) => resource(abs(path), r)),
    ...(spec.attachments ?? []).map((a) =>
      resource(abs(a.path), { kind: 'attachment', contentType: 'application/octet-stream' }),
    ),
  ];
  const links: LinkRecord[] = (spec.links ?? []).map((l) => ({
    fromUrl: abs(l.from),
    toUrl: abs(l.to),
    anchor: l.anchor ?? '',
    tag: 'a',
  }));
  const attachments = (spec.attachments ?? []).map(({ path, ...a }) => ({
    ...a,
    url: abs(path),
    resource: resource(abs(path), { kind: 'attachment' }),
  }));
  const collector = new CatalogueCollector(
    unit.catalogues,
    loadCatalogues('rules/catalogues').flatMap((c) => [c.domain, ...(c.domainAliases ?? [])]),
  );
  for (const [p, html] of Object.entries(spec.pages ?? {}))
    collector.addPage(
      resource(abs(p)),
      html,
      pages.find((x) => x.url === abs(p))!,
    );
  const catalogueDocuments = [
    ...collector.documents,
    ...(spec.catalogueDocuments ?? []).map(({ path, ...d }) => ({ ...d, url: abs(path) })),
  ];
  const ev = assembleEvidence(unit, resources, links, pages, attachments, [], {
    cross: { templateLinks: new Set(), linkedElsewhereOnly: new Set(), ...spec.cross },
    catalogueDocuments,
  });
  wholePages.set(ev, pages);
  return ev;
}

/** The whole pages behind in-memory evidence, for the checks' page steps (the evidence keeps summaries). */
const wholePages = new WeakMap<UnitEvidence, PageFacts[]>();

/** Run a check with its real rule data (rules/checks/<id>.yaml) on in-memory evidence. */
export function runCheck(check: Check, ev: UnitEvidence, inspectionDate = '2026-11-24'): CheckFinding[] {
  const rule = loadCheckRule(check, 'rules/checks');
  const ctx = {
    options: rule.options,
    inspectionDate,
    catalogues: loadCatalogues('rules/catalogues'),
    calendar: WorkdayCalendar.load('rules/calendar'),
  };
  // As the check stage does: each page through the page step, then run with its notes.
  const steps = new PageSteps([{ check, ctx }]);
  const step = { resource: (url: string) => ev.resourceByUrl.get(url), intern: (s: string) => s };
  for (const page of wholePages.get(ev) ?? []) steps.visit(page, step);
  if (steps.hasError(check.id)) throw steps.errorOf(check.id);
  return check.run(ev, ctx, steps.notesOf(check.id));
}

/** A TRS-style column list page. */
export function listPage(
  name: string,
  items: { title: string; date?: string; href?: string }[],
  extra = '',
): string {
  const lis = items
    .map(
      (i, n) =>
        `<li><a href="${i.href ?? `./art_${n}.html`}" title="${i.title}">${i.title}</a>${i.date ? `<span class="date">${i.date}</span>` : ''}</li>`,
    )
    .join('\n');
  return `<html><head><meta charset="utf-8"><title>${name}</title><meta name="ColumnName" content="${name}"></head>
<body><div class="nav"><a href="/">首页</a><a href="/a/">栏目一</a><a href="/b/">栏目二</a></div>
<div class="crumb">当前位置：首页 &gt; ${name}</div><ul class="list">${lis}</ul>${extra}
<div class="footer">网站标识码：3505000012 闽公网安备 35050202000123号</div></body></html>`;
}
