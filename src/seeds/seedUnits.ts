import { z } from 'zod';
import { describeIssue, issuePath } from '../config/yamlFile.js';
import { DISCLOSURE_PINS, type Unit } from './unit.js';
import { generateIds, idProblem } from './seedIds.js';
import type { ProblemList, SeedPlace } from './seedProblems.js';

/**
 * One unit as a format reader found it, before validation: `raw` has the YAML shape (id?, name,
 * level, parent?, start[], catalogues[{domain, url}], hosts[], paths[], contact?) whatever the file
 * format, so one schema checks YAML, CSV and worksheets alike.
 */
export interface SeedRecord {
  raw: Record<string, unknown>;
  /** Line (or worksheet row) where the unit starts. */
  line?: number;
  /** Where a field of this unit is written, for messages (`['start', 0]`). */
  place(path: readonly PropertyKey[]): SeedPlace;
  /** The reader already reported an error in this record (a cell it could not split). */
  invalid?: boolean;
}

/** A valid unit with what `xuncha seeds check` shows about it. */
export interface CheckedUnit {
  unit: Unit;
  line?: number;
  idGenerated: boolean;
  parentName?: string;
  place(path: readonly PropertyKey[]): SeedPlace;
}

export const URL_MESSAGE = '必须是 http:// 或 https:// 开头的完整网址';

export function isHttpUrl(s: string): boolean {
  return /^https?:\/\/[^\s/]+/i.test(s) && URL.canParse(s);
}

const httpUrl = z.string().trim().refine(isHttpUrl, { message: URL_MESSAGE });

/**
 * host or host:port as the crawler compares it (URL.host: lower case, punycode, no default port).
 * A pasted URL gives its host; a bare :443 means the https default port.
 */
export function normaliseHost(s: string): string | undefined {
  const hasScheme = /^https?:\/\//i.test(s);
  if (!hasScheme && !/^[^\s/?#@\\]+$/.test(s)) return undefined;
  const text = hasScheme ? s : `http://${s}`;
  if (!URL.canParse(text)) return undefined;
  const url = new URL(text);
  return url.port === '443' && !hasScheme ? url.hostname : url.host;
}

const hostEntry = z
  .string()
  .trim()
  .transform((s, ctx) => {
    const host = normaliseHost(s);
    if (host) return host;
    ctx.addIssue({
      code: 'custom',
      message: '应为主机名或“主机名:端口”（如 www.example.gov.cn 或 www.example.gov.cn:8080）',
    });
    return z.NEVER;
  });

const pathEntry = z
  .string()
  .trim()
  .refine((s) => (s.startsWith('/') && !s.startsWith('//')) || isHttpUrl(s), {
    message: '应为以 / 开头的路径（相对于第一个起始网址所在网站）或 http:// / https:// 开头的完整网址前缀',
  });

/** A path prefix as a full URL: `/xwzx/` on the site of the unit's first start URL. */
export function absolutePath(entry: string, firstStart: string): string {
  const url = new URL(entry, new URL(firstStart).origin);
  url.hash = '';
  return url.href;
}

const unitSchema = z
  .object({
    id: z
      .string({ message: '单位标识应为文字（纯数字请加引号，如 "001"）' })
      .trim()
      .superRefine((id, ctx) => {
        const problem = idProblem(id);
        if (problem) ctx.addIssue({ code: 'custom', message: problem });
      })
      .optional(),
    name: z.string().trim().min(1, { message: '单位名称不能为空' }),
    level: z.string().trim().min(1, { message: '单位级别不能为空' }),
    parent: z.string().trim().optional(),
    start: z.array(httpUrl).min(1, { message: '至少需要一个起始网址' }),
    catalogues: z.array(z.object({ domain: z.string().trim().min(1), url: httpUrl }).strict()).default([]),
    hosts: z.array(hostEntry).default([]),
    paths: z.array(pathEntry).default([]),
    disclosure: z
      .partialRecord(
        z.enum(DISCLOSURE_PINS, { message: `专栏部分应为 ${DISCLOSURE_PINS.join('、')} 之一` }),
        pathEntry,
      )
      .optional(),
    contact: z.string().trim().optional(),
  })
  .strict()
  .transform((u) => ({
    ...u,
    paths: u.paths.map((p) => absolutePath(p, u.start[0]!)),
    disclosure: u.disclosure
      ? Object.fromEntries(Object.entries(u.disclosure).map(([k, v]) => [k, absolutePath(v!, u.start[0]!)]))
      : undefined,
  }));

type UnitInput = z.output<typeof unitSchema>;

/** Every schema problem of one record; a misspelt key is named beside the field it was meant as. */
function validate(record: SeedRecord, problems: ProblemList): UnitInput | undefined {
  const result = unitSchema.safeParse(record.raw);
  if (result.success) return result.data;
  const issues = result.error.issues;
  const unknown = issues.find((i) => i.code === 'unrecognized_keys' && i.path.length === 0);
  const missing = issues.filter(
    (i) => i.code === 'invalid_type' && i.path.length === 1 && !(String(i.path[0]) in record.raw),
  );
  for (const issue of issues) {
    let detail = describeIssue(issue, record.raw);
    if (issue === unknown && missing.length) continue;
    if (unknown?.code === 'unrecognized_keys' && missing.includes(issue))
      detail += `（另有未知字段 ${unknown.keys.join('、')}，是否拼写错误？）`;
    problems.error(record.place(issuePath(issue)), detail);
  }
  return undefined;
}

const text = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() ? v.trim() : undefined);

/** Line of a record for "the same as line N" remarks; empty when the format has no lines. */
const atLine = (r: SeedRecord): string => (r.line ? `（第 ${r.line} 行）` : '');

export interface BuildOptions {
  /** Known 标准目录 domains; a catalogue naming another is an error. Unchecked when absent. */
  catalogueDomains?: ReadonlySet<string>;
}

/**
 * Records → units: validation, ids (written or generated), parents by id or name, and the rules
 * across records. Every problem is collected; only units without errors are returned.
 */
export function buildUnits(
  records: SeedRecord[],
  problems: ProblemList,
  opts: BuildOptions = {},
): CheckedUnit[] {
  const inputs = records.map((r) => validate(r, problems));
  const failed = new Set(inputs.flatMap((u, i) => (u && !records[i]!.invalid ? [] : [i])));
  const fail = (i: number, path: PropertyKey[], detail: string) => {
    problems.error(records[i]!.place(path), detail);
    failed.add(i);
  };

  // Ids written in the file come first: a generated id never takes one of them.
  const ids: (string | undefined)[] = records.map((r) => {
    const id = text(r.raw.id);
    return id !== undefined && !idProblem(id) ? id : undefined;
  });
  const firstWith = new Map<string, number>();
  ids.forEach((id, i) => {
    if (id === undefined) return;
    const first = firstWith.get(id);
    if (first === undefined) firstWith.set(id, i);
    else fail(i, ['id'], `单位标识 "${id}" 重复，与前面的单位相同${atLine(records[first]!)}`);
  });
  const generated = generateIds(
    records.map((r) => (r.raw.id === undefined ? text(r.raw.name) : undefined)),
    new Set(firstWith.keys()),
  );
  generated.forEach((id, i) => {
    if (id !== undefined) ids[i] = id;
  });

  const byName = new Map<string, number[]>();
  records.forEach((r, i) => {
    const name = text(r.raw.name);
    if (name) byName.set(name, [...(byName.get(name) ?? []), i]);
  });
  for (const [name, list] of byName)
    for (const i of list.slice(1))
      problems.warn(
        records[i]!.place(['name']),
        `单位名称「${name}」与前面的单位相同${atLine(records[list[0]!]!)}：整改通知按单位名称命名文件，同名单位的通知会互相覆盖，按名称指定上级单位时也无法区分`,
      );

  const parents = records.map((r, i) => {
    const parent = text(r.raw.parent);
    if (!parent) return undefined;
    // An id written in the file, else a unique name, else a generated id (as seeds check shows it):
    // a generated id equals a name, and must not hide that two units have that name.
    const named = byName.get(parent) ?? [];
    const target =
      firstWith.get(parent) ??
      (named.length === 1 ? named[0] : named.length ? undefined : generated.indexOf(parent));
    if (target === undefined || target < 0)
      fail(
        i,
        ['parent'],
        named.length > 1
          ? `上级单位「${parent}」有 ${named.length} 个同名单位，请改写为上级单位的标识`
          : `上级单位 "${parent}" 不在种子文件中（按单位标识或单位名称查找）`,
      );
    else if (target === i) fail(i, ['parent'], '上级单位不能是本单位');
    else return target;
    return undefined;
  });
  // A chain of parents that comes back to where it started has no top: named once, at its first unit.
  const inCycle = new Set<number>();
  parents.forEach((_, i) => {
    if (inCycle.has(i)) return;
    const chain = [i];
    for (let at = parents[i]; at !== undefined && !chain.includes(at); at = parents[at]) chain.push(at);
    const last = chain[chain.length - 1]!;
    if (chain.length < 2 || parents[last] !== i) return;
    chain.forEach((n) => inCycle.add(n));
    const names = [...chain, i].map((n) => text(records[n]!.raw.name) ?? String(ids[n]));
    fail(i, ['parent'], `上级单位形成循环：${names.join(' → ')}`);
  });

  // Checked on what was written, so a unit with other errors still hears about its domain.
  const domains = opts.catalogueDomains;
  if (domains) {
    const known = [...domains].join('、');
    records.forEach((r, i) => {
      if (!Array.isArray(r.raw.catalogues)) return;
      (r.raw.catalogues as unknown[]).forEach((c, j) => {
        const domain = text((c as { domain?: unknown } | null)?.domain);
        if (domain && !domains.has(domain))
          fail(
            i,
            ['catalogues', j, 'domain'],
            `标准目录领域不在规则中（可用：${known}），实际为 "${domain}"`,
          );
      });
    });
  }

  return inputs.flatMap((u, i) => {
    const id = ids[i];
    if (!u || failed.has(i) || id === undefined) return [];
    const p = parents[i];
    const unit: Unit = {
      id,
      name: u.name,
      level: u.level,
      ...(p !== undefined && ids[p] !== undefined ? { parent: ids[p] } : {}),
      startUrls: u.start,
      catalogues: u.catalogues,
      hosts: u.hosts,
      paths: u.paths,
      ...(u.disclosure && Object.keys(u.disclosure).length ? { disclosure: u.disclosure } : {}),
      ...(u.contact ? { contact: u.contact } : {}),
    };
    const parentName = p !== undefined ? text(records[p]!.raw.name) : undefined;
    const record = records[i]!;
    return [
      {
        unit,
        ...(record.line ? { line: record.line } : {}),
        idGenerated: generated[i] !== undefined,
        ...(parentName ? { parentName } : {}),
        place: record.place,
      },
    ];
  });
}
