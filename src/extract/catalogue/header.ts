/**
 * Catalogue table headers: which column holds which element. Headers come in one row or two (a
 * parent such as 公开渠道和载体 spanning tick sub-columns 政府网站 / 政府公报 / …), and a header cell may
 * be cut or spaced (`社会` for 全社会, `公 开 时 限`). Every source format expands merged cells first,
 * so a parent cell appears once per sub-column it spans.
 */

export type ColumnRole =
  | 'no'
  | 'first'
  | 'second'
  | 'third'
  | 'item'
  | 'content'
  | 'basis'
  | 'time'
  | 'subject'
  | 'channel'
  | 'audience'
  | 'mode'
  | 'level'
  | 'other';

/** Roles whose columns are checkboxes (one sub-column per option) or a list of options. */
export type TickRole = 'channel' | 'audience' | 'mode' | 'level';
export const TICK_ROLES: readonly TickRole[] = ['channel', 'audience', 'mode', 'level'];
export const isTickRole = (r: ColumnRole): r is TickRole => (TICK_ROLES as readonly string[]).includes(r);

export interface Column {
  role: ColumnRole;
  /** A tick sub-column's option (政府网站, 全社会, 主动, 县级 …). */
  option?: string;
  /** The header text, parent and sub-column joined by `/`. */
  label: string;
}

export const squash = (s: string): string => s.replace(/[\s\u00a0\u3000]+/g, '');

// Header cells are short; a long cell is data even when it says 内容 or 依据.
const MAX_HEADER_CHARS = 24;

const NAME_ROLES: readonly [ColumnRole, RegExp][] = [
  ['first', /^.{0,4}一级(?:事项|目录|指标|分类)?(?:名称)?$/],
  ['second', /^.{0,4}二级(?:事项|目录|指标|分类)?(?:名称)?$/],
  ['third', /^.{0,4}三级(?:事项|目录|指标|分类)?(?:名称)?$/],
];

const PARENT_ROLES: readonly [TickRole, RegExp][] = [
  ['channel', /渠道|载体/],
  ['audience', /公开对象|^对象$/],
  ['mode', /公开方式|^方式$/],
  ['level', /公开层级|^层级$/],
];

const PLAIN_ROLES: readonly [ColumnRole, RegExp][] = [
  ['no', /^(?:序号|编号|序)$/],
  ['item', /公开事项|事项名称|事项类别|^事项$|^目录事项$/],
  ['content', /公开内容|^内容|要素/],
  ['basis', /依据/],
  ['time', /时限/],
  ['subject', /主体|责任(?:单位|部门|主体)|公开部门|实施主体/],
  ['other', /备注|说明|咨询电话|监督|投诉/],
];

/** Sub-column words, for tick columns whose parent cell is missing or cut. */
const OPTION_ROLES: readonly [TickRole, RegExp][] = [
  ['audience', /^(?:全?社会|特定群体|特定|不特定)$/],
  ['mode', /^(?:主动|依申请|申请|依申请公开?|主动公开)$/],
  ['level', /^(?:[省市县区乡镇村]\S{0,4}级|乡\(镇\)|乡（镇）|街道|乡镇|村\(社区\)|村（社区）|县级及以上)$/],
  [
    'channel',
    /政府网站|网站|新媒体|公报|两微一端|微信|微博|发布会|听证会|广播|电视|纸质|报刊|查阅|服务中心|便民|入户|现场|公示栏|公开栏|电子屏|精准推送|^其他$|平台|信用中国|采购网|热线|APP|客户端/,
  ],
];

function plainRole(label: string): ColumnRole | undefined {
  return PLAIN_ROLES.find(([, re]) => re.test(label))?.[0];
}

/** The role a single header cell's text names, if any (parents, names, plain roles, options). */
export function headerWordRole(raw: string): ColumnRole | undefined {
  const t = squash(raw);
  if (t === '' || t.length > MAX_HEADER_CHARS) return undefined;
  return (
    NAME_ROLES.find(([, re]) => re.test(t))?.[0] ??
    PARENT_ROLES.find(([, re]) => re.test(t))?.[0] ??
    plainRole(t) ??
    OPTION_ROLES.find(([, re]) => re.test(t))?.[0]
  );
}

/** The column a stack of header texts (top to bottom, distinct) describes. */
export function classifyColumn(stack: string[]): Column {
  const labels = stack.map(squash).filter((s) => s !== '');
  const label = labels.join('/');
  for (const [role, re] of NAME_ROLES) if (labels.some((l) => re.test(l))) return { role, label };
  for (const [role, re] of PARENT_ROLES) {
    const at = labels.findIndex((l) => re.test(l));
    if (at < 0) continue;
    const below = labels.slice(at + 1);
    const option = below[below.length - 1];
    return option !== undefined ? { role, option, label } : { role, label };
  }
  for (const l of [...labels].reverse()) {
    const role = plainRole(l);
    if (role) return { role, label };
  }
  for (const [role, re] of OPTION_ROLES) {
    const option = labels.find((l) => re.test(l));
    if (option !== undefined) return { role, option, label };
  }
  return { role: 'other', label };
}

/** Distinct roles a row's cells name, and how many of its non-empty cells are header words. */
export function headerRowScore(texts: string[]): { roles: number; words: number; filled: number } {
  const roles = new Set<ColumnRole>();
  let words = 0;
  let filled = 0;
  let prev: string | undefined;
  for (const raw of texts) {
    const t = squash(raw);
    if (t === '' || t === prev) continue; // a spanned cell counts once
    prev = t;
    filled++;
    const role = headerWordRole(t);
    if (role) {
      words++;
      roles.add(role);
    }
  }
  return { roles: roles.size, words, filled };
}

/** A row that starts (or repeats) the header: several roles named, most of its cells header words. */
export function isHeaderRow(texts: string[]): boolean {
  const s = headerRowScore(texts);
  return s.roles >= 3 && s.words >= s.filled * 0.6;
}

/**
 * A row continuing a header block: its own cells (not copies from above) are short, none is a row
 * number, and most are header words — sub-column names vary (信用中国网站, 政务服务大厅), so one
 * unknown word among known ones is still a header.
 */
export function isHeaderContinuation(texts: string[], above: string[]): boolean {
  let own = 0;
  let words = 0;
  for (let c = 0; c < texts.length; c++) {
    const t = squash(texts[c] ?? '');
    if (t === '' || t === squash(above[c] ?? '')) continue;
    if (t.length > 12 || /^\d+$/.test(t)) return false;
    own++;
    if (headerWordRole(t)) words++;
  }
  return own > 0 && words >= own * 0.6;
}

/** Columns from the header rows (grid texts, merged cells already expanded). */
export function columnsOf(headerRows: string[][]): Column[] {
  const width = Math.max(0, ...headerRows.map((r) => r.length));
  const columns: Column[] = [];
  for (let c = 0; c < width; c++) {
    const stack: string[] = [];
    for (const row of headerRows) {
      const t = squash(row[c] ?? '');
      if (t !== '' && stack[stack.length - 1] !== t) stack.push(t);
    }
    columns.push(classifyColumn(stack));
  }
  resolveItemColumns(columns);
  return columns;
}

/**
 * A lone 公开事项/事项名称 column is the 一级 name when the table has no 一级 column, else the 二级
 * name; a 公开事项 parent over 一级/二级 sub-columns was already classified by its sub-column.
 */
function resolveItemColumns(columns: Column[]): void {
  const has = (r: ColumnRole): boolean => columns.some((c) => c.role === r);
  const items = columns.filter((c) => c.role === 'item');
  items.forEach((col, i) => {
    if (!has('first')) col.role = items.length > 1 && i > 0 ? 'second' : 'first';
    else if (!has('second')) col.role = 'second';
    else col.role = 'other';
  });
}

/** A short signature of the columns, to tell a repeated header from another table's. */
export const columnSignature = (cols: Column[]): string =>
  cols.map((c) => `${c.role}:${c.option ?? ''}`).join('|');
