import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { validId } from './fakeIds.js';

/**
 * A generated county for the queue tests: units on loopback hosts (127.0.0.x, each its own host),
 * some hosts carrying two units under path prefixes (a 集约化 portal's columns). Each unit has a
 * home page, columns with paginated lists and articles, one dead link and one article exposing an
 * ID number — enough for crawl, checks and findings. Every response waits `latencyMs`.
 *
 * The server records, per host, every request's path and start/end time: tests read how often a
 * page was fetched and whether a host ever had more requests in flight, or closer together, than
 * politeness allows.
 */
export interface CountyUnit {
  id: string;
  name: string;
  host: string;
  /** '' for a unit owning its host, '/b' for a column under a prefix. */
  prefix: string;
}

export interface RequestRecord {
  path: string;
  start: number;
  end: number;
}

export interface GeneratedCounty {
  units: CountyUnit[];
  port: number;
  origin(u: CountyUnit): string;
  seedsYaml(): string;
  /** Requests per host, in arrival order. */
  requests: Map<string, RequestRecord[]>;
  /** Pages a unit has (articles, list pages, columns, home). */
  pagesPerUnit: number;
  close(): Promise<void>;
}

const ARTICLES_PER_PAGE = 8;

/** Columns per unit and list pages per column. */
interface Shape {
  columns: number;
  listPages: number;
}

function html(title: string, body: string, date = '2026-11-20'): string {
  return `<!DOCTYPE html><html><head><meta charset="utf-8"><title>${title}</title>
<meta name="PubDate" content="${date} 09:00:00"></head><body><h1>${title}</h1>${body}</body></html>`;
}

function page(
  u: CountyUnit,
  path: string,
  { columns: COLUMNS, listPages: PAGES_PER_COLUMN }: Shape,
): string | undefined {
  const base = u.prefix;
  const rel = path.slice(base.length) || '/';
  if (rel === '/' || rel === '/index.html') {
    const cols = Array.from(
      { length: COLUMNS },
      (_, c) => `<li><a href="${base}/col${c}/">栏目${c}</a></li>`,
    );
    return html(`${u.name}`, `<ul>${cols.join('')}</ul><a href="${base}/missing.html">旧页面</a>`);
  }
  const list = /^\/col(\d+)\/(?:index(?:_(\d+))?\.html)?$/.exec(rel);
  if (list) {
    const c = Number(list[1]);
    const p = Number(list[2] ?? 0);
    if (c >= COLUMNS || p >= PAGES_PER_COLUMN) return undefined;
    const items = Array.from({ length: ARTICLES_PER_PAGE }, (_, i) => {
      const n = p * ARTICLES_PER_PAGE + i;
      return `<li><a href="${base}/col${c}/art${n}.html">栏目${c}文章${n}</a><span>2026-11-${String(1 + (n % 28)).padStart(2, '0')}</span></li>`;
    });
    const next = p + 1 < PAGES_PER_COLUMN ? `<a href="${base}/col${c}/index_${p + 1}.html">下一页</a>` : '';
    return html(`栏目${c}`, `<ul>${items.join('')}</ul>${next}`);
  }
  const art = /^\/col(\d+)\/art(\d+)\.html$/.exec(rel);
  if (art) {
    const [c, n] = [Number(art[1]), Number(art[2])];
    if (c >= COLUMNS || n >= PAGES_PER_COLUMN * ARTICLES_PER_PAGE) return undefined;
    // One article per unit carries a roster with an unmasked ID number (a personal-data finding).
    const roster =
      c === 0 && n === 0
        ? `<table><tr><td>姓名</td><td>身份证号</td></tr><tr><td>张三</td><td>${validId('35050219900101123')}</td></tr></table>`
        : '';
    return html(`栏目${c}文章${n}`, `<p>正文内容 ${u.name} ${c}-${n}</p>${roster}`);
  }
  return undefined;
}

export async function startGeneratedCounty(o: {
  hosts: number;
  /** Hosts (the first ones) that carry a second unit under /b. */
  sharedHosts?: number;
  latencyMs?: number;
  /** Columns per unit and list pages per column (each list page links 8 articles). */
  columns?: number;
  listPages?: number;
}): Promise<GeneratedCounty> {
  const shape: Shape = { columns: o.columns ?? 4, listPages: o.listPages ?? 3 };
  const units: CountyUnit[] = [];
  for (let h = 0; h < o.hosts; h++) {
    const host = `127.0.0.${20 + h}`;
    units.push({
      id: `u${h}a`,
      name: `示范区单位${h}甲`,
      host,
      prefix: (o.sharedHosts ?? 0) > h ? '/a' : '',
    });
    if ((o.sharedHosts ?? 0) > h) units.push({ id: `u${h}b`, name: `示范区单位${h}乙`, host, prefix: '/b' });
  }
  const requests = new Map<string, RequestRecord[]>();
  const servers: Server[] = [];
  let port = 0;
  for (const host of new Set(units.map((u) => u.host))) {
    const server = createServer((req, res) => {
      const path = new URL(req.url ?? '/', 'http://x').pathname;
      const record: RequestRecord = { path, start: Date.now(), end: 0 };
      const list = requests.get(host) ?? [];
      list.push(record);
      requests.set(host, list);
      setTimeout(() => {
        record.end = Date.now();
        if (path === '/robots.txt') {
          res.writeHead(200, { 'Content-Type': 'text/plain' }).end('User-agent: *\nAllow: /\n');
          return;
        }
        const owner = units.find((u) => u.host === host && path.startsWith(`${u.prefix}/`));
        const body = owner && page(owner, path, shape);
        if (!body) res.writeHead(404, { 'Content-Type': 'text/html' }).end('<h1>404</h1>');
        else res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' }).end(body);
      }, o.latencyMs ?? 0);
    });
    // Every host on the same port: the crawler tells them apart by address alone.
    await new Promise<void>((resolve) => server.listen(port, host, resolve));
    port = (server.address() as AddressInfo).port;
    servers.push(server);
  }
  const origin = (u: CountyUnit) => `http://${u.host}:${port}${u.prefix}`;
  return {
    units,
    port,
    origin,
    requests,
    pagesPerUnit: 1 + shape.columns * shape.listPages * (1 + ARTICLES_PER_PAGE),
    seedsYaml: () =>
      `units:\n${units
        .map((u) => `  - id: ${u.id}\n    name: ${u.name}\n    level: 部门\n    start: ["${origin(u)}/"]\n`)
        .join('')}`,
    close: async () => {
      await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
    },
  };
}
