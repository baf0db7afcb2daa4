import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { z } from 'zod';

/** Parsed rules/pii/id-card.yaml. */
export interface IdCardRules {
  verified: boolean;
  source: string;
  provinceCodes: ReadonlySet<string>;
  contextWords: readonly string[];
  negativeContextWords: readonly string[];
}

/** Parsed rules/pii/mobile.yaml. */
export interface MobileRules {
  verified: boolean;
  source: string;
  prefixes: ReadonlySet<string>;
  contextWords: readonly string[];
  negativeContextWords: readonly string[];
  rejectContextWords: readonly string[];
}

// src/pii → ../../rules works both from source (src/pii) and from the build (dist/pii, rootDir src).
const DEFAULT_DIR = fileURLToPath(new URL('../../rules/pii/', import.meta.url));

const words = z.array(z.string().min(1)).default([]);

const IdCardFile = z.strictObject({
  verified: z.boolean(),
  source: z.string().min(1),
  provinceCodes: z.array(z.string().regex(/^\d{2}(-\d{2})?$/, '应为两位数字或范围（如 11-15）')).min(1),
  contextWords: words,
  negativeContextWords: words,
});

const MobileFile = z.strictObject({
  verified: z.boolean(),
  source: z.string().min(1),
  prefixes: z.array(z.string().regex(/^\d{3}(-\d{3})?$/, '应为三位数字或范围（如 130-139）')).min(1),
  contextWords: words,
  negativeContextWords: words,
  rejectContextWords: words,
});

/** Expands ['11-15', '21'] into {'11','12',…,'15','21'}, keeping the zero padding of the input. */
export function expandCodeRanges(items: readonly string[]): Set<string> {
  const out = new Set<string>();
  for (const item of items) {
    const [from = '', to = from] = item.split('-');
    for (let n = Number(from); n <= Number(to); n++) out.add(String(n).padStart(from.length, '0'));
  }
  return out;
}

/** Reads one YAML file and validates it; errors name the file and field in Chinese for the user. */
function readRuleFile<T>(file: string, schema: z.ZodType<T>): T {
  let data: unknown;
  try {
    data = parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new Error(`规则文件 ${file} 无法读取或不是合法的 YAML：${(err as Error).message}`, { cause: err });
  }
  const result = schema.safeParse(data);
  if (result.success) return result.data;
  const issues = result.error.issues.map((i) => `${i.path.join('.') || '(根)'}：${i.message}`).join('；');
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

let cachedId: IdCardRules | undefined;
let cachedMobile: MobileRules | undefined;

/** Default rules, read once: detectors run on every page, the files never change during a run. */
export function idCardRules(): IdCardRules {
  return (cachedId ??= loadIdCardRules());
}

export function mobileRules(): MobileRules {
  return (cachedMobile ??= loadMobileRules());
}

// --- Character normalisation shared by the detectors -------------------------------------------

/** The one mask character left after {@link normalizeWidth}. */
export const MASK = '*';

const WIDTH_MAP: Readonly<Record<string, string>> = {
  '＊': MASK,
  '×': MASK,
  Ｘ: 'X',
  ｘ: 'x',
  '＋': '+',
  '－': '-',
  '‐': '-',
  '‑': '-',
  '‒': '-',
  '–': '-',
  '\u3000': ' ',
};

/**
 * Maps full-width digits, full-width X, mask look-alikes and dash variants to ASCII. Every mapping is
 * one UTF-16 unit to one, so offsets found in the result are valid in the original text.
 */
export function normalizeWidth(text: string): string {
  return text.replace(/[０-９＊×Ｘｘ＋－‐‑‒–\u3000]/g, (ch) => {
    const code = ch.charCodeAt(0);
    if (code >= 0xff10 && code <= 0xff19) return String.fromCharCode(code - 0xff10 + 48);
    return WIDTH_MAP[ch] ?? ch;
  });
}

/** A raw hit of one detector; the value itself stays in the scanned text. */
export interface RawSpan {
  start: number;
  end: number;
  /** Partly masked, but the masked part leaves too much visible. */
  insufficient: boolean;
  /** Detector's own confidence before context words are considered. */
  baseConfidence: number;
}
