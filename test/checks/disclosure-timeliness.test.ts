import { describe, expect, it } from 'vitest';
import { disclosureTimeliness } from '../../src/checks/disclosure-timeliness.js';
import { writtenDate } from '../../src/extract/writtenDate.js';
import { evidence, runCheck } from '../helpers/evidence.js';

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
      evidence: '成文日期：2026年09月25日；发布日期 2026-10-30（meta PubDate）',
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
});
