import { describe, expect, it } from 'vitest';
import { personalDataExposure } from '../../src/checks/personal-data-exposure.js';
import { evidence, runCheck, listPage } from '../helpers/evidence.js';
import { validId } from '../helpers/fakeIds.js';

const ID = validId('35050219850312101');
const MOBILE = '13859901234';

describe('personal-data-exposure', () => {
  it('passes pages with landlines, registration numbers and masked values', () => {
    const page = listPage(
      '公示',
      [{ title: '公示', date: '2026-11-01' }],
      `<p>联系电话：0595-22581234，12345 热线。闽公网安备 35050202000123号 15081599004-00001</p>
      <table><tr><td>张三</td><td>350502********1234</td><td>138****5678</td></tr></table>`,
    );
    expect(runCheck(personalDataExposure, evidence({ pages: { '/gs/': page } }))).toEqual([]);
  });

  it('finds an unmasked ID and mobile on a page, evidence masked', () => {
    const page = listPage(
      '公示',
      [],
      `<table><tr><th>序号</th><th>姓名</th><th>身份证号</th><th>联系电话</th></tr><tr><td>1</td><td>张三</td><td>${ID}</td><td>${MOBILE}</td></tr></table>`,
    );
    const found = runCheck(personalDataExposure, evidence({ pages: { '/gs/': page } }));
    expect(found.map((f) => [f.kind, f.evidence])).toEqual([
      ['id-card', `${ID.slice(0, 6)}********${ID.slice(-4)}`],
      ['mobile', '138****1234'],
    ]);
    expect(JSON.stringify(found)).not.toContain(ID);
    expect(JSON.stringify(found)).not.toContain(MOBILE);
  });

  it('reads attachment segments with their location, one finding per value per document', () => {
    const found = runCheck(
      personalDataExposure,
      evidence({
        attachments: [
          {
            path: '/f/md.xlsx',
            format: 'xlsx',
            warnings: [],
            segments: [
              {
                location: '工作表「名单」第2行',
                text: `1\t张三\t${ID}\t${MOBILE}`,
                context: '序号 户主姓名 身份证号 联系电话',
              },
              { location: '工作表「名单」第3行', text: `2\t张三\t${ID}\t${MOBILE}` },
            ],
          },
        ],
      }),
    );
    expect(found).toHaveLength(2);
    expect(found[0]).toMatchObject({
      kind: 'id-card',
      location: '工作表「名单」第2行',
      message: '公开内容含未脱敏的身份证号',
    });
  });

  it('calls an ID that still shows the birth date insufficiently masked', () => {
    const partly = `${ID.slice(0, 14)}****`;
    const found = runCheck(
      personalDataExposure,
      evidence({ pages: { '/gs/': listPage('公示', [], `<p>身份证号：${partly}</p>`) } }),
    );
    expect(found).toEqual([expect.objectContaining({ kind: 'id-card', message: '身份证号脱敏不充分' })]);
  });

  it('asks for a person to look at a scanned attachment instead of passing it', () => {
    const found = runCheck(
      personalDataExposure,
      evidence({
        attachments: [{ path: '/f/scan.pdf', format: 'pdf', warnings: ['扫描件，需人工复核'], segments: [] }],
      }),
    );
    expect(found).toEqual([expect.objectContaining({ outcome: 'needs-review', kind: 'review' })]);
  });
});
