import { describe, expect, it } from 'vitest';
import { catalogueElements } from '../../src/checks/catalogue-elements.js';
import { evidence, runCheck } from '../helpers/evidence.js';
import { published, row } from '../helpers/catalogues.js';

function unitWith(rows: ReturnType<typeof row>[]) {
  return evidence({
    unit: { name: '示范区民政局', level: '部门' },
    catalogueDocuments: [{ path: '/ml.html', via: 'page', catalogues: [published('社会救助', rows)] }],
  });
}

describe('catalogue-elements', () => {
  it('passes rows that show all eight elements', () => {
    expect(runCheck(catalogueElements, unitWith([row('低保', '政策文件'), row('低保', '办事指南')]))).toEqual(
      [],
    );
  });

  it('gives one finding per catalogue naming the rows and the elements they lack', () => {
    const rows = [
      row('低保', '政策文件'),
      row('低保', '办事指南', { problems: ['公开依据', '公开时限'] }),
      row('临时救助', '救助名单', { problems: ['公开依据'] }),
    ];
    const found = runCheck(catalogueElements, unitWith(rows));
    expect(found).toHaveLength(1);
    expect(found[0]!.outcome).toBe('fail');
    expect(found[0]!.message).toBe('社会救助标准目录有 2 个事项要素不全：公开依据（2行）、公开时限（1行）');
    expect(found[0]!.evidence).toContain('表1第3行 低保 › 办事指南：缺公开依据、公开时限');
    expect(found[0]!.evidence).toContain('表1第4行 临时救助 › 救助名单：缺公开依据');
  });

  it('lists at most listRows rows and counts the rest', () => {
    const rows = Array.from({ length: 12 }, (_, i) => row('低保', `事项${i}`, { problems: ['公开主体'] }));
    const found = runCheck(catalogueElements, unitWith(rows));
    expect(found[0]!.evidence).toMatch(/等 12 行$/);
    expect(found[0]!.evidence.split('；')).toHaveLength(8);
  });
});
