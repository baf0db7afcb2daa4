import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { loadYamlFile } from './yamlFile.js';
import { parseTimeLimit, type CatalogueTimeLimit } from '../extract/catalogueTimeLimit.js';

/**
 * The 26 基层政务公开标准目录 as rule data. Each file is one domain: where its items come from,
 * which units must publish it, and every 一级/二级事项 with the elements the national 标准指引
 * give it. The national guides (State Council departments, 2019–2020) are the authority; local
 * catalogues are evidence only, and a file that could not be checked against its guide says
 * `verified: false` (shown in every report).
 */

const DITTO = /^同\s*上[。.]?$/;

const sourceSchema = z
  .object({
    title: z.string().min(1),
    /** 文号 of the document, when it has one. */
    number: z.string().min(1).optional(),
    url: z.string().min(1).optional(),
    /** national = a State Council department's 标准指引; provincial / local = evidence. */
    authority: z.enum(['national', 'provincial', 'local']),
    /** What was taken from it (items, time limits …) and whether its text was seen. */
    used: z.string().min(1),
  })
  .strict();

/** Levels a catalogue item is published at (公开层级). */
const LEVELS = ['县级', '乡级'] as const;
export type CatalogueLevel = (typeof LEVELS)[number];

const itemSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, { message: '事项编号只能用小写字母、数字和连字符' }),
    first: z.string().min(1),
    second: z.string().min(1),
    /** Other names units give the same item (synonyms, older or refined names). */
    aliases: z.array(z.string().min(1)).optional(),
    content: z.string().min(1).optional(),
    basis: z.string().min(1).optional(),
    /** 公开时限 as the guide writes it; `同上` repeats the item above. Defaults to the domain's. */
    timeLimit: z.string().min(1).optional(),
    subject: z.string().min(1).optional(),
    channels: z.array(z.string().min(1)).optional(),
    audience: z.enum(['全社会', '特定群体']).optional(),
    mode: z.enum(['主动', '依申请', '主动、依申请']).optional(),
    levels: z.array(z.enum(LEVELS)).min(1).optional(),
    /**
     * How often new content is due where the item is periodic (预决算 every year, 名单 monthly …):
     * catalogue-content compares the newest content against it.
     */
    periodic: z.enum(['month', 'quarter', 'year']).optional(),
  })
  .strict();

const catalogueSchema = z
  .object({
    domain: z.string().min(1),
    title: z.string().min(1),
    verified: z.boolean(),
    note: z.string().optional(),
    sources: z.array(sourceSchema).min(1),
    /** Other spellings of the domain in titles (医疗卫生 for 卫生健康, 征地补偿 …). */
    domainAliases: z.array(z.string().min(1)).optional(),
    /**
     * Which units publish it: county departments whose names contain one of `departments`
     * (鲤城 泉鲤政办〔2020〕27号 and 陕政办发〔2020〕20号 responsibility tables), and townships and
     * sub-districts when `township` is true (the domain has 乡级 items).
     */
    appliesTo: z
      .object({
        departments: z.array(z.string().min(1)).min(1),
        township: z.boolean(),
      })
      .strict(),
    /** The domain's default 公开时限, used by items that give none. */
    timeLimit: z.string().min(1),
    items: z.array(itemSchema).min(1),
  })
  .strict()
  .superRefine((c, ctx) => {
    const seen = new Set<string>();
    c.items.forEach((item, i) => {
      if (seen.has(item.id))
        ctx.addIssue({ code: 'custom', path: ['items', i, 'id'], message: `事项编号 ${item.id} 重复` });
      seen.add(item.id);
    });
    if (c.items[0]?.timeLimit && DITTO.test(c.items[0].timeLimit))
      ctx.addIssue({ code: 'custom', path: ['items', 0, 'timeLimit'], message: '第一个事项不能写“同上”' });
  });

type RawCatalogue = z.output<typeof catalogueSchema>;
type RawItem = RawCatalogue['items'][number];

export interface CatalogueItem extends Omit<RawItem, 'timeLimit'> {
  /** The item's own 公开时限, `同上` resolved, falling back to the domain's, parsed. */
  timeLimit: CatalogueTimeLimit;
}

/** A 26-domain 标准目录 as data: the items a unit's catalogue must carry. */
export interface Catalogue extends Omit<RawCatalogue, 'items' | 'timeLimit'> {
  file: string;
  timeLimit: CatalogueTimeLimit;
  items: CatalogueItem[];
}

function resolve(raw: RawCatalogue, file: string): Catalogue {
  const domainLimit = parseTimeLimit(raw.timeLimit);
  let previous = domainLimit;
  const items = raw.items.map((item) => {
    const text = item.timeLimit;
    const limit = !text ? domainLimit : DITTO.test(text) ? previous : parseTimeLimit(text);
    previous = limit;
    return { ...item, timeLimit: limit };
  });
  return { ...raw, file, timeLimit: domainLimit, items };
}

export function loadCatalogues(dir = 'rules/catalogues'): Catalogue[] {
  return readdirSync(dir)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort()
    .map((f) => resolve(loadYamlFile(join(dir, f), catalogueSchema), join(dir, f)));
}

/** What kind of unit a seed's 单位级别 describes, for deciding which domains apply to it. */
export type UnitKind = 'county' | 'department' | 'township';

export function unitKind(level: string, name: string): UnitKind {
  const text = `${level} ${name}`;
  if (/乡|镇|街道|苏木/.test(level) || /(乡|镇|街道办事处|街道)(人民政府)?$/.test(name)) return 'township';
  if (/部门|局|委|办|中心/.test(level) || /(局|委员会|委|办公室|中心)$/.test(name)) return 'department';
  if (/县|区|市|旗/.test(text)) return 'county';
  return 'department';
}

/** The domains a unit must publish a catalogue for: by its kind and, for a department, its name. */
export function domainsForUnit(catalogues: Catalogue[], unit: { level: string; name: string }): Catalogue[] {
  const kind = unitKind(unit.level, unit.name);
  if (kind === 'township') return catalogues.filter((c) => c.appliesTo.township);
  if (kind === 'county') return [];
  return catalogues.filter((c) => c.appliesTo.departments.some((d) => unit.name.includes(d)));
}
