import { describe, expect, it } from 'vitest';
import { maskIdCard, maskMobile, maskText } from '../../src/pii/mask.js';
import type { Masked } from '../../src/pii/types.js';

const ID = '11010519491231002X'; // GB 11643's own example number
const ID2 = '440306198506150026';

describe('maskIdCard', () => {
  it('keeps the first 6 and last 4, hiding the whole birth date', () => {
    expect(maskIdCard(ID)).toBe('110105********002X');
    expect(maskIdCard('１１０１０５１９４９１２３１００２Ｘ')).toBe('110105********002X');
  });

  it('re-masks an insufficiently masked ID to the standard form', () => {
    expect(maskIdCard('1101051949****002X')).toBe('110105********002X');
  });

  it('hides short or odd input entirely instead of echoing it', () => {
    expect(maskIdCard('1234567')).toBe('********');
    expect(maskIdCard('')).toBe('********');
  });
});

describe('maskMobile', () => {
  it('keeps the first 3 and last 4', () => {
    expect(maskMobile('13812345678')).toBe('138****5678');
    expect(maskMobile('+86 138-1234-5678')).toBe('138****5678');
    expect(maskMobile('１３８１２３４５６７８')).toBe('138****5678');
  });

  it('masks an insufficiently masked number without revealing more', () => {
    expect(maskMobile('1381234****')).toBe('138********');
  });

  it('hides input that is not 11 digits entirely', () => {
    expect(maskMobile('12345')).toBe('********');
  });

  it('produces the branded Masked type, which plain strings are not', () => {
    const masked: Masked = maskMobile('13812345678');
    // @ts-expect-error a plain string is not Masked; only mask.ts can produce one
    const notMasked: Masked = '138****5678';
    expect(typeof masked).toBe(typeof notMasked);
  });
});

describe('maskText', () => {
  it('masks every ID and mobile in a log line and leaves the rest alone', () => {
    const line = `导出失败：申请人身份证${ID}，手机13812345678，另有${ID2}。`;
    expect(maskText(line)).toBe(
      '导出失败：申请人身份证110105********002X，手机138****5678，另有440306********0026。',
    );
  });

  it('masks insufficiently masked values and keeps sufficiently masked ones', () => {
    expect(maskText('名单：1101051949****002X、1381234****、138****5678、110105********002X')).toBe(
      '名单：110105********002X、138********、138****5678、110105********002X',
    );
  });

  it('replaces grouped and prefixed mobiles as a whole', () => {
    expect(maskText('电话 +86 138 1234 5678 或 138-1234-5678')).toBe('电话 138****5678 或 138****5678');
  });

  it('masks full-width digits too', () => {
    expect(maskText('手机：１３８１２３４５６７８')).toBe('手机：138****5678');
  });

  it('does not touch registration numbers, landlines, hotlines, dates or codes', () => {
    const text =
      '公安机关备案号：15081599004-00001 闽ICP备05012345号 闽公网安备 35050202000123号 网站标识码3505000012 ' +
      '0595-22581234 12345 400-800-1234 95588 20261124 91350500MA2Y123456';
    expect(maskText(text)).toBe(text);
  });

  it('returns text without personal data unchanged', () => {
    expect(maskText('')).toBe('');
    expect(maskText('一切正常')).toBe('一切正常');
  });
});

describe('maskIdCard: other forms', () => {
  it('15-digit old numbers keep the first 6 and last 3', () => {
    expect(maskIdCard('350502750812031')).toBe('350502******031');
  });

  it('numbers split by spaces or a line break are masked as one', () => {
    expect(maskIdCard('110105 19491231 002X')).toBe('110105********002X');
    expect(maskIdCard('1101051949\n1231002X')).toBe('110105********002X');
  });

  it('Excel numbers show first 6, 8 masks, digit 15, and a mask per lost digit', () => {
    expect(maskIdCard('3.50502199001011E+17')).toBe('350502********1***');
    expect(maskIdCard('350502199001011008', 'excel-number')).toBe('350502********1***');
    // Not an ID after all: hidden entirely, never echoed.
    expect(maskIdCard('3.50502E+17')).toBe('***********');
  });

  it('mixed-shape masks are re-masked to the standard form', () => {
    expect(maskIdCard('3505**1990****1234')).toBe('3505**********1234');
    expect(maskIdCard('350502●●●●●●●●1234')).toBe('350502********1234');
  });
});

describe('maskText: every type', () => {
  it('masks IDs, mobiles, bank cards and personal addresses in one line', () => {
    const line = `户主陈建国，身份证${ID}，手机13812345678，卡号6222021234567890128，家庭住址：西山镇后洋村3组12号`;
    expect(maskText(line)).toBe(
      '户主陈建国，身份证110105********002X，手机138****5678，卡号6222***********0128，家庭住址：西山镇后洋村***',
    );
  });

  it('masks Excel-number and split IDs', () => {
    expect(maskText('身份证号 3.50502199001011E+17')).toBe('身份证号 350502********1***');
    expect(maskText('1 陈建国 110105 19491231 002X')).toBe('1 陈建国 110105********002X');
  });

  it("leaves organisations' accounts and office addresses alone", () => {
    const text =
      '户名：示范区财政局，开户银行：中国农业银行示范区支行，账号：6222021234567890128。办公地址：示范区东湖街道政通路1号';
    expect(maskText(text)).toBe(text);
  });

  it('is idempotent: masked output stays as it is', () => {
    const once = maskText(
      `身份证${ID}，卡号6222021234567890128，住址：西山镇后洋村3组12号，3.50502199001011E+17`,
    );
    expect(maskText(once)).toBe(once);
  });
});
