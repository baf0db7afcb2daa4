import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RulesError, checkSeedsAgainstRules, validateRules } from '../../src/config/validateRules.js';
import { ConfigError, parseYaml } from '../../src/config/yamlFile.js';
import { z } from 'zod';
import { readSeeds } from '../../src/seeds/readSeeds.js';

/** A copy of the shipped rules with one file edited. */
function rulesWith(edits: Record<string, (text: string) => string>): string {
  const dir = join(mkdtempSync(join(tmpdir(), 'xuncha-rules-')), 'rules');
  cpSync('rules', dir, { recursive: true });
  for (const [file, edit] of Object.entries(edits)) {
    const path = join(dir, file);
    const before = readFileSync(path, 'utf8');
    const after = edit(before);
    expect(after, `edit of ${file} changed nothing`).not.toBe(before);
    writeFileSync(path, after);
  }
  return dir;
}

function errorOf(dir: string): Error {
  try {
    validateRules(dir);
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected the rules to be refused');
}

describe('validateRules', () => {
  it('accepts the shipped rules', () => {
    const rules = validateRules('rules');
    expect(rules.checks.length).toBeGreaterThan(10);
    expect(rules.indicators.failBelow).toBe(60);
    expect(rules.calendar.years.has(2026)).toBe(true);
  });

  it('names file, line and field of a check option and says what the value is', () => {
    const dir = rulesWith({
      'checks/dead-links.yaml': (t) => t.replace(/maxReferrersShown: \d+/, 'maxReferrersShown: three'),
    });
    const err = errorOf(dir);
    expect(err).toBeInstanceOf(ConfigError);
    expect(err.message).toBe(
      `${dir}/checks/dead-links.yaml:8 字段 options.maxReferrersShown：应为 number，实际为 "three"`,
    );
  });

  it('refuses a YAML syntax error and a bad failBelow before any stage runs', () => {
    const syntax = errorOf(rulesWith({ 'checks/blank-columns.yaml': (t) => `${t}\nbroken: [unclosed\n` }));
    expect(syntax.message).toMatch(/blank-columns\.yaml:\d+ .*YAML 语法错误/);
    const word = errorOf(
      rulesWith({ 'indicators/national-2019.yaml': (t) => t.replace('failBelow: 60', 'failBelow: 六十') }),
    );
    expect(word.message).toMatch(/national-2019\.yaml:8 字段 failBelow：应为 number，实际为 "六十"$/);
    const range = errorOf(
      rulesWith({ 'indicators/national-2019.yaml': (t) => t.replace('failBelow: 60', 'failBelow: 600') }),
    );
    expect(range.message).toMatch(/national-2019\.yaml:8 字段 failBelow：应在 0 到 100 之间，实际为 600$/);
  });

  it('refuses impossible calendar dates and dates filed under another year', () => {
    for (const [bad, detail] of [
      ['2026-13-45', '不是真实存在的日期，实际为 "2026-13-45"'],
      ['2026-02-30', '不是真实存在的日期，实际为 "2026-02-30"'],
      ['2025-10-01', '日期不在本文件的年份 2026 内，实际为 "2025-10-01"'],
    ]) {
      const err = errorOf(
        rulesWith({ 'calendar/2026.yaml': (t) => t.replace('  - 2026-01-02\n', `  - ${bad}\n`) }),
      );
      expect(err.message).toMatch(/calendar\/2026\.yaml:9 字段 holidays\[1\]：/);
      expect(err.message).toContain(detail);
    }
  });

  it('refuses an empty phone-prefix list in the rules folder given', () => {
    const err = errorOf(
      rulesWith({ 'pii/mobile.yaml': (t) => t.replace(/prefixes:\n\s+\[[^\]]*\]/, 'prefixes: []') }),
    );
    expect(err.message).toMatch(/pii\/mobile\.yaml:5 字段 prefixes：至少需要 1 项，实际为 \[\]$/);
  });

  it('checks rectification.yaml, catalogues and references to checks', () => {
    expect(
      errorOf(
        rulesWith({ 'rectification.yaml': (t) => t.replace('deadlineWorkdays: 10', 'deadlineWorkdays: 0') }),
      ).message,
    ).toMatch(/rectification\.yaml:3 字段 deadlineWorkdays：应大于 0，实际为 0$/);
    const unknownCheck = errorOf(
      rulesWith({
        'indicators/national-2019.yaml': (t) => t.replace('check: blank-columns', 'check: blank-column'),
      }),
    );
    expect(unknownCheck.message).toMatch(
      /national-2019\.yaml:\d+ 字段 indicators\[2\]\.checks\[0\]\.check：没有这个检查项，实际为 "blank-column"/,
    );
    const typo = errorOf(rulesWith({ 'catalogues/budget.yaml': (t) => t.replace(/^title:/m, 'titel:') }));
    expect(typo.message).toMatch(
      /budget\.yaml:\d+ 字段 title：应为 string，实际为 缺失（另有未知字段 titel，是否拼写错误？）$/,
    );
  });

  it('lists every broken file at once, and a file that matches no check', () => {
    const dir = rulesWith({
      'checks/dead-links.yaml': (t) => t.replace(/maxReferrersShown: \d+/, 'maxReferrersShown: three'),
      'rectification.yaml': (t) => t.replace('verified: false', 'verified: 否'),
    });
    writeFileSync(join(dir, 'checks/dead-link.yaml'), 'id: dead-link\n');
    const err = errorOf(dir);
    expect(err).toBeInstanceOf(RulesError);
    expect((err as RulesError).errors.map((e) => e.file)).toEqual([
      `${dir}/checks/dead-links.yaml`,
      `${dir}/checks/dead-link.yaml`,
      `${dir}/rectification.yaml`,
    ]);
    expect(err.message).toContain('规则文件有 3 处错误');
    expect(err.message).toContain('应为 boolean，实际为 "否"');
  });

  it('names a missing folder or file instead of crashing', () => {
    expect(errorOf('/nonexistent/rules').message).toContain('规则目录不存在');
    const dir = rulesWith({});
    rmSync(join(dir, 'calendar'), { recursive: true });
    rmSync(join(dir, 'rectification.yaml'));
    const err = errorOf(dir) as RulesError;
    expect(err.errors.map((e) => e.message)).toEqual([
      `${dir}/calendar 字段 (根)：规则子目录不存在`,
      `${dir}/rectification.yaml 字段 (根)：无法读取文件（ENOENT）`,
    ]);
  });

  it('checks the catalogue domains seeds refer to, at the line of the seed file', () => {
    const rules = validateRules('rules');
    const dir = mkdtempSync(join(tmpdir(), 'xuncha-domains-'));
    const csv = join(dir, 'units.csv');
    writeFileSync(
      csv,
      'id,name,level,start,catalogues\nqzf,县政府,区县政府,http://127.0.0.1/,\nmzj,民政局,部门,http://127.0.0.1/mzj/,社会救济=http://127.0.0.1/ml.html\n',
    );
    expect(() => checkSeedsAgainstRules(readSeeds(csv), csv, rules)).toThrow(
      new RegExp(`${csv}:3 列「catalogues」：单位 mzj 的标准目录领域.*实际为 "社会救济"`),
    );
    const yaml = join(dir, 'units.yaml');
    writeFileSync(
      yaml,
      'units:\n  - id: mzj\n    name: 民政局\n    level: 部门\n    start: ["http://127.0.0.1/"]\n    catalogues:\n      - domain: 社会救济\n        url: http://127.0.0.1/ml.html\n',
    );
    expect(() => checkSeedsAgainstRules(readSeeds(yaml), yaml, rules)).toThrow(
      new RegExp(`${yaml}:7 字段 units\\[0\\]\\.catalogues\\[0\\]\\.domain：`),
    );
    writeFileSync(
      csv,
      'id,name,level,start,catalogues\nmzj,民政局,部门,http://127.0.0.1/,社会救助=http://127.0.0.1/\n',
    );
    expect(() => checkSeedsAgainstRules(readSeeds(csv), csv, rules)).not.toThrow();
  });
});

describe('describeIssue (via parseYaml)', () => {
  const schema = z
    .object({ n: z.number(), kind: z.enum(['a', 'b']), name: z.string().min(1), list: z.array(z.string()) })
    .strict();
  const message = (text: string) => {
    try {
      parseYaml(text, schema, 'f.yaml');
    } catch (err) {
      return (err as Error).message;
    }
    throw new Error('expected an error');
  };
  it('says what the value is, including when it is absent or empty', () => {
    const ok = 'n: 1\nkind: a\nname: x\nlist: []\n';
    expect(message(ok.replace('n: 1', 'n: three'))).toBe('f.yaml:1 字段 n：应为 number，实际为 "three"');
    expect(message(ok.replace('n: 1\n', ''))).toBe('f.yaml:1 字段 n：应为 number，实际为 缺失');
    expect(message(ok.replace('n: 1', 'n:'))).toBe('f.yaml:1 字段 n：应为 number，实际为 空值');
    expect(message(ok.replace('kind: a', 'kind: c'))).toBe(
      'f.yaml:2 字段 kind：应为 "a" / "b" 之一，实际为 "c"',
    );
    expect(message(ok.replace('name: x', "name: ''"))).toBe('f.yaml:3 字段 name：不能为空，实际为 ""');
    expect(message(ok.replace('list: []', 'list: [1]'))).toBe('f.yaml:4 字段 list[0]：应为 string，实际为 1');
    expect(message(`${ok}extra: 1\n`)).toBe('f.yaml:5 字段 extra：未知字段 extra（拼写错误或不支持的字段）');
  });
});
