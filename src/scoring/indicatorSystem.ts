import { z } from 'zod';
import { loadYamlFile } from '../config/yamlFile.js';

const checkRef = z
  .object({
    check: z.string().min(1),
    /** Finding kinds counted (all when absent). */
    kinds: z.array(z.string()).optional(),
    /** Finding outcomes counted (fail when absent). */
    outcomes: z.array(z.enum(['fail', 'warn', 'needs-review', 'error'])).default(['fail']),
  })
  .strict();

const indicator = z
  .object({
    id: z.string().min(1),
    title: z.string().min(1),
    kind: z.enum(['veto', 'deduct', 'bonus']),
    checks: z.array(checkRef).min(1),
    /** veto: triggered when the counted findings reach this number. */
    whenCountAtLeast: z.number().int().positive().optional(),
    /** deduct/bonus: the cap for this indicator. */
    points: z.number().positive().optional(),
    /** Points per counted finding… */
    perFinding: z.number().positive().optional(),
    /** …or per distinct subject URL (a roster repeats a finding per person). */
    perSubject: z.number().positive().optional(),
    verified: z.boolean(),
  })
  .strict()
  .refine((i) => i.kind !== 'veto' || i.whenCountAtLeast !== undefined, {
    message: '否决指标需要 whenCountAtLeast',
    path: ['whenCountAtLeast'],
  })
  .refine(
    (i) => i.kind === 'veto' || (i.points !== undefined && (i.perFinding ?? i.perSubject) !== undefined),
    {
      message: '扣分/加分指标需要 points 以及 perFinding 或 perSubject',
      path: ['points'],
    },
  );

export const indicatorSystemSchema = z
  .object({
    id: z.string().min(1),
    title: z.string().min(1),
    verified: z.boolean(),
    failBelow: z.number(),
    grades: z.array(z.object({ min: z.number(), title: z.string().min(1) }).strict()).min(1),
    failTitle: z.string().min(1),
    /**
     * A unit whose home page could not be fetched in the crawl: nothing on its site was read, so
     * it gets no score and no grade, only this status, ranked below every scored unit. `basis` is
     * the indicator the notice cites (by default V2, 站点无法访问).
     */
    unreachable: z
      .object({ title: z.string().min(1), basis: z.string().min(1) })
      .strict()
      .default({ title: '无法访问', basis: 'veto-unavailable' }),
    indicators: z.array(indicator).min(1),
  })
  .strict()
  .refine((s) => s.indicators.some((i) => i.id === s.unreachable.basis), {
    message: 'unreachable.basis 必须是本文件 indicators 中某个指标的 id',
    path: ['unreachable', 'basis'],
  });

export type IndicatorSystem = z.output<typeof indicatorSystemSchema> & { file: string };
export type Indicator = IndicatorSystem['indicators'][number];

export function loadIndicatorSystem(file = 'rules/indicators/national-2019.yaml'): IndicatorSystem {
  return { ...loadYamlFile(file, indicatorSystemSchema), file };
}
