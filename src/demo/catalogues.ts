/**
 * 标准目录 attachments of the demo county (XLSX, DOCX, PDF), generated at start-up from the rule
 * data (rules/catalogues) as a unit would publish them, with the defects `_catalogues.yaml` plants:
 *
 *   - path: /xxgk/bzml/czyjs_ml.xlsx     # URL path on the site; extension must match format
 *     format: xlsx                        # xlsx | docx | pdf
 *     domain: 财政预决算
 *     subject: 示范区财政局               # 公开主体 written in every row
 *     level: 县级                         # 公开层级 ticked
 *     delete: [item-id]                   # items left out (a deleted item)
 *     rename: { item-id: 新名称 }          # 二级事项 written differently (must still match)
 *     blank: { item-id: [公开依据, 公开时限] }  # elements left empty or as “/” in that row
 *
 * The rows are the national items with their elements, so a clean file yields no finding and each
 * planted change yields exactly the one it stands for.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { loadYamlFile } from '../config/yamlFile.js';
import { loadCatalogues, type Catalogue } from '../config/catalogues.js';
import { CONTENT_TYPES, renderAttachment, type AttachmentSpec, type GeneratedFile } from './attachments.js';

export const CATALOGUES_FILE = '_catalogues.yaml';

const ELEMENT_COLUMNS = {
  公开内容: 3,
  公开依据: 4,
  公开时限: 5,
  公开主体: 6,
  公开渠道和载体: 7,
  公开对象: 8,
  公开方式: 9,
} as const;

const specSchema = z
  .object({
    path: z
      .string()
      .regex(/^\/.+\.(xlsx|docx|pdf)$/, { message: '应为以 / 开头、扩展名为 xlsx/docx/pdf 的路径' }),
    format: z.enum(['xlsx', 'docx', 'pdf']),
    domain: z.string().min(1),
    subject: z.string().min(1),
    level: z.enum(['县级', '乡级']),
    delete: z.array(z.string().min(1)).default([]),
    rename: z.record(z.string(), z.string().min(1)).default({}),
    blank: z
      .record(z.string(), z.array(z.enum(Object.keys(ELEMENT_COLUMNS) as [string, ...string[]])))
      .default({}),
  })
  .strict();
const fileSchema = z.array(specSchema);
type Spec = z.output<typeof specSchema>;

const HEADER = [
  '序号',
  '一级事项',
  '二级事项',
  '公开内容（要素）',
  '公开依据',
  '公开时限',
  '公开主体',
  '公开渠道和载体',
  '公开对象',
  '公开方式',
  '公开层级',
];
const CHANNELS = ['政府网站', '两微一端', '公开查阅点', '公示栏'];

function tick(options: string[], chosen: string[]): string {
  return options.map((o) => `${chosen.includes(o) ? '■' : '□'}${o}`).join(' ');
}

function rowsOf(spec: Spec, catalogue: Catalogue): string[][] {
  const known = new Set(catalogue.items.map((i) => i.id));
  for (const id of [...spec.delete, ...Object.keys(spec.rename), ...Object.keys(spec.blank)])
    if (!known.has(id)) throw new Error(`${CATALOGUES_FILE}：${catalogue.domain}领域没有事项 ${id}`);
  return catalogue.items
    .filter((i) => !spec.delete.includes(i.id))
    .map((item, n) => {
      const channels = item.channels?.length ? item.channels : ['政府网站'];
      const row = [
        String(n + 1),
        item.first,
        spec.rename[item.id] ?? item.second,
        item.content ?? `${item.second}相关信息`,
        item.basis ?? '《中华人民共和国政府信息公开条例》',
        item.timeLimit.text,
        spec.subject,
        tick([...new Set([...CHANNELS, ...channels])], channels),
        tick(['全社会', '特定群体'], [item.audience ?? '全社会']),
        tick(['主动', '依申请'], item.mode === '依申请' ? ['依申请'] : ['主动']),
        tick(['县级', '乡级'], [spec.level]),
      ];
      for (const element of spec.blank[item.id] ?? [])
        row[ELEMENT_COLUMNS[element as keyof typeof ELEMENT_COLUMNS]] = n % 2 ? '/' : '';
      return row;
    });
}

/** Generate every catalogue attachment of a site, keyed by URL path. */
export async function buildCatalogueFiles(
  siteDir: string,
  rulesDir = 'rules',
): Promise<Map<string, GeneratedFile>> {
  const out = new Map<string, GeneratedFile>();
  const file = join(siteDir, CATALOGUES_FILE);
  if (!existsSync(file)) return out;
  const catalogues = loadCatalogues(join(rulesDir, 'catalogues'));
  for (const spec of loadYamlFile(file, fileSchema)) {
    const catalogue = catalogues.find((c) => c.domain === spec.domain);
    if (!catalogue) throw new Error(`${file}：规则中没有「${spec.domain}」领域`);
    const rows = rowsOf(spec, catalogue);
    const attachment: AttachmentSpec = {
      path: spec.path,
      format: spec.format,
      contentType: CONTENT_TYPES[spec.format],
      title: `${spec.subject}${catalogue.domain}领域基层政务公开标准目录`,
      sheet: catalogue.domain,
      before: [],
      after: [],
      sign: [],
      columns: HEADER.map((header) => ({ header, field: null })),
      people: [],
      masked: false,
      rows,
      displayRows: rows,
    };
    out.set(spec.path, {
      body: await renderAttachment(attachment, { today: new Date() }),
      contentType: CONTENT_TYPES[spec.format],
    });
  }
  return out;
}
