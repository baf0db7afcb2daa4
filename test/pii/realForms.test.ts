import { Document, Packer, Paragraph, Table, TableCell, TableRow, TextRun } from 'docx';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { extractAttachmentText } from '../../src/extract/attachmentText.js';
import { luhnValid } from '../../src/pii/bankCard.js';
import { detectPersonalData } from '../../src/pii/detect.js';
import { idCheckChar } from '../../src/pii/idCard.js';
import type { PiiMatch } from '../../src/pii/types.js';

// Personal data in the forms offices actually publish it: IDs inside longer identifiers, IDs that
// Excel turned into numbers, bank accounts in roster columns whose BIN no list knows — and the codes,
// addresses and numbers that look alike but are not personal data.

const TODAY = new Date(2026, 10, 24);
const detect = (text: string, context?: string): PiiMatch[] =>
  detectPersonalData(text, context === undefined ? { today: TODAY } : { context, today: TODAY });
const brief = (ms: PiiMatch[]) => ms.map((m) => [m.type, m.masked, m.insufficient]);

const withCheck = (first17: string) => first17 + idCheckChar(first17);
/** Fake IDs (valid region, date and check character), one ending in X. */
const ID = withCheck('35050219900101123');
const ID_X = (() => {
  for (let n = 100; n < 1000; n++) {
    const id = withCheck(`35050219850601${n}`);
    if (id.endsWith('X')) return id;
  }
  throw new Error('no X');
})();

function luhnComplete(body: string): string {
  for (let d = 0; d <= 9; d++) if (luhnValid(body + d)) return body + d;
  throw new Error('unreachable');
}
/** A card number whose BIN is in no rules list (a rural bank's 一卡通), valid Luhn. */
const UNKNOWN_BIN_CARD = luhnComplete('623456789012345678');
const UNKNOWN_BIN_BAD_LUHN = `${UNKNOWN_BIN_CARD.slice(0, -1)}${(Number(UNKNOWN_BIN_CARD.at(-1)) + 1) % 10}`;
/** A passbook / 一卡通 account of a rural credit union: 15–17 digits, no Luhn digit. */
const PASSBOOK = '10120001234567801';

describe('IDs inside longer identifiers', () => {
  it('reports the ID inside a 残疾人证号 (ID + 2 digits), masked, naming the identifier', () => {
    const found = detect(`姓名：张三 残疾人证号：${ID_X}42 残疾等级：二级`);
    expect(brief(found)).toEqual([['id-card', `残疾人证号：350502********${ID_X.slice(14)}**`, false]]);
    expect(found[0]).toMatchObject({ form: 'embedded' });
    expect(found[0]?.note).toContain('残疾人证号');
  });

  it('names it from the column header in a roster row, and from the shape without a label', () => {
    expect(brief(detect(`1\t李四\t${ID}11`, '序号\t姓名\t残疾人证号'))).toEqual([
      ['id-card', `残疾人证号：350502********${ID.slice(14)}**`, false],
    ]);
    expect(detect(`${ID}23`)[0]?.masked).toBe(`残疾人证号：350502********${ID.slice(14)}**`);
  });

  it('reports a 学籍号 (G + ID)', () => {
    expect(brief(detect(`学籍号：G${ID}，就读学校：示范区第一中学`))).toEqual([
      ['id-card', `学籍号：G350502********${ID.slice(14)}`, false],
    ]);
  });

  it.each([
    [
      'a 20-digit number whose first 18 digits fail the check',
      `${ID.slice(0, 17)}${ID[17] === '0' ? '1' : '0'}11`,
    ],
    ['an ID with digits before it', `12${ID}`],
    ['three letters before an ID', `ABC${ID}`],
    ['a 24-digit run', `${ID}123456`],
    ['under a 统一社会信用代码 label', `统一社会信用代码：${ID}11`],
  ])('not an embedded ID: %s', (_label, text) => {
    expect(detect(text).filter((m) => m.type === 'id-card')).toEqual([]);
  });
});

describe('IDs stored as Excel numbers', () => {
  it('the scientific form and the zeroed rendering are insufficiently masked exposures', () => {
    for (const text of ['身份证号：3.50502199001011E+17', '1\t王五\t350502199001011000']) {
      const [m] = detect(text, '序号\t姓名\t身份证号');
      expect(m).toMatchObject({ type: 'id-card', insufficient: true, form: 'excel-number' });
      expect(m?.masked).toBe('350502********1***');
    }
  });

  it('also the nearest-double rendering a program writing XLSX leaves (…011264-like digits)', () => {
    // IDs written as JavaScript/Java doubles keep 16–17 digits; most then fail the check digit.
    const rendered = ['350502199001011537', '350502198506011234', '110105197003075678']
      .map((id) => Number(id).toFixed(0))
      .filter((v) => idCheckChar(v.slice(0, 17)) !== v[17]);
    expect(rendered.length).toBeGreaterThan(0);
    for (const value of rendered)
      expect(detect(value)).toMatchObject([{ type: 'id-card', insufficient: true, form: 'excel-number' }]);
  });

  it('an XLSX whose ID column holds numbers: reported through the attachment reader', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('名单');
    ws.addRow(['序号', '姓名', '身份证号', '联系电话']);
    ws.addRow([1, '张三', 3.50502199001011e17, '0595-22345678']);
    ws.addRow([2, '李四', Number('350502198506011537'), '0595-22345679']);
    ws.addRow([3, '王五', 350502900101123, '']);
    const body = Buffer.from(await wb.xlsx.writeBuffer());
    const text = await extractAttachmentText(body, { url: 'https://example.gov.cn/a.xlsx' });
    const found = text.segments.flatMap((s) =>
      detectPersonalData(s.text, s.context ? { context: s.context, today: TODAY } : { today: TODAY }),
    );
    // Row 2 keeps the nearest double's digits: an excel-number, or (1 in 11) a valid-looking ID.
    expect(found.map((m) => m.type)).toEqual(['id-card', 'id-card', 'id-card']);
    expect(found[0]).toMatchObject({
      form: 'excel-number',
      insufficient: true,
      masked: '350502********1***',
    });
    expect(found[2]).toMatchObject({ form: 'old-15', masked: '350502******123' });
    for (const m of found) expect(JSON.stringify(m)).not.toMatch(/19900101|19850601|900101/);
  });

  it.each([
    ['a display format that cut the number (6 digits)', '3.50502E+17'],
    ['an amount in scientific form', '金额：1.23456789012E+11元'],
    ['an 18-digit run that is not a double', '350502199001011537'],
  ])('not an Excel ID: %s', (_label, text) => {
    expect(detect(text)).toEqual([]);
  });
});

describe('bank accounts in roster columns', () => {
  it.each([
    ['开户账号', PASSBOOK],
    ['一卡通账号', PASSBOOK],
    ['存折账号', PASSBOOK],
    ['惠农卡号', UNKNOWN_BIN_CARD],
    ['社保卡号', UNKNOWN_BIN_CARD],
    ['银行账号', UNKNOWN_BIN_CARD],
  ])('a number under %s is an account even with an unknown BIN', (header, value) => {
    const found = detect(`1\t张三\t${value}\t1200`, `序号\t姓名\t${header}\t金额（元）`);
    expect(brief(found)).toEqual([
      ['bank-card', `${value.slice(0, 4)}${'*'.repeat(value.length - 8)}${value.slice(-4)}`, false],
    ]);
  });

  it('card columns still need a valid Luhn digit; 一卡通 columns do not', () => {
    expect(detect(`1\t张三\t${UNKNOWN_BIN_BAD_LUHN}`, '序号\t姓名\t银行卡号')).toEqual([]);
    expect(detect(`1\t张三\t${UNKNOWN_BIN_BAD_LUHN}`, '序号\t姓名\t一卡通账号')).toHaveLength(1);
  });

  it('reads the header row of a table inside the text (HTML tab cells, PDF space cells)', () => {
    const html = `低保金发放名单\n序号\t姓名\t开户账号\t金额\n1\t张三\t${PASSBOOK}\t500\n2\t李四\t${UNKNOWN_BIN_CARD}\t600\n`;
    expect(detect(html).map((m) => m.type)).toEqual(['bank-card', 'bank-card']);
    const pdf = `序号 姓名 一卡通账号 金额\n1 张三 ${PASSBOOK} 500\n`;
    expect(detect(pdf).map((m) => m.type)).toEqual(['bank-card']);
  });

  it('label right before the number: 一卡通账号：…', () => {
    expect(detect(`户主张三，惠农一卡通账号：${PASSBOOK}，补贴金额300元。`).map((m) => m.type)).toEqual([
      'bank-card',
    ]);
  });

  it('a DOCX table read through the attachment reader (rows under their header, as scan reads them)', async () => {
    const cell = (t: string) => new TableCell({ children: [new Paragraph({ children: [new TextRun(t)] })] });
    const row = (cells: string[]) => new TableRow({ children: cells.map(cell) });
    const doc = new Document({
      sections: [
        {
          children: [
            new Paragraph('2026年耕地地力保护补贴发放名单'),
            new Table({
              rows: [
                row(['序号', '户主姓名', '身份证号', '一卡通账号', '面积（亩）']),
                row(['1', '张三', '350502********1234', PASSBOOK, '3.5']),
                row(['2', '李四', '350502********5678', '', '2.1']),
                row(['3', '王五', '350502********9012', UNKNOWN_BIN_CARD, '1.0']),
              ],
            }),
          ],
        },
      ],
    });
    const body = await Packer.toBuffer(doc);
    const text = await extractAttachmentText(body, { url: 'https://example.gov.cn/a.docx' });
    const found = text.segments.flatMap((s) =>
      detectPersonalData(s.text, s.context ? { context: s.context, today: TODAY } : { today: TODAY }),
    );
    expect(found.map((m) => m.masked)).toEqual([
      `${PASSBOOK.slice(0, 4)}*********${PASSBOOK.slice(-4)}`,
      `${UNKNOWN_BIN_CARD.slice(0, 4)}***********${UNKNOWN_BIN_CARD.slice(-4)}`,
    ]);
  });

  it('an old 15-digit ID in a roster row is an ID', () => {
    expect(detect('1\t张三\t350502900101123\t男', '序号\t姓名\t身份证号\t性别')).toMatchObject([
      { type: 'id-card', form: 'old-15', masked: '350502******123' },
    ]);
  });

  it.each([
    ['an organisation account (收款单位)', `收款单位：示范区财政局，开户账号：${PASSBOOK}`],
    ['a 12-digit number in a 金额 column', `1\t张三\t123456789012`, '序号\t姓名\t金额（元）'],
    [
      'a number under 合同编号 next to an 账号 column',
      `1\t${PASSBOOK}\t甲方`,
      '序号\t合同编号\t开户账号说明',
    ],
    ['a too short account (10 digits)', `开户账号：1234567890`],
    ['an 账号 label line that is not a header', `账号：见附件\n1 张三 ${PASSBOOK} 500\n`],
  ])('not an account: %s', (_label, text, context?: string) => {
    expect(detect(text, context).filter((m) => m.type === 'bank-card')).toEqual([]);
  });
});

describe('not personal data', () => {
  it.each([
    ['准考证号', '准考证号：202035050201123'],
    ['准考证号 column', '1\t张三\t350502199001011', '序号\t姓名\t准考证号'],
    ['项目代码', '项目代码：2020-350502-47-01-012345'],
    ['统一社会信用代码 with letters', '统一社会信用代码：91350502MA2Y3K4L1X'],
    ['统一社会信用代码 of an organ (all digits)', '统一社会信用代码：11350500003456789X'],
    ['组织机构代码', '组织机构代码：00345678-9'],
    ['不动产单元号', '不动产单元号：350502001001GB00001F00010001'],
    ['an office address', '办公地址：示范区东湖街道政通路12号示范区财政局'],
    ['a company address', '住所：示范区东湖街道财富路88号金融大厦12层，示范区某某有限公司'],
    ['a building', '地址：示范区东湖路66号世纪大厦'],
    ['a village committee alone', '申请人：后洋村村民委员会，地址：西山镇后洋村委会'],
    ['an amount', '补助资金合计1,234,567.89元，人均2,345.00元'],
    ['dates and times', '发布时间：2020-03-05 09:30:00，成文日期：20200305，有效期至2025年12月31日'],
    ['索引号', '索引号：000014348/2020-35428'],
    ['公安备案号', '闽公网安备 35050202000123号'],
    ['landlines', '联系电话：0595-22345678、(0595)22345678、22345678'],
    ['a 15-digit code without personal context', '本批次 350502900101123 已归档'],
  ])('%s', (_label, text, context?: string) => {
    expect(detect(text, context)).toEqual([]);
  });
});
