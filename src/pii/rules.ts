import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { LineCounter, parseDocument } from 'yaml';
import { z } from 'zod';
import { lineOf } from '../config/yamlFile.js';

/** Parsed rules/pii/id-card.yaml. */
export interface IdCardRules {
  verified: boolean;
  source: string;
  provinceCodes: ReadonlySet<string>;
  contextWords: readonly string[];
  negativeContextWords: readonly string[];
  /** Labels that make a number some other code (统一社会信用代码, 备案号 …), never an ID. */
  rejectContextWords: readonly string[];
  /** Extra labels that drop 15-digit old numbers (they have no check digit). */
  oldNumberRejectWords: readonly string[];
  /** Column headers (准考证号, 考生号 …) whose values are other numbers, never IDs. */
  rejectColumns: readonly string[];
  /** Identifiers that contain an ID (残疾人证号 = ID + 2 digits, 学籍号 = G + ID), named in evidence. */
  embeddingIdentifiers: readonly EmbeddingIdentifier[];
}

/** A longer identifier built around a 居民身份证号 (rules/pii/id-card.yaml `embeddingIdentifiers`). */
export interface EmbeddingIdentifier {
  /** The name shown in evidence (残疾人证号). */
  name: string;
  /** Labels or column headers that name it. */
  words: readonly string[];
  /** Letters allowed before the ID (学籍号: G, L, J). */
  prefixLetters: number;
  /** Digits after the ID (残疾人证号: 2, 残疾类别 and 等级). */
  suffixDigits: number;
}

/** A roster column of bank accounts (rules/pii/bank-card.yaml `accountColumns`). */
export interface AccountColumn {
  words: readonly string[];
  /** Card numbers carry a Luhn check digit; 一卡通 and 存折 accounts of rural banks need not. */
  luhn: boolean;
  minLength: number;
  maxLength: number;
}

/** Parsed rules/pii/mobile.yaml. */
export interface MobileRules {
  verified: boolean;
  source: string;
  prefixes: ReadonlySet<string>;
  contextWords: readonly string[];
  negativeContextWords: readonly string[];
  rejectContextWords: readonly string[];
  /** Column headers (准考证号, 学号, 编号 …) whose 11-digit values are record numbers, never mobiles. */
  rejectColumns: readonly string[];
}

/** One issuer prefix range of rules/pii/bank-card.yaml, compared on `digits` leading digits. */
export interface CardPrefix {
  from: number;
  to: number;
  digits: number;
  issuer: string;
}

/** Parsed rules/pii/bank-card.yaml. */
export interface BankCardRules {
  verified: boolean;
  source: string;
  minLength: number;
  maxLength: number;
  networks: readonly CardPrefix[];
  /** 6-digit bank BINs → issuer. */
  bins: ReadonlyMap<string, string>;
  contextWords: readonly string[];
  negativeContextWords: readonly string[];
  rejectContextWords: readonly string[];
  accountWords: readonly string[];
  organisationWords: readonly string[];
  /** Column headers / labels of personal accounts: numbers under them are cards even with unknown BINs. */
  accountColumns: readonly AccountColumn[];
}

/** Parsed rules/pii/address.yaml. */
export interface AddressRules {
  verified: boolean;
  source: string;
  areaSuffixes: readonly string[];
  houseUnits: readonly string[];
  detailUnits: readonly string[];
  chineseNumeralUnits: readonly string[];
  personalLabels: readonly string[];
  genericLabels: readonly string[];
  personalHeaders: readonly string[];
  /** Words of a column header that can hold an address; in a table row, only such columns do. */
  addressColumns: readonly string[];
  personWords: readonly string[];
  officeLabels: readonly string[];
  organisationWords: readonly string[];
  surnames: ReadonlySet<string>;
  compoundSurnames: ReadonlySet<string>;
  nameStopChars: ReadonlySet<string>;
}

/** Positions (1-based, negative = from the end) that must all be hidden. */
export interface HideRange {
  from: number;
  to: number;
}

/** How a masked form is built: keepStart chars, `hidden` output chars (default: the rest), keepEnd. */
export interface DisplayRule {
  keepStart: number;
  hidden?: number;
  keepEnd: number;
}

/** Parsed rules/pii/masking.yaml. */
export interface MaskingRules {
  source: string;
  maskChars: readonly string[];
  outputChar: string;
  idCard: {
    mustHide: HideRange;
    display: DisplayRule;
    old15: { mustHide: HideRange; display: DisplayRule };
    excel: { display: DisplayRule; lostChar: string };
  };
  mobile: { mustHide: HideRange; display: DisplayRule };
  bankCard: { mustHide: HideRange; display: DisplayRule };
  address: {
    townLevel: readonly string[];
    villageLevel: readonly string[];
    fallbackLevel: readonly string[];
    suffix: string;
  };
}

// src/pii → ../../rules works both from source (src/pii) and from the build (dist/pii, rootDir src).
const DEFAULT_DIR = fileURLToPath(new URL('../../rules/pii/', import.meta.url));

const words = z.array(z.string().min(1)).default([]);
const nonEmptyWords = z.array(z.string().min(1)).min(1);
/** Words matched against a table header cell: short, no separators or digits a cell would not hold. */
const columnWords = z
  .array(
    z
      .string()
      .min(1)
      .max(16, '表头词不超过16个字')
      .regex(/^[^\s\d：:，,。；;]+$/, '表头词不能含空白、数字或标点'),
  )
  .default([]);

const IdCardFile = z.strictObject({
  verified: z.boolean(),
  source: z.string().min(1),
  provinceCodes: z.array(z.string().regex(/^\d{2}(-\d{2})?$/, '应为两位数字或范围（如 11-15）')).min(1),
  contextWords: words,
  negativeContextWords: words,
  rejectContextWords: words,
  oldNumberRejectWords: words,
  rejectColumns: columnWords,
  embeddingIdentifiers: z
    .array(
      z
        .strictObject({
          name: z.string().min(1),
          words: nonEmptyWords,
          prefixLetters: z.number().int().min(0).max(2).default(0),
          suffixDigits: z.number().int().min(0).max(3).default(0),
        })
        .refine((e) => e.prefixLetters + e.suffixDigits > 0, '前缀字母数与后缀位数不能都为 0'),
    )
    .default([]),
});

const MobileFile = z.strictObject({
  verified: z.boolean(),
  source: z.string().min(1),
  prefixes: z.array(z.string().regex(/^\d{3}(-\d{3})?$/, '应为三位数字或范围（如 130-139）')).min(1),
  contextWords: words,
  negativeContextWords: words,
  rejectContextWords: words,
  rejectColumns: columnWords,
});

const binEntry = z.strictObject({
  bin: z.string().regex(/^\d{6}$/, '应为六位数字'),
  issuer: z.string().min(1),
});

const BankCardFile = z
  .strictObject({
    verified: z.boolean(),
    source: z.string().min(1),
    lengths: z.strictObject({ min: z.number().int().min(12), max: z.number().int().max(19) }),
    networks: z
      .array(
        z.strictObject({
          prefix: z.string().regex(/^(\d{1,6})(?:-(\d{1,6}))?$/, '应为数字前缀或等长范围（如 51-55）'),
          issuer: z.string().min(1),
        }),
      )
      .min(1),
    bins: z.array(binEntry).default([]),
    extraBins: z.array(binEntry).default([]),
    contextWords: words,
    negativeContextWords: words,
    rejectContextWords: words,
    accountWords: words,
    organisationWords: words,
    accountColumns: z
      .array(
        z.strictObject({
          words: nonEmptyWords,
          luhn: z.boolean(),
          lengths: z.strictObject({ min: z.number().int().min(10), max: z.number().int().max(24) }),
        }),
      )
      .default([]),
  })
  .superRefine((f, ctx) => {
    if (f.lengths.min > f.lengths.max)
      ctx.addIssue({ code: 'custom', path: ['lengths'], message: 'min 不能大于 max' });
    f.accountColumns.forEach((c, i) => {
      if (c.lengths.min > c.lengths.max)
        ctx.addIssue({ code: 'custom', path: ['accountColumns', i, 'lengths'], message: 'min 不能大于 max' });
    });
    f.networks.forEach((n, i) => {
      const [from = '', to = from] = n.prefix.split('-');
      if (from.length !== to.length || Number(from) > Number(to))
        ctx.addIssue({
          code: 'custom',
          path: ['networks', i, 'prefix'],
          message: '范围两端应等长且从小到大',
        });
    });
  });

const AddressFile = z.strictObject({
  verified: z.boolean(),
  source: z.string().min(1),
  areaSuffixes: nonEmptyWords,
  houseUnits: nonEmptyWords,
  detailUnits: nonEmptyWords,
  chineseNumeralUnits: words,
  personalLabels: words,
  genericLabels: words,
  personalHeaders: words,
  addressColumns: columnWords,
  personWords: words,
  officeLabels: words,
  organisationWords: words,
  surnames: z.string().default(''),
  compoundSurnames: words,
  nameStopChars: z.string().default(''),
});

const hideRange = z
  .strictObject({ from: z.number().int(), to: z.number().int() })
  .refine((r) => r.from !== 0 && r.to !== 0, '位置从 1 开始（负数表示从末尾数）');
const display = z.strictObject({
  keepStart: z.number().int().min(0),
  hidden: z.number().int().min(1).optional(),
  keepEnd: z.number().int().min(0),
});
const singleChar = z.string().length(1, '应为单个字符（UTF-16 单元）');

const MaskingFile = z.strictObject({
  source: z.string().min(1),
  maskChars: z
    .array(singleChar.refine((c) => !/[0-9A-Za-z]/.test(c), '不能是字母或数字（X 是身份证校验码）'))
    .min(1),
  outputChar: singleChar,
  'id-card': z.strictObject({
    mustHide: hideRange,
    display,
    old15: z.strictObject({ mustHide: hideRange, display }),
    excel: z.strictObject({ display, lostChar: singleChar }),
  }),
  mobile: z.strictObject({ mustHide: hideRange, display }),
  'bank-card': z.strictObject({ mustHide: hideRange, display }),
  address: z.strictObject({
    townLevel: nonEmptyWords,
    villageLevel: nonEmptyWords,
    fallbackLevel: words,
    suffix: z.string().min(1),
  }),
});

/**
 * Every file of rules/pii with its schema, so `xuncha` can validate a rules folder before a run
 * (with file, line and field) using the same schemas the detectors load with.
 */
export const PII_RULE_SCHEMAS: Readonly<Record<string, z.ZodType>> = {
  'id-card.yaml': IdCardFile,
  'mobile.yaml': MobileFile,
  'bank-card.yaml': BankCardFile,
  'address.yaml': AddressFile,
  'masking.yaml': MaskingFile,
};

/** Expands ['11-15', '21'] into {'11','12',…,'15','21'}, keeping the zero padding of the input. */
export function expandCodeRanges(items: readonly string[]): Set<string> {
  const out = new Set<string>();
  for (const item of items) {
    const [from = '', to = from] = item.split('-');
    for (let n = Number(from); n <= Number(to); n++) out.add(String(n).padStart(from.length, '0'));
  }
  return out;
}

/** Reads one YAML file and validates it; errors name the file, line and field in Chinese for the user. */
function readRuleFile<T>(file: string, schema: z.ZodType<T>): T {
  const counter = new LineCounter();
  let doc: ReturnType<typeof parseDocument>;
  try {
    doc = parseDocument(readFileSync(file, 'utf8'), { lineCounter: counter, prettyErrors: false });
  } catch (err) {
    throw new Error(`规则文件 ${file} 无法读取或不是合法的 YAML：${(err as Error).message}`, { cause: err });
  }
  const syntax = doc.errors[0];
  if (syntax)
    throw new Error(
      `规则文件 ${file} 无法读取或不是合法的 YAML：第${counter.linePos(syntax.pos[0]).line}行 ${syntax.code}`,
    );
  const result = schema.safeParse(doc.toJS());
  if (result.success) return result.data;
  const issues = result.error.issues
    .map((i) => {
      const line = lineOf(doc, counter, i.path);
      return `${line ? `第${line}行 ` : ''}${i.path.join('.') || '(根)'}：${i.message}`;
    })
    .join('；');
  throw new Error(`规则文件 ${file} 校验失败：${issues}`);
}

export function loadIdCardRules(dir: string = DEFAULT_DIR): IdCardRules {
  const raw = readRuleFile(`${dir}/id-card.yaml`, IdCardFile);
  return { ...raw, provinceCodes: expandCodeRanges(raw.provinceCodes) };
}

export function loadMobileRules(dir: string = DEFAULT_DIR): MobileRules {
  const raw = readRuleFile(`${dir}/mobile.yaml`, MobileFile);
  return { ...raw, prefixes: expandCodeRanges(raw.prefixes) };
}

export function loadBankCardRules(dir: string = DEFAULT_DIR): BankCardRules {
  const raw = readRuleFile(`${dir}/bank-card.yaml`, BankCardFile);
  const networks = raw.networks.map(({ prefix, issuer }) => {
    const [from = '', to = from] = prefix.split('-');
    return { from: Number(from), to: Number(to), digits: from.length, issuer };
  });
  return {
    verified: raw.verified,
    source: raw.source,
    minLength: raw.lengths.min,
    maxLength: raw.lengths.max,
    networks,
    bins: new Map([...raw.bins, ...raw.extraBins].map((b) => [b.bin, b.issuer])),
    contextWords: raw.contextWords,
    negativeContextWords: raw.negativeContextWords,
    rejectContextWords: raw.rejectContextWords,
    accountWords: raw.accountWords,
    organisationWords: raw.organisationWords,
    accountColumns: raw.accountColumns.map((c) => ({
      words: c.words,
      luhn: c.luhn,
      minLength: c.lengths.min,
      maxLength: c.lengths.max,
    })),
  };
}

export function loadAddressRules(dir: string = DEFAULT_DIR): AddressRules {
  const raw = readRuleFile(`${dir}/address.yaml`, AddressFile);
  return {
    ...raw,
    surnames: new Set(raw.surnames),
    compoundSurnames: new Set(raw.compoundSurnames),
    nameStopChars: new Set(raw.nameStopChars),
  };
}

export function loadMaskingRules(dir: string = DEFAULT_DIR): MaskingRules {
  const raw = readRuleFile(`${dir}/masking.yaml`, MaskingFile);
  return {
    source: raw.source,
    maskChars: raw.maskChars,
    outputChar: raw.outputChar,
    idCard: raw['id-card'],
    mobile: raw.mobile,
    bankCard: raw['bank-card'],
    address: raw.address,
  };
}

let cachedId: IdCardRules | undefined;
let cachedMobile: MobileRules | undefined;
let cachedCard: BankCardRules | undefined;
let cachedAddress: AddressRules | undefined;
let cachedMasking: MaskingRules | undefined;

/** Default rules, read once: detectors run on every page, the files never change during a run. */
export function idCardRules(): IdCardRules {
  return (cachedId ??= loadIdCardRules());
}

export function mobileRules(): MobileRules {
  return (cachedMobile ??= loadMobileRules());
}

export function bankCardRules(): BankCardRules {
  return (cachedCard ??= loadBankCardRules());
}

export function addressRules(): AddressRules {
  return (cachedAddress ??= loadAddressRules());
}

export function maskingRules(): MaskingRules {
  return (cachedMasking ??= loadMaskingRules());
}

/** 1-based positions of `range` inside a value of `length` characters, as [startIndex, endIndex). */
export function hiddenIndexes(range: HideRange, length: number): [number, number] {
  const from = range.from > 0 ? range.from - 1 : length + range.from;
  const to = range.to > 0 ? range.to : length + range.to + 1;
  return [Math.max(0, from), Math.min(length, to)];
}

/** True when every position `range` names is a mask character (after normalisation). */
export function hidesRange(value: string, range: HideRange): boolean {
  const [from, to] = hiddenIndexes(range, value.length);
  for (let i = from; i < to; i++) if (value[i] !== MASK) return false;
  return true;
}

// --- Character normalisation shared by the detectors -------------------------------------------

/** The one mask character left after {@link normalizeWidth}. */
export const MASK = '*';

// The normalisation and the span shape live in their own modules (this one holds the rule files'
// schemas and loaders); exported here too, where the detectors have always found them.
export { normalizeWidth } from './width.js';
export { rawSpan, type IdCardForm, type RawSpan } from './span.js';
