import { describe, expect, it } from 'vitest';
import { catalogueDeadline } from '../../src/checks/catalogue-deadline.js';
import { evidence, runCheck } from '../helpers/evidence.js';
import { published, row } from '../helpers/catalogues.js';

const unit = { name: '示范区民政局', level: '部门' };
const withAssistance = (date?: string) =>
  evidence({
    unit,
    catalogueDocuments: [
      {
        path: '/ml.html',
        via: 'page',
        ...(date ? { date } : {}),
        catalogues: [published('社会救助', [row('a', 'b')])],
      },
    ],
  });

describe('catalogue-deadline', () => {
  it('passes a published catalogue, whatever date its page shows', () => {
    const found = runCheck(catalogueDeadline, withAssistance('2026-11-15'));
    expect(found.filter((f) => f.message.startsWith('社会救助'))).toEqual([]);
  });

  it('dates a missing catalogue: overdue after the due date, with working days', () => {
    const found = runCheck(catalogueDeadline, evidence({ unit }), '2021-01-08');
    const f = found.find((x) => x.message.startsWith('社会救助'))!;
    expect(f.outcome).toBe('warn');
    expect(f.kind).toBe('overdue');
    expect(f.message).toBe('社会救助领域标准目录应于2020年12月31日前公开，截至2021年1月8日仍未公开');
    // 2021-01-01 元旦 is a holiday: Jan 4–8 are the working days after the due date.
    expect(f.evidence).toBe('已逾期 5 个工作日');
  });

  it('warns of a catalogue still due, counting working days left across holidays', () => {
    const found = runCheck(catalogueDeadline, evidence({ unit }), '2020-09-25');
    const f = found.find((x) => x.message.startsWith('社会救助'))!;
    expect(f.outcome).toBe('warn');
    expect(f.kind).toBe('due');
  });
});
