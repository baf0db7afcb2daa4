/**
 * Generated, labelled corpus for the PII benchmark (bench/pii/run.ts). Every person is fake
 * (src/demo/fakePeople.ts's seeded generator plus addresses, bank cards and old IDs made up here);
 * every value is shaped like the real thing (valid check digits, real region prefixes, Luhn).
 *
 * Documents imitate what the crawler and the attachment reader hand to detectPersonalData: XLSX rows
 * with their header as context, DOCX text (one table cell per line), PDF text (cells separated by
 * spaces, numbers split by spaces or a line break), HTML page text (tab-separated cells, footers),
 * and prose (处罚决定书, 公告, 办事指南). Positives are labelled with their type; the traps the issue
 * lists are mixed in unlabelled: they must not be reported.
 */
import {
  createRng,
  fakePerson,
  idCardCheckDigit,
  pick,
  randInt,
  type FakePerson,
  type Rng,
} from '../../src/demo/fakePeople.js';
import type { PiiType } from '../../src/pii/types.js';

export interface Label {
  type: PiiType;
  start: number;
  end: number;
  insufficient: boolean;
  /** Which generator form produced it (for the per-form breakdown). */
  form: string;
}

export interface Doc {
  kind: string;
  text: string;
  /** Header row passed as detectPersonalData's context (XLSX/CSV rows). */
  context?: string;
  labels: Label[];
}

/** Appends text and remembers where each labelled value went. */
class Builder {
  text = '';
  labels: Label[] = [];
  t(s: string | number): this {
    this.text += String(s);
    return this;
  }
  p(type: PiiType, value: string, form: string, insufficient = false): this {
    const start = this.text.length;
    this.text += value;
    this.labels.push({ type, start, end: this.text.length, insufficient, form });
    return this;
  }
  doc(kind: string, context?: string): Doc {
    return context === undefined
      ? { kind, text: this.text, labels: this.labels }
      : { kind, text: this.text, context, labels: this.labels };
  }
}

// --- Values ------------------------------------------------------------------------------------

const CITIES = [
  {
    prefix: '泉州市鲤城区',
    towns: ['海滨街道', '开元街道', '江南街道'],
    roads: ['中山中路', '新华路', '庄府巷'],
  },
  {
    prefix: '邯郸市丛台区',
    towns: ['丛台西街道', '联纺东街道', '三陵乡'],
    roads: ['人民东路', '滏河北大街'],
  },
  {
    prefix: '示范区',
    towns: ['东湖街道', '西山镇', '南溪镇', '北岭乡', '溪口镇'],
    roads: ['政通路', '东湖路', '财富路'],
  },
  { prefix: '晋江市', towns: ['青阳街道', '安海镇', '磁灶镇'], roads: ['世纪大道', '梅岭路'] },
];
const VILLAGES = [
  '后洋村',
  '石亭村',
  '坑头村',
  '前埔村',
  '溪尾村',
  '上坂村',
  '湖山村',
  '院前村',
  '东山村',
  '西林村',
];
const COMMUNITIES = ['滨江社区', '东湖社区', '田安社区', '新华社区', '梅岭社区', '青阳社区'];
const XIAOQU = ['滨江花园', '东湖佳苑', '锦绣华庭', '阳光城', '碧桂园', '世茂云城', '金色家园'];

interface Address {
  full: string;
  /** Up to the village/community: the sufficiently masked form shows this + ***. */
  area: string;
  /** House-level part. */
  detail: string;
}

function fakeAddress(rng: Rng): Address {
  const city = pick(rng, CITIES);
  const town = pick(rng, city.towns);
  const style = randInt(rng, 0, 3);
  if (style === 0 || town.endsWith('镇') || town.endsWith('乡')) {
    const area = `${city.prefix}${town}${pick(rng, VILLAGES)}`;
    const detail =
      rng() < 0.7 ? `${randInt(rng, 1, 12)}组${randInt(rng, 1, 150)}号` : `${randInt(rng, 1, 260)}号`;
    return { full: area + detail, area, detail };
  }
  if (style === 1) {
    const area = `${city.prefix}${town}${pick(rng, COMMUNITIES)}`;
    const detail = `${pick(rng, XIAOQU)}小区${randInt(rng, 1, 30)}幢${randInt(rng, 1, 4)}单元${randInt(rng, 1, 32)}0${randInt(rng, 1, 4)}室`;
    return { full: area + detail, area, detail };
  }
  if (style === 2) {
    const area = `${city.prefix}${town}`;
    const detail = `${pick(rng, city.roads)}${randInt(rng, 1, 400)}号${randInt(rng, 1, 20)}栋${randInt(rng, 1, 30)}0${randInt(rng, 1, 6)}室`;
    return { full: area + detail, area, detail };
  }
  const area = `${city.prefix}${town}${pick(rng, COMMUNITIES)}`;
  const detail = `${pick(rng, city.roads)}${randInt(rng, 1, 400)}号`;
  return { full: area + detail, area, detail };
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

const CARD_BINS = [
  '622202',
  '621226',
  '622848',
  '621700',
  '622700',
  '436742',
  '622588',
  '621799',
  '623058',
  '625911',
  '528931',
  '356833',
];

function digits(rng: Rng, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += String(randInt(rng, 0, 9));
  return s;
}

function fakeCard(rng: Rng): string {
  const len = rng() < 0.6 ? 19 : 16;
  const body = pick(rng, CARD_BINS) + digits(rng, len - 7);
  return body + luhnDigit(body);
}

/** A card-shaped number with a wrong Luhn digit (order numbers, 流水号). */
function badLuhn(rng: Rng, len = 19): string {
  const body = pick(rng, CARD_BINS) + digits(rng, len - 7);
  return body + String((Number(luhnDigit(body)) + randInt(rng, 1, 9)) % 10);
}

function group4(s: string): string {
  return s.replace(/(\d{4})(?=\d)/g, '$1 ');
}

/** 15-digit number issued before 1999: the person's region and birth date, 3-digit serial. */
function oldId(p: FakePerson, rng: Rng): string {
  const y = Number(p.birthDate.slice(0, 4));
  const monthDay = p.birthDate.slice(4) === '-02-29' ? '-02-28' : p.birthDate.slice(4);
  const born = y < 1999 ? p.birthDate : `19${randInt(rng, 50, 89)}${monthDay}`;
  return p.idCard.slice(0, 6) + born.slice(2).replace(/-/g, '') + digits(rng, 3);
}

/** What Excel shows for an ID typed as a number: 15 significant digits in scientific form. */
function excelForm(id: string): string {
  const sig = id.slice(0, 15).replace(/0+$/, '');
  return `${sig[0]}.${sig.slice(1)}E+17`;
}

const maskId = (id: string) => `${id.slice(0, 6)}********${id.slice(-4)}`;
const maskMobile = (m: string) => `${m.slice(0, 3)}****${m.slice(-4)}`;
const maskCard = (c: string) => `${c.slice(0, 4)}${'*'.repeat(c.length - 8)}${c.slice(-4)}`;
const maskName = (n: string) => n[0] + '*'.repeat(n.length - 1);

/** Insufficient masks: birth date or house number still visible. */
function badMaskId(id: string, rng: Rng): string {
  switch (randInt(rng, 0, 3)) {
    case 0:
      return `${id.slice(0, 10)}****${id.slice(14)}`;
    case 1:
      return `${id.slice(0, 15)}***`;
    case 2:
      return `${id.slice(0, 4)}**${id.slice(6, 10)}****${id.slice(14)}`;
    default:
      return `${id.slice(0, 6)}******${id.slice(12)}`;
  }
}
const badMaskMobile = (m: string) => `${m.slice(0, 7)}****`;
const badMaskCard = (c: string) => `${c.slice(0, 10)}${'*'.repeat(c.length - 14)}${c.slice(-4)}`;

// --- Traps (never personal data) ---------------------------------------------------------------

/** GB 32100 統一社会信用代码 with its check character (letters included). */
function creditCode(rng: Rng, allDigits = false): string {
  const chars = '0123456789ABCDEFGHJKLMNPQRTUWXY';
  const weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
  let body = pick(rng, ['91', '11', '12', '52', '93']) + pick(rng, ['350502', '350503', '130402', '350582']);
  for (let i = 0; i < 9; i++) body += allDigits ? String(randInt(rng, 0, 9)) : chars[randInt(rng, 0, 30)];
  const sum = [...body].reduce((a, c, i) => a + chars.indexOf(c) * (weights[i] ?? 0), 0);
  const check = chars[(31 - (sum % 31)) % 31] ?? '0';
  return body + check;
}

/** An all-digit code that passes every ID check: it must still not be reported under its label. */
function idLookingCode(rng: Rng): string {
  const first17 = `${pick(rng, ['350502', '130402'])}19${randInt(rng, 50, 99)}0${randInt(rng, 1, 9)}1${randInt(rng, 0, 9)}${digits(rng, 3)}`;
  return first17 + idCardCheckDigit(first17);
}

function footer(rng: Rng, unit: string): string {
  const code = `${pick(rng, ['3505', '1304', '3500'])}${digits(rng, 6)}`;
  return (
    `主办单位：${unit}\u3000地址：示范区东湖街道${pick(rng, ['政通路', '财富路', '东湖路'])}${randInt(rng, 1, 99)}号\u3000邮编：362000\n` +
    `联系电话：0595-${digits(rng, 8)}\u3000政务服务便民热线：12345\u3000纠错热线：400-${digits(rng, 3)}-${digits(rng, 4)}\u3000${pick(rng, ['95588', '95599', '95533'])}\n` +
    `网站标识码：${code}\u3000bm${digits(rng, 8)}\u3000闽ICP备${digits(rng, 8)}号-${randInt(rng, 1, 5)}\u3000` +
    `闽公网安备 ${pick(rng, ['350502', '350503'])}${digits(rng, 8)}号\u3000公安机关备案号：${digits(rng, 11)}-${digits(rng, 5)}\n`
  );
}

function trapParagraph(rng: Rng): string {
  const year = randInt(rng, 2018, 2026);
  const parts = [
    `索引号：${digits(rng, 9)}/${year}-${digits(rng, 5)}\u3000`,
    `索引号：${creditCode(rng)}/${year}-${digits(rng, 5)}\u3000`,
    `文号：示政办〔${year}〕${randInt(rng, 1, 99)}号\u3000`,
    `发布日期：${year}${String(randInt(rng, 1, 12)).padStart(2, '0')}${String(randInt(rng, 1, 28)).padStart(2, '0')}\u3000`,
    `统一社会信用代码：${creditCode(rng)}\u3000`,
    `统一社会信用代码：${idLookingCode(rng)}\u3000`,
    `预算金额：${randInt(rng, 1000000000, 9999999999)}.00元\u3000`,
    `订单号：${badLuhn(rng)}\u3000`,
    `流水号：${badLuhn(rng, 16)}\u3000`,
    `准考证号：${pick(rng, ['350502', '130402'])}${randInt(rng, 50, 89)}0${randInt(rng, 1, 9)}1${randInt(rng, 0, 9)}${digits(rng, 3)}\u3000`,
    `注册号：${pick(rng, ['350502', '350503'])}${randInt(rng, 60, 89)}0${randInt(rng, 1, 9)}2${randInt(rng, 0, 8)}${digits(rng, 3)}\u3000`,
    `咨询电话：0595-${digits(rng, 8)}、(0595)${digits(rng, 8)}、${digits(rng, 8)}\u3000`,
    `服务热线：12345、400${digits(rng, 7)}、95${digits(rng, 3)}\u3000`,
    `时间戳：17${digits(rng, 11)}\u3000`,
  ];
  const n = randInt(rng, 3, 7);
  let out = '';
  for (let i = 0; i < n; i++) out += pick(rng, parts);
  return `${out}\n`;
}

const UNITS = [
  '示范区民政局',
  '示范区财政局',
  '示范区自然资源局',
  '示范区人力资源和社会保障局',
  '东湖街道办事处',
];

// --- Documents ---------------------------------------------------------------------------------

type MaskMode = 'none' | 'ok' | 'bad';

interface Column {
  header: string;
  cell: (b: Builder, p: Person, mode: MaskMode, rng: Rng) => void;
}

interface Person extends FakePerson {
  addr: Address;
  card: string;
}

const idCell = (b: Builder, p: Person, mode: MaskMode, rng: Rng): void => {
  if (mode === 'ok') b.t(maskId(p.idCard));
  else if (mode === 'bad') b.p('id-card', badMaskId(p.idCard, rng), 'masked-insufficient', true);
  else b.p('id-card', p.idCard, 'standard');
};
const mobileCell = (b: Builder, p: Person, mode: MaskMode): void => {
  if (mode === 'ok') b.t(maskMobile(p.mobile));
  else if (mode === 'bad') b.p('mobile', badMaskMobile(p.mobile), 'masked-insufficient', true);
  else b.p('mobile', p.mobile, 'standard');
};
const addressCell = (b: Builder, p: Person, mode: MaskMode): void => {
  if (mode === 'ok') b.t(`${p.addr.area}***`);
  else if (mode === 'bad') {
    // House number hidden but 组/幢 still visible.
    const shown = p.addr.detail.replace(/\d+(号|室)$/, '**$1');
    if (shown === p.addr.detail || !/\d/.test(shown)) b.t(`${p.addr.area}***`);
    else b.p('address', p.addr.area + shown, 'masked-insufficient', true);
  } else b.p('address', p.addr.full, 'standard');
};
const cardCell = (b: Builder, p: Person, mode: MaskMode): void => {
  if (mode === 'ok') b.t(maskCard(p.card));
  else if (mode === 'bad') b.p('bank-card', badMaskCard(p.card), 'masked-insufficient', true);
  else b.p('bank-card', p.card, 'standard');
};

const COLUMNS: Record<string, Column> = {
  序号: { header: '序号', cell: () => undefined },
  姓名: { header: '姓名', cell: (b, p, m) => b.t(m === 'none' ? p.name : maskName(p.name)) },
  性别: { header: '性别', cell: (b, p) => b.t(p.gender) },
  身份证号: { header: '身份证号', cell: idCell },
  联系电话: { header: '联系电话', cell: mobileCell },
  家庭住址: { header: '家庭住址', cell: addressCell },
  银行卡号: { header: '银行卡号', cell: cardCell },
  保障人数: { header: '保障人数', cell: (b, _p, _m, rng) => b.t(randInt(rng, 1, 5)) },
  金额: { header: '金额（元）', cell: (b, _p, _m, rng) => b.t(randInt(rng, 380, 4250)) },
};

const LAYOUTS = [
  ['序号', '姓名', '身份证号', '联系电话', '家庭住址', '保障人数', '金额'],
  ['序号', '姓名', '性别', '身份证号', '家庭住址'],
  ['序号', '姓名', '身份证号', '银行卡号', '金额'],
  ['序号', '姓名', '联系电话', '家庭住址', '金额'],
  ['序号', '姓名', '家庭住址', '保障人数'],
  ['序号', '姓名', '身份证号', '联系电话', '银行卡号', '家庭住址'],
];

function maskMode(rng: Rng): MaskMode {
  const r = rng();
  return r < 0.55 ? 'none' : r < 0.85 ? 'ok' : 'bad';
}

type Style = 'xlsx' | 'html' | 'docx' | 'pdf';

/** A roster: as XLSX rows (one doc per row, header as context) or one document of another format. */
function roster(rng: Rng, people: Person[], style: Style): Doc[] {
  const layout = (pick(rng, LAYOUTS) as string[]).map((k) => COLUMNS[k]!);
  const mode = maskMode(rng);
  const unit = pick(rng, UNITS);
  const headers = layout.map((c) => c.header);
  const title = `${unit}${randInt(rng, 2019, 2026)}年${pick(rng, ['城乡低保', '特困供养', '临时救助', '耕地地力保护补贴', '征地补偿'])}对象名单`;
  if (style === 'xlsx') {
    const docs: Doc[] = [new Builder().t(title).doc('xlsx-row')];
    const header = headers.join('\t');
    docs.push(new Builder().t(header).doc('xlsx-row', header));
    people.forEach((p, i) => {
      const b = new Builder();
      layout.forEach((c, j) => {
        if (j > 0) b.t('\t');
        if (c.header === '序号') b.t(i + 1);
        // Excel-number IDs appear in unmasked sheets typed as numbers.
        else if (c.header === '身份证号' && mode === 'none' && rng() < 0.15)
          b.p('id-card', excelForm(p.idCard), 'excel-number', true);
        else c.cell(b, p, mode, rng);
      });
      docs.push(b.doc('xlsx-row', header));
    });
    docs.push(
      new Builder()
        .t(
          `制表单位：${unit}\t联系电话：0595-${digits(rng, 8)}\t制表日期：${randInt(rng, 2019, 2026)}年${randInt(rng, 1, 12)}月${randInt(rng, 1, 28)}日`,
        )
        .doc('xlsx-row', header),
    );
    return docs;
  }
  const b = new Builder();
  const cellSep = style === 'docx' ? '\n\n' : style === 'pdf' ? ' ' : '\t';
  b.t(`${title}\n`);
  b.t(
    `根据有关规定，经审核，现将${title.replace(unit, '')}公示如下${mode === 'ok' ? '（个人信息已作去标识化处理）' : ''}：\n`,
  );
  b.t(headers.join(cellSep)).t(style === 'docx' ? '\n\n' : '\n');
  people.forEach((p, i) => {
    layout.forEach((c, j) => {
      if (j > 0) b.t(cellSep);
      if (c.header === '序号') b.t(i + 1);
      else if (style === 'pdf' && c.header === '身份证号' && mode === 'none' && rng() < 0.5) {
        // PDF text layers split long numbers: by spaces, or by a line break in a narrow column.
        const id = p.idCard;
        if (rng() < 0.5) b.p('id-card', `${id.slice(0, 6)} ${id.slice(6, 14)} ${id.slice(14)}`, 'split');
        else b.p('id-card', `${id.slice(0, 10)}\n${id.slice(10)}`, 'split');
      } else if (style === 'pdf' && c.header === '身份证号' && mode === 'none' && rng() < 0.2) {
        b.p('id-card', oldId(p, rng), 'old-15');
      } else c.cell(b, p, mode, rng);
    });
    b.t(style === 'docx' ? '\n\n' : '\n');
  });
  b.t(
    `公示期7天。如有异议，请向${unit}反映，联系电话：0595-${digits(rng, 8)}，地址：示范区东湖街道${pick(rng, ['政通路', '财富路'])}${randInt(rng, 1, 99)}号${pick(rng, ['行政服务中心三楼', '', '便民服务中心'])}。\n`,
  );
  b.t(`${unit}\n${randInt(rng, 2019, 2026)}年${randInt(rng, 1, 12)}月${randInt(rng, 1, 28)}日\n`);
  if (style === 'html') b.t(footer(rng, unit));
  return [b.doc(`${style}-roster`)];
}

/** 行政处罚决定书 / 行政许可 prose about one person. */
function decision(rng: Rng, p: Person): Doc {
  const b = new Builder();
  const unit = pick(rng, UNITS);
  b.t(
    `${unit}行政处罚决定书\n示${pick(rng, ['民', '财', '自然资'])}罚〔${randInt(rng, 2019, 2026)}〕${randInt(rng, 1, 60)}号\n`,
  );
  b.t(
    `当事人：${p.name}，${p.gender}，${p.birthDate.slice(0, 4)}年${Number(p.birthDate.slice(5, 7))}月出生，公民身份号码：`,
  );
  b.p('id-card', p.idCard, 'standard');
  if (rng() < 0.5) b.t('，住址：').p('address', p.addr.full, 'standard');
  else b.t('，住').p('address', p.addr.full, 'standard');
  b.t('，联系电话：');
  if (rng() < 0.3)
    b.p('mobile', `${p.mobile.slice(0, 3)}-${p.mobile.slice(3, 7)}-${p.mobile.slice(7)}`, 'grouped');
  else if (rng() < 0.2) b.p('mobile', `+86 ${p.mobile}`, 'country-code');
  else b.p('mobile', p.mobile, 'standard');
  b.t('。\n');
  b.t(
    `经查，当事人于${randInt(rng, 2019, 2026)}年${randInt(rng, 1, 12)}月擅自占用耕地${randInt(rng, 1, 9)}.${randInt(rng, 1, 9)}亩建设住房，违反了《中华人民共和国土地管理法》第${randInt(rng, 30, 80)}条的规定。`,
  );
  b.t(
    `以上事实有现场勘验笔录、询问笔录等证据证实。本机关依法向当事人送达了《行政处罚告知书》，当事人在法定期限内未提出陈述、申辩。\n`,
  );
  b.t(
    `根据规定，决定对当事人处以罚款人民币${randInt(rng, 1000, 50000)}元，罚款缴入示范区财政局非税收入专户，户名：示范区财政局，开户银行：中国农业银行示范区支行，账号：`,
  );
  // An organisation's account: card-shaped and Luhn-valid, still public.
  b.t(fakeCard(rng));
  b.t(
    `。\n如不服本决定，可在收到本决定书之日起六十日内向示范区人民政府申请行政复议。受理机构：示范区司法局。地址：示范区东湖街道政通路${randInt(rng, 1, 40)}号行政服务中心${randInt(rng, 2, 6)}楼。\n`,
  );
  b.t(trapParagraph(rng));
  return b.doc('decision');
}

/** 补贴发放 notice: personal cards in a list, the paying unit's account in the text. */
function subsidy(rng: Rng, people: Person[]): Doc {
  const b = new Builder();
  const unit = pick(rng, UNITS);
  b.t(
    `关于发放${randInt(rng, 2019, 2026)}年度${pick(rng, ['高龄津贴', '残疾人两项补贴', '耕地地力保护补贴'])}的公告\n`,
  );
  b.t(`资金由${unit}统一拨付。付款单位：${unit}，开户行：中国建设银行示范区支行，账号：${fakeCard(rng)}。`);
  b.t(`具体发放名单如下（补贴资金直接打入本人社保卡）：\n`);
  for (const p of people) {
    b.t(`${p.name}，社保卡号：`);
    if (rng() < 0.3) b.p('bank-card', group4(p.card), 'grouped');
    else b.p('bank-card', p.card, 'standard');
    b.t(`，金额${randInt(rng, 100, 2000)}元；\n`);
  }
  b.t(
    `如有疑问，请咨询${unit}，联系人：王科长，电话：0595-${digits(rng, 8)}，办公地址：示范区东湖街道财富路${randInt(rng, 1, 99)}号${randInt(rng, 2, 9)}楼。\n`,
  );
  b.t(footer(rng, unit));
  return b.doc('subsidy');
}

/** 政府信息公开指南 / 办事指南: office addresses, landlines, hotlines, codes — no personal data. */
function guide(rng: Rng): Doc {
  const b = new Builder();
  const unit = pick(rng, UNITS);
  b.t(`${unit}政府信息公开指南\n`);
  b.t(
    `一、受理机构：${unit}办公室。地址：示范区东湖街道政通路${randInt(rng, 1, 99)}号；邮政编码：362000；联系电话：0595-${digits(rng, 8)}；传真：0595-${digits(rng, 8)}。\n`,
  );
  b.t(
    `二、申请人可以通过当面提交、邮寄、在线申请等方式提出申请。信函寄至示范区东湖街道政通路${randInt(rng, 1, 99)}号${unit}（邮编362000）。\n`,
  );
  b.t(
    `三、办理地点：示范区行政服务中心${randInt(rng, 1, 5)}楼${randInt(rng, 1, 30)}号窗口，工作日上午8:00—12:00。政务服务便民热线：12345。\n`,
  );
  b.t(`单位名称\t办公地址\t联系电话\n`);
  for (const u of UNITS.slice(0, randInt(rng, 2, 5)))
    b.t(
      `${u}\t示范区东湖街道${pick(rng, ['政通路', '财富路', '东湖路'])}${randInt(rng, 1, 99)}号\t0595-${digits(rng, 8)}\n`,
    );
  b.t(`开户单位：${unit}\u3000开户银行：中国工商银行示范区支行\u3000账号：${fakeCard(rng)}\n`);
  b.t(trapParagraph(rng));
  b.t(trapParagraph(rng));
  b.t(footer(rng, unit));
  return b.doc('guide');
}

/** A table of codes with its header as context: the column labels, not the digits, decide. */
function codeTable(rng: Rng): Doc[] {
  const header = '序号\t单位名称\t统一社会信用代码\t准考证号\t联系电话';
  const docs: Doc[] = [];
  for (let i = 1; i <= 6; i++) {
    const row =
      `${i}\t示范区${pick(rng, ['第一', '第二', '实验'])}中学\t${rng() < 0.5 ? idLookingCode(rng) : creditCode(rng, true)}\t` +
      `${pick(rng, ['350502', '130402'])}${randInt(rng, 60, 89)}0${randInt(rng, 1, 9)}1${randInt(rng, 0, 9)}${digits(rng, 3)}\t0595-${digits(rng, 8)}`;
    docs.push(new Builder().t(row).doc('code-table', header));
  }
  return docs;
}

/**
 * Harder cases, few of them, written without tuning the detector to them: a person's address in
 * prose with no label (the name sits in running text, not a cell), a staff member's mobile beside
 * an office address, and an unlabelled 15-digit code shaped like an old ID.
 */
function hard(rng: Rng, p: Person): Doc {
  const b = new Builder();
  b.t(`${pick(rng, UNITS)}关于${randInt(rng, 2019, 2026)}年第${randInt(rng, 1, 4)}季度入户核查情况的通报\n`);
  b.t(`经入户核查，${p.name}家（`)
    .p('address', p.addr.full, 'prose-unlabelled')
    .t(`）共${randInt(rng, 1, 6)}人，`);
  b.t(`家庭人均月收入低于保障标准，符合条件。`);
  b.t(`如对核查结果有异议，请联系社会救助股，联系人：王科长，手机：`).p('mobile', p.mobile, 'staff');
  b.t(`，地址：示范区东湖街道财富路${randInt(rng, 1, 99)}号。\n`);
  // An old-ID-shaped batch code with no label at all: reported if it fits region + date (trap).
  const code = `${p.idCard.slice(0, 6)}${randInt(rng, 50, 89)}${String(randInt(rng, 1, 12)).padStart(2, '0')}${String(randInt(rng, 1, 28)).padStart(2, '0')}${digits(rng, 3)}`;
  b.t(`本批次 ${code} 已归档。\n`);
  return b.doc('hard');
}

function person(rng: Rng): Person {
  return { ...fakePerson(rng), addr: fakeAddress(rng), card: fakeCard(rng) };
}

/**
 * Generates documents until their UTF-8 size reaches `targetBytes`. The same seed always gives the
 * same corpus.
 */
export function generateCorpus(targetBytes: number, seed = 20261124): Doc[] {
  const rng = createRng(seed);
  const docs: Doc[] = [];
  let bytes = 0;
  const add = (d: Doc[]) => {
    for (const doc of d) {
      docs.push(doc);
      bytes += Buffer.byteLength(doc.text);
    }
  };
  while (bytes < targetBytes) {
    const people = Array.from({ length: randInt(rng, 3, 12) }, () => person(rng));
    const r = rng();
    if (r < 0.2) add(roster(rng, people, 'xlsx'));
    else if (r < 0.35) add(roster(rng, people, 'html'));
    else if (r < 0.45) add(roster(rng, people, 'docx'));
    else if (r < 0.55) add(roster(rng, people, 'pdf'));
    else if (r < 0.7) add([decision(rng, people[0]!)]);
    else if (r < 0.8) add([subsidy(rng, people.slice(0, 5))]);
    else if (r < 0.92) add([guide(rng)]);
    else if (r < 0.96) add([hard(rng, people[0]!)]);
    else add(codeTable(rng));
  }
  return docs;
}
