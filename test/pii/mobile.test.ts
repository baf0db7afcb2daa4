import { describe, expect, it } from 'vitest';
import { detectPersonalData } from '../../src/pii/detect.js';
import { findMobiles } from '../../src/pii/mobile.js';
import { loadMobileRules } from '../../src/pii/rules.js';

const toFullWidth = (s: string): string =>
  s.replace(/[0-9]/g, (d) => String.fromCharCode(d.charCodeAt(0) - 48 + 0xff10));

const spans = (text: string) =>
  findMobiles(text).map(({ start, end, insufficient }) => ({ start, end, insufficient }));

describe('findMobiles: numbers that are mobiles', () => {
  it.each([
    ['plain', '联系电话：13812345678。', 5, 16],
    ['+86', '电话 +8613812345678', 3, 17],
    ['+86 space', '电话 +86 13812345678', 3, 18],
    ['+86-', '电话 +86-13812345678', 3, 18],
    ['86-', '电话 86-13812345678', 3, 17],
    ['grouped by spaces', '手机 138 1234 5678', 3, 16],
    ['grouped by hyphens', '手机 138-1234-5678', 3, 16],
    ['full-width digits', `手机${toFullWidth('13812345678')}`, 2, 13],
    ['full-width plus', '手机＋86 13812345678', 2, 17],
    ['new prefix 199', '19912345678', 0, 11],
    ['data-only prefix 147', '14712345678', 0, 11],
    ['end of a sentence', '请拨打15912345678', 3, 14],
  ])('%s', (_label, text, start, end) => {
    expect(spans(text)).toEqual([{ start, end, insufficient: false }]);
  });

  it('finds several numbers in one line', () => {
    expect(spans('13812345678、13912345678；15012345678')).toHaveLength(3);
  });
});

describe('findMobiles: traps that must not match', () => {
  it.each([
    ['公安机关备案号 (real footer)', '公安机关备案号：15081599004-00001'],
    ['registration number without the label', '15081599004-00001'],
    ['备案 context without a suffix', '公网安备 15081599004号'],
    ['ICP 备案', '闽ICP备05012345号'],
    ['公安备案 14 digits', '闽公网安备 35050202000123号'],
    ['网站标识码', '网站标识码：3505000012'],
    ['网站标识码 with an 11-digit look-alike', '网站标识码：13812345678'],
    ['landline with area code', '0595-22581234'],
    ['landline 0471', '电话：0471-4825916'],
    ['landline 010', '电话：010-58884104'],
    ['landline in brackets', '(0595)22581234'],
    ['12345 hotline', '12345'],
    ['400 number', '400-800-1234'],
    ['400 number ungrouped', '4008001234'],
    ['95588', '95588'],
    ['date', '20261124'],
    ['date-time', '2026-11-24 13:45'],
    ['12-digit run', '138123456789'],
    ['13-digit timestamp', '1700000000000'],
    ['country code without separator or plus', '8613812345678'],
    ['decimal amount', '13812345678.50元'],
    ['grouped amount', '13,812,345,678元'],
    ['unknown prefix 140', '14012345678'],
    ['unknown prefix 154', '15412345678'],
    ['unknown prefix 120', '12012345678'],
    ['mixed separators', '138-1234 5678'],
    ['letters around', 'SN13812345678'],
    ['part of an ID-like run', '350502199001011234'],
    ['after digit and hyphen', '2020-13812345678'],
    ['index number with slash', '13812345678/2020-00012'],
    ['8-digit local number', '电话：22581234'],
    ['7-digit local number', '电话：2258123'],
    ['spaced landline', '0595 2258 1234'],
    ['landline with +86', '+86-595-22581234'],
    ['95xxx bank hotline', '95599、95533'],
    ['95xxx with extension', '95105588'],
    ['12345 hotline in text', '12345政务服务便民热线'],
    ['12345 with area code', '0595-12345'],
    ['400 number spaced', '400 800 1234'],
    ['800 number', '800-858-2333'],
    ['11-digit 网站标识码-like run after 标识码', '政府网站标识码：1508000002'],
    ['公安机关备案号 15081599004-00001', '公安机关备案号：15081599004-00001'],
  ])('%s', (_label, text) => {
    expect(findMobiles(text)).toEqual([]);
  });
});

describe('findMobiles: masked numbers', () => {
  it.each([
    ['middle four hidden', '138****5678'],
    ['more than four hidden', '138*****678'],
    ['grouped and masked', '138 **** 5678'],
    ['full-width asterisks', '138＊＊＊＊5678'],
    ['multiplication signs', '138××××5678'],
    ['all hidden', '1**********'],
  ])('sufficiently masked (%s) is not a finding', (_label, text) => {
    expect(findMobiles(`手机：${text}`)).toEqual([]);
  });

  it.each([
    ['last four hidden', '1381234****'],
    ['two middle digits visible', '13812**5678'],
    ['first digits hidden only', '1****345678'],
    ['full-width digits', `${toFullWidth('1381234')}＊＊＊＊`],
  ])('insufficiently masked (%s) is a finding', (_label, text) => {
    expect(spans(`手机：${text}`)).toEqual([{ start: 3, end: 14, insufficient: true }]);
  });

  it('ignores masked look-alikes with an unknown prefix or two mask blocks', () => {
    expect(findMobiles('1401234****')).toEqual([]);
    expect(findMobiles('13*12**5678')).toEqual([]);
  });
});

describe('mobile rules', () => {
  it('loads the prefix list from rules/pii/mobile.yaml, marked unverified', () => {
    const rules = loadMobileRules();
    expect(rules.verified).toBe(false);
    for (const p of ['130', '139', '145', '147', '149', '162', '165', '167', '170', '178', '199']) {
      expect(rules.prefixes.has(p), p).toBe(true);
    }
    for (const p of ['140', '146', '154', '160', '168', '174', '179', '194', '100']) {
      expect(rules.prefixes.has(p), p).toBe(false);
    }
  });
});

describe('detectPersonalData', () => {
  const ID = '11010519491231002X'; // the GB 11643 standard's own example

  it('combines both detectors, sorted by offset, masked only', () => {
    const text = `联系电话13912345678，身份证${ID}，备用 138-1234-5678`;
    const found = detectPersonalData(text);
    expect(found.map((m) => [m.type, m.masked, m.insufficient])).toEqual([
      ['mobile', '139****5678', false],
      ['id-card', '110105********002X', false],
      ['mobile', '138****5678', false],
    ]);
    expect(found.map((m) => m.start)).toEqual([...found.map((m) => m.start)].sort((a, b) => a - b));
    const json = JSON.stringify(found);
    expect(json).not.toContain('13912345678');
    expect(json).not.toContain(ID);
  });

  it('never returns overlapping matches', () => {
    const found = detectPersonalData(`+86 13812345678 ${ID} 1381234****`);
    for (let i = 1; i < found.length; i++) {
      expect(found[i]!.start).toBeGreaterThanOrEqual(found[i - 1]!.end);
    }
  });

  it('raises confidence for context words nearby or in opts.context, lowers it for record labels', () => {
    const confidence = (text: string, context?: string) =>
      detectPersonalData(text, context === undefined ? {} : { context })[0]?.confidence ?? 0;
    const bare = confidence('数值 13812345678');
    expect(confidence('联系电话：13812345678')).toBeGreaterThan(bare);
    expect(confidence('手机号码13812345678')).toBeGreaterThan(bare);
    expect(confidence('2\t13812345678', '序号\t联系电话')).toBeGreaterThan(bare);
    expect(confidence('流水号：13812345678')).toBeLessThan(bare);
    expect(confidence('138 1234 5678')).toBeLessThan(bare);
  });

  it('keeps the false-positive traps of the development corpus clean', () => {
    const footer =
      '主办单位：巴彦淖尔市人民政府办公室 政府网站标识码：1508000002 蒙ICP备05004474号 ' +
      '公安机关备案号：15081599004-00001 联系电话：0478-8655532 0471-4825916 010-58884104 ' +
      '统一社会信用代码 11150800011640148X 12345政务服务热线 95588 400-800-1234 2026年11月24日';
    expect(detectPersonalData(footer)).toEqual([]);
  });
});
