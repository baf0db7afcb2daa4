/**
 * A large TRS-like government site synthesised from the URL (no files), for the crawl benchmark.
 *
 *   /                                   home: links to every column
 *   /col{k}/index.html, index_{i}.html  column list pages, TRS pager script + a plain "next" link
 *   /col{k}/{yyyymm}/t{yyyymmdd}_{id}.html  articles, <meta name="PubDate">, a few links
 *   /robots.txt                         allows everything
 *   /__bench/stats, /__bench/reset      request counters for the benchmark (never linked)
 *
 * A known set of dead links (404) is planted on articles; `siteLayout(spec).deadUrls(origin)`
 * lists them. Every response is delayed by `latency` ms; keep-alive stays on.
 *
 * Run as a child process: node --import tsx bench/crawl/site.ts --pages N --latency L --dead D
 * prints its port on stdout, and exits when its stdin closes or after --max-seconds.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

export interface SiteSpec {
  /** Target number of HTML pages (home + list pages + articles) answering 200. */
  pages: number;
  /** Number of planted dead links (each a distinct URL answering 404). */
  dead: number;
  /** Articles per list page. */
  perList?: number;
}

const PARAGRAPH =
  '为深入贯彻落实党中央、国务院关于全面推进政务公开工作的决策部署，进一步提升政府信息公开质量和实效，' +
  '根据《中华人民共和国政府信息公开条例》有关规定，结合本地实际，现将有关事项通知如下。各乡镇人民政府、' +
  '县直各有关单位要高度重视，明确责任分工，细化工作措施，确保各项任务按时保质完成。对工作中遇到的新情况、' +
  '新问题，要及时研究解决，重大事项及时报告。本通知自印发之日起施行，由县人民政府办公室负责解释。';

const DAY_MS = 86_400_000;
const BASE_DAY = Date.UTC(2025, 5, 30);
const DATE_SPAN = 1500;

function pad(n: number, w = 2): string {
  return String(n).padStart(w, '0');
}

/** Dates by id, precomputed: yyyymm, yyyymmdd, yyyy-mm-dd. */
const DATES = Array.from({ length: DATE_SPAN }, (_, i) => {
  const d = new Date(BASE_DAY - i * DAY_MS);
  const y = d.getUTCFullYear();
  const m = pad(d.getUTCMonth() + 1);
  const day = pad(d.getUTCDate());
  return { ym: `${y}${m}`, ymd: `${y}${m}${day}`, iso: `${y}-${m}-${day}` };
});

function dateOf(id: number): { ym: string; ymd: string; iso: string } {
  return DATES[id % DATE_SPAN]!;
}

export interface Response {
  status: number;
  type: string;
  body: string;
}

export class SiteLayout {
  readonly perList: number;
  readonly columns: number;
  articles: number;
  /** First article id and article count of each column (index = column number - 1). */
  private colStart: number[] = [];
  private colCount: number[] = [];
  /** Planted dead-link numbers by the article that links them. */
  private readonly deadByArticle = new Map<number, number[]>();
  private readonly deadHost: number[] = [];
  private readonly nav: string;

  constructor(readonly spec: SiteSpec) {
    this.perList = spec.perList ?? 20;
    this.columns = Math.min(200, Math.max(2, Math.ceil(spec.pages / 1000)));
    // pages = 1 (home) + list pages + articles, with list pages ≈ articles / perList.
    this.articles = Math.max(
      this.columns,
      Math.round(((spec.pages - 1 - this.columns) * this.perList) / (this.perList + 1)),
    );
    this.distribute();
    // The estimate ignores rounding per column: top it up until the site has the pages asked for.
    while (this.totalPages < spec.pages) {
      this.articles++;
      this.distribute();
    }
    for (let j = 0; j < spec.dead; j++) {
      const host = Math.min(this.articles - 1, Math.floor(((j + 0.5) * this.articles) / spec.dead));
      this.deadHost.push(host);
      const list = this.deadByArticle.get(host) ?? [];
      list.push(j);
      this.deadByArticle.set(host, list);
    }
    const cols = Array.from(
      { length: Math.min(this.columns, 8) },
      (_, k) => `<li><a href="/col${k + 1}/index.html">栏目${k + 1}</a></li>`,
    ).join('');
    this.nav =
      `<div class="header"><div class="logo"><a href="/">某某县人民政府</a></div>` +
      `<ul class="nav"><li><a href="/">首页</a></li>${cols}</ul></div>`;
  }

  private distribute(): void {
    this.colStart = [];
    this.colCount = [];
    let start = 0;
    for (let k = 0; k < this.columns; k++) {
      const n = Math.floor(this.articles / this.columns) + (k < this.articles % this.columns ? 1 : 0);
      this.colStart.push(start);
      this.colCount.push(n);
      start += n;
    }
  }

  listPages(col: number): number {
    return Math.max(1, Math.ceil((this.colCount[col - 1] ?? 0) / this.perList));
  }

  /** HTML pages that answer 200 (home + list pages + articles). */
  get totalPages(): number {
    let lists = 0;
    for (let k = 1; k <= this.columns; k++) lists += this.listPages(k);
    return 1 + lists + this.articles;
  }

  private columnOf(id: number): number {
    // Columns hold contiguous id ranges of near-equal size: a short search from the estimate.
    let k = Math.min(this.columns - 1, Math.floor(id / Math.max(1, this.articles / this.columns)));
    while (k > 0 && id < this.colStart[k]!) k--;
    while (k < this.columns - 1 && id >= this.colStart[k]! + this.colCount[k]!) k++;
    return k + 1;
  }

  articlePath(id: number): string {
    const d = dateOf(id);
    return `/col${this.columnOf(id)}/${d.ym}/t${d.ymd}_${id}.html`;
  }

  deadPath(j: number): string {
    const host = this.deadHost[j]!;
    const d = dateOf(host);
    const col = this.columnOf(host);
    switch (j % 3) {
      case 0:
        return `/col${col}/${d.ym}/t${d.ymd}_${host}_${j}.html`;
      case 1:
        return `/protect/P0${d.ym}/P0${d.ymd}${j}.pdf`;
      default:
        return `/col${col}/old${j}/index.html`;
    }
  }

  deadUrls(origin: string): string[] {
    return Array.from({ length: this.spec.dead }, (_, j) => origin + this.deadPath(j));
  }

  private page(title: string, meta: string, main: string): string {
    return (
      `<!DOCTYPE html><html><head><meta charset="utf-8"><title>${title}_某某县人民政府</title>` +
      `<meta name="SiteName" content="某某县人民政府"><meta name="SiteIdcode" content="1234000001">${meta}` +
      `<link rel="stylesheet" href="/images/style.css"></head><body>${this.nav}${main}` +
      `<div class="footer"><p><a href="/">网站首页</a> | 主办：某某县人民政府办公室</p>` +
      `<p>网站标识码：1234000001 备案号：某ICP备00000000号</p></div></body></html>`
    );
  }

  home(): Response {
    const cols = Array.from(
      { length: this.columns },
      (_, k) => `<li><a href="/col${k + 1}/index.html">栏目${k + 1}</a></li>`,
    ).join('');
    const latest = Array.from({ length: Math.min(10, this.articles) }, (_, i) => {
      const id = this.colStart[i % this.columns]! + Math.floor(i / this.columns);
      return `<li><a href="${this.articlePath(id)}">通知公告 ${id}</a><span>${dateOf(id).iso}</span></li>`;
    }).join('');
    return this.html(
      this.page(
        '首页',
        '',
        `<div class="main"><ul class="columns">${cols}</ul><ul class="news">${latest}</ul></div>`,
      ),
    );
  }

  list(col: number, index: number): Response | undefined {
    const pages = this.listPages(col);
    if (col < 1 || col > this.columns || index >= pages) return undefined;
    const first = this.colStart[col - 1]! + index * this.perList;
    const last = Math.min(this.colStart[col - 1]! + this.colCount[col - 1]!, first + this.perList);
    let items = '';
    for (let id = first; id < last; id++) {
      const d = dateOf(id);
      items += `<li><a href="./${d.ym}/t${d.ymd}_${id}.html" title="关于印发第${id}号文件的通知">关于印发第${id}号文件的通知</a><span>${d.iso}</span></li>`;
    }
    const next = index + 1 < pages ? `<a href="index_${index + 1}.html">下一页</a>` : '';
    const main =
      `<div class="main"><div class="position">当前位置：<a href="/">首页</a> &gt; 栏目${col}</div>` +
      `<ul class="list">${items}</ul><div class="page">` +
      `<script>createPageHTML(${pages}, ${index}, "index", "html");</script>${next}</div></div>`;
    return this.html(this.page(`栏目${col}`, `<meta name="ColumnName" content="栏目${col}">`, main));
  }

  article(col: number, id: number, ymd: string): Response | undefined {
    if (id >= this.articles || this.columnOf(id) !== col || dateOf(id).ymd !== ymd) return undefined;
    const d = dateOf(id);
    const title = `关于印发第${id}号文件的通知`;
    const paragraphs = `<p>${PARAGRAPH}</p>`.repeat(8 + (id % 8));
    const dead = (this.deadByArticle.get(id) ?? [])
      .map((j) => `<li><a href="${this.deadPath(j)}">附件${j}</a></li>`)
      .join('');
    const sibling = (other: number, label: string) =>
      other >= this.colStart[col - 1]! && other < this.colStart[col - 1]! + this.colCount[col - 1]!
        ? `<a href="${this.articlePath(other)}">${label}</a>`
        : '';
    const main =
      `<div class="main"><div class="position">当前位置：<a href="/">首页</a> &gt; ` +
      `<a href="/col${col}/index.html">栏目${col}</a></div><h1>${title}</h1>` +
      `<div class="info">发布日期：${d.iso} 来源：县政府办公室</div><div class="content">${paragraphs}</div>` +
      (dead ? `<ul class="attachments">${dead}</ul>` : '') +
      `<div class="siblings">${sibling(id - 1, '上一篇')} ${sibling(id + 1, '下一篇')}</div></div>`;
    const meta =
      `<meta name="ArticleTitle" content="${title}"><meta name="PubDate" content="${d.iso} 09:00">` +
      `<meta name="ColumnName" content="栏目${col}">`;
    return this.html(this.page(title, meta, main));
  }

  private html(body: string): Response {
    return { status: 200, type: 'text/html; charset=utf-8', body };
  }

  respond(path: string): Response {
    if (path === '/' || path === '/index.html') return this.home();
    if (path === '/robots.txt') return { status: 200, type: 'text/plain', body: 'User-agent: *\nAllow: /\n' };
    const list = /^\/col(\d+)\/index(?:_(\d+))?\.html$/.exec(path);
    const article = list ? null : /^\/col(\d+)\/\d{6}\/t(\d{8})_(\d+)\.html$/.exec(path);
    const found = list
      ? this.list(Number(list[1]), Number(list[2] ?? 0))
      : article
        ? this.article(Number(article[1]), Number(article[3]), article[2]!)
        : undefined;
    return (
      found ?? {
        status: 404,
        type: 'text/html; charset=utf-8',
        body: '<!DOCTYPE html><html><head><title>404</title></head><body><h1>页面不存在</h1></body></html>',
      }
    );
  }
}

export function siteLayout(spec: SiteSpec): SiteLayout {
  return new SiteLayout(spec);
}

export interface SiteStats {
  requests: number;
  byStatus: Record<string, number>;
  /** Most requests in progress at once (arrived, not yet answered). */
  maxInFlight: number;
  /** Time-weighted mean of requests in progress, from the first request to the last answer. */
  meanInFlight: number;
}

/** Counts requests and how many are in progress; the bench reads it through /__bench/stats. */
class Counters {
  requests = 0;
  byStatus: Record<string, number> = {};
  private inFlight = 0;
  private maxInFlight = 0;
  private area = 0;
  private first = 0;
  private last = 0;

  private tick(delta: number): void {
    const now = performance.now();
    if (this.first === 0) this.first = now;
    else this.area += this.inFlight * (now - this.last);
    this.last = now;
    this.inFlight += delta;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
  }

  arrive(): void {
    this.tick(1);
  }

  answer(status: number): void {
    this.tick(-1);
    this.requests++;
    this.byStatus[status] = (this.byStatus[status] ?? 0) + 1;
  }

  stats(): SiteStats {
    const span = this.last - this.first;
    return {
      requests: this.requests,
      byStatus: this.byStatus,
      maxInFlight: this.maxInFlight,
      meanInFlight: span > 0 ? this.area / span : 0,
    };
  }
}

/** Serve the layout on 127.0.0.1; resolves with the port once listening. */
export function serveSite(layout: SiteLayout, latencyMs: number): Promise<{ port: number; close(): void }> {
  let counters = new Counters();
  const send = (res: ServerResponse, r: Response) => {
    res.writeHead(r.status, { 'Content-Type': r.type, 'Content-Length': Buffer.byteLength(r.body) });
    res.end(r.body);
  };
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? '/').split('?')[0]!;
    if (path.startsWith('/__bench/')) {
      if (path === '/__bench/reset') counters = new Counters();
      return send(res, { status: 200, type: 'application/json', body: JSON.stringify(counters.stats()) });
    }
    const c = counters;
    c.arrive();
    const r = req.method === 'GET' || req.method === 'HEAD' ? layout.respond(path) : undefined;
    const out = r ?? { status: 405, type: 'text/plain', body: 'method not allowed' };
    const answer = () => {
      c.answer(out.status);
      send(res, out);
    };
    if (latencyMs > 0) setTimeout(answer, latencyMs);
    else answer();
  });
  // Longer than any client's idle timeout, so the server never closes a connection under a request.
  server.keepAliveTimeout = 120_000;
  server.headersTimeout = 121_000;
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      resolve({
        port: (server.address() as AddressInfo).port,
        close: () => {
          server.closeAllConnections();
          server.close();
        },
      });
    });
  });
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      pages: { type: 'string', default: '1000' },
      latency: { type: 'string', default: '0' },
      dead: { type: 'string', default: '50' },
      'max-seconds': { type: 'string', default: '3600' },
    },
  });
  const layout = siteLayout({ pages: Number(values.pages), dead: Number(values.dead) });
  const site = await serveSite(layout, Number(values.latency));
  process.stdout.write(`${site.port}\n`);
  const stop = () => {
    site.close();
    process.exit(0);
  };
  // Bounded: stop when the parent goes away (stdin closes) or after the time limit.
  process.stdin.on('end', stop).on('close', stop).resume();
  setTimeout(stop, Number(values['max-seconds']) * 1000).unref();
  process.on('SIGTERM', stop);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
