/**
 * Column headers of CSV files and worksheets. Offices name their columns in Chinese and each in its
 * own way, so every key has the names people actually use; English keys keep working.
 */

export type SeedKey =
  'id' | 'name' | 'level' | 'parent' | 'start' | 'catalogues' | 'hosts' | 'paths' | 'disclosure' | 'contact';

/** What a key is called in messages and in `xuncha seeds check`. */
export const KEY_LABELS: Record<SeedKey, string> = {
  id: '单位标识',
  name: '单位名称',
  level: '单位级别',
  parent: '上级单位',
  start: '起始网址',
  catalogues: '标准目录',
  hosts: '其他主机',
  paths: '栏目路径',
  disclosure: '公开专栏',
  contact: '联系方式',
};

/** Accepted headers, compared after normaliseHeader. The first one is the English key itself. */
export const HEADER_ALIASES: Record<SeedKey, string[]> = {
  id: ['id', '标识', '编号', '单位标识', '单位编号'],
  name: ['name', '单位名称', '名称', '单位', '单位全称'],
  level: ['level', '单位级别', '级别', '层级', '单位层级'],
  parent: ['parent', '上级单位', '上级', '主管单位', '上级单位名称', '所属单位'],
  start: ['start', '网址', '网站', '起始网址', '网站地址', '首页', '网站网址', '首页网址', '网站首页', 'url'],
  catalogues: ['catalogues', '标准目录', '标准目录页面', '标准目录网址'],
  hosts: ['hosts', '主机', '其他主机'],
  paths: ['paths', '栏目路径', '路径', '其他栏目路径'],
  disclosure: ['disclosure', '公开专栏', '专栏', '信息公开专栏', '政府信息公开专栏'],
  contact: ['contact', '联系人', '联系方式', '联系电话', '电话', '联系人及电话'],
};

/** Columns offices add that carry nothing for the inspection; ignored without a warning. */
const IGNORED_HEADERS = new Set(['序号', 'no', 'no.']);

/** Several columns may hold parts of the contact (联系人, 联系电话): they are joined. */
export const JOINED_KEYS: ReadonlySet<SeedKey> = new Set(['contact']);

const BY_HEADER = new Map<string, SeedKey>(
  (Object.entries(HEADER_ALIASES) as [SeedKey, string[]][]).flatMap(([key, names]) =>
    names.map((n) => [n, key] as const),
  ),
);

/**
 * Header as compared: full-width forms folded (ＩＤ, （）), case and whitespace ignored, and the
 * notes offices add dropped — a required mark (*单位名称) or a remark in brackets (网址（必填）).
 */
export function normaliseHeader(header: string): string {
  return header
    .normalize('NFKC')
    .toLowerCase()
    .replace(/\([^)]*\)|\[[^\]]*\]|【[^】]*】/g, '')
    .replace(/[\s*:]/g, '');
}

export type HeaderMeaning = { key: SeedKey } | { ignored: true } | undefined;

export function headerMeaning(header: string): HeaderMeaning {
  const h = normaliseHeader(header);
  if (!h) return undefined;
  const key = BY_HEADER.get(h);
  if (key) return { key };
  return IGNORED_HEADERS.has(h) ? { ignored: true } : undefined;
}

/** Spreadsheet column name: 0 → A, 26 → AA. */
export function columnLetter(index: number): string {
  let s = '';
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26))
    s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
}

/** "name / 单位名称 / 名称 …" for messages that say how a column may be headed. */
export function aliasList(key: SeedKey, max = 5): string {
  const names = HEADER_ALIASES[key];
  return names.slice(0, max).join(' / ') + (names.length > max ? ' …' : '');
}
