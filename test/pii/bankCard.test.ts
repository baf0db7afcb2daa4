import { describe, expect, it } from 'vitest';
import { cardNetwork, findBankCards, luhnValid } from '../../src/pii/bankCard.js';
import { detectPersonalData } from '../../src/pii/detect.js';
import { maskBankCard } from '../../src/pii/mask.js';
import { loadBankCardRules } from '../../src/pii/rules.js';

/** Independent Luhn so fixtures don't trust the code under test. */
function withLuhn(body: string): string {
  let sum = 0;
  [...body].reverse().forEach((ch, i) => {
    let d = Number(ch);
    if (i % 2 === 0) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  });
  return body + String((10 - (sum % 10)) % 10);
}
const wrongLuhn = (body: string): string => body + String((Number(withLuhn(body).slice(-1)) + 5) % 10);

const CARD19 = withLuhn('622202123456789012'); // 中国工商银行 BIN, 19 digits
const CARD16 = withLuhn('436742123456789'); // Visa BIN of 中国建设银行, 16 digits
const MASTER = withLuhn('525999123456789');
const JCB = withLuhn('356833123456789');
const UNIONPAY = withLuhn('625911123456789'); // 62, no listed bank BIN
const group4 = (s: string) => s.replace(/(\d{4})(?=\d)/g, '$1 ');

const spans = (text: string) =>
  findBankCards(text).map(({ start, end, insufficient }) => ({ start, end, insufficient }));

describe('findBankCards: card numbers', () => {
  it.each([
    ['19-digit UnionPay with a bank BIN', `银行卡号：${CARD19}`, 5, 24],
    ['16-digit Visa', `卡号 ${CARD16}`, 3, 19],
    ['Mastercard 51–55', MASTER, 0, 16],
    ['JCB 3528–3589', JCB, 0, 16],
    ['UnionPay 62 without a listed bank BIN', `社保卡号：${UNIONPAY}。`, 5, 21],
    ['grouped in fours by spaces', `卡号：${group4(CARD19)}`, 3, 26],
    ['grouped in fours by hyphens', `卡号：${group4(CARD16).replace(/ /g, '-')}`, 3, 22],
    [
      'full-width digits',
      `卡号${CARD16.replace(/\d/g, (d) => String.fromCharCode(0xff10 + Number(d)))}`,
      2,
      18,
    ],
  ])('%s', (_label, text, start, end) => {
    expect(spans(text)).toEqual([{ start, end, insufficient: false }]);
  });

  it('finds a personal card beside 户名/开户行 of a person', () => {
    expect(spans(`户名：陈建国，开户行：中国工商银行示范区支行，账号：${CARD19}`)).toHaveLength(1);
  });

  it('raises confidence with a card label and a bank BIN', () => {
    const conf = (text: string) => detectPersonalData(text)[0]?.confidence ?? 0;
    expect(conf(`银行卡号：${CARD19}`)).toBeGreaterThan(conf(`记录 ${UNIONPAY}`));
    expect(conf(`1\t${CARD19}`)).toBeLessThan(
      detectPersonalData(`1\t${CARD19}`, { context: '序号\t银行卡号' })[0]?.confidence ?? 0,
    );
  });
});

describe('findBankCards: traps that must not match', () => {
  it.each([
    ['wrong Luhn digit (an order number)', wrongLuhn('622202123456789012')],
    ['unknown issuer prefix 9', withLuhn('940012345678901234')],
    ['unknown issuer prefix 1 (a timestamp in µs)', withLuhn('170000000000000')],
    ['15 digits', withLuhn('62220212345678')],
    ['20 digits', withLuhn('6222021234567890123')],
    ['five groups of four', group4(withLuhn('6222021234567890123') + '1')],
    [
      'mixed separators',
      `${CARD16.slice(0, 4)} ${CARD16.slice(4, 8)}-${CARD16.slice(8, 12)} ${CARD16.slice(12)}`,
    ],
    ['letters around', `NO${CARD19}`],
    ['订单号 label', `订单号：${CARD19}`],
    ['流水号 label', `交易流水号：${CARD16}`],
    ['统一社会信用代码 label', `统一社会信用代码：${withLuhn('52350500MA2Y12345'.replace(/\D/g, '9'))}`],
    ['索引号 continuation', `${CARD16}/2026-00012`],
    ['amount', `${CARD16}.50元`],
    ['公安备案号', '闽公网安备 35050202000123号'],
    ['landline', '0595-22581234'],
    ['date', '20261124'],
  ])('%s', (_label, text) => {
    expect(findBankCards(text)).toEqual([]);
  });

  it.each([
    ['户名 of a 财政局', `户名：示范区财政局，开户银行：中国农业银行示范区支行，账号：${CARD19}`],
    ['收款单位', `收款单位：示范区民政局\n开户行：中国建设银行示范区支行\n账号：${CARD16}`],
    ['a company', `开户单位：泉州某某建设有限公司\u3000开户银行：中国工商银行\u3000账号：${group4(CARD19)}`],
    ['an account table with an organisation header', `1\t示范区财政局零余额账户\t${CARD19}`],
  ])("an organisation's account (%s) is public: not reported", (label, text) => {
    const context = label.startsWith('an account table') ? '序号\t单位名称\t账号' : undefined;
    expect(findBankCards(text, context ? { context } : {})).toEqual([]);
  });
});

describe('findBankCards: masked numbers', () => {
  it.each([
    ['first 6 and last 4', `${CARD19.slice(0, 6)}*********${CARD19.slice(-4)}`],
    ['first 4 and last 4', `${CARD19.slice(0, 4)}***********${CARD19.slice(-4)}`],
    ['grouped, middle hidden', `${CARD16.slice(0, 4)} **** **** ${CARD16.slice(-4)}`],
    ['only last 4', `************${CARD16.slice(-4)}`],
    ['full-width asterisks', `${CARD16.slice(0, 6)}＊＊＊＊＊＊${CARD16.slice(-4)}`],
    ['black circles', `${CARD16.slice(0, 6)}●●●●●●${CARD16.slice(-4)}`],
  ])('sufficiently masked (%s) is not a finding', (_label, value) => {
    expect(findBankCards(`卡号：${value}`)).toEqual([]);
  });

  it.each([
    ['first 10 visible', `${CARD19.slice(0, 10)}*****${CARD19.slice(-4)}`],
    ['last 8 visible', `${CARD16.slice(0, 4)}****${CARD16.slice(-8)}`],
    [
      'grouped, one middle group visible',
      `${CARD16.slice(0, 4)} ${CARD16.slice(4, 8)} **** ${CARD16.slice(-4)}`,
    ],
    ['only the end hidden', `${CARD16.slice(0, 12)}****`],
  ])('insufficiently masked (%s) is a finding', (_label, value) => {
    expect(findBankCards(`卡号：${value}`)).toMatchObject([{ start: 3, insufficient: true }]);
  });

  it('ignores masked runs that fit no issuer', () => {
    expect(findBankCards('编码：9400123456****1234')).toEqual([]);
  });
});

describe('bank-card rules, Luhn and masking', () => {
  it('checks Luhn', () => {
    expect(luhnValid('4111111111111111')).toBe(true);
    expect(luhnValid('4111111111111112')).toBe(false);
    expect(luhnValid('41111111111111a1')).toBe(false);
  });

  it('loads networks and bank BINs from rules/pii/bank-card.yaml, marked unverified', () => {
    const rules = loadBankCardRules();
    expect(rules.verified).toBe(false);
    expect(rules.minLength).toBe(16);
    expect(rules.maxLength).toBe(19);
    expect(cardNetwork('6222', rules)?.issuer).toBe('中国银联');
    expect(cardNetwork('5312', rules)?.issuer).toBe('Mastercard');
    expect(cardNetwork('3530', rules)?.issuer).toBe('JCB');
    expect(cardNetwork('3400', rules)).toBeUndefined();
    for (const bin of ['622202', '622848', '621700', '436742', '601382'])
      expect(rules.bins.has(bin), bin).toBe(true);
  });

  it('a number of a bank BIN listed outside the networks (601382) is found', () => {
    expect(findBankCards(`卡号：${withLuhn('601382123456789012')}`)).toHaveLength(1);
  });

  it('masks as first 4 + * per hidden digit + last 4', () => {
    expect(maskBankCard(CARD19)).toBe(`6222${'*'.repeat(11)}${CARD19.slice(-4)}`);
    expect(maskBankCard(group4(CARD16))).toBe(`4367********${CARD16.slice(-4)}`);
    expect(maskBankCard('12345')).toBe('********');
  });

  it('detectPersonalData returns type bank-card, masked, never the raw number', () => {
    const found = detectPersonalData(`户名：陈建国 卡号：${group4(CARD19)}`);
    expect(found).toMatchObject([{ type: 'bank-card', masked: maskBankCard(CARD19), insufficient: false }]);
    expect(JSON.stringify(found)).not.toContain(CARD19.slice(4, 15));
  });
});
