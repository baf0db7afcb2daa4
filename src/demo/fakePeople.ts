/**
 * Deterministic fake residents for the demo county's attachments (rosters, 公示 lists, 征地公告).
 * Every value is made up, but shaped like the real thing: a valid 18-digit 居民身份证号 (real county
 * prefix, real birth date, ISO 7064 MOD 11-2 check digit), an 11-digit mobile number with a real
 * carrier prefix, and an address down to the house number. The same seed always gives the same people.
 */

export interface FakePerson {
  name: string;
  gender: '男' | '女';
  /** YYYY-MM-DD */
  birthDate: string;
  idCard: string;
  mobile: string;
  /** Full address down to the house number / room. */
  address: string;
  /** The address up to the village (村/社区), the part a masked roster may show. */
  addressArea: string;
  /** The rest of the address (组/号 or 小区/幢/单元/室). */
  addressDetail: string;
}

export interface FakePeopleOptions {
  /** Limit residents to one 乡镇/街道 of the demo county (see DEMO_TOWNS). */
  town?: string;
  /** Limit residents to one 村/社区 of that town. */
  village?: string;
}

/** mulberry32: a small seeded PRNG returning floats in [0, 1). */
export function createRng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export type Rng = () => number;

export function randInt(rng: Rng, min: number, max: number): number {
  return min + Math.floor(rng() * (max - min + 1));
}

export function pick<T>(rng: Rng, list: readonly T[]): T {
  const item = list[Math.floor(rng() * list.length)];
  if (item === undefined) throw new Error('pick() from an empty list');
  return item;
}

/** Real county-level administrative division codes (福建泉州, 河北邯郸). */
export const ADMIN_CODES = [
  '350502', // 鲤城区
  '350503', // 丰泽区
  '350504', // 洛江区
  '350505', // 泉港区
  '350521', // 惠安县
  '350524', // 安溪县
  '350525', // 永春县
  '350526', // 德化县
  '350581', // 石狮市
  '350582', // 晋江市
  '350583', // 南安市
  '130402', // 邯山区
  '130403', // 丛台区
  '130404', // 复兴区
  '130406', // 峰峰矿区
  '130423', // 临漳县
] as const;

/** Most residents of the (Fujian) demo county were born locally. */
const LOCAL_CODES = ADMIN_CODES.filter((c) => c.startsWith('3505'));

export const MOBILE_PREFIXES = ['138', '139', '150', '151', '158', '187', '199'] as const;

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK = '10X98765432';

/** ISO 7064 MOD 11-2 check character for the first 17 digits of a 居民身份证号. */
export function idCardCheckDigit(first17: string): string {
  if (!/^\d{17}$/.test(first17)) throw new Error(`身份证号前17位应为数字：${first17}`);
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * (ID_WEIGHTS[i] ?? 0);
  return ID_CHECK[sum % 11] ?? '';
}

const SURNAMES = [...'陈林黄吴王张李郑蔡洪许苏庄施杨刘曾谢郭傅肖卢彭柯颜'];
const MALE_CHARS = [...'建国明志伟强文华荣春金水福海振德永清辉俊炳坤添树进良宗源'];
const FEMALE_CHARS = [...'秀丽美玉兰芳淑惠珍梅英霞燕红琴雪月凤娟萍碧素桂莲'];

interface Town {
  name: string;
  /** true: addresses are 社区/小区/幢/单元/室; false: 村/组/号. */
  urban: boolean;
  villages: string[];
}

/** 乡镇街道 and 村/社区 of the fictional 示范区. */
export const DEMO_TOWNS: readonly Town[] = [
  { name: '东湖街道', urban: true, villages: ['滨江社区', '东湖社区', '田安社区', '新华社区'] },
  { name: '西山镇', urban: false, villages: ['后洋村', '石亭村', '西山村', '坑头村'] },
  { name: '南溪镇', urban: false, villages: ['前埔村', '溪尾村', '南岸村', '洋坪村'] },
  { name: '北岭乡', urban: false, villages: ['北岭村', '上坂村', '岭兜村'] },
  { name: '溪口镇', urban: false, villages: ['溪口村', '湖山村', '院前村', '下洋村'] },
];
const XIAOQU = ['滨江花园', '东湖佳苑', '田安新村', '锦绣华庭', '新华里'];

const COUNTY = '示范区';

function fakeName(rng: Rng, gender: '男' | '女'): string {
  const chars = gender === '男' ? MALE_CHARS : FEMALE_CHARS;
  const given = rng() < 0.75 ? pick(rng, chars) + pick(rng, chars) : pick(rng, chars);
  return pick(rng, SURNAMES) + given;
}

function fakeBirthDate(rng: Rng): Date {
  const year = randInt(rng, 1946, 2004);
  const start = Date.UTC(year, 0, 1);
  const days = Math.round((Date.UTC(year + 1, 0, 1) - start) / 86_400_000);
  return new Date(start + randInt(rng, 0, days - 1) * 86_400_000);
}

const pad = (n: number, width: number) => String(n).padStart(width, '0');

function fakeIdCard(rng: Rng, gender: '男' | '女', birth: Date): string {
  const region = rng() < 0.85 ? pick(rng, LOCAL_CODES) : pick(rng, ADMIN_CODES);
  const ymd = `${birth.getUTCFullYear()}${pad(birth.getUTCMonth() + 1, 2)}${pad(birth.getUTCDate(), 2)}`;
  // 顺序码: the last of its three digits is odd for men, even for women.
  let seq = randInt(rng, 1, 998);
  if ((seq % 2 === 1) !== (gender === '男')) seq += 1;
  const first17 = `${region}${ymd}${pad(seq, 3)}`;
  return first17 + idCardCheckDigit(first17);
}

function fakeMobile(rng: Rng): string {
  return pick(rng, MOBILE_PREFIXES) + pad(randInt(rng, 0, 99_999_999), 8);
}

function fakeAddress(rng: Rng, opts: FakePeopleOptions): { area: string; detail: string } {
  const town = opts.town ? DEMO_TOWNS.find((t) => t.name === opts.town) : pick(rng, DEMO_TOWNS);
  if (!town)
    throw new Error(`未知的乡镇街道：${opts.town}（可选：${DEMO_TOWNS.map((t) => t.name).join('、')}）`);
  if (opts.village && !town.villages.includes(opts.village))
    throw new Error(`${town.name}没有${opts.village}（可选：${town.villages.join('、')}）`);
  const village = opts.village ?? pick(rng, town.villages);
  const area = `${COUNTY}${town.name}${village}`;
  if (town.urban) {
    const detail = `${pick(rng, XIAOQU)}小区${randInt(rng, 1, 18)}幢${randInt(rng, 1, 3)}单元${randInt(rng, 1, 18)}0${randInt(rng, 1, 4)}室`;
    return { area, detail };
  }
  return { area, detail: `${randInt(rng, 1, 9)}组${randInt(rng, 1, 128)}号` };
}

/** One fake person drawn from `rng`. */
export function fakePerson(rng: Rng, opts: FakePeopleOptions = {}): FakePerson {
  const gender = rng() < 0.5 ? '男' : '女';
  const birth = fakeBirthDate(rng);
  const { area, detail } = fakeAddress(rng, opts);
  return {
    name: fakeName(rng, gender),
    gender,
    birthDate: `${birth.getUTCFullYear()}-${pad(birth.getUTCMonth() + 1, 2)}-${pad(birth.getUTCDate(), 2)}`,
    idCard: fakeIdCard(rng, gender, birth),
    mobile: fakeMobile(rng),
    address: area + detail,
    addressArea: area,
    addressDetail: detail,
  };
}

/** `count` distinct fake people (no repeated ID or mobile), the same for the same seed and options. */
export function fakePeople(count: number, seed: number, opts: FakePeopleOptions = {}): FakePerson[] {
  const rng = createRng(seed);
  const people: FakePerson[] = [];
  const ids = new Set<string>();
  const mobiles = new Set<string>();
  while (people.length < count) {
    const p = fakePerson(rng, opts);
    if (ids.has(p.idCard) || mobiles.has(p.mobile)) continue;
    ids.add(p.idCard);
    mobiles.add(p.mobile);
    people.push(p);
  }
  return people;
}
