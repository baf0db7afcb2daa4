import { describe, expect, it } from 'vitest';
import type { StoredFinding } from '../../src/checks/types.js';
import { findingKey } from '../../src/review/findingIdentity.js';
import { applyReviews, type Review } from '../../src/review/ledger.js';

const finding = (fields: Partial<StoredFinding>): StoredFinding => ({
  id: 1,
  runId: 1,
  unitId: 'mzj',
  checkId: 'personal-data-exposure',
  outcome: 'fail',
  kind: 'mobile',
  message: '公开内容含未脱敏的手机号码',
  url: 'http://mzj.example.gov.cn/tzgg/t1.html',
  location: '正文',
  evidence: '138****5678',
  ...fields,
});

const review = (f: StoredFinding, decision: Review['decision']): Review => ({
  findingKey: findingKey(f),
  unitId: f.unitId,
  checkId: f.checkId,
  decision,
  reason: '该号码为单位值班电话',
  reviewer: '张三',
  decidedAt: '2026-11-25T02:00:00.000Z',
  runId: 1,
});

describe('applyReviews', () => {
  it('dismisses the reviewed finding, in this run and in later ones, and nothing else', () => {
    const reviewed = finding({});
    const nextMonth = finding({ id: 99, runId: 2, url: 'https://mzj.example.gov.cn/tzgg/t1.html' });
    const other = finding({ id: 2, url: 'http://mzj.example.gov.cn/tzgg/t2.html' });
    const otherUnit = finding({ id: 3, unitId: 'czj' });
    const out = applyReviews([reviewed, nextMonth, other, otherUnit], [review(reviewed, 'dismissed')]);
    expect(out.map((f) => f.outcome)).toEqual(['dismissed', 'dismissed', 'fail', 'fail']);
    expect(out[0]!.review).toMatchObject({ reviewer: '张三', reason: '该号码为单位值班电话' });
  });

  it('turns a confirmed review item into a problem and leaves confirmed problems as they are', () => {
    const unsure = finding({
      checkId: 'catalogue-coverage',
      kind: 'unparsed',
      outcome: 'needs-review',
      message: '目录表格无法识别（共 3 张表）',
    });
    const later = { ...unsure, id: 7, message: '目录表格无法识别（共 4 张表）' };
    const problem = finding({ id: 5 });
    const out = applyReviews([later, problem], [review(unsure, 'confirmed'), review(problem, 'confirmed')]);
    // Numbers in the message may change between runs: still the same finding.
    expect(out.map((f) => f.outcome)).toEqual(['fail', 'fail']);
    expect(out.every((f) => f.review?.decision === 'confirmed')).toBe(true);
  });
});
