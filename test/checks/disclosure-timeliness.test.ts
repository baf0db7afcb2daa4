import { describe, expect, it } from 'vitest';
import { disclosureTimeliness } from '../../src/checks/disclosure-timeliness.js';
import { writtenDate } from '../../src/extract/writtenDate.js';
import { evidence, listPage, runCheck } from '../helpers/evidence.js';
import { published, row } from '../helpers/catalogues.js';

/** A 信息公开 document page with the usual metadata block (成文日期 in its own table cell). */
const doc = (written: string, published: string) =>
  `<html><head><meta charset="utf-8"><title>关于做好秋冬季森林防火工作的通知</title>
<meta name="PubDate" content="${published} 09:00"></head><body>
<table><tr><td>索引号：</td><td>11350500MB0000000X/2026-00123</td><td>发文机关：</td><td>示范区人民政府办公室</td></tr>
<tr><td>成文日期：</td><td>${written}</td><td>发文字号：</td><td>示政办〔2026〕45号</td></tr></table>
<h1>关于做好秋冬季森林防火工作的通知</h1><p>各乡镇人民政府、街道办事处，区直有关单位：为切实做好秋冬季森林防火工作……</p>
</body></html>`;

describe('writtenDate', () => {
  it('reads the labelled 成文日期, in table cells or inline, and nothing unlabelled', () => {
    expect(writtenDate('成文日期：\n2022年01月27日\n标 题：')).toMatchObject({ date: '2022-01-27' });
    expect(writtenDate('印发日期 2026-03-05')).toMatchObject({
      date: '2026-03-05',
      source: '正文「印发日期」',
    });
    expect(writtenDate('示范区人民政府办公室\n2026年3月5日')).toBeUndefined();
    expect(writtenDate('成文日期：\n（空）\n发布日期：2026年3月5日')).toBeUndefined();
  });
});

describe('disclosure-timeliness', () => {
  // 2026-09-25 is 中秋节; 国庆 closes Oct 1–7 and Saturday Oct 10 is a working day (rules/calendar/2026.yaml):
  // the 20th working day after it is Oct 29, five weeks later.
  it('counts Chinese working days, holidays and 调休 included', () => {
    const onTime = evidence({ pages: { '/zwgk/a.html': doc('2026年09月25日', '2026-10-29') } });
    expect(runCheck(disclosureTimeliness, onTime)).toEqual([]);
    const late = evidence({ pages: { '/zwgk/a.html': doc('2026年09月25日', '2026-10-30') } });
    const found = runCheck(disclosureTimeliness, late);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({
      outcome: 'fail',
      kind: 'late',
      message: '成文后第 21 个工作日才公开（应在 20 个工作日内）',
      evidence:
        '成文日期：2026年09月25日；发布日期 2026-10-30（meta PubDate）；公开时限：20个工作日（条例第二十六条）',
    });
  });

  it('warns when the publication date comes before the signing date, and skips pages without both', () => {
    const found = runCheck(
      disclosureTimeliness,
      evidence({
        pages: {
          '/zwgk/a.html': doc('2026年11月10日', '2026-11-02'),
          '/zwgk/b.html': doc('（无）', '2026-11-02'),
        },
      }),
    );
    expect(found.map((f) => [f.outcome, f.kind])).toEqual([['warn', 'date-order']]);
  });

  it('judges a document by the time limit of the catalogue item whose column lists it', () => {
    const link = { url: 'http://127.0.0.1:9/zwgk/md/', text: '查看' };
    const sevenDays = { text: '审批后7个工作日内公示', workdays: 7, kind: 'workdays' as const };
    const ev = (publishedOn: string) =>
      evidence({
        unit: { name: '示范区民政局', level: '部门' },
        pages: {
          '/zwgk/md/': listPage('救助名单', [{ title: '名单', date: publishedOn, href: '/zwgk/a.html' }]),
          '/zwgk/a.html': doc('2026年11月02日', publishedOn),
          '/zwgk/b.html': doc('2026年11月02日', publishedOn),
        },
        catalogueDocuments: [
          {
            path: '/ml.html',
            via: 'page',
            catalogues: [
              published('社会救助', [row('临时救助', '救助名单', { links: [link], timeLimit: sevenDays })]),
            ],
          },
        ],
      });
    // Nov 2 → Nov 11 is the 7th working day: on time under both limits.
    expect(runCheck(disclosureTimeliness, ev('2026-11-11'))).toEqual([]);
    // Nov 12 is the 8th: late for the item's 7 days, still within the 条例's 20 for the unlisted page.
    const found = runCheck(disclosureTimeliness, ev('2026-11-12'));
    expect(found.map((f) => [f.url, f.message])).toEqual([
      ['http://127.0.0.1:9/zwgk/a.html', '成文后第 8 个工作日才公开（应在 7 个工作日内）'],
    ]);
    expect(found[0]!.evidence).toContain(
      '标准目录事项「临时救助 › 救助名单」公开时限：审批后7个工作日内公示',
    );
  });

  it('counts calendar days for a limit in 日 and one working day for 实时', () => {
    const limit = (timeLimit: { text: string; kind: 'days' | 'realtime'; workdays?: number }) =>
      evidence({
        unit: { name: '示范区财政局', level: '部门' },
        pages: {
          '/ys/': listPage('预算', [{ title: '预算', date: '2026-10-30', href: '/ys/a.html' }]),
          '/ys/a.html': doc('2026年10月08日', '2026-10-30'),
        },
        catalogueDocuments: [
          {
            path: '/ml.html',
            via: 'page',
            catalogues: [
              published('财政预决算', [
                row('政府预算', '预算报告', {
                  links: [{ url: 'http://127.0.0.1:9/ys/', text: '' }],
                  timeLimit,
                }),
              ]),
            ],
          },
        ],
      });
    const days = runCheck(disclosureTimeliness, limit({ text: '批准后20日内', kind: 'days' }));
    expect(days.map((f) => f.message)).toEqual(['成文后第 22 日才公开（应在 20 日内）']);
    const realtime = runCheck(disclosureTimeliness, limit({ text: '实时', kind: 'realtime' }));
    expect(realtime.map((f) => f.message)).toEqual(['成文后第 17 个工作日才公开（应在 1 个工作日内）']);
  });
});
