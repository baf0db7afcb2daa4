import { describe, expect, it } from 'vitest';
import { siteAvailability } from '../../src/checks/site-availability.js';
import { evidence, runCheck } from '../helpers/evidence.js';
import type { ProbeRecord } from '../../src/store/probes.js';

/** 20 probes a day for 7 days before 2026-11-24 (Beijing), `failures` of them failed. */
function week(failures: number): ProbeRecord[] {
  return Array.from({ length: 140 }, (_, i) => ({
    unitId: 'u',
    url: 'http://127.0.0.1:9/',
    at: new Date(Date.parse('2026-11-17T16:00:00Z') + i * 72 * 60_000).toISOString(),
    status: i < failures ? 0 : 200,
    errorKind: i < failures ? 'timeout' : null,
    durationMs: i < failures ? 15000 : 80,
  }));
}

function withProbes(probes: ProbeRecord[]) {
  const ev = evidence({ pages: {} });
  return { ...ev, probes };
}

describe('site-availability', () => {
  it('passes below the warning share', () => {
    expect(runCheck(siteAvailability, withProbes(week(2)))).toEqual([]);
  });

  it('vetoes at 5 % failures and lists the failed probe times', () => {
    const [f] = runCheck(siteAvailability, withProbes(week(7)));
    expect(f).toMatchObject({
      outcome: 'fail',
      kind: 'unavailable',
      message: '首页无法访问的比例达 5.0%（否决线 5%）',
    });
    expect(f!.location).toBe('监测 140 次，失败 7 次（5.0%）');
    expect(f!.evidence).toMatch(/^失败时间：2026-11-18 00:00 timeout；/);
  });

  it('warns between 3 % and 5 %', () => {
    expect(runCheck(siteAvailability, withProbes(week(5)))[0]).toMatchObject({
      outcome: 'warn',
      kind: 'early-warning',
    });
  });

  it('asks for monitoring when there are no probes, and notes a thin sample', () => {
    expect(runCheck(siteAvailability, withProbes([]))[0]).toMatchObject({
      outcome: 'needs-review',
      kind: 'no-data',
    });
    const [f] = runCheck(siteAvailability, withProbes(week(3).slice(0, 20)));
    expect(f!.location).toContain('少于指标要求的 140 次');
  });

  it('does not veto on fewer probes than the indicator prescribes: a warning asking for more', () => {
    const [f] = runCheck(siteAvailability, withProbes(week(10).slice(0, 50)));
    expect(f).toMatchObject({ outcome: 'warn', kind: 'unconfirmed' });
    expect(f!.message).toBe(
      '首页无法访问的比例达 20.0%，但仅监测 50 次（指标要求 140 次），不据此单项否决，请补足监测后复核',
    );
    expect(f!.location).toBe('监测 50 次（少于指标要求的 140 次），失败 10 次（20.0%）');
  });

  it('ignores probes outside the seven-day window', () => {
    const old = week(140).map((p) => ({
      ...p,
      at: new Date(Date.parse(p.at) - 30 * 86_400_000).toISOString(),
    }));
    expect(runCheck(siteAvailability, withProbes([...old, ...week(0)]))).toEqual([]);
  });
});
