import { describe, expect, it } from 'vitest';
import { loadIndicatorSystem, indicatorSystemSchema } from '../../src/scoring/indicatorSystem.js';
import { rankUnits, scoreUnit } from '../../src/scoring/scoreUnit.js';
import { parseYaml } from '../../src/config/yamlFile.js';
import type { Finding } from '../../src/checks/types.js';

const system = loadIndicatorSystem('rules/indicators/national-2019.yaml');

function f(checkId: string, kind: string, url = 'http://x/', outcome: Finding['outcome'] = 'fail'): Finding {
  return { checkId, unitId: 'u', outcome, kind, message: '', url, location: '', evidence: '' };
}

describe('scoring', () => {
  it('gives 100 and the top grade to a unit without findings', () => {
    expect(scoreUnit(system, 'u', [])).toMatchObject({ score: 100, vetoed: false, grade: '优秀' });
  });

  it('caps deductions inside one indicator', () => {
    const many = Array.from({ length: 30 }, (_, i) => f('dead-links', 'home-page', `http://x/${i}`));
    const s = scoreUnit(system, 'u', many);
    expect(s.reasons.find((r) => r.indicatorId === 'home-dead-links')).toMatchObject({
      points: 10,
      findingCount: 30,
    });
    expect(s.score).toBe(90);
  });

  it('vetoes at five blank columns and explains why', () => {
    const four = scoreUnit(
      system,
      'u',
      Array.from({ length: 4 }, () => f('blank-columns', 'blank')),
    );
    expect(four.vetoed).toBe(false);
    const five = scoreUnit(
      system,
      'u',
      Array.from({ length: 5 }, () => f('blank-columns', 'blank')),
    );
    expect(five).toMatchObject({ vetoed: true, grade: '不合格' });
    expect(five.vetoReason).toContain('空白栏目5个以上（实际 5 个）');
  });

  it('counts personal data per document, not per value, and ignores warnings', () => {
    const s = scoreUnit(system, 'u', [
      f('personal-data-exposure', 'id-card', 'http://x/a.xlsx'),
      f('personal-data-exposure', 'mobile', 'http://x/a.xlsx'),
      f('dead-links', 'inner-page', 'http://x/b', 'warn'),
    ]);
    expect(s.score).toBe(95);
  });

  it('ranks vetoed units last and shares ranks on ties', () => {
    const ranked = rankUnits([
      { id: 'a', score: 90, vetoed: false },
      { id: 'b', score: 99, vetoed: true },
      { id: 'c', score: 90, vetoed: false },
      { id: 'd', score: 95, vetoed: false },
    ]);
    expect(ranked.map((r) => [r.id, r.rank])).toEqual([
      ['d', 1],
      ['a', 2],
      ['c', 2],
      ['b', 4],
    ]);
  });

  it('ranks unscored (unreachable) units below every scored one, vetoed ones included', () => {
    const ranked = rankUnits([
      { id: 'x', score: 0, vetoed: false, unscored: '首页：请求超时' },
      { id: 'v', score: 99, vetoed: true },
      { id: 'y', score: 0, vetoed: false, unscored: '首页：连接被拒绝' },
      { id: 'a', score: 40, vetoed: false },
    ]);
    expect(ranked.map((r) => [r.id, r.rank])).toEqual([
      ['a', 1],
      ['v', 2],
      ['x', 3],
      ['y', 3],
    ]);
  });

  it('gives an unreachable unit the status of the system instead of a score or grade', () => {
    const s = scoreUnit(system, 'u', [], 'http://127.0.0.1:1/：连接被拒绝');
    expect(s).toMatchObject({
      grade: '无法访问',
      vetoed: false,
      reasons: [],
      unscored: 'http://127.0.0.1:1/：连接被拒绝',
    });
  });

  it('refuses an unreachable basis that is not one of its indicators', () => {
    const bad =
      'id: x\ntitle: t\nverified: true\nfailBelow: 60\nfailTitle: 不合格\ngrades: [{min: 60, title: 合格}]\nunreachable: {title: 无法访问, basis: nope}\nindicators:\n  - id: v\n    title: 否决\n    kind: veto\n    checks: [{check: blank-columns}]\n    whenCountAtLeast: 1\n    verified: true\n';
    expect(() => parseYaml(bad, indicatorSystemSchema, 'x.yaml')).toThrow(/unreachable\.basis/);
  });

  it('rejects an indicator without its threshold, naming the field', () => {
    const bad =
      'id: x\ntitle: t\nverified: true\nfailBelow: 60\nfailTitle: 不合格\ngrades: [{min: 60, title: 合格}]\nindicators:\n  - id: v\n    title: 否决\n    kind: veto\n    checks: [{check: blank-columns}]\n    verified: true\n';
    expect(() => parseYaml(bad, indicatorSystemSchema, 'x.yaml')).toThrow(
      /x\.yaml:8 字段 indicators\[0\]\.whenCountAtLeast：否决指标需要/,
    );
  });
});
