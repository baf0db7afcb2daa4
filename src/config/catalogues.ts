import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { loadYamlFile } from './yamlFile.js';

const catalogueSchema = z
  .object({
    domain: z.string().min(1),
    title: z.string().min(1),
    verified: z.boolean(),
    note: z.string().optional(),
    timeLimitWorkdays: z.number().int().positive().optional(),
    items: z
      .array(
        z.object({ id: z.string().min(1), first: z.string().min(1), second: z.string().min(1) }).strict(),
      )
      .min(1)
      .superRefine((items, ctx) => {
        const seen = new Set<string>();
        items.forEach((item, i) => {
          if (seen.has(item.id))
            ctx.addIssue({ code: 'custom', path: [i, 'id'], message: `事项编号 ${item.id} 重复` });
          seen.add(item.id);
        });
      }),
  })
  .strict();

/** A 26-domain 标准目录 as data: the items a unit's catalogue page must carry. */
export type Catalogue = z.output<typeof catalogueSchema> & { file: string };

export function loadCatalogues(dir = 'rules/catalogues'): Catalogue[] {
  return readdirSync(dir)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort()
    .map((f) => ({ ...loadYamlFile(join(dir, f), catalogueSchema), file: join(dir, f) }));
}
