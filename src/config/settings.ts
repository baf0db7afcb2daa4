import { z } from 'zod';

/** Run settings: crawl politeness and limits. Defaults are safe for small county servers. */
export const crawlSettingsSchema = z.object({
  userAgent: z
    .string()
    // HTTP headers carry Latin-1 only, so the identification must be ASCII.
    .regex(/^[\x20-\x7e]+$/, { message: 'User-Agent 只能包含 ASCII 字符' })
    .default('xuncha/0.1 (government website inspection; +https://github.com/xuncha/xuncha)'),
  perHostConcurrency: z.number().int().min(1).max(16).default(2),
  perHostDelayMs: z.number().int().min(0).default(500),
  globalConcurrency: z.number().int().min(1).max(256).default(16),
  concurrentUnits: z.number().int().min(1).default(8),
  timeoutMs: z.number().int().min(1000).default(15_000),
  maxPagesPerUnit: z.number().int().min(1).default(2000),
  maxDepth: z.number().int().min(0).default(8),
  maxPageBytes: z
    .number()
    .int()
    .min(1024)
    .default(5 * 1024 * 1024),
  maxAttachmentBytes: z
    .number()
    .int()
    .min(1024)
    .default(30 * 1024 * 1024),
  retries: z.number().int().min(0).max(5).default(2),
  maxRetryAfterMs: z.number().int().min(0).default(60_000),
  respectRobots: z.boolean().default(true),
  checkExternalLinks: z.boolean().default(true),
});

export type CrawlSettings = z.output<typeof crawlSettingsSchema>;

export function crawlSettings(overrides: Partial<CrawlSettings> = {}): CrawlSettings {
  return crawlSettingsSchema.parse(overrides);
}
