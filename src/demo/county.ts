import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { loadYamlFile } from '../config/yamlFile.js';
import { buildAttachments } from './attachments.js';
import { startSiteServer, type RunningSite } from './siteServer.js';
import { renderTemplate } from './templateTokens.js';
import { closeBrowser } from '../render/htmlToPdf.js';

const siteSchema = z
  .object({
    name: z.string().min(1),
    charset: z.enum(['utf-8', 'gbk']).default('utf-8'),
    responses: z
      .array(z.object({ path: z.string().startsWith('/'), status: z.number().int() }).strict())
      .default([]),
    flaky: z
      .object({ path: z.string().startsWith('/'), every: z.number().int().min(2), status: z.number().int() })
      .strict()
      .optional(),
  })
  .strict();

export interface DemoCounty {
  sites: Map<string, RunningSite>;
  /** units.yaml with every {{origin:key}} replaced by the local server address. */
  seedsText: string;
  /**
   * The sites after their webmasters acted on the 整改通知 (seeds/demo/site-rectified/<key>/ pages
   * replace the originals), at the same addresses, so a second inspection can be re-checked.
   */
  rectify(): void;
  close(): Promise<void>;
}

/**
 * Serve the sample county (seeds/demo/site/<key>/) on 127.0.0.1, one server per site so each unit
 * is its own host, with pages dated relative to `today`.
 */
export async function startDemoCounty(opts: { root?: string; today: Date }): Promise<DemoCounty> {
  const root = opts.root ?? 'seeds/demo';
  const siteRoot = join(root, 'site');
  const keys = readdirSync(siteRoot).filter(
    (k) => statSync(join(siteRoot, k)).isDirectory() && existsSync(join(siteRoot, k, '_site.yaml')),
  );
  const origins: Record<string, string> = {};
  const ctx = { today: opts.today, origins };
  const sites = new Map<string, RunningSite>();
  try {
    for (const key of keys.sort()) {
      const dir = join(siteRoot, key);
      const site = loadYamlFile(join(dir, '_site.yaml'), siteSchema);
      const files = await buildAttachments(dir, { today: opts.today });
      const running = await startSiteServer({
        dir,
        charset: site.charset,
        responses: site.responses,
        flaky: site.flaky,
        files,
        render: (t) => renderTemplate(t, ctx),
      });
      origins[key] = running.origin;
      sites.set(key, running);
    }
  } finally {
    await closeBrowser();
  }
  const seedsText = renderTemplate(readFileSync(join(root, 'units.yaml'), 'utf8'), ctx);
  const rectified = join(root, 'site-rectified');
  return {
    sites,
    seedsText,
    rectify: () => {
      for (const [key, site] of sites)
        if (existsSync(join(rectified, key))) site.setOverlays([join(rectified, key)]);
    },
    close: async () => {
      await Promise.all([...sites.values()].map((s) => s.close()));
    },
  };
}
