import { describe, expect, it } from 'vitest';
import { detectPersonalData } from '../../src/pii/detect.js';
import { resolveOverlaps, type TypedSpan } from '../../src/pii/scan.js';

const TODAY = new Date(2026, 10, 24);
const ID = '11010519491231002X'; // GB 11643's own example number
const CARD = '6222021234567890128'; // Luhn-valid, 中国工商银行 BIN
/** Independent ISO 7064 MOD 11-2 check character. */
function withCheckDigit(first17: string): string {
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...first17].reduce((acc, d, i) => acc + Number(d) * (weights[i] ?? 0), 0);
  return first17 + '10X98765432'.charAt(sum % 11);
}
// Passes region, birth date and check digit: only its label says it is a 统一社会信用代码.
const VALID_LOOKING = withCheckDigit('35050219900101123');
const BAD_CHECK = VALID_LOOKING.slice(0, 17) + (VALID_LOOKING.endsWith('0') ? '1' : '0');

const detect = (text: string, context?: string) =>
  detectPersonalData(text, context === undefined ? { today: TODAY } : { context, today: TODAY });

describe('detectPersonalData: never flag', () => {
  it.each([
    ['统一社会信用代码 with letters', '统一社会信用代码：91350500MA2Y123456'],
    ['all-digit 统一社会信用代码 that passes every ID check', `统一社会信用代码：${VALID_LOOKING}`],
    ['公安机关备案号 14 digits', '闽公网安备 35050202000123号'],
    ['公安机关备案号 with a suffix', '公安机关备案号：15081599004-00001'],
    ['ICP 备案号', '闽ICP备05012345号-2'],
    ['网站标识码 digits', '网站标识码：3505000012'],
    ['网站标识码 bm', '网站标识码bm01000001'],
    ['索引号 digits', '索引号：000014348/2020-35147'],
    ['索引号 with a credit code', '索引号：11350500003660373Y/2026-00123'],
    ['文号', '示政办〔2026〕12号'],
    ['准考证号', '准考证号：350502900101123'],
    ['date', '发布日期：20261124'],
    ['date-time', '2026-11-24 13:45:00'],
    ['amount', '预算金额：1234567890.00元'],
    ['order number without a valid check digit', '订单号：6222021234567890127'],
    ['serial number of 18 digits without a valid check digit', `序列号：${BAD_CHECK}`],
    ['landline', '联系电话：0595-22581234'],
    ['hotlines', '12345政务服务便民热线、400-800-1234、95588'],
    ['an organisation account', `开户单位：示范区财政局\u3000开户银行：中国工商银行\u3000账号：${CARD}`],
    ['an office address', '办公地址：示范区行政服务中心3楼'],
    ['an office address with 地址：', '示范区民政局，地址：人民路1号政务大楼'],
  ])('%s', (_label, text) => {
    expect(detect(text)).toEqual([]);
  });

  it('the valid-looking code is an ID without its label (the fixture is meaningful)', () => {
    expect(detect(`号码：${VALID_LOOKING}`)).toHaveLength(1);
  });

  it('a realistic footer and guide paragraph report nothing', () => {
    const text =
      '主办单位：示范区人民政府\u3000地址：示范区东湖街道政通路1号\u3000邮编：362000\n' +
      '联系电话：0595-22580000\u3000政务服务便民热线：12345\n' +
      '网站标识码：3505000012\u3000闽ICP备05012345号\u3000闽公网安备 35050202000123号\n' +
      '受理机构：示范区财政局办公室。地址：示范区东湖街道财富路18号；邮政编码：362000；传真：0595-22580001。\n' +
      '索引号：11350500003660373Y/2026-00123\u3000文号：示政办〔2026〕12号\u3000发布日期：2026-11-24';
    expect(detect(text)).toEqual([]);
  });
});

describe('detectPersonalData: result shape', () => {
  it('returns all four types, sorted, masked, with stable fields', () => {
    const text = `户主：陈建国，身份证号：${ID}，联系电话：13812345678，银行卡号：${CARD}，家庭住址：西山镇后洋村3组12号`;
    const found = detect(text);
    expect(found.map((m) => [m.type, m.masked, m.insufficient])).toEqual([
      ['id-card', '110105********002X', false],
      ['mobile', '138****5678', false],
      ['bank-card', '6222***********0128', false],
      ['address', '西山镇后洋村***', false],
    ]);
    for (const m of found) {
      // The fields as JSON shows them (the fingerprint is a getter, computed when read).
      expect(typeof m.fingerprint).toBe('string');
      expect(Object.keys(JSON.parse(JSON.stringify(m)) as object)).toEqual(
        expect.arrayContaining([
          'type',
          'masked',
          'insufficient',
          'start',
          'end',
          'confidence',
          'fingerprint',
        ]),
      );
      expect(m.confidence).toBeGreaterThan(0);
      expect(m.confidence).toBeLessThanOrEqual(1);
    }
    const json = JSON.stringify(found);
    for (const raw of [ID, '13812345678', CARD, '3组12号']) expect(json).not.toContain(raw);
  });

  it('fingerprints tell values with the same masked form apart, and equal values match', () => {
    const found = detect(
      '1\t陈建国\t西山镇后洋村3组12号\n2\t林秀英\t西山镇后洋村5组8号\n3\t陈建国\t西山镇后洋村3组12号',
    );
    expect(found.map((m) => m.masked)).toEqual(['西山镇后洋村***', '西山镇后洋村***', '西山镇后洋村***']);
    const [a, b, c] = found.map((m) => m.fingerprint);
    expect(a).not.toBe(b);
    expect(a).toBe(c);
    expect(a).toMatch(/^[0-9a-f]{16}$/);
    // Included in JSON (the check stores findings as JSON).
    expect(JSON.parse(JSON.stringify(found[0])).fingerprint).toBe(a);
  });

  it('the same number in full-width or grouped form has the same fingerprint', () => {
    const a = detect('手机13812345678')[0]?.fingerprint;
    const b = detect('手机１３８－１２３４－５６７８')[0]?.fingerprint;
    expect(a).toBe(b);
  });

  it('marks ID forms with a note', () => {
    expect(detect('身份证号：3.50502199001011E+17')[0]).toMatchObject({ form: 'excel-number' });
    expect(detect('身份证号：350502750812031')[0]).toMatchObject({ form: 'old-15', note: '15位旧身份证号' });
    expect(detect(`${ID.slice(0, 6)} ${ID.slice(6, 14)} ${ID.slice(14)}`)[0]).toMatchObject({
      form: 'split',
    });
    expect(detect(ID)[0]?.form).toBeUndefined();
  });

  it('an ID that also passes Luhn and a card BIN is reported once, as an ID', () => {
    // 18 digits from province 62 (甘肃) starting like a UnionPay card.
    const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    for (let n = 0; n < 1000; n++) {
      const first17 = `62010219800101${String(n).padStart(3, '0')}`;
      const sum = [...first17].reduce((a, d, i) => a + Number(d) * (weights[i] ?? 0), 0);
      const id = first17 + '10X98765432'.charAt(sum % 11);
      let luhn = 0;
      [...id].reverse().forEach((ch, i) => {
        const d = Number(ch) * (i % 2 ? 2 : 1);
        luhn += d > 9 ? d - 9 : d;
      });
      if (id.endsWith('X') || luhn % 10 !== 0) continue;
      expect(detect(`号码：${id}`).map((m) => m.type)).toEqual(['id-card']);
      return;
    }
    throw new Error('no ID passing Luhn found');
  });
});

describe('detectPersonalData: context', () => {
  it('a table header counts for its own column only', () => {
    const row = `1\t陈建国\t${ID}\t13812345678`;
    const header = '序号\t姓名\t身份证号\t联系电话';
    const plain = detect(row);
    const withHeader = detect(row, header);
    expect(withHeader[0]!.confidence).toBeGreaterThan(plain[0]!.confidence);
    // A header naming only the first column does not raise the mobile's confidence.
    const onlyId = detect(row, '序号\t姓名\t身份证号\t备注');
    expect(onlyId[1]!.confidence).toBe(plain[1]!.confidence);
  });

  it('context words raise confidence for cards and addresses too', () => {
    expect(detect(`银行卡号：${CARD}`)[0]!.confidence).toBeGreaterThan(detect(`数值 ${CARD}`)[0]!.confidence);
    expect(detect('家庭住址：西山镇后洋村3组12号')[0]!.confidence).toBeGreaterThan(
      detect('1\t陈建国\t西山镇后洋村3组12号')[0]!.confidence,
    );
  });
});

describe('resolveOverlaps', () => {
  const span = (type: TypedSpan['type'], start: number, end: number): TypedSpan => ({
    type,
    start,
    end,
    insufficient: false,
    baseConfidence: 0.5,
  });

  it('keeps the higher-priority type, then the longer span, never overlapping', () => {
    const kept = resolveOverlaps([
      span('address', 0, 20),
      span('mobile', 5, 16),
      span('bank-card', 30, 49),
      span('id-card', 30, 48),
      span('mobile', 60, 71),
    ]);
    expect(kept.map((s) => [s.type, s.start])).toEqual([
      ['mobile', 5],
      ['id-card', 30],
      ['mobile', 60],
    ]);
  });
});
