import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { detectPersonalData } from '../../src/pii/detect.js';
import { idCheckChar } from '../../src/pii/idCard.js';
import { loadAddressRules, loadIdCardRules, loadMobileRules } from '../../src/pii/rules.js';
import type { PiiMatch } from '../../src/pii/types.js';

// Column headers decide what a number in a table row is: an 11-digit 准考证号 is not a mobile, an
// 18-character exam number that happens to pass the ID checks is not an ID, and a 村名 or amount
// cell beside a 组 is not an address. Cells (tabs) bound every value.

const TODAY = new Date(2026, 10, 24);
const detect = (text: string, context?: string): PiiMatch[] =>
  detectPersonalData(text, context === undefined ? { today: TODAY } : { context, today: TODAY });
const types = (ms: PiiMatch[]) => ms.map((m) => m.type);

/** 11 digits from a mobile prefix: the shape of many 准考证号 (exam-scores.pdf of bench/real). */
const EXAM_11 = '13453190169';
/** A valid-looking ID (region, date, check character): an exam number can have this shape too. */
const ID = ((first17: string) => first17 + idCheckChar(first17))('35050219900101123');

describe('mobiles: record-number columns (mobile.yaml rejectColumns)', () => {
  it.each(['准考证号', '考生号', '考号', '学号', '工号', '编号', '证书编号'])(
    'an 11-digit value under %s (header as context) is not a mobile',
    (column) => {
      expect(detect(`1\t刘雪莲\t${EXAM_11}\t84.2`, `序号\t姓名\t${column}\t笔试成绩`)).toEqual([]);
    },
  );

  it('nor under such a header row inside the text (tab cells of a page, space cells of a PDF)', () => {
    expect(detect(`序号\t姓名\t准考证号\t笔试成绩\n1\t刘雪莲\t${EXAM_11}\t84.2\n`)).toEqual([]);
    expect(detect(`序号 姓名 准考证号 笔试成绩\n1 刘雪莲 ${EXAM_11} 84.2\n`)).toEqual([]);
  });

  it('nor right after a 准考证号 label', () => {
    expect(detect(`考生刘雪莲，准考证号：${EXAM_11}，笔试成绩84.2分。`)).toEqual([]);
  });

  it('still a mobile in a phone column of the same table, or under a header naming a phone too', () => {
    const ctx = '序号\t姓名\t准考证号\t联系电话';
    expect(types(detect(`1\t刘雪莲\t${EXAM_11}\t13812345678`, ctx))).toEqual(['mobile']);
    expect(detect(`1\t刘雪莲\t13812345678`, '序号\t姓名\t准考证号/手机号')).toHaveLength(1);
    expect(types(detect('序号\t姓名\t联系电话\n1\t刘雪莲\t13812345678\n'))).toEqual(['mobile']);
  });

  it('a phone label closer than a record label keeps the mobile (工号：1023 手机：…)', () => {
    expect(types(detect('工号：1023 手机：13812345678'))).toEqual(['mobile']);
  });
});

describe('IDs: exam-number columns (id-card.yaml rejectColumns)', () => {
  it('an 18-character exam number passing every ID check is not an ID under 准考证号', () => {
    expect(detect(`1\t张三\t${ID}\t76.5`, '序号\t姓名\t准考证号\t成绩')).toEqual([]);
    expect(detect(`1\t张三\t${ID}\t76.5`, '序号\t姓名\t考生号\t成绩')).toEqual([]);
  });

  it('also with the header row in the text (no context given)', () => {
    expect(detect(`序号\t姓名\t准考证号\t成绩\n1\t张三\t${ID}\t76.5\n`)).toEqual([]);
    expect(detect(`序号 姓名 学号 成绩\n1 张三 ${ID} 76.5\n`)).toEqual([]);
  });

  it('still an ID under an ID column, a header naming both, or on the row under a 准考证号 header', () => {
    expect(types(detect(`1\t张三\t${ID}\t76.5`, '序号\t姓名\t身份证号\t成绩'))).toEqual(['id-card']);
    expect(types(detect(`1\t张三\t${ID}`, '序号\t姓名\t准考证号/身份证号'))).toEqual(['id-card']);
    expect(types(detect(`序号\t姓名\t身份证号\t准考证号\n1\t张三\t${ID}\t${EXAM_11}\n`))).toEqual([
      'id-card',
    ]);
  });
});

describe('addresses: cells and address columns', () => {
  const header = '序号\t户主姓名\t身份证号\t家庭住址\t发放项目\t补贴金额';

  it('never joins cells: 村名, 组 and an amount in separate cells are no address', () => {
    expect(types(detect(`1\t陈建国\t${ID}\t后洋村\t3组\t1,200.00`, header))).toEqual(['id-card']);
    expect(types(detect(`1 陈建国 ${ID} 西山镇后洋村 3组 1,200.00`))).toEqual(['id-card']);
  });

  it('in a table row, only an address-like column holds an address', () => {
    const row = (address: string, other: string) => `1\t陈建国\t${ID}\t${address}\t${other}\t1,200.00`;
    // The home address is reported; a 村+组 text in the 发放项目 column is not.
    expect(
      detect(row('西山镇后洋村3组12号', '西山镇后洋村3组道路补助'), header).map((m) => m.masked),
    ).toEqual(['350502********' + ID.slice(14), '西山镇后洋村***']);
    expect(types(detect(row('', '西山镇后洋村3组12号'), header))).toEqual(['id-card']);
    // The same with the header row in the text.
    expect(types(detect(`${header}\n${row('', '西山镇后洋村3组12号')}\n`))).toEqual(['id-card']);
  });

  it('a personal label inside the cell still counts in any column; columns like 所在村组 hold addresses', () => {
    const row = `1\t陈建国\t${ID}\t\t住址：西山镇后洋村3组12号\t1,200.00`;
    expect(types(detect(row, header))).toEqual(['id-card', 'address']);
    const villages = '序号\t户主姓名\t身份证号\t所在村组\t补贴金额';
    expect(types(detect(`1\t陈建国\t${ID}\t西山镇后洋村3组12号\t1,200.00`, villages))).toEqual([
      'id-card',
      'address',
    ]);
  });
});

describe('column rules are validated (file, line, field)', () => {
  function rulesWith(file: string, text: string): string {
    const dir = mkdtempSync(join(tmpdir(), 'xuncha-pii-columns-'));
    cpSync('rules/pii', dir, { recursive: true });
    writeFileSync(join(dir, file), text);
    return dir;
  }

  it('the shipped lists load', () => {
    expect(loadMobileRules().rejectColumns).toContain('准考证号');
    expect(loadIdCardRules().rejectColumns).toContain('准考证号');
    expect(loadIdCardRules().rejectColumns).not.toContain('编号');
    expect(loadAddressRules().addressColumns).toContain('址');
  });

  it.each([
    [
      'mobile.yaml',
      'rejectColumns: [准考证号,',
      'rejectColumns: [准考证 号,',
      /rejectColumns\.0：表头词不能含空白/,
    ],
    [
      'id-card.yaml',
      'rejectColumns: [准考证号,',
      'rejectColumns: [准考证号2,',
      /rejectColumns\.0：表头词不能含空白、数字/,
    ],
    ['address.yaml', 'addressColumns: [址,', 'addressColumns: [{ a: 1 },', /addressColumns\.0：/],
  ])('%s: a bad entry is reported at its line', (file, from, to, message) => {
    const text = readFileSync(`rules/pii/${file}`, 'utf8').replace(from, to);
    const line = text.split('\n').findIndex((l) => l.includes(to)) + 1;
    const load = {
      'mobile.yaml': loadMobileRules,
      'id-card.yaml': loadIdCardRules,
      'address.yaml': loadAddressRules,
    }[file]!;
    expect(() => load(rulesWith(file, text))).toThrow(
      new RegExp(`${file.replace('.', '\\.')} 校验失败：第${line}行`),
    );
    expect(() => load(rulesWith(file, text))).toThrow(message);
  });
});
