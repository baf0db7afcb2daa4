/**
 * Self-made (自制) realistic documents, built at bench time into a temporary folder and never
 * committed: rosters the way offices make them (a Word/WPS table printed to PDF with narrow,
 * wrapping cells; Excel/WPS sheets with IDs typed as numbers; DOCX tables; a 公示 web page; a scanned
 * page), each with the list of personal data it really holds (ground truth) and the look-alike
 * numbers it holds that are NOT personal data (准考证号, 项目代码, 统一社会信用代码 …). People come from
 * the project's fake-person generator (src/demo/fakePeople.ts); the seed is fixed.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as XLSX from '@e965/xlsx';
import { Document, Packer, Paragraph, Table, TableCell, TableRow, TextRun, WidthType } from 'docx';
import JSZip from 'jszip';
import {
  createRng,
  fakePeople,
  pick,
  randInt,
  type FakePerson,
  type Rng,
} from '../../src/demo/fakePeople.js';
import { closeBrowser, htmlToPdf } from '../../src/render/htmlToPdf.js';
import { cardNetwork } from '../../src/pii/bankCard.js';
import { bankCardRules } from '../../src/pii/rules.js';
import type { PiiType } from '../../src/pii/types.js';

/** One occurrence of personal data in a document. */
export interface Truth {
  type: PiiType;
  /** The value (digits only for numbers). */
  value: string;
  /** Every way the value may be written in the extracted text (Excel's 3.50502199001011E+17 …). */
  forms: string[];
  /** The form, for recall per form: '身份证号', '身份证号（Excel 数值）', '残疾人证号内的身份证号' … */
  what: string;
}

/** A look-alike that must not be reported. */
export interface Negative {
  what: string;
  value: string;
}

export type MadeFormat = 'pdf' | 'pdf-scan' | 'image' | 'xlsx' | 'xls' | 'docx' | 'html';

export interface MadeDoc {
  name: string;
  format: MadeFormat;
  file: string;
  /** How it was made, in a few words. */
  made: string;
  truths: Truth[];
  negatives: Negative[];
}

// ------------------------------------------------------------------------------------ values

function digits(rng: Rng, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += String(randInt(rng, 0, 9));
  return s;
}

function luhnDigit(body: string): string {
  let sum = 0;
  let double = true;
  for (let i = body.length - 1; i >= 0; i--) {
    let d = Number(body[i]);
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return String((10 - (sum % 10)) % 10);
}

const KNOWN_BINS = ['622848', '621700', '622202', '623058', '621799'];

/** A Luhn-valid card number; `unknownBin`: a prefix outside the project's card rules (rural 一卡通 …). */
function card(rng: Rng, unknownBin: boolean, len = 19): string {
  for (;;) {
    const prefix = unknownBin ? `6${randInt(rng, 0, 9)}${digits(rng, 4)}` : pick(rng, KNOWN_BINS);
    const body = prefix + digits(rng, len - 7);
    const full = body + luhnDigit(body);
    if (!unknownBin) return full;
    const rules = bankCardRules();
    if (!cardNetwork(full, rules) && !rules.bins.has(full.slice(0, 6))) return full;
  }
}

/** 15-digit ID issued before 1999: region, yymmdd, 3-digit serial. */
function oldId(p: FakePerson, rng: Rng): string {
  let born = p.birthDate;
  if (Number(born.slice(0, 4)) >= 1999 || born.endsWith('-02-29'))
    born = `19${randInt(rng, 40, 80)}-0${randInt(rng, 1, 9)}-1${randInt(rng, 0, 9)}`;
  return p.idCard.slice(0, 6) + born.slice(2).replace(/-/g, '') + digits(rng, 3);
}

/** What Excel keeps of an ID typed as a number: 15 significant digits, shown as 3.50502199001011E+17. */
function excelSci(id: string): string {
  const sig = id.slice(0, 15).replace(/0+$/, '');
  return `${sig[0]}.${sig.slice(1)}E+17`;
}

/** The forms an ID kept as an Excel number takes in extracted text (Excel's, and the double printed in full). */
function excelForms(id: string): string[] {
  const kept = `${id.slice(0, 15)}000`;
  return [id, excelSci(id), kept, String(Number(kept)), BigInt(Number(kept)).toString()];
}

function creditCode(rng: Rng): string {
  const chars = '0123456789ABCDEFGHJKLMNPQRTUWXY';
  const weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
  let body = pick(rng, ['91', '12', '93', '52']) + pick(rng, ['350502', '350521', '130402']);
  const allDigits = rng() < 0.4;
  for (let i = 0; i < 9; i++) body += allDigits ? String(randInt(rng, 0, 9)) : chars[randInt(rng, 0, 30)];
  const sum = [...body].reduce((a, c, i) => a + chars.indexOf(c) * (weights[i] ?? 0), 0);
  return body + (chars[(31 - (sum % 31)) % 31] ?? '0');
}

/** 组织机构代码 (GB 11714): 8 characters, a hyphen, a check character. */
function orgCode(rng: Rng): string {
  const body = digits(rng, 8);
  const w = [3, 7, 9, 10, 5, 8, 4, 2];
  const c = 11 - ([...body].reduce((a, d, i) => a + Number(d) * (w[i] ?? 0), 0) % 11);
  return `${body}-${c === 10 ? 'X' : c === 11 ? '0' : String(c)}`;
}

/** 不动产单元号: 6-digit region, 6-digit 地籍区/子区, GB + 5 digits, F + 8 digits (28 characters). */
function unitNo(rng: Rng): string {
  return `${pick(rng, ['350502', '350521'])}${digits(rng, 6)}GB${digits(rng, 5)}F${digits(rng, 8)}`;
}

/** 投资项目统一代码: YYMM-region-industry-type-serial. */
function projectCode(rng: Rng): string {
  return `${randInt(rng, 2019, 2025) - 2000}0${randInt(rng, 1, 9)}-${pick(rng, ['350502', '350521', '350583'])}-${pick(rng, ['04', '89', '48', '78'])}-0${randInt(rng, 1, 3)}-${digits(rng, 6)}`;
}

/** 准考证号 shaped like the real data: region + exam date + room + seat (15 digits: an old-ID look-alike), or 11 digits from 1. */
function examNo(rng: Rng): string {
  return rng() < 0.5
    ? `${pick(rng, ['350502', '350521'])}24${pick(rng, ['03', '06', '11'])}${pick(rng, ['16', '23', '09'])}${digits(rng, 3)}`
    : `1${randInt(rng, 3, 9)}${digits(rng, 9)}`;
}

const OFFICE_ADDRESSES = [
  '示范区东湖街道人民路88号区民政局二楼',
  '示范区行政服务中心（滨江路1号）3号窗口',
  '示范区西山镇人民政府（西山镇中山路12号）',
  '示范区溪口镇农业服务中心（溪口镇新街6号）',
];
const COMPANIES = [
  '示范区绿源农业专业合作社',
  '福建省示范区宏达建设工程有限公司',
  '示范区东湖物业管理有限公司',
];
const COMPANY_ADDRESSES = [
  '示范区工业园区兴业路18号',
  '示范区南溪镇工业集中区A2幢',
  '示范区东湖街道滨江路206号商务楼12层',
];
const VILLAGES = ['示范区西山镇后洋村', '示范区南溪镇前埔村', '示范区溪口镇湖山村', '示范区北岭乡上坂村'];

const idTruth = (id: string, what = '身份证号'): Truth => ({ type: 'id-card', value: id, forms: [id], what });
const mobileTruth = (m: string): Truth => ({ type: 'mobile', value: m, forms: [m], what: '手机号码' });
const cardTruth = (c: string, what: string): Truth => ({ type: 'bank-card', value: c, forms: [c], what });
const addressTruth = (a: string): Truth => ({ type: 'address', value: a, forms: [a], what: '家庭住址' });
const money = (rng: Rng) => `${randInt(rng, 1, 48)},${digits(rng, 3)}.${digits(rng, 2)}`;

// ------------------------------------------------------------------------------------ HTML → PDF

const WORD_STYLE = `body{font-family:"Noto Serif CJK SC",serif;font-size:10.5pt;margin:0}
h1{font-size:16pt;text-align:center;font-weight:bold}
table{border-collapse:collapse;table-layout:fixed}
td,th{border:1px solid #000;padding:1pt 3pt;word-break:break-all;vertical-align:middle;text-align:center}
p{margin:4pt 0}`;

function htmlDoc(title: string, body: string): string {
  return `<!DOCTYPE html><html><head><meta charset="utf-8"><title>${title}</title><style>${WORD_STYLE}</style></head><body>${body}</body></html>`;
}

function table(widths: number[], head: string[], rows: string[][]): string {
  const cols = widths.map((w) => `<col style="width:${w}pt">`).join('');
  return (
    `<table><colgroup>${cols}</colgroup><tr>${head.map((h) => `<th>${h}</th>`).join('')}</tr>` +
    rows.map((r) => `<tr>${r.map((c) => `<td>${c}</td>`).join('')}</tr>`).join('') +
    '</table>'
  );
}

// ------------------------------------------------------------------------------------ documents

interface Built {
  docs: MadeDoc[];
  /** Printed notes: what could not be made here (no soffice …). */
  notes: string[];
}

function which(cmd: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** A 低保/补贴 roster: 序号 姓名 性别 身份证号码 联系电话 家庭住址 开户账号 金额. */
function rosterRows(people: FakePerson[], rng: Rng, unknownShare: number) {
  const truths: Truth[] = [];
  const rows = people.map((p, i) => {
    const unknown = rng() < unknownShare;
    const c = card(rng, unknown, rng() < 0.7 ? 19 : 16);
    truths.push(
      idTruth(p.idCard),
      mobileTruth(p.mobile),
      addressTruth(p.address),
      cardTruth(c, unknown ? '银行卡号（BIN 不在规则中）' : '银行卡号'),
    );
    return [String(i + 1), p.name, p.gender, p.idCard, p.mobile, p.address, c, money(rng)];
  });
  return { rows, truths };
}

export async function buildDocs(dir: string, seed = 20261206): Promise<Built> {
  mkdirSync(dir, { recursive: true });
  const rng = createRng(seed);
  const people = fakePeople(400, seed);
  let next = 0;
  const take = (n: number) => people.slice(next, (next += n));
  const docs: MadeDoc[] = [];
  const notes: string[] = [];
  const save = (name: string, bytes: Buffer | Uint8Array) => {
    const file = join(dir, name);
    writeFileSync(file, bytes);
    return file;
  };
  const footer = `<p>联系地址：${OFFICE_ADDRESSES[0]}\u3000联系电话：0595-22381234</p><p>示范区民政局\u30002024年3月12日</p>`;

  // 1. A Word table printed to PDF: ID, mobile, card columns too narrow, numbers wrap inside cells.
  {
    const { rows, truths } = rosterRows(take(30), rng, 0.4);
    const html = htmlDoc(
      '2024年第一季度城乡低保对象名单',
      `<h1>示范区2024年第一季度城乡最低生活保障对象花名册</h1>` +
        table(
          [24, 40, 22, 62, 52, 110, 66, 44],
          ['序号', '姓名', '性别', '身份证号码', '联系电话', '家庭住址', '开户账号', '保障金额（元）'],
          rows,
        ) +
        footer,
    );
    const file = save('word-roster-wrapped.pdf', await htmlToPdf(html));
    docs.push({
      name: 'word-roster-wrapped.pdf',
      format: 'pdf',
      file,
      made: 'Word 式表格打印为 PDF，窄列内号码折行',
      truths,
      negatives: [{ what: '单位地址', value: OFFICE_ADDRESSES[0]! }],
    });
  }

  // 2. The same kind of roster, address column wrapping over 3 lines beside one-line cells (reading order interleaves).
  {
    const ps = take(24);
    const truths: Truth[] = [];
    const rows = ps.map((p, i) => {
      const c = card(rng, true);
      truths.push(idTruth(p.idCard), addressTruth(p.address), cardTruth(c, '一卡通账号（BIN 不在规则中）'));
      return [
        String(i + 1),
        p.name,
        p.idCard,
        `${p.address}`,
        c,
        VILLAGES[i % VILLAGES.length]!.slice(3),
        money(rng),
      ];
    });
    const html = htmlDoc(
      '耕地地力保护补贴发放清册',
      `<h1>2024年耕地地力保护补贴发放清册</h1>` +
        table(
          [22, 38, 70, 56, 70, 60, 50],
          ['序号', '户主姓名', '身份证号', '家庭住址', '一卡通账号', '所在村', '补贴金额'],
          rows,
        ) +
        `<p>制表单位：${OFFICE_ADDRESSES[3]}</p>`,
    );
    const file = save('wps-subsidy-interleaved.pdf', await htmlToPdf(html));
    docs.push({
      name: 'wps-subsidy-interleaved.pdf',
      format: 'pdf',
      file,
      made: 'WPS 式清册打印为 PDF，住址列折成多行与其他列交错',
      truths,
      negatives: [{ what: '单位地址', value: OFFICE_ADDRESSES[3]! }],
    });
  }

  // 3. Exam results: 准考证号 (old-ID and mobile look-alikes), 岗位代码, scores. No personal data.
  {
    const ps = take(30);
    const negatives: Negative[] = [];
    const rows = ps.map((p, i) => {
      const ex = examNo(rng);
      negatives.push({ what: '准考证号', value: ex });
      return [
        String(i + 1),
        p.name,
        ex,
        `${pick(rng, ['0101', '0203', '0305'])}`,
        `${randInt(rng, 55, 89)}.${randInt(rng, 0, 9)}`,
        i < 5 ? '进入面试' : '',
      ];
    });
    const html = htmlDoc(
      '笔试成绩公示',
      `<h1>示范区2024年事业单位公开招聘笔试成绩公示</h1>` +
        table([30, 50, 110, 50, 50, 60], ['序号', '姓名', '准考证号', '岗位代码', '笔试成绩', '备注'], rows) +
        `<p>监督电话：0595-22381234。地址：${OFFICE_ADDRESSES[1]}</p><p>2024年6月20日</p>`,
    );
    negatives.push({ what: '单位地址', value: OFFICE_ADDRESSES[1]! });
    const file = save('exam-scores.pdf', await htmlToPdf(html));
    docs.push({
      name: 'exam-scores.pdf',
      format: 'pdf',
      file,
      made: '成绩公示 PDF（准考证号，无个人信息）',
      truths: [],
      negatives,
    });
  }

  // 4. XLSX as Excel saves it: IDs typed as numbers (15 significant digits, 3.50502199001011E+17), mobiles as numbers.
  {
    const ps = take(40);
    const truths: Truth[] = [];
    const aoa: (string | number)[][] = [
      ['序号', '姓名', '身份证号码', '联系电话', '社保卡号', '发放金额（元）', '备注'],
    ];
    ps.forEach((p, i) => {
      const c = card(rng, rng() < 0.5);
      const asNumber = i % 2 === 0;
      truths.push(
        asNumber
          ? { type: 'id-card', value: p.idCard, forms: excelForms(p.idCard), what: '身份证号（Excel 数值）' }
          : idTruth(p.idCard, '身份证号（文本单元格）'),
        mobileTruth(p.mobile),
        cardTruth(c, '社保卡号'),
      );
      aoa.push([
        i + 1,
        p.name,
        asNumber ? Number(p.idCard.slice(0, 15) + '000') : p.idCard,
        Number(p.mobile),
        c,
        randInt(rng, 300, 3000),
        '',
      ]);
    });
    const ws = XLSX.utils.aoa_to_sheet(aoa);
    const wb = XLSX.utils.book_new();
    XLSX.utils.book_append_sheet(wb, ws, '发放名单');
    const raw = XLSX.write(wb, { type: 'buffer', bookType: 'xlsx' }) as Buffer;
    // Excel stores such a number in scientific form with 15 digits: write it as Excel does.
    const zip = await JSZip.loadAsync(raw);
    const sheet = 'xl/worksheets/sheet1.xml';
    const xml = await zip.file(sheet)!.async('string');
    zip.file(
      sheet,
      xml.replace(/<v>(\d{18})<\/v>/g, (_, d: string) => `<v>${excelSci(d)}</v>`),
    );
    const file = save('excel-ids-as-numbers.xlsx', await zip.generateAsync({ type: 'nodebuffer' }));
    docs.push({
      name: 'excel-ids-as-numbers.xlsx',
      format: 'xlsx',
      file,
      made: 'Excel：身份证号半数存为数值（丢失末三位），手机号为数值，社保卡号为文本',
      truths,
      negatives: [],
    });
  }

  // 5. XLSX with text cells: 合作社 rows (统一社会信用代码, company address) among persons, masked mobiles.
  {
    const ps = take(30);
    const truths: Truth[] = [];
    const negatives: Negative[] = [];
    const aoa: string[][] = [
      ['序号', '申请主体', '证件号码', '联系电话', '地址', '开户账号', '补助金额（万元）'],
    ];
    ps.forEach((p, i) => {
      if (i % 5 === 4) {
        const cc = creditCode(rng);
        const addr = pick(rng, COMPANY_ADDRESSES);
        const account = '35050' + digits(rng, 15);
        negatives.push(
          { what: '统一社会信用代码', value: cc },
          { what: '单位地址', value: addr },
          { what: '对公账户', value: account },
        );
        aoa.push([
          String(i + 1),
          pick(rng, COMPANIES),
          cc,
          '0595-2238' + digits(rng, 4),
          addr,
          account,
          `${randInt(rng, 1, 30)}.${digits(rng, 2)}`,
        ]);
        return;
      }
      const c = card(rng, rng() < 0.5);
      const masked = `${p.mobile.slice(0, 3)}****${p.mobile.slice(-4)}`;
      negatives.push({ what: '已脱敏手机号', value: masked });
      truths.push(
        idTruth(p.idCard, '身份证号（文本单元格）'),
        addressTruth(p.address),
        cardTruth(c, '银行卡号'),
      );
      aoa.push([
        String(i + 1),
        p.name,
        p.idCard,
        masked,
        p.address,
        c,
        `${randInt(rng, 0, 2)}.${digits(rng, 2)}`,
      ]);
    });
    const wb = XLSX.utils.book_new();
    XLSX.utils.book_append_sheet(wb, XLSX.utils.aoa_to_sheet(aoa), 'Sheet1');
    const file = save(
      'wps-mixed-subjects.xlsx',
      XLSX.write(wb, { type: 'buffer', bookType: 'xlsx' }) as Buffer,
    );
    docs.push({
      name: 'wps-mixed-subjects.xlsx',
      format: 'xlsx',
      file,
      made: 'WPS 表格：个人与合作社混排，手机号已脱敏',
      truths,
      negatives,
    });
  }

  // 6. XLS (BIFF8, as WPS saves for old systems): IDs as numbers and as text, 15-digit old IDs.
  {
    const ps = take(30);
    const truths: Truth[] = [];
    const aoa: (string | number)[][] = [['序号', '姓名', '身份证号', '联系电话', '家庭住址', '一卡通账号']];
    ps.forEach((p, i) => {
      const c = card(rng, true);
      let id: string | number = p.idCard;
      if (i % 3 === 0) {
        id = Number(p.idCard.slice(0, 15) + '000');
        truths.push({
          type: 'id-card',
          value: p.idCard,
          forms: excelForms(p.idCard),
          what: '身份证号（Excel 数值）',
        });
      } else if (i % 3 === 1) {
        id = oldId(p, rng);
        truths.push(idTruth(id, '15位身份证号'));
      } else truths.push(idTruth(p.idCard, '身份证号（文本单元格）'));
      truths.push(
        mobileTruth(p.mobile),
        addressTruth(p.address),
        cardTruth(c, '一卡通账号（BIN 不在规则中）'),
      );
      aoa.push([i + 1, p.name, id, p.mobile, p.address, c]);
    });
    const wb = XLSX.utils.book_new();
    XLSX.utils.book_append_sheet(wb, XLSX.utils.aoa_to_sheet(aoa), '花名册');
    const file = save('wps-old-roster.xls', XLSX.write(wb, { type: 'buffer', bookType: 'biff8' }) as Buffer);
    docs.push({
      name: 'wps-old-roster.xls',
      format: 'xls',
      file,
      made: 'XLS (BIFF8)：数值身份证号、15位旧号、未知 BIN 的一卡通账号',
      truths,
      negatives: [],
    });
  }

  // 7. DOCX table: 残疾人两项补贴 (残疾人证号 = ID + 2 digits), 一卡通账号.
  {
    const ps = take(25);
    const truths: Truth[] = [];
    const cell = (t: string) => new TableCell({ children: [new Paragraph({ children: [new TextRun(t)] })] });
    const head = ['序号', '姓名', '残疾人证号', '残疾类别', '家庭住址', '一卡通账号', '联系电话'];
    const rows = [new TableRow({ children: head.map(cell) })];
    ps.forEach((p, i) => {
      const cert = p.idCard + String(randInt(rng, 1, 7)) + String(randInt(rng, 1, 4));
      const c = card(rng, true);
      truths.push(
        idTruth(p.idCard, '残疾人证号内的身份证号'),
        addressTruth(p.address),
        cardTruth(c, '一卡通账号（BIN 不在规则中）'),
        mobileTruth(p.mobile),
      );
      rows.push(
        new TableRow({
          children: [
            String(i + 1),
            p.name,
            cert,
            pick(rng, ['肢体', '视力', '听力', '智力']),
            p.address,
            c,
            p.mobile,
          ].map(cell),
        }),
      );
    });
    const doc = new Document({
      sections: [
        {
          children: [
            new Paragraph({
              children: [new TextRun('示范区2024年困难残疾人生活补贴和重度残疾人护理补贴发放名单')],
            }),
            new Table({ rows, width: { size: 100, type: WidthType.PERCENTAGE } }),
            new Paragraph({
              children: [new TextRun(`示范区残疾人联合会（地址：${OFFICE_ADDRESSES[0]}）\u30002024年5月8日`)],
            }),
          ],
        },
      ],
    });
    const file = save('disability-subsidy.docx', await Packer.toBuffer(doc));
    docs.push({
      name: 'disability-subsidy.docx',
      format: 'docx',
      file,
      made: 'DOCX 表格：残疾人证号（身份证号+2位）、一卡通账号',
      truths,
      negatives: [{ what: '单位地址', value: OFFICE_ADDRESSES[0]! }],
    });
  }

  // 8. DOCX 项目公示: codes that are not personal data.
  {
    const negatives: Negative[] = [];
    const cell = (t: string) => new TableCell({ children: [new Paragraph({ children: [new TextRun(t)] })] });
    const head = [
      '项目名称',
      '项目代码',
      '建设单位',
      '统一社会信用代码',
      '组织机构代码',
      '不动产单元号',
      '建设地点',
      '单位地址',
      '总投资（万元）',
      '批复日期',
    ];
    const rows = [new TableRow({ children: head.map(cell) })];
    for (let i = 0; i < 20; i++) {
      const v = {
        pc: projectCode(rng),
        cc: creditCode(rng),
        oc: orgCode(rng),
        un: unitNo(rng),
        village: pick(rng, VILLAGES),
        addr: pick(rng, COMPANY_ADDRESSES),
      };
      negatives.push(
        { what: '项目代码', value: v.pc },
        { what: '统一社会信用代码', value: v.cc },
        { what: '组织机构代码', value: v.oc },
        { what: '不动产单元号', value: v.un },
        { what: '村名', value: v.village },
        { what: '单位地址', value: v.addr },
      );
      rows.push(
        new TableRow({
          children: [
            `${v.village.slice(3)}农村道路提升工程（${i + 1}期）`,
            v.pc,
            pick(rng, COMPANIES),
            v.cc,
            v.oc,
            v.un,
            v.village,
            v.addr,
            `${randInt(rng, 100, 99999)}.${digits(rng, 2)}`,
            `2024年${randInt(rng, 1, 12)}月${randInt(rng, 1, 28)}日`,
          ].map(cell),
        }),
      );
    }
    const doc = new Document({
      sections: [{ children: [new Paragraph('2024年度政府投资项目批复情况公示'), new Table({ rows })] }],
    });
    const file = save('project-approvals.docx', await Packer.toBuffer(doc));
    docs.push({
      name: 'project-approvals.docx',
      format: 'docx',
      file,
      made: 'DOCX 项目公示：项目代码、统一社会信用代码、组织机构代码、不动产单元号、村名、单位地址、金额、日期（无个人信息）',
      truths: [],
      negatives,
    });
  }

  // 9. A 公示 web page: IDs unmasked, mobiles masked right, an office address and amounts.
  {
    const ps = take(20);
    const truths: Truth[] = [];
    const negatives: Negative[] = [];
    const rows = ps.map((p, i) => {
      const masked = `${p.mobile.slice(0, 3)}****${p.mobile.slice(-4)}`;
      negatives.push({ what: '已脱敏手机号', value: masked });
      truths.push(idTruth(p.idCard), addressTruth(p.address));
      return [
        String(i + 1),
        p.name,
        p.idCard,
        masked,
        p.address,
        `${randInt(rng, 1000, 20000)}.00`,
        `2024-0${randInt(rng, 1, 9)}-1${randInt(rng, 0, 9)}`,
      ];
    });
    const html = htmlDoc(
      '2024年临时救助对象公示',
      `<div class="xxgk"><p>索引号：11350502MB0000000X/2024-01234\u3000发布机构：示范区民政局\u3000发布日期：2024-04-02</p></div><h1>2024年第一季度临时救助对象公示</h1>` +
        table(
          [30, 50, 140, 80, 160, 60, 70],
          ['序号', '姓名', '身份证号', '联系电话', '家庭住址', '救助金额', '审批日期'],
          rows,
        ) +
        `<p>公示期间如有异议，请向示范区民政局反映（地址：${OFFICE_ADDRESSES[0]}，电话：0595-22381234）。</p>`,
    );
    negatives.push({ what: '单位地址', value: OFFICE_ADDRESSES[0]! });
    const file = save('relief-notice.html', Buffer.from(html));
    docs.push({
      name: 'relief-notice.html',
      format: 'html',
      file,
      made: '公示网页：身份证号未脱敏，手机号已脱敏',
      truths,
      negatives,
    });
  }

  // 10. A scanned page: the roster printed, scanned to an image, the image made into a PDF (no text layer).
  if (which('pdftoppm')) {
    const { rows, truths } = rosterRows(take(12), rng, 0.5);
    const html = htmlDoc(
      '扫描件',
      `<h1 style="font-size:20pt">危房改造补助对象名单</h1>` +
        table(
          [24, 48, 24, 120, 80, 150, 130, 50],
          ['序号', '姓名', '性别', '身份证号码', '联系电话', '家庭住址', '开户账号', '金额'],
          rows,
        ).replace(/10\.5pt/, '12pt'),
    );
    const pdf = save('scan-source.tmp', await htmlToPdf(html));
    execFileSync('pdftoppm', [
      '-r',
      '200',
      '-png',
      '-f',
      '1',
      '-l',
      '1',
      '-singlefile',
      pdf,
      join(dir, 'scan-page'),
    ]);
    const png = readFileSync(join(dir, 'scan-page.png'));
    const imagePdf = await htmlToPdf(
      `<!DOCTYPE html><html><body style="margin:0"><img src="data:image/png;base64,${png.toString('base64')}" style="width:99%;display:block"></body></html>`,
      { margin: { top: '0', right: '0', bottom: '0', left: '0' } },
    );
    const file = save('scanned-roster.pdf', imagePdf);
    docs.push({
      name: 'scanned-roster.pdf',
      format: 'pdf-scan',
      file,
      made: '扫描件：名单打印后扫描成图片再存为 PDF（无文字层，需 OCR）',
      truths,
      negatives: [],
    });
    const pngFile = join(dir, 'scanned-roster.png');
    writeFileSync(pngFile, png);
    docs.push({
      name: 'scanned-roster.png',
      format: 'image',
      file: pngFile,
      made: '同一扫描页的 PNG 图片',
      truths: truths.map((t) => ({ ...t })),
      negatives: [],
    });
    for (const f of ['scan-source.tmp', 'scan-page.png']) rmSync(join(dir, f), { force: true });
  } else notes.push('pdftoppm 不可用：未生成扫描件');
  if (!which('soffice')) notes.push('soffice（LibreOffice）不可用：未生成 LibreOffice 导出的 PDF');
  await closeBrowser();
  return { docs, notes };
}

/** A dense roster for throughput: `rows` people as XLSX text cells. */
export function denseRosterXlsx(rows: number, seed = 7): Buffer {
  const rng = createRng(seed);
  const aoa: string[][] = [['序号', '姓名', '身份证号码', '联系电话', '家庭住址', '开户账号', '金额']];
  for (const [i, p] of fakePeople(rows, seed).entries())
    aoa.push([String(i + 1), p.name, p.idCard, p.mobile, p.address, card(rng, false), money(rng)]);
  const wb = XLSX.utils.book_new();
  XLSX.utils.book_append_sheet(wb, XLSX.utils.aoa_to_sheet(aoa), '名单');
  return XLSX.write(wb, { type: 'buffer', bookType: 'xlsx' }) as Buffer;
}

/** 1,000 small files of the kinds a 先审后发 folder holds: text, web pages, DOCX, XLSX. */
export async function smallFiles(dir: string, count = 1000, seed = 11): Promise<Truth[]> {
  mkdirSync(dir, { recursive: true });
  const rng = createRng(seed);
  const people = fakePeople(count, seed);
  const truths: Truth[] = [];
  for (let i = 0; i < count; i++) {
    const p = people[i]!;
    const line = `${p.name}，身份证号${p.idCard}，电话${p.mobile}。`;
    const plain = `关于${p.name}同志的公示\n经研究，现予公示。联系电话：0595-22381234。`;
    const text = i % 4 === 0 ? line : plain;
    if (i % 4 === 0) truths.push(idTruth(p.idCard), mobileTruth(p.mobile));
    const kind = i % 10;
    const name = join(dir, `f${String(i).padStart(4, '0')}`);
    if (kind < 4) writeFileSync(`${name}.txt`, text);
    else if (kind < 7)
      writeFileSync(
        `${name}.html`,
        `<html><head><meta charset="utf-8"><title>公示</title></head><body><p>${text}</p></body></html>`,
      );
    else if (kind < 9) {
      const doc = new Document({ sections: [{ children: [new Paragraph(text)] }] });
      writeFileSync(`${name}.docx`, await Packer.toBuffer(doc));
    } else {
      const wb = XLSX.utils.book_new();
      XLSX.utils.book_append_sheet(
        wb,
        XLSX.utils.aoa_to_sheet([['内容'], [text], [String(randInt(rng, 1, 9))]]),
        'Sheet1',
      );
      writeFileSync(`${name}.xlsx`, XLSX.write(wb, { type: 'buffer', bookType: 'xlsx' }) as Buffer);
    }
  }
  return truths;
}
