import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  hiddenIndexes,
  hidesRange,
  loadAddressRules,
  loadBankCardRules,
  loadIdCardRules,
  loadMaskingRules,
  loadMobileRules,
  normalizeWidth,
} from '../../src/pii/rules.js';

/** A copy of rules/pii with one file replaced. */
function rulesWith(file: string, text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'xuncha-pii-rules-'));
  cpSync('rules/pii', dir, { recursive: true });
  writeFileSync(join(dir, file), text);
  return dir;
}

describe('rules/pii/masking.yaml', () => {
  const rules = loadMaskingRules();

  it('states what each type must hide and how it is displayed', () => {
    expect(rules.maskChars).toEqual(['*', '＊', '×', '●']);
    expect(rules.idCard.mustHide).toEqual({ from: 7, to: 14 });
    expect(rules.idCard.old15.mustHide).toEqual({ from: 7, to: 12 });
    expect(rules.mobile.mustHide).toEqual({ from: 4, to: 7 });
    expect(rules.bankCard.mustHide).toEqual({ from: 7, to: -5 });
    expect(rules.address.villageLevel).toEqual(expect.arrayContaining(['村', '社区']));
    expect(rules.source).toContain('廉府办发');
  });

  it('resolves positions from the end for any length', () => {
    expect(hiddenIndexes({ from: 7, to: -5 }, 16)).toEqual([6, 12]);
    expect(hiddenIndexes({ from: 7, to: -5 }, 19)).toEqual([6, 15]);
    expect(hidesRange('622202*********0128', rules.bankCard.mustHide)).toBe(true);
    expect(hidesRange('6222021*********128', rules.bankCard.mustHide)).toBe(false);
  });

  it('every mask character normalises to * (one UTF-16 unit each: offsets stay valid)', () => {
    expect(normalizeWidth('138＊×●*5678')).toBe('138****5678');
    expect(normalizeWidth('１３８')).toBe('138');
  });

  it('rejects a letter as a mask character, with a Chinese message naming the field', () => {
    const text = readFileSync('rules/pii/masking.yaml', 'utf8').replace(
      "maskChars: ['*', '＊', '×', '●']",
      "maskChars: ['*', 'X']",
    );
    expect(() => loadMaskingRules(rulesWith('masking.yaml', text))).toThrow(/maskChars\.1：不能是字母或数字/);
  });

  it('rejects a multi-character mask and a zero position', () => {
    const base = readFileSync('rules/pii/masking.yaml', 'utf8');
    expect(() =>
      loadMaskingRules(
        rulesWith('masking.yaml', base.replace("maskChars: ['*', '＊', '×', '●']", "maskChars: ['**']")),
      ),
    ).toThrow(/单个字符/);
    expect(() =>
      loadMaskingRules(
        rulesWith(
          'masking.yaml',
          base.replace('mustHide: { from: 4, to: 7 }', 'mustHide: { from: 0, to: 7 }'),
        ),
      ),
    ).toThrow(/位置从 1 开始/);
  });
});

describe('rule files load and validate', () => {
  it('loads every default file', () => {
    expect(loadIdCardRules().rejectContextWords).toContain('信用代码');
    expect(loadMobileRules().prefixes.has('138')).toBe(true);
    expect(loadBankCardRules().networks.length).toBeGreaterThan(3);
    expect(loadAddressRules().areaSuffixes).toContain('村');
  });

  it('reports a broken bank-card file in Chinese', () => {
    const text = readFileSync('rules/pii/bank-card.yaml', 'utf8').replace(
      "prefix: '51-55'",
      "prefix: '55-5'",
    );
    expect(() => loadBankCardRules(rulesWith('bank-card.yaml', text))).toThrow(
      /bank-card\.yaml 校验失败.*范围两端应等长/,
    );
  });

  it('reports a file that is not YAML', () => {
    expect(() => loadAddressRules(rulesWith('address.yaml', 'a: [unclosed'))).toThrow(/不是合法的 YAML/);
  });

  it('reports unknown fields (typos) instead of ignoring them', () => {
    const text = `${readFileSync('rules/pii/address.yaml', 'utf8')}\nhouseUnit: [号]\n`;
    expect(() => loadAddressRules(rulesWith('address.yaml', text))).toThrow(/address\.yaml 校验失败/);
  });
});

describe('rule errors name file, line and field', () => {
  it('an account column with min > max is reported at its line', () => {
    const text = readFileSync('rules/pii/bank-card.yaml', 'utf8').replace(
      'lengths: { min: 12, max: 22 }',
      'lengths: { min: 22, max: 12 }',
    );
    const line = text.split('\n').findIndex((l) => l.includes('min: 22, max: 12')) + 1;
    expect(() => loadBankCardRules(rulesWith('bank-card.yaml', text))).toThrow(
      new RegExp(`bank-card\\.yaml 校验失败：第${line}行 accountColumns\\.1\\.lengths：min 不能大于 max`),
    );
  });

  it('an embedding identifier without prefix or suffix is refused', () => {
    const text = readFileSync('rules/pii/id-card.yaml', 'utf8').replace(
      'suffixDigits: 2 }',
      'suffixDigits: 0 }',
    );
    expect(() => loadIdCardRules(rulesWith('id-card.yaml', text))).toThrow(
      /embeddingIdentifiers\.0：前缀字母数与后缀位数/,
    );
  });
});
