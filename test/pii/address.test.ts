import { describe, expect, it } from 'vitest';
import { findAddresses } from '../../src/pii/address.js';
import { addressKeepEnd } from '../../src/pii/addressArea.js';
import { detectPersonalData } from '../../src/pii/detect.js';
import { maskAddress, maskText } from '../../src/pii/mask.js';
import { loadAddressRules, loadMaskingRules } from '../../src/pii/rules.js';

const URBAN = '示范区东湖街道滨江社区8幢2单元301室';
const RURAL = '西山镇后洋村3组12号';
const ID = '11010519491231002X'; // GB 11643's own example number

const found = (text: string, context?: string) =>
  findAddresses(text, context === undefined ? {} : { context }).map((s) => text.slice(s.start, s.end));

describe('findAddresses: a person’s address down to the house', () => {
  it.each([
    ['家庭住址 label', `家庭住址：${URBAN}`, URBAN],
    ['住址 label', `住址：${RURAL}`, RURAL],
    ['现住址 label', `现住址:${RURAL}。`, RURAL],
    ['户籍地址 label', `户籍地址 ${URBAN}`, URBAN],
    ['住 in prose after a name', `当事人陈建国，男，住${RURAL}。`, RURAL],
    ['a person’s 住所 in a decision', `当事人：陈建国，男，住所：${RURAL}。`, RURAL],
    ['家住 in prose', `户主林秀英家住${RURAL}，家庭人口3人。`, RURAL],
    ['roster row with a name cell', `1\t陈建国\t${RURAL}\t3`, RURAL],
    ['roster row with an ID', `1\t陈**\t${ID}\t${URBAN}`, URBAN],
    ['roster row with a masked mobile', `2\t138****5678\t${URBAN}`, URBAN],
    ['PDF row (space-separated) with a name', `3 黄美玲 ${RURAL} 2`, RURAL],
    ['DOCX cells on separate lines', `1\n\n陈建国\n\n${ID}\n\n${RURAL}\n\n2.3`, RURAL],
    ['road and number', `住址：泉州市鲤城区中山中路128号`, '泉州市鲤城区中山中路128号'],
    [
      '小区 with 栋 and 室',
      `住址：晋江市青阳街道梅岭社区世纪大道12号3栋1202室`,
      '晋江市青阳街道梅岭社区世纪大道12号3栋1202室',
    ],
    [
      'hyphenated house number',
      `住址：示范区东湖街道滨江社区滨江花园3-2-301室`,
      '示范区东湖街道滨江社区滨江花园3-2-301室',
    ],
    ['Chinese numerals for the group', `住址：西山镇后洋村三组`, '西山镇后洋村三组'],
    ['full-width digits', `住址：西山镇后洋村３组１２号`, '西山镇后洋村３组１２号'],
  ])('%s', (_label, text, address) => {
    expect(found(text)).toEqual([address]);
  });

  it('counts a 家庭住址 column header for its column only', () => {
    const header = '序号\t姓名\t家庭住址';
    expect(found(`1\t示范区财政局\t${RURAL}`, header)).toEqual([RURAL]);
    expect(found(`1\t${RURAL}\t示范区财政局`, '序号\t办公地址\t单位')).toEqual([]);
  });

  it('reports masked addresses that still show a house-level number as insufficient', () => {
    for (const value of [
      '西山镇后洋村3组**号',
      '示范区东湖街道滨江社区8幢***',
      '示范区东湖街道滨江社区8幢2单元***室',
    ]) {
      expect(findAddresses(`家庭住址：${value}`), value).toMatchObject([{ start: 5, insufficient: true }]);
    }
  });
});

describe('findAddresses: not personal, or sufficiently masked', () => {
  it.each([
    ['stops at the village', `家庭住址：西山镇后洋村***`],
    ['stops at the community', `1\t陈建国\t示范区东湖街道滨江社区***`],
    ['every house-level number hidden', `家庭住址：西山镇后洋村**组**号`],
    ['village only', `户主陈建国，西山镇后洋村`],
    [
      'office address next to an organisation',
      '主办单位：示范区人民政府\u3000地址：示范区东湖街道政通路1号\u3000邮编：362000',
    ],
    [
      'office address on the line after 主办单位',
      '主办单位：国家金融监督管理总局\n地址：北京市西城区金融大街甲15号\n邮政编码：100033',
    ],
    ['办公地址 label', '办公地址：示范区东湖街道政通路1号；邮政编码：362000'],
    ['受理机构 sentence', '受理机构：示范区财政局办公室。地址：示范区东湖街道财富路18号；邮政编码：362000'],
    ['address inside a service centre', '办理地点：示范区行政服务中心3楼12号窗口'],
    ['government building', '地址：人民路1号政务大楼，联系电话：0595-22581234'],
    ['service centre after the number', '地址：示范区东湖街道政通路1号行政服务中心五楼'],
    ['letters sent to an office', '信函寄至示范区东湖街道政通路1号区住建局城建股（邮编362000）'],
    [
      'staff contact with a mobile beside an office address',
      '联系人：王科长，手机：13812345678，地址：示范区东湖街道财富路18号。',
    ],
    ['window in brackets', '东湖街道便民服务中心社会救助窗口（东湖路66号一楼），工作日上午8:00'],
    [
      'land notice: group numbers of a village, no person',
      '一、征收范围：西山镇后洋村3组、5组，具体范围以勘测定界图为准。',
    ],
    ['文号', '示政办〔2026〕12号'],
    ['国务院令', '以国务院令第649号公布'],
    ['ordinal group', '本村第3组'],
    ['ICP 备案号', '闽ICP备05012345号'],
    ['公安备案号', '闽公网安备 35050202000123号'],
    [
      'a company’s 住所 in a decision',
      '当事人：示范区某某建材有限公司，住所：示范区东湖街道财富路18号，法定代表人：陈建国。',
    ],
    [
      'a roster of office addresses with no person',
      '单位名称\t办公地址\t联系电话\n示范区民政局\t示范区东湖街道政通路1号\t0595-22583366',
    ],
    [
      'a truncated label fragment is not a name',
      `${'网'.repeat(80)}联系方式\n归档数据\n主办单位：总局\n地址：北京市西城区金融大街甲15号`,
    ],
  ])('%s', (_label, text) => {
    expect(findAddresses(text)).toEqual([]);
  });
});

describe('address masking', () => {
  const levels = loadMaskingRules().address;

  it.each([
    [URBAN, '示范区东湖街道滨江社区***'],
    [RURAL, '西山镇后洋村***'],
    ['示范区东湖街道田安社区田安新村小区4幢2单元1804室', '示范区东湖街道田安社区***'],
    ['示范区东湖街道政通路1号', '示范区东湖街道***'],
    ['泉州市鲤城区中山中路128号', '泉州市鲤城区***'],
    ['中山中路128号', '***'],
    ['西山镇后洋村3组**号', '西山镇后洋村***'],
    ['西山镇后洋村３组１２号', '西山镇后洋村***'],
  ])('%s → %s', (raw, masked) => {
    expect(maskAddress(raw)).toBe(masked);
  });

  it('keeps up to the first village after the town, else the last town, else the county', () => {
    expect(addressKeepEnd('村头镇后洋村', levels)).toBe(6);
    expect(addressKeepEnd('示范区东湖街道', levels)).toBe(7);
    expect(addressKeepEnd('泉州市鲤城区', levels)).toBe(6);
    expect(addressKeepEnd('人民路', levels)).toBe(0);
  });

  it('maskText masks personal addresses and leaves office addresses alone', () => {
    expect(maskText(`申请人陈建国，家庭住址：${URBAN}，电话0595-22581234`)).toBe(
      '申请人陈建国，家庭住址：示范区东湖街道滨江社区***，电话0595-22581234',
    );
    const office = '主办单位：示范区人民政府\u3000地址：示范区东湖街道政通路1号';
    expect(maskText(office)).toBe(office);
  });

  it('detectPersonalData returns type address with the masked area only', () => {
    const result = detectPersonalData(`1\t陈建国\t${ID}\t${RURAL}`);
    expect(result.map((m) => [m.type, m.masked])).toEqual([
      ['id-card', '110105********002X'],
      ['address', '西山镇后洋村***'],
    ]);
    expect(JSON.stringify(result)).not.toContain('3组12号');
  });

  it('loads its word lists from rules/pii/address.yaml', () => {
    const rules = loadAddressRules();
    expect(rules.houseUnits).toEqual(expect.arrayContaining(['号', '室', '幢', '栋', '单元', '组']));
    expect(rules.personalLabels).toContain('家庭住址');
    expect(rules.officeLabels).toContain('办公地址');
    expect(rules.surnames.has('陈')).toBe(true);
  });
});
