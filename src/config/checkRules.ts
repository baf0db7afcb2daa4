import { join } from 'node:path';
import { z } from 'zod';
import { loadYamlFile } from './yamlFile.js';
import type { Check } from '../checks/defineCheck.js';

/** rules/checks/<id>.yaml: what a user may need to correct about a check. */
export interface CheckRule {
  id: string;
  file: string;
  enabled: boolean;
  basis: string;
  advice: string;
  verified: boolean;
  note?: string;
  options: unknown;
}

function ruleSchema(check: Check) {
  return z
    .object({
      id: z.literal(check.id, { message: `应为 ${check.id}（与文件名一致）` }),
      enabled: z.boolean().default(true),
      basis: z.string().min(1, { message: '依据不能为空' }),
      advice: z.string().min(1, { message: '整改建议不能为空' }),
      verified: z.boolean(),
      note: z.string().optional(),
      options: check.options.default({}),
    })
    .strict();
}

export function loadCheckRule(check: Check, dir = 'rules/checks'): CheckRule {
  const file = join(dir, `${check.id}.yaml`);
  const data = loadYamlFile(file, ruleSchema(check)) as Omit<CheckRule, 'file'>;
  return { ...data, file };
}
