import { join } from 'node:path';
import { z } from 'zod';
import { loadYamlFile } from './yamlFile.js';

/** rules/rectification.yaml: the 整改时限 the notices give, in working days. */
export const rectificationSchema = z
  .object({
    deadlineWorkdays: z.number().int().positive(),
    verified: z.boolean(),
    note: z.string().optional(),
  })
  .strict();

export type Rectification = z.output<typeof rectificationSchema>;

export function loadRectification(rulesDir: string): Rectification {
  return loadYamlFile(join(rulesDir, 'rectification.yaml'), rectificationSchema);
}
