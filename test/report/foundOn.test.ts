import { beforeAll, describe, expect, it } from 'vitest';
import { crawlSettings } from '../../src/config/settings.js';
import { buildReport } from '../../src/report/buildReport.js';
import { renderNoticeDocx } from '../../src/report/noticeDocx.js';
import { renderNoticeHtml } from '../../src/report/noticeHtml.js';
import { noticeContent } from '../../src/report/noticeContent.js';
import { loadNoticeTemplate } from '../../src/report/noticeTemplate.js';
import { saveBody, saveLinks, saveResource, type ResourceRecord } from '../../src/store/crawlData.js';
import type { Db } from '../../src/store/db.js';
import { replaceFindings } from '../../src/store/results.js';
import { createRun, saveUnits } from '../../src/store/runs.js';
import { unit } from '../helpers/crawlFixture.js';
import { readDocxText, readZipEntries } from '../helpers/readBack.js';
import { openTestStore } from '../helpers/testStore.js';
import type { InspectionReport, ReportUnit } from '../../src/report/model.js';

const PORTAL = 'http://www.sfq.example.gov.cn';
const RSJ = `${PORTAL}/zwgk/bm/rsj`;
const ARTICLE = `${RSJ}/tzgg/t20261103_88.html`;
const ROSTER = `${RSJ}/tzgg/P020261103_gongyi_mingdan.xlsx`;
const BARE = `${RSJ}/tzgg/P020261104_unlinked.xlsx`;
/** Made-up, checksum-valid ID and mobile: the store holds findings masked, like the check stage writes. */
const ID = '350502199003151236';
const MOBILE = '13859901234';

function resource(url: string, kind: ResourceRecord['kind'], contentHash: string | null): ResourceRecord {
  return {
    url,
    finalUrl: url,
    kind,
    depth: 2,
    status: 200,
    errorKind: null,
    error: null,
    contentType: kind === 'page' ? 'text/html; charset=utf-8' : 'application/vnd.ms-excel',
    charset: null,
    headers: {},
    fetchedAt: '2026-11-24T02:00:00.000Z',
    durationMs: 10,
    size: 100,
    contentHash,
  };
}

/** A 人社局 column of the county portal: an article publishing a roster, and the portal home page linking it too. */
async function store(): Promise<{ db: Db; runId: number }> {
  const db = await openTestStore();
  const runId = await createRun(db, {
    inspectionDate: '2026-11-24',
    seedsFile: 'test',
    settings: crawlSettings({}),
  });
  await saveUnits(db, runId, [
    unit('gov', [`${PORTAL}/`], { name: '示范区人民政府' }),
    unit('rsj', [`${RSJ}/`], { name: '示范区人力资源和社会保障局' }),
  ]);
  const article = await saveBody(
    db,
    Buffer.from(
      `<html><head><meta charset="utf-8"><title>关于2026年公益性岗位拟聘人员的公示（联系电话${MOBILE}）_示范区人力资源和社会保障局</title></head>` +
        `<body><p>附件：<a href="${ROSTER}">拟聘人员名单.xlsx</a></p></body></html>`,
    ),
  );
  const home = await saveBody(
    db,
    Buffer.from(`<html><head><title>示范区人民政府</title></head><body></body></html>`),
  );
  await saveResource(db, runId, 'gov', resource(`${PORTAL}/`, 'page', home));
  await saveResource(db, runId, 'rsj', resource(ARTICLE, 'page', article));
  await saveResource(
    db,
    runId,
    'rsj',
    resource(ROSTER, 'attachment', await saveBody(db, Buffer.from('xlsx'))),
  );
  await saveResource(
    db,
    runId,
    'rsj',
    resource(BARE, 'attachment', await saveBody(db, Buffer.from('xlsx2'))),
  );
  // The portal's home page links the roster as well; the article of the unit's own column wins.
  await saveLinks(db, runId, 'gov', `${PORTAL}/`, [{ toUrl: ROSTER, anchor: '名单', tag: 'a' }]);
  await saveLinks(db, runId, 'rsj', ARTICLE, [{ toUrl: ROSTER, anchor: '拟聘人员名单.xlsx', tag: 'a' }]);
  const pd = (url: string, location: string, kind: string, evidence: string) => ({
    unitId: 'rsj',
    checkId: 'personal-data-exposure',
    outcome: 'fail' as const,
    kind,
    message: `公开内容含未脱敏的${kind === 'id-card' ? '身份证号' : '手机号码'}`,
    url,
    location,
    evidence,
  });
  await replaceFindings(
    db,
    runId,
    'rsj',
    [
      pd(ROSTER, '工作表“名单” 第3行', 'id-card', ID),
      pd(ROSTER, '工作表“名单” 第4行', 'mobile', MOBILE),
      pd(BARE, '工作表“Sheet1” 第2行', 'id-card', ID),
      pd(ARTICLE, '网页正文', 'mobile', MOBILE),
    ],
    [],
  );
  return { db, runId };
}

describe('the page an attachment is published on (foundOn)', () => {
  let report: InspectionReport;
  let rsj: ReportUnit;
  beforeAll(async () => {
    const { db, runId } = await store();
    report = await buildReport(db, runId, { issuer: '示范区人民政府办公室（政务公开办）', trends: false });
    rsj = report.units.find((u) => u.id === 'rsj')!;
  });
  const on = (url: string) => rsj.findings.filter((f) => f.url === url).map((f) => f.foundOn);

  it('is added from the stored links at report time: the unit’s own article, title masked', () => {
    const expected = { title: '关于2026年公益性岗位拟聘人员的公示（联系电话138****1234）', url: ARTICLE };
    expect(on(ROSTER)).toEqual([expected, expected]);
    // No crawled page links it, and a page is not an attachment: nothing to name.
    expect(on(BARE)).toEqual([undefined]);
    expect(on(ARTICLE)).toEqual([undefined]);
    expect(JSON.stringify(report)).not.toContain(MOBILE);
    expect(JSON.stringify(report)).not.toContain(ID);
  });

  it('is named, title and clickable URL, in the notice’s grouped row and its annex (DOCX and PDF HTML)', async () => {
    const template = loadNoticeTemplate();
    const content = noticeContent(report, rsj, template);
    const cells = content.sections.flatMap((s) => s.rows).find((r) => r[2]?.startsWith(ROSTER))!;
    expect(cells[1]).toBe('附件公开了未脱敏的个人信息');
    expect(cells[2]).toBe(
      `${ROSTER}\n发布页面：关于2026年公益性岗位拟聘人员的公示（联系电话138****1234）\n${ARTICLE}`,
    );
    const annex = content.annexes[0]!;
    expect(annex.rows[0]![1]).toBe(cells[2]);
    expect(annex.rows[1]![1]).toBe(ROSTER);

    const docx = await renderNoticeDocx(report, rsj, template);
    const parts = await readZipEntries(docx);
    const rels = parts.get('word/_rels/document.xml.rels')!;
    expect(rels).toContain(`Target="${ARTICLE}"`);
    expect(rels).toContain(`Target="${ROSTER}"`);
    const paragraphs = await readDocxText(docx);
    expect(
      paragraphs.filter((p) => p === '发布页面：关于2026年公益性岗位拟聘人员的公示（联系电话138****1234）'),
    ).toHaveLength(2);
    // Row and annex name the article; its own mobile finding is a third row at that URL.
    expect(paragraphs.filter((p) => p === ARTICLE)).toHaveLength(3);

    const html = renderNoticeHtml(report, rsj, template);
    expect(html.split(`<a href="${ARTICLE}">${ARTICLE}</a>`)).toHaveLength(4);
    expect(html).toContain('<br>发布页面：关于2026年公益性岗位拟聘人员的公示');
    for (const raw of [ID, MOBILE]) {
      expect(html).not.toContain(raw);
      expect(paragraphs.join('\n')).not.toContain(raw);
    }
  });
});
