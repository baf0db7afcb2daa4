import { readFileSync, statSync } from 'node:fs';
import { extname } from 'node:path';
import { z } from 'zod';
import { ConfigError, describeIssue, parseYaml } from '../config/yamlFile.js';
import type { Unit } from './unit.js';

const httpUrl = z.string().refine((s) => /^https?:\/\/[^\s/]+/i.test(s) && URL.canParse(s), {
  message: '必须是 http:// 或 https:// 开头的完整网址',
});

const unitSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9_-]*$/i, { message: '只能包含字母、数字、- 和 _' }),
    name: z.string().min(1, { message: '单位名称不能为空' }),
    level: z.string().min(1, { message: '单位级别不能为空' }),
    parent: z.string().optional(),
    start: z.array(httpUrl).min(1, { message: '至少需要一个起始网址' }),
    catalogues: z.array(z.object({ domain: z.string().min(1), url: httpUrl }).strict()).default([]),
    hosts: z.array(z.string().min(1)).default([]),
    contact: z.string().optional(),
  })
  .strict();

const seedFileSchema = z
  .object({ units: z.array(unitSchema).min(1, { message: '至少需要一个单位' }) })
  .strict();

type UnitInput = z.output<typeof unitSchema>;

function toUnit(u: UnitInput): Unit {
  return {
    id: u.id,
    name: u.name,
    level: u.level,
    parent: u.parent,
    startUrls: u.start,
    catalogues: u.catalogues,
    hosts: u.hosts,
    contact: u.contact,
  };
}

/** Cross-record rules zod can't see: unique ids and known parents. */
function checkReferences(units: UnitInput[], file: string, lineOf: (i: number) => number | undefined): void {
  const seen = new Set<string>();
  units.forEach((u, i) => {
    if (seen.has(u.id)) throw new ConfigError(file, lineOf(i), `units[${i}].id`, `单位标识 "${u.id}" 重复`);
    seen.add(u.id);
  });
  units.forEach((u, i) => {
    if (u.parent && !seen.has(u.parent))
      throw new ConfigError(file, lineOf(i), `units[${i}].parent`, `上级单位 "${u.parent}" 不在种子文件中`);
  });
}

function yamlUnitLines(text: string): (i: number) => number | undefined {
  // Line of the i-th "- " list item under units: (good enough for cross-record errors).
  const lines = text.split(/\r?\n/);
  const starts = lines.flatMap((l, n) => (/^\s*-\s+id\s*:/.test(l) ? [n + 1] : []));
  return (i) => starts[i];
}

/** CSV columns: id,name,level,parent,start,catalogues,contact — lists split by "|", catalogues as 领域=网址. */
export function parseSeedCsv(text: string, file: string): UnitInput[] {
  const rows = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const header = (rows[0] ?? '').split(',').map((h) => h.trim());
  const required = ['id', 'name', 'level', 'start'];
  for (const col of required)
    if (!header.includes(col)) throw new ConfigError(file, 1, col, `表头缺少列 ${col}`);
  const units: UnitInput[] = [];
  rows.slice(1).forEach((row, n) => {
    const line = n + 2;
    if (!row.trim() || row.trimStart().startsWith('#')) return;
    const cells = row.split(',').map((c) => c.trim());
    if (cells.length !== header.length)
      throw new ConfigError(file, line, '', `应有 ${header.length} 列，实际 ${cells.length} 列`);
    const rec = Object.fromEntries(header.map((h, i) => [h, cells[i] ?? '']));
    const list = (s: string | undefined) =>
      s
        ? s
            .split('|')
            .map((x) => x.trim())
            .filter(Boolean)
        : [];
    const raw = {
      id: rec.id,
      name: rec.name,
      level: rec.level,
      ...(rec.parent ? { parent: rec.parent } : {}),
      start: list(rec.start),
      catalogues: list(rec.catalogues).map((c) => {
        const [domain, ...url] = c.split('=');
        return { domain: domain ?? '', url: url.join('=') };
      }),
      ...(rec.hosts ? { hosts: list(rec.hosts) } : {}),
      ...(rec.contact ? { contact: rec.contact } : {}),
    };
    const parsed = unitSchema.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw new ConfigError(file, line, String(issue.path[0] ?? ''), describeIssue(issue, raw));
    }
    units.push(parsed.data);
  });
  if (!units.length) throw new ConfigError(file, undefined, 'units', '至少需要一个单位');
  checkReferences(units, file, (i) => i + 2);
  return units;
}

export function parseSeedText(text: string, file: string): Unit[] {
  if (extname(file).toLowerCase() === '.csv') return parseSeedCsv(text, file).map(toUnit);
  const parsed = parseYaml(text, seedFileSchema, file);
  checkReferences(parsed.units, file, yamlUnitLines(text));
  return parsed.units.map(toUnit);
}

/**
 * Largest seed file read. A county lists 50–150 units and a province about 2,000 sites, well under
 * 1 MB; parsing YAML with line positions takes about 100 MB of memory per MB of file, so a limit
 * keeps a wrong file (an export of a whole database) from exhausting memory mid-parse.
 */
export const MAX_SEED_BYTES = 5 * 1024 * 1024;

function megabytes(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** Read a seed file (YAML or CSV). Throws ConfigError naming file, line and field. */
export function readSeeds(file: string, maxBytes = MAX_SEED_BYTES): Unit[] {
  let text: string;
  try {
    const stat = statSync(file);
    if (!stat.isFile()) throw new ConfigError(file, undefined, '', '不是普通文件，无法作为种子文件读取');
    if (stat.size > maxBytes)
      throw new ConfigError(
        file,
        undefined,
        '',
        `文件大小 ${megabytes(stat.size)}，超过种子文件 ${megabytes(maxBytes)} 上限（一个省约 2000 个网站的种子文件也不足 1 MB，请确认文件是否选错，或按地区拆分）`,
      );
    text = readFileSync(file, 'utf8');
  } catch (err) {
    if (err instanceof ConfigError) throw err;
    throw new ConfigError(
      file,
      undefined,
      '',
      `无法读取种子文件（${(err as NodeJS.ErrnoException).code ?? String(err)}）`,
    );
  }
  return parseSeedText(text, file);
}
