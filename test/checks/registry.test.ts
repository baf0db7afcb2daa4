import { describe, expect, it } from 'vitest';
import { existsSync, readdirSync } from 'node:fs';
import { checks } from '../../src/checks/index.js';
import { loadCheckRule } from '../../src/config/checkRules.js';
import { loadIndicatorSystem } from '../../src/scoring/indicatorSystem.js';

const camel = (id: string) => id.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
// Check modules are the kebab-case files; infrastructure files are camelCase or index/types.
const checkFiles = readdirSync('src/checks').filter(
  (f) => /^[a-z]+(-[a-z]+)*\.ts$/.test(f) && !['index.ts', 'types.ts'].includes(f),
);

describe('check registry', () => {
  it('registers exactly the check files, sorted by id', () => {
    expect(checks.map((c) => `${c.id}.ts`)).toEqual([...checkFiles].sort());
    expect(checks.map((c) => c.id)).toEqual([...checks.map((c) => c.id)].sort());
  });

  it.each(checks.map((c) => [c.id, c]))(
    '%s has its export name, titles, rule data and test',
    async (id, check) => {
      const mod = (await import(`../../src/checks/${id}.ts`)) as Record<string, unknown>;
      expect(mod[camel(id)]).toBe(check);
      expect(check.title.trim()).not.toBe('');
      expect(check.failureTitle.trim()).not.toBe('');
      const rule = loadCheckRule(check, 'rules/checks');
      expect(rule.basis.length).toBeGreaterThan(10);
      expect(rule.advice.length).toBeGreaterThan(10);
      expect(existsSync(`test/checks/${id}.test.ts`)).toBe(true);
    },
  );

  it('every rule file belongs to a check', () => {
    const ids = new Set(checks.map((c) => c.id));
    for (const f of readdirSync('rules/checks')) expect(ids.has(f.replace(/\.yaml$/, ''))).toBe(true);
  });

  it('indicators name only known checks', () => {
    const ids = new Set(checks.map((c) => c.id));
    for (const ind of loadIndicatorSystem('rules/indicators/national-2019.yaml').indicators)
      for (const ref of ind.checks) expect(ids.has(ref.check), `${ind.id} → ${ref.check}`).toBe(true);
  });
});
