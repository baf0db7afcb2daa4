import { describe, expect, it } from 'vitest';
import { detectPersonalData } from '../../src/pii/detect.js';
import { findIdCards, isRealBirthDate } from '../../src/pii/idCard.js';
import { expandCodeRanges, loadIdCardRules } from '../../src/pii/rules.js';

/** Independent ISO 7064 MOD 11-2 so fixtures don't trust the code under test. */
function withCheckDigit(first17: string): string {
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...first17].reduce((acc, d, i) => acc + Number(d) * (weights[i] ?? 0), 0);
  return first17 + '10X98765432'.charAt(sum % 11);
}

/** A different, wrong check character for the same 17 digits. */
function withWrongCheckDigit(first17: string): string {
  const right = withCheckDigit(first17).slice(-1);
  return first17 + (right === '0' ? '1' : '0');
}

const toFullWidth = (s: string): string =>
  s.replace(/[0-9]/g, (d) => String.fromCharCode(d.charCodeAt(0) - 48 + 0xff10));

const ID = withCheckDigit('35050219900101123'); // 福建泉州, 1990-01-01
const TODAY = new Date(2026, 10, 24);
const find = (text: string) => findIdCards(text, { today: TODAY });

// The first serial (0..999) whose check character is X, so the X/x path is always exercised.
const ID_X = (() => {
  for (let n = 0; n < 1000; n++) {
    const id = withCheckDigit(`11010519851231${String(n).padStart(3, '0')}`);
    if (id.endsWith('X')) return id;
  }
  throw new Error('no X check digit found');
})();

describe('findIdCards: valid numbers', () => {
  it('finds a valid ID inside Chinese text with exact offsets', () => {
    const text = `申请人张三，身份证号${ID}，住址略。`;
    const [hit, ...rest] = find(text);
    expect(rest).toHaveLength(0);
    expect(hit).toMatchObject({ start: 10, end: 28, insufficient: false });
  });

  it('accepts X and x as the check character', () => {
    expect(find(`号码：${ID_X}。`)).toHaveLength(1);
    expect(find(`号码：${ID_X.toLowerCase()}。`)).toHaveLength(1);
  });

  it('normalises full-width digits and keeps offsets of the original text', () => {
    const text = `身份证：${toFullWidth(ID)}`;
    expect(find(text)).toMatchObject([{ start: 4, end: 22 }]);
  });

  it('finds IDs in table-like text separated by tabs and newlines', () => {
    const other = withCheckDigit('44030619850615002');
    expect(find(`1\t张三\t${ID}\n2\t李四\t${other}\n`)).toHaveLength(2);
  });
});

describe('findIdCards: traps that must not match', () => {
  const cases: [string, string][] = [
    ['wrong check digit', withWrongCheckDigit('35050219900101123')],
    ['invalid date 19900230', withCheckDigit('35050219900230123')],
    ['month 13', withCheckDigit('35050219901301123')],
    ['born before 1900', withCheckDigit('35050218991231123')],
    ['born after today', withCheckDigit('35050220261125123')],
    ['province 99', withCheckDigit('99050219900101123')],
    ['province 71 (not in the list)', withCheckDigit('71050219900101123')],
    ['19-digit run with a digit before the ID', `9${ID}5`],
    ['digit before', `9${ID}`],
    ['letter after', `${ID}A`],
    ['letter before', `No${ID}`],
    ['统一社会信用代码', '91350500MA2Y123456'],
    ['all-digit 统一社会信用代码 shape', '113505000040000001'],
    ['网站标识码', '网站标识码：3505000012'],
    ['ICP', '闽ICP备05012345号'],
    ['公安备案', '闽公网安备 35050202000123号'],
    ['date', '20261124'],
    ['amount', '金额：3505021990010112.00元'],
    ['X in the middle', `${ID.slice(0, 10)}X${ID.slice(11)}`],
  ];
  it.each(cases)('%s', (_label, text) => {
    expect(find(text)).toEqual([]);
  });

  it('rejects a 15-digit prefix of an ID padded with letters (a product code)', () => {
    expect(find(`SN${ID.slice(0, 15)}ABC`)).toEqual([]);
  });
});

describe('findIdCards: masked numbers', () => {
  it.each([
    ['first 6 + last 4', '350502********1234'],
    ['Hutool style', '3***************1X'],
    ['full-width asterisks', '350502＊＊＊＊＊＊＊＊1234'],
    ['multiplication signs', '350502××××××××1234'],
    ['everything masked', '******************'],
    ['black circles', '350502●●●●●●●●1234'],
    ['mixed shape hiding the birth date', '3505**********1234'],
    ['mixed shape, two blocks, birth date hidden', '3505**********12**'],
    ['more than the birth date masked', '3505**********1234'],
  ])('sufficiently masked (%s) is not a finding', (_label, text) => {
    expect(find(`身份证号：${text}`)).toEqual([]);
  });

  it.each([
    ['mixed shape: region and birth year visible', '3505**1990****1234'],
    ['year and month visible', '3505021990****1234'],
    ['only the end masked', '350502199001011***'],
    ['day visible', '350502******011234'],
    ['full-width digits and ＊', toFullWidth('3505021990') + '＊＊＊＊' + toFullWidth('1234')],
  ])('insufficiently masked (%s) is a finding', (_label, text) => {
    expect(find(`身份证号：${text}`)).toMatchObject([{ start: 5, end: 23, insufficient: true }]);
  });

  it.each([
    ['impossible province', '9905021990****1234'],
    ['impossible month', '350502199013**1234'],
    ['19 characters', '3505021990****12345'],
    ['mask inside a longer run', 'A3505021990****1234'],
  ])('masked-looking non-ID (%s) is ignored', (_label, text) => {
    expect(find(text)).toEqual([]);
  });
});

describe('birth date and rules', () => {
  it('checks real calendar dates within 1900..today', () => {
    expect(isRealBirthDate('20000229', TODAY)).toBe(true);
    expect(isRealBirthDate('19000229', TODAY)).toBe(false);
    expect(isRealBirthDate('20261124', TODAY)).toBe(true);
    expect(isRealBirthDate('20261125', TODAY)).toBe(false);
  });

  it('loads province ranges from rules/pii/id-card.yaml', () => {
    const rules = loadIdCardRules();
    expect([...rules.provinceCodes]).toEqual(
      expect.arrayContaining(['11', '15', '21', '37', '46', '54', '65']),
    );
    expect(rules.provinceCodes.has('16')).toBe(false);
    expect(rules.provinceCodes.size).toBe(5 + 3 + 7 + 6 + 5 + 5);
    expect(rules.source).not.toBe('');
  });

  it('expands ranges keeping zero padding', () => {
    expect([...expandCodeRanges(['08-10', '12'])]).toEqual(['08', '09', '10', '12']);
  });

  it('uses injected rules (a province removed from data is no longer matched)', () => {
    const rules = { ...loadIdCardRules(), provinceCodes: new Set(['11']) };
    expect(findIdCards(ID, { rules, today: TODAY })).toEqual([]);
  });
});

describe('detectPersonalData for IDs', () => {
  it('returns the masked form only, never the raw number', () => {
    const result = detectPersonalData(`当事人：张三，公民身份号码：${ID}`);
    const masked = `${ID.slice(0, 6)}********${ID.slice(-4)}`;
    expect(result).toMatchObject([{ type: 'id-card', masked, insufficient: false }]);
    expect(JSON.stringify(result)).not.toContain(ID);
  });

  it('raises confidence with context words, nearby or in a header', () => {
    const bare = detectPersonalData(`记录 ${ID}`)[0]?.confidence ?? 0;
    const labelled = detectPersonalData(`身份证号：${ID}`)[0]?.confidence ?? 0;
    const header = detectPersonalData(`1\t${ID}`, { context: '序号\t姓名\t身份证号' })[0]?.confidence ?? 0;
    expect(labelled).toBeGreaterThan(bare);
    expect(header).toBeGreaterThan(bare);
    expect(labelled).toBeLessThanOrEqual(1);
  });
});

describe('findIdCards: 15-digit old numbers', () => {
  // 350502 + 1975-08-12 + serial 031 (issued before 1999: no check digit).
  const OLD = '350502750812031';

  it.each([
    ['after an ID label', `身份证号：${OLD}`, 5],
    ['in a roster row with a name', `3 陈建国 ${OLD} 男`, 6],
    ['under a 身份证号 column header', OLD, 0],
  ])('is found %s', (_label, text, start) => {
    const context = text === OLD ? '身份证号' : undefined;
    expect(findIdCards(text, { today: TODAY, ...(context ? { context } : {}) })).toMatchObject([
      { start, end: start + 15, insufficient: false, form: 'old-15' },
    ]);
  });

  it.each([
    ['invalid date (month 13)', '身份证号：350502751312031'],
    ['invalid date (Feb 30)', '身份证号：350502750230031'],
    ['unknown province', '身份证号：990502750812031'],
    ['工商注册号 label', '注册号：350502750812031'],
    ['纳税人识别号 label', '纳税人识别号：350502750812031'],
    ['编号 label', '项目编号：350502750812031'],
    ['no label and no person around (a batch code)', '本批次 350502750812031 已归档。'],
    ['16-digit run', `身份证号：${OLD}7`],
  ])('is not found: %s', (_label, text) => {
    expect(find(text)).toEqual([]);
  });

  it('masks an insufficiently masked old number when digits 7–12 show', () => {
    expect(find('身份证号：35050275****031')).toMatchObject([{ insufficient: true }]);
    expect(find('身份证号：350502******031')).toEqual([]);
  });
});

describe('findIdCards: numbers split by PDF text layers', () => {
  it.each([
    ['spaces 6-8-4', `${ID.slice(0, 6)} ${ID.slice(6, 14)} ${ID.slice(14)}`],
    ['one line break', `${ID.slice(0, 10)}\n${ID.slice(10)}`],
    ['CRLF line break', `${ID.slice(0, 10)}\r\n${ID.slice(10)}`],
    ['line break with spaces around', `${ID.slice(0, 9)}  \n ${ID.slice(9)}`],
    ['three spaces', `${ID.slice(0, 6)}   ${ID.slice(6)}`],
    ['four groups', `${ID.slice(0, 6)} ${ID.slice(6, 10)} ${ID.slice(10, 14)} ${ID.slice(14)}`],
  ])('joins %s', (_label, value) => {
    const text = `1 陈建国 ${value} 男`;
    expect(find(text)).toMatchObject([
      { start: 6, end: 6 + value.length, insufficient: false, form: 'split' },
    ]);
  });

  it('joins an ID ending in X', () => {
    expect(find(`${ID_X.slice(0, 6)} ${ID_X.slice(6, 14)} ${ID_X.slice(14)}`)).toMatchObject([
      { form: 'split' },
    ]);
  });

  it.each([
    [
      'wrong check digit',
      (() => {
        const bad = withWrongCheckDigit('35050219900101123');
        return `${bad.slice(0, 6)} ${bad.slice(6, 14)} ${bad.slice(14)}`;
      })(),
    ],
    ['two line breaks (separate paragraphs)', `${ID.slice(0, 10)}\n\n${ID.slice(10)}`],
    ['a tab (separate table cells)', `${ID.slice(0, 10)}\t${ID.slice(10)}`],
    ['four spaces', `${ID.slice(0, 10)}    ${ID.slice(10)}`],
    ['a hyphen', `${ID.slice(0, 10)}-${ID.slice(10)}`],
    ['digits that only fit with a neighbour group', `1 ${ID.slice(1, 6)} ${ID.slice(6)}`],
    ['under a 统一社会信用代码 label', `统一社会信用代码：${ID.slice(0, 6)} ${ID.slice(6)}`],
  ])('does not join: %s', (_label, text) => {
    expect(find(text)).toEqual([]);
  });

  it('does not join a group twice', () => {
    const text = `${ID.slice(0, 6)} ${ID.slice(6, 14)} ${ID.slice(14)} ${ID.slice(14)}`;
    expect(find(text)).toHaveLength(1);
  });
});

describe('findIdCards: IDs kept as Excel numbers', () => {
  const SCI = '3.50502199001011E+17';

  it.each([
    ['scientific form', SCI],
    ['lower-case e without plus', '3.50502199001011e17'],
    ['trailing zeros trimmed (19901010 0…)', '3.5050219901010E+17'],
    ['full-width digits', '３.５０５０２１９９００１０１１E+17'],
  ])('%s exposes the birth date: found', (_label, value) => {
    expect(find(`身份证号\t${value}`)).toMatchObject([
      { start: 5, end: 5 + value.length, insufficient: true, form: 'excel-number' },
    ]);
  });

  it('finds the 18-digit rendering of such a number (wrong check digit, trailing 000 or binary noise)', () => {
    expect(find('350502199001011000')).toMatchObject([{ form: 'excel-number' }]);
    expect(find(String(3.50502199001011e17))).toMatchObject([{ form: 'excel-number' }]);
    // The double nearest to 350502199001011000 printed with every digit.
    expect(find((3.50502199001011e17).toFixed(0))).toMatchObject([{ form: 'excel-number' }]);
  });

  it.each([
    ['Excel display format, 6 digits', '3.50502E+17'],
    ['11 significant digits', '3.5050219900E+17'],
    ['invalid birth date', '3.50502199013011E+17'],
    ['other exponent', '3.50502199001011E+16'],
    ['part of a longer number', '13.50502199001011E+17'],
    ['an amount', '3.50502199001011E+17.5'],
    ['18-digit run with a wrong check digit far from the rounded value', '350502199001011500'],
  ])('%s: not found', (_label, value) => {
    expect(find(value)).toEqual([]);
  });

  it('detectPersonalData reports it as an exposure with a note, masked from its 15 real digits', () => {
    const [m, ...rest] = detectPersonalData(`身份证号码：${SCI}`, { today: TODAY });
    expect(rest).toEqual([]);
    expect(m).toMatchObject({
      type: 'id-card',
      masked: '350502********1***',
      insufficient: true,
      form: 'excel-number',
    });
    expect(m?.note).toMatch(/Excel/);
    expect(JSON.stringify(m)).not.toContain('35050219900101');
  });
});

describe('findIdCards: codes that are never IDs, even when every check passes', () => {
  it.each([
    ['统一社会信用代码 label', `统一社会信用代码：${ID}`],
    ['信用代码 label with spaces', `信用代码 ${ID}`],
    ['备案号 label', `备案号：${ID}`],
    ['准考证号 label', `准考证号：${ID}`],
    ['索引号 label', `索引号：${ID}`],
    ['索引号 continuation', `${ID}/2026-00123`],
    ['registration number continuation', `${ID}-00001`],
    ['decimal amount', `${ID}.00元`],
  ])('%s', (_label, text) => {
    expect(find(text)).toEqual([]);
  });

  it('drops a number under a 统一社会信用代码 column header, but not under the ID column', () => {
    const header = '序号\t单位名称\t统一社会信用代码\t负责人身份证号';
    const row = `1\t示范区第一中学\t${ID}\t${ID_X}`;
    expect(findIdCards(row, { today: TODAY, context: header })).toMatchObject([{ start: row.indexOf(ID_X) }]);
  });

  it('a closer ID label wins over a rejecting word before it', () => {
    expect(find(`备案人身份证号：${ID}`)).toHaveLength(1);
  });
});
