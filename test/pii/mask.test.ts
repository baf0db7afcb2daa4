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
