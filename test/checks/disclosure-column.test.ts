import { describe, expect, it } from 'vitest';
import { disclosureColumn } from '../../src/checks/disclosure-column.js';
import { parseHtmlPage } from '../../src/extract/htmlPage.js';
import { ORIGIN, evidence, runCheck, type EvidenceSpec } from '../helpers/evidence.js';

/** A page with a menu of links: [href, text]. */
function menuPage(title: string, links: [string, string][], body = '', meta = ''): string {
  const a = links.map(([href, text]) => `<a href="${href}">${text}</a>`).join('\n');
  return `<html><head><meta charset="utf-8"><title>${title}</title>${meta}</head>
<body><div class="menu">${a}</div>${body}</body></html>`;
}

/** Evidence whose stored links are the pages' own links, as the crawl stores them. */
function unitEvidence(spec: EvidenceSpec) {
  const links = Object.entries(spec.pages ?? {}).flatMap(([path, html]) =>
    parseHtmlPage(html, `${ORIGIN}${path}`).links.map((l) => ({
      from: path,
      to: l.url.slice(ORIGIN.length),
      anchor: l.anchor,
    })),
  );
  return evidence({ ...spec, links: [...links, ...(spec.links ?? [])] });
}

const guidePage = (date: string) =>
  menuPage(
    '政府信息公开指南_测试单位',
    [],
    '<h1>政府信息公开指南</h1>',
    `<meta name="PubDate" content="${date} 09:00">`,
  );

/** A 部门 with its own 专栏: entry on the home page, the parts listed in the 专栏. */
function department(overrides: Record<string, string> = {}, spec: EvidenceSpec = {}) {
  return unitEvidence({
    ...spec,
    pages: {
      '/': menuPage('测试单位', [['/xxgk/', '政府信息公开']]),
      '/xxgk/': menuPage('信息公开_测试单位', [
        ['/xxgk/zn/', '政府信息公开指南'],
        ['/xxgk/fdzdgknr/', '法定主动公开内容'],
        ['/xxgk/nb/', '政府信息公开年报'],
        ['/xxgk/ysqgk/', '依申请公开'],
      ]),
      '/xxgk/zn/': guidePage('2026-03-02'),
      '/xxgk/fdzdgknr/': menuPage('法定主动公开内容_测试单位', []),
      '/xxgk/nb/': menuPage('政府信息公开年报_测试单位', []),
      '/xxgk/ysqgk/': menuPage('依申请公开_测试单位', []),
      ...overrides,
      ...spec.pages,
    },
  });
}

describe('disclosure-column', () => {
  it('passes a department whose 专栏 has every part it needs and a guide updated this year', () => {
    expect(runCheck(disclosureColumn, department())).toEqual([]);
  });

  it('asks a person to confirm each part it cannot find, named after the part', () => {
    const ev = unitEvidence({
      pages: {
        '/': menuPage('测试单位', [['/xxgk/', '政府信息公开']]),
        '/xxgk/': menuPage('信息公开_测试单位', [['/xxgk/zn/', '政府信息公开指南']]),
        '/xxgk/zn/': guidePage('2026-03-02'),
      },
    });
    const findings = runCheck(disclosureColumn, ev);
    expect(findings.map((f) => [f.outcome, f.kind])).toEqual([
      ['needs-review', 'missing-mandatory'],
      ['needs-review', 'missing-annual-report'],
      ['needs-review', 'missing-request'],
    ]);
    expect(findings[2]).toMatchObject({
      message: '未找到依申请公开',
      url: `${ORIGIN}/xxgk/`,
      location: `政府信息公开专栏（${ORIGIN}/xxgk/）`,
    });
  });

  it('requires more of a 区县政府 portal and a 标准目录 of a 乡镇, and says when the 专栏 itself is missing', () => {
    const gov = department({}, { unit: { level: '区县政府' } });
    expect(runCheck(disclosureColumn, gov).map((f) => f.kind)).toEqual([
      'missing-rules',
      'missing-interpretation',
    ]);
    const town = unitEvidence({
      unit: { level: '乡镇街道' },
      pages: { '/': menuPage('测试镇', [['/tzgg/', '通知公告']]) },
    });
    const findings = runCheck(disclosureColumn, town);
    expect(findings.map((f) => f.kind)).toEqual([
      'missing-column',
      'missing-guide',
      'missing-mandatory',
      'missing-annual-report',
      'missing-request',
      'missing-catalogue',
    ]);
    expect(findings[0]).toMatchObject({ url: `${ORIGIN}/`, location: '全站（已抓取页面）' });
    expect(findings[0]!.evidence).toContain('也未找到政府信息公开专栏入口');
  });

  it('finds a 乡镇 catalogue pinned by the seed or linked from its 基层政务公开 zone', () => {
    const town = (spec: EvidenceSpec) =>
      department({}, { unit: { level: '乡镇街道', ...spec.unit }, pages: spec.pages });
    const pinned = town({ unit: { catalogues: [{ domain: '社会救助', url: `${ORIGIN}/shjz/ml.html` }] } });
    expect(runCheck(disclosureColumn, pinned)).toEqual([]);
    const zone = town({
      pages: {
        '/': menuPage('测试镇', [
          ['/xxgk/', '政府信息公开'],
          ['/jczwgk/', '基层政务公开标准化规范化'],
        ]),
        '/jczwgk/': menuPage('基层政务公开标准化规范化_测试镇', [['/jczwgk/ywjy/', '义务教育']]),
      },
    });
    expect(runCheck(disclosureColumn, zone)).toEqual([]);
  });

  it('fails a guide last updated before the current 条例 and warns on one older than a year', () => {
    const old = runCheck(disclosureColumn, department({ '/xxgk/zn/': guidePage('2018-06-01') }));
    expect(old).toEqual([
      {
        outcome: 'fail',
        kind: 'outdated-guide',
        message: '政府信息公开指南最近更新于 2018-06-01，早于现行《政府信息公开条例》施行日期 2019-05-15',
        url: `${ORIGIN}/xxgk/zn/`,
        location: '政府信息公开指南',
        evidence: '日期来源：meta PubDate「2018-06-01 09:00」',
      },
    ]);
    const stale = runCheck(disclosureColumn, department({ '/xxgk/zn/': guidePage('2025-06-01') }));
    expect(stale).toMatchObject([{ outcome: 'warn', kind: 'stale-guide' }]);
    expect(stale[0]!.message).toBe('政府信息公开指南已 541 天未更新（最近更新于 2025-06-01，超过 365 天）');
  });

  it('dates a guide column by the newest guide it lists', () => {
    const list = menuPage(
      '政府信息公开指南_测试单位',
      [],
      `<ul class="list"><li><a href="/xxgk/zn/a2.html">测试单位政府信息公开指南（2026年修订）</a><span>2026-02-10</span></li>
<li><a href="/xxgk/zn/a1.html">测试单位政府信息公开指南</a><span>2017-03-01</span></li></ul>`,
    );
    expect(runCheck(disclosureColumn, department({ '/xxgk/zn/': list }))).toEqual([]);
  });

  it('fails a 依申请公开 entry whose page is dead, unless another entry works or the site only refused us', () => {
    const withRequest = (resources: EvidenceSpec['resources'], extraLinks: EvidenceSpec['links'] = []) => {
      const ev = department({}, { resources, links: extraLinks });
      // The entry page was not fetched as a page: only the failed resource is stored.
      ev.pages = ev.pages.filter((p) => !p.url.endsWith('/xxgk/ysqgk/'));
      ev.pageByUrl.delete(`${ORIGIN}/xxgk/ysqgk/`);
      ev.resources = ev.resources.filter((r) => r.url !== `${ORIGIN}/xxgk/ysqgk/` || r.status !== 200);
      ev.resourceByUrl = new Map(ev.resources.map((r) => [r.url, r]));
      return runCheck(disclosureColumn, ev);
    };
    const failed = { path: '/xxgk/ysqgk/', status: 404, errorKind: 'http-4xx', contentHash: null };
    expect(withRequest([failed])).toEqual([
      {
        outcome: 'fail',
        kind: 'dead-request',
        message: '依申请公开入口无法访问（HTTP 404）',
        url: `${ORIGIN}/xxgk/ysqgk/`,
        location: `链接所在页面：${ORIGIN}/xxgk/（链接文字「依申请公开」）`,
        evidence: 'HTTP 404，检测时间 2026-11-24 02:00:00',
      },
    ]);
    const platform = { path: '/ysqpt/', status: 200, contentHash: null };
    expect(
      withRequest([failed, platform], [{ from: '/', to: '/ysqpt/', anchor: '政府信息公开申请' }]),
    ).toEqual([]);
    expect(withRequest([{ ...failed, status: 403, errorKind: 'blocked' }])).toEqual([]);
  });

  it('makes a missing part a 问题 when the rule says so', () => {
    const ev = unitEvidence({ pages: { '/': menuPage('测试单位', [['/xxgk/', '政府信息公开']]) } });
    const options = disclosureColumn.options.parse({ missingOutcome: 'fail' });
    const findings = disclosureColumn.run(ev, {
      options,
      inspectionDate: '2026-11-24',
      catalogues: [],
      calendar: undefined as never,
    });
    expect(findings.map((f) => [f.outcome, f.kind])).toEqual([
      ['fail', 'missing-guide'],
      ['fail', 'missing-mandatory'],
      ['fail', 'missing-annual-report'],
      ['fail', 'missing-request'],
    ]);
  });
});
