import { describe, expect, it } from 'vitest';
import {
  findDisclosureParts,
  pageDisclosure,
  partsOfText,
  partsOfUrl,
  type DisclosurePage,
  type DisclosureSource,
} from '../../src/extract/disclosureColumn.js';
import { parseHtmlPage } from '../../src/extract/htmlPage.js';
import { formatSummary, summarisePage } from '../../src/cli/extractCommand.js';
import { resource } from '../helpers/evidence.js';
import { bestOfParts, disclosureOfEvidence } from '../../src/extract/disclosureColumn.js';
import { runChecks } from '../../src/checks/runChecks.js';
import { listDisclosure } from '../../src/store/results.js';
import { memoryLogger } from '../helpers/crawlFixture.js';
import { buildUnitEvidence } from '../../src/extract/unitEvidence.js';
import { openTestStore } from '../helpers/testStore.js';
import { createRun, loadUnits, saveUnits } from '../../src/store/runs.js';
import { saveBody, saveLinks, saveResource } from '../../src/store/crawlData.js';
import { buildReport } from '../../src/report/buildReport.js';

const DOMAINS = ['社会救助', '义务教育', '卫生健康'];
const O = 'http://www.example.gov.cn';
const parts = (text: string, inZone = false) => partsOfText(text, DOMAINS, inZone);

describe('partsOfText', () => {
  it('reads the names the platforms give the 专栏 and its parts', () => {
    expect(parts('政府信息公开')).toEqual([{ part: 'column' }]);
    expect(parts('邯郸市政府信息公开')).toEqual([{ part: 'column' }]);
    expect(parts('吉林省政府信息公开专栏')).toEqual([{ part: 'column' }]);
    expect(parts('政府信息 公开指南')).toEqual([{ part: 'guide' }]);
    expect(parts('政府信息公开制度文件')).toEqual([{ part: 'rules' }]);
    expect(parts('信息公开规定')).toEqual([{ part: 'rules' }]);
    expect(parts('示范区政府信息依申请公开工作规程')).toEqual([{ part: 'rules' }]);
    expect(parts('法定主动 公开内容')).toEqual([{ part: 'mandatory' }]);
    expect(parts('信息公开目录')).toEqual([{ part: 'mandatory' }]);
    expect(parts('政府信息公开年报')).toEqual([{ part: 'annual-report' }]);
    expect(parts('2019年政府信息公开工作年度报告')).toEqual([{ part: 'annual-report' }]);
    expect(parts('【依申请公开】')).toEqual([{ part: 'request' }]);
    expect(parts('政策解读')).toEqual([{ part: 'interpretation' }]);
  });

  it('is not fooled by look-alike names', () => {
    for (const text of [
      '行政许可办事服务指南',
      '投资指南',
      '数据解读',
      '重点领域信息公开',
      '大气污染综合治理督查信息公开',
      '国家标准化管理委员会',
      '政府网站年度工作报表',
      '关于做好政府信息公开指南更新工作的通知',
      '三、收到和处理政府信息公开申请情况',
      '人身险公司备案产品目录查询',
    ])
      expect(parts(text), text).toEqual([]);
  });

  it('finds a pilot domain catalogue by its name, a bare domain name only on a zone page', () => {
    expect(parts('社会救助领域标准目录')).toEqual([{ part: 'catalogue', domain: '社会救助' }]);
    expect(parts('基层政务公开标准化规范化专栏')).toEqual([{ part: 'catalogue' }]);
    expect(parts('社会救助')).toEqual([]);
    expect(parts('社会救助', true)).toEqual([{ part: 'catalogue', domain: '社会救助' }]);
    // The organ's own 目录 is its 主动公开 content, not the 卫生健康 domain catalogue.
    expect(parts('江岸区卫生健康局主动公开事项目录')).toEqual([{ part: 'mandatory' }]);
  });
});

describe('partsOfUrl', () => {
  it('reads the directory names of TRS, 大汉 and 集约化 platforms', () => {
    expect(partsOfUrl(`${O}/xxgk/`)).toEqual(['column']);
    expect(partsOfUrl(`${O}/zfxxgk/index.html`)).toEqual(['column']);
    expect(partsOfUrl(`${O}/xxgk/xxgkzn/`)).toEqual(['guide']);
    expect(partsOfUrl(`${O}/xxgk/zfxxgkzd/index.html`)).toEqual(['rules']);
    expect(partsOfUrl(`${O}/xxgk/fdzdgknr/`)).toEqual(['mandatory']);
    expect(partsOfUrl(`${O}/szf/gkml/`)).toEqual(['mandatory']);
    expect(partsOfUrl(`${O}/xxgk/zfxxgknb/`)).toEqual(['annual-report']);
    expect(partsOfUrl(`${O}/ysqgk/`)).toEqual(['request']);
    expect(partsOfUrl('https://ysqpt.example.gov.cn/index.html')).toEqual(['request']);
    expect(partsOfUrl(`${O}/zwgk/zcjd/`)).toEqual(['interpretation']);
    expect(partsOfUrl(`${O}/zfxxgk/jczwgk/`)).toEqual(['catalogue']);
    expect(partsOfUrl(`${O}/module/xxgk/tree.jsp?area=1`)).toEqual(['column']);
    expect(partsOfUrl('http://xxgk.example.gov.cn/')).toEqual(['column']);
    // Short names count only inside a 专栏 directory.
    expect(partsOfUrl(`${O}/xxgk/zn/`)).toEqual(['guide']);
    expect(partsOfUrl(`${O}/news/zn/`)).toEqual([]);
    expect(partsOfUrl(`${O}/sgryrcz/gkmlpt/guide`)).toEqual(['guide']);
  });

  it('takes documents and pager pages for no column unless asked what a document is', () => {
    expect(partsOfUrl(`${O}/col/col1599521/index.html`)).toEqual([]);
    expect(partsOfUrl(`${O}/xxgk/xxgkzn/202401/t20240105_1.html`)).toEqual([]);
    expect(partsOfUrl(`${O}/xxgk/index_1.html`)).toEqual([]);
    expect(partsOfUrl(`${O}/xxgk/xxgkzn/202401/t20240105_1.html`, true)).toEqual(['guide']);
    expect(partsOfUrl(`${O}/gdhf/zwgk/gknb/content/post_1221498.html`, true)).toEqual(['annual-report']);
  });
});

function page(url: string, title: string, extra: Partial<DisclosurePage> = {}): DisclosurePage {
  return { url, title, breadcrumb: [], meta: {}, ...extra };
}

function source(
  links: [from: string, to: string, anchor: string][],
  fetched: string[],
  catalogues: DisclosureSource['catalogues'] = [],
): DisclosureSource {
  return {
    catalogues,
    resources: fetched.map((u) => resource(`${O}${u}`, { contentHash: u })),
    links: links.map(([from, to, anchor]) => ({
      fromUrl: `${O}${from}`,
      toUrl: to.startsWith('http') ? to : `${O}${to}`,
      anchor,
      tag: 'a',
    })),
  };
}

const best = (found: ReturnType<typeof findDisclosureParts>, part: string, domain?: string) =>
  found.find((p) => p.part === part && p.domain === domain)?.hits[0];

describe('findDisclosureParts', () => {
  it('takes the parts a seed pins over anything found, an entry behind a script menu included', () => {
    const found = findDisclosureParts(
      {
        ...source([['/', '/xxgk/zn/', '政府信息公开指南']], ['/', '/xxgk/zn/']),
        pins: [
          { part: 'guide', url: `${O}/gk/guide2026.html` },
          { part: 'request', url: `${O}/ysq/apply.jsp` },
        ],
      },
      () => undefined,
      DOMAINS,
    );
    expect(best(found, 'guide')).toMatchObject({ url: `${O}/gk/guide2026.html`, signal: 'pinned' });
    expect(best(found, 'request')).toMatchObject({ url: `${O}/ysq/apply.jsp`, signal: 'pinned' });
    // The link-text find is still there, ranked after the pin.
    expect(found.find((p) => p.part === 'guide')!.hits.map((h) => h.signal)).toEqual(['pinned', 'link-text']);
  });

  it('finds each part by the strongest signal: pinned, then the title, the link text, the URL', () => {
    const pages = new Map([
      [`${O}/col/col101/index.html`, page(`${O}/col/col101/index.html`, '政府信息公开指南 - 测试局')],
      [`${O}/xxgk/`, page(`${O}/xxgk/`, '信息公开_测试局')],
    ]);
    const found = findDisclosureParts(
      source(
        [
          ['/', '/xxgk/', '政府信息公开'],
          // An image link from the 专栏 to a 大汉 column page that names itself.
          ['/xxgk/', '/col/col101/index.html', ''],
          ['/xxgk/', '/xxgk/nb/', '年报'],
          ['/xxgk/', '/shjz/', '社会救助领域标准目录'],
        ],
        ['/', '/xxgk/', '/col/col101/index.html', '/xxgk/nb/', '/xxgk/ysqgk/'],
        [{ domain: '社会救助', url: `${O}/shjz/ml.html` }],
      ),
      (url) => pages.get(url),
      DOMAINS,
    );
    expect(best(found, 'column')).toMatchObject({ url: `${O}/xxgk/`, signal: 'title', own: true });
    expect(best(found, 'guide')).toMatchObject({ url: `${O}/col/col101/index.html`, signal: 'title' });
    expect(best(found, 'annual-report')).toMatchObject({
      signal: 'link-text',
      text: '年报',
      from: `${O}/xxgk/`,
    });
    expect(best(found, 'request')).toMatchObject({ url: `${O}/xxgk/ysqgk/`, signal: 'url-pattern' });
    expect(best(found, 'catalogue', '社会救助')).toMatchObject({
      url: `${O}/shjz/ml.html`,
      signal: 'pinned',
    });
    expect(found.find((p) => p.part === 'rules')?.hits).toEqual([]);
    expect(found.map((p) => p.title)).toEqual([
      '政府信息公开专栏',
      '政府信息公开指南',
      '政府信息公开制度',
      '法定主动公开内容',
      '政府信息公开年报',
      '依申请公开',
      '政策解读',
      '基层政务公开标准目录（社会救助）',
    ]);
  });

  it('prefers the unit’s own page to another site’s, and reads bare domain names on a zone page', () => {
    const found = findDisclosureParts(
      source(
        [
          ['/', 'http://portal.example.gov.cn/zfxxgk/', '政府信息公开'],
          ['/', '/xxgk/', '信息公开'],
          ['/', '/jczwgk/', '基层政务公开标准化规范化专栏'],
          ['/jczwgk/', '/jczwgk/ywjy/', '义务教育'],
          ['/', '/ywjy/', '义务教育'],
        ],
        ['/', '/xxgk/', '/jczwgk/'],
      ),
      () => undefined,
      DOMAINS,
    );
    expect(best(found, 'column')).toMatchObject({ url: `${O}/xxgk/`, own: true });
    expect(best(found, 'catalogue', '义务教育')?.url).toBe(`${O}/jczwgk/ywjy/`);
    expect(found.find((p) => p.domain === '义务教育')?.hits).toHaveLength(1);
  });
});

describe('pageDisclosure and xuncha extract', () => {
  const html = `<html><head><title>政府信息公开指南_示范区民政局</title><meta name="ColumnName" content="政府信息公开指南"></head>
<body><div class="menu"><a href="/xxgk/">信息公开</a><a href="/xxgk/zn/">政府信息 公开指南</a>
<a href="/xxgk/nb/">政府信息公开年报</a><a href="https://ysqpt.example.gov.cn/">依申请公开</a>
<a href="/bsfw/">行政许可办事服务指南</a></div></body></html>`;
  const facts = parseHtmlPage(html, `${O}/xxgk/zn/`);

  it('says what a page is and which parts it links to', () => {
    const d = pageDisclosure(facts, DOMAINS);
    expect(d.is).toEqual([
      { part: 'guide', title: '政府信息公开指南', signal: 'title', text: '政府信息公开指南' },
    ]);
    expect(d.links.map((l) => [l.part, l.url, l.signal])).toEqual([
      ['column', `${O}/xxgk/`, 'link-text'],
      ['guide', `${O}/xxgk/zn/`, 'link-text'],
      ['annual-report', `${O}/xxgk/nb/`, 'link-text'],
      ['request', 'https://ysqpt.example.gov.cn/', 'link-text'],
    ]);
  });

  it('is shown by xuncha extract, in text and in JSON', () => {
    const s = summarisePage(
      'p.html',
      { url: facts.url, urlSource: '--url 参数' },
      { charset: 'utf-8', source: 'meta' },
      facts,
      DOMAINS,
    );
    expect(s.disclosure.is).toHaveLength(1);
    const lines = formatSummary(s);
    expect(lines).toContain('公开专栏：本页是政府信息公开指南（页面标题「政府信息公开指南」）');
    expect(lines).toContain(`    依申请公开：https://ysqpt.example.gov.cn/（链接文字「依申请公开」）`);
  });
});

describe('the report stage and the check stage', () => {
  it('agree: the check stage stores what it found, and the report shows just that', async () => {
    const db = await openTestStore();
    const runId = await createRun(db, { inspectionDate: '2026-11-24', seedsFile: 'test', settings: {} });
    const pinned = { domain: '社会救助', url: `${O}/shjz/ml.html` };
    await saveUnits(db, runId, [
      { id: 'u', name: '测试局', level: '部门', startUrls: [`${O}/`], catalogues: [pinned], hosts: [] },
    ]);
    const column =
      '<html><head><title>信息公开_测试局</title></head><body><a href="/col/col101/index.html"><img src="zn.png"></a><a href="/xxgk/nb/">年报</a></body></html>';
    const pages: Record<string, string> = {
      '/': '<html><head><title>测试局</title></head><body><a href="/xxgk/index.html">信息公开</a><a href="/ysqgk/">依申请公开</a></body></html>',
      // The same bytes under two URLs: the evidence keeps the first, the detection reads it for both.
      '/xxgk/': column,
      '/xxgk/index.html': column,
      '/col/col101/index.html':
        '<html><head><title>政府信息公开指南 - 测试局</title></head><body></body></html>',
    };
    for (const [path, html] of Object.entries(pages)) {
      const url = `${O}${path}`;
      await saveResource(
        db,
        runId,
        'u',
        resource(url, { contentHash: await saveBody(db, Buffer.from(html)) }),
      );
      const links = parseHtmlPage(html, url).links.map((l) => ({
        toUrl: l.url,
        anchor: l.anchor,
        tag: l.tag,
      }));
      await saveLinks(db, runId, 'u', url, links);
    }
    await saveResource(
      db,
      runId,
      'u',
      resource(`${O}/ysqgk/`, { status: 404, errorKind: 'http-4xx', contentHash: null }),
    );
    const unit = (await loadUnits(db, runId))[0]!;
    const domains = [
      '社会救助',
      '义务教育',
      '卫生健康',
      '财政预决算',
      '涉农补贴',
      '农村集体土地征收',
      '保障性住房',
    ];
    const fromEvidence = disclosureOfEvidence(
      await buildUnitEvidence(db, runId, unit, '2026-11-24'),
      domains,
    );
    expect(best(fromEvidence, 'column')).toMatchObject({ url: `${O}/xxgk/index.html`, signal: 'title' });
    expect(fromEvidence.find((p) => p.part === 'column')?.hits).toHaveLength(1);
    expect(best(fromEvidence, 'guide')).toMatchObject({ url: `${O}/col/col101/index.html`, signal: 'title' });
    expect(best(fromEvidence, 'catalogue', '社会救助')).toMatchObject({ signal: 'pinned', own: false });
    // The check stage stores what it found; the report shows exactly that, not a detection of its own.
    await runChecks(db, runId, '2026-11-24', memoryLogger().log, 'rules');
    expect(await listDisclosure(db, runId, 'u')).toEqual(bestOfParts(fromEvidence));
    const reported = (await buildReport(db, runId, { issuer: '测试' })).units[0]!.disclosure;
    expect(reported).toEqual(await listDisclosure(db, runId, 'u'));
    expect(reported?.find((p) => p.part === 'guide')).toEqual({
      part: 'guide',
      title: '政府信息公开指南',
      url: `${O}/col/col101/index.html`,
      signal: 'title',
      text: '政府信息公开指南',
    });
  });
});
