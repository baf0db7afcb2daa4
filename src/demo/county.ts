import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { loadYamlFile } from '../config/yamlFile.js';
import { buildAttachments } from './attachments.js';
import { buildCatalogueFiles } from './catalogues.js';
import { request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
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
    /**
     * A column of another site (集约化): served by that site's server under `at` instead of on
     * a server of its own. Its pages keep root-relative links (href="/…"), rewritten to `at`.
     */
    mount: z
      .object({
        site: z.string().min(1),
        at: z.string().regex(/^\/[\w/-]*[\w-]$/, { message: '应为 /a/b 形式的路径' }),
      })
      .strict()
      .optional(),
  })
  .strict();

type SiteConfig = z.output<typeof siteSchema>;

/** href="/x", src="/x", action="/x" → under the column's folder; //host and absolute URLs stay. */
export function rebaseRootLinks(html: string, at: string): string {
  return html.replace(/\b(href|src|action)=(["'])\/(?!\/)/g, `$1=$2${at}/`);
}

/**
 * A portal's request for one of its columns goes to the column's own (internal) server with the
 * folder stripped; status, headers and bytes come back unchanged.
 */
function proxyTo(target: RunningSite, at: string, req: IncomingMessage, res: ServerResponse): void {
  const path = (req.url ?? '/').slice(at.length) || '/';
  const upstream = httpRequest(
    `${target.origin}${path.startsWith('/') ? path : `/${path}`}`,
    { method: req.method, headers: { ...req.headers, host: new URL(target.origin).host } },
    (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    },
  );
  upstream.on('error', () => {
    if (!res.headersSent) res.writeHead(502).end();
  });
  req.pipe(upstream);
}

export interface DemoCounty {
  /** The servers by site key (a column's is internal: reach it through `urls`). */
  sites: Map<string, RunningSite>;
  /** Each site's address as users see it: a column's is its folder on the portal. */
  urls: Map<string, string>;
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
 * Serve the sample county (seeds/demo/site/<key>/) on 127.0.0.1 as counties look since 集约化: the
 * portal serves the 部门 and 乡镇 that are its columns (`mount:` in their _site.yaml) under their
 * folders, and a 部门 with a site of its own has its own server (host). Pages are dated relative
 * to `today`.
 */
export async function startDemoCounty(opts: { root?: string; today: Date }): Promise<DemoCounty> {
  const root = opts.root ?? 'seeds/demo';
  const siteRoot = join(root, 'site');
  const keys = readdirSync(siteRoot).filter(
    (k) => statSync(join(siteRoot, k)).isDirectory() && existsSync(join(siteRoot, k, '_site.yaml')),
  );
  const origins: Record<string, string> = {};
  const ctx = { today: opts.today, origins };
  const configs = new Map<string, SiteConfig>(
    keys.map((k) => [k, loadYamlFile(join(siteRoot, k, '_site.yaml'), siteSchema)]),
  );
  const mounts = [...configs].filter(([, c]) => c.mount);
  for (const [key, c] of mounts)
    if (!configs.has(c.mount!.site) || configs.get(c.mount!.site)!.mount)
      throw new Error(`示例网站 ${key} 挂载到的 ${c.mount!.site} 不存在或本身也是挂载的栏目`);
  const sites = new Map<string, RunningSite>();
  try {
    // Columns first (each on an internal server), then the sites that serve them.
    const ordered = [...keys.sort()].sort(
      (a, b) => Number(!configs.get(a)!.mount) - Number(!configs.get(b)!.mount),
    );
    for (const key of ordered) {
      const dir = join(siteRoot, key);
      const site = configs.get(key)!;
      const at = site.mount?.at;
      const files = new Map([
        ...(await buildAttachments(dir, { today: opts.today })),
        ...(await buildCatalogueFiles(dir)),
      ]);
      const columns = mounts
        .filter(([, c]) => c.mount!.site === key)
        .map(([k, c]) => ({ at: c.mount!.at, site: sites.get(k)! }));
      const running = await startSiteServer({
        dir,
        charset: site.charset,
        responses: site.responses,
        flaky: site.flaky,
        files,
        render: (t) => (at ? rebaseRootLinks(renderTemplate(t, ctx), at) : renderTemplate(t, ctx)),
        handle: columns.length
          ? (req, res) => {
              const path = (req.url ?? '/').split('?')[0]!;
              const column = columns.find((c) => path === c.at || path.startsWith(`${c.at}/`));
              if (!column) return false;
              proxyTo(column.site, column.at, req, res);
              return true;
            }
          : undefined,
      });
      sites.set(key, running);
    }
    for (const [key, running] of sites) {
      const mount = configs.get(key)!.mount;
      origins[key] = mount ? `${sites.get(mount.site)!.origin}${mount.at}` : running.origin;
    }
  } finally {
    await closeBrowser();
  }
  const seedsText = renderTemplate(readFileSync(join(root, 'units.yaml'), 'utf8'), ctx);
  const rectified = join(root, 'site-rectified');
  return {
    sites,
    urls: new Map(Object.entries(origins)),
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
