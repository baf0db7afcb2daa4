import { z } from 'zod';
import { VERSION } from '../version.js';

/** Run settings: crawl politeness and limits. Defaults are safe for small county servers. */
export const crawlSettingsSchema = z.object({
  /** Where a site's webmaster can learn who is crawling them; goes into the User-Agent. */
  contactUrl: z.url({ message: '联系网址必须是完整网址' }).default('https://github.com/xuncha/xuncha'),
  /** Overrides the User-Agent built from the version and contactUrl. */
  userAgent: z
    .string()
    // HTTP headers carry Latin-1 only, so the identification must be ASCII.
    .regex(/^[\x20-\x7e]+$/, { message: 'User-Agent 只能包含 ASCII 字符' })
    .optional(),
  perHostConcurrency: z.number().int().min(1).max(16).default(2),
  perHostDelayMs: z.number().int().min(0).default(500),
  /**
   * Requests in flight across all hosts. It only has to bound sockets and response buffers, never
   * the pace: politeness allows each host at most 1000 / perHostDelayMs starts per second, so a
   * county of 100 hosts at 500 ms needs about 200 × latency in flight (20 at 100 ms, 60 at
   * 300 ms). 64 lets such a county run at its politeness limit up to ~300 ms per response.
   */
  globalConcurrency: z.number().int().min(1).max(256).default(64),
  /**
   * At most this many host groups crawled at once. Absent (the default): every group at once, each
   * as fast as its own host's politeness allows; a group costs little memory (its frontier lives in
   * the store) and the global cap bounds the requests. Set it only to stage a crawl on purpose.
   */
  concurrentUnits: z.number().int().min(1).optional(),
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
  /** Still read a site whose HTTPS certificate is invalid (and report the certificate). */
  tlsFallback: z.boolean().default(true),
  checkExternalLinks: z.boolean().default(true),
  /** auto: render only pages whose lists are built by scripts; never; always (slow). */
  render: z.enum(['auto', 'never', 'always']).default('auto'),
  renderConcurrency: z.number().int().min(1).max(8).default(2),
  /** Screenshots of the pages that prove findings (src/evidence/), after the check stage. */
  screenshots: z.boolean().default(true),
  /** At most this many pages drawn per unit (one screenshot serves every finding on its page). */
  screenshotsPerUnit: z.number().int().min(1).max(100).default(10),
  /** Threads that decode and parse pages; 0 parses on the main thread. Default: spare cores, 1–4. */
  analysisWorkers: z.number().int().min(0).max(16).optional(),
});

export type CrawlSettings = Omit<z.output<typeof crawlSettingsSchema>, 'userAgent'> & { userAgent: string };

export function crawlSettings(overrides: Partial<CrawlSettings> = {}): CrawlSettings {
  const s = crawlSettingsSchema.parse(overrides);
  return {
    ...s,
    userAgent: s.userAgent ?? `xuncha/${VERSION} (government website inspection; +${s.contactUrl})`,
  };
}
