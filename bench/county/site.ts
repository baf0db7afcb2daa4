/**
 * The county of bench/county.ts (and the province of bench/province.ts): N unit sites, each on its
 * own loopback address (hostAddress), all on one port, served by this one process. Every site is bench/crawl/site.ts's TRS-like
 * layout (home, column lists with pagers, articles, planted dead links), plus a small PDF
 * attachment on one article in ATTACHMENT_EVERY. Every response waits `latency` ms.
 *
 * Each address is bound explicitly (never 0.0.0.0), so the crawler sees N distinct hosts and keeps
 * N politeness budgets. Per host the server counts requests, how many were in progress at once,
 * and the smallest gap between two arrivals: the bench reads them to show politeness held.
 *
 * Run as a child with an IPC channel: node --import tsx bench/county/site.ts --units N --pages P
 * --latency L --dead D; it sends {port} once listening, answers 'stats' with CountyStats, and exits
 * when the parent goes away (IPC disconnect) or after --max-seconds.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pathToFileURL } from 'node:url';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { siteLayout, type Response, type SiteLayout } from '../crawl/site.js';

/** One article in this many carries a PDF attachment (real sites attach a table now and then). */
export const ATTACHMENT_EVERY = 40;

/**
 * Unit i's address: 127.0.0.2 … 127.0.0.254 (a county), then 127.0.1.2 … 127.0.1.254 and on (a
 * province: more units than one /24 holds; Linux routes all of 127/8 to the loopback device).
 * .1 of each /24 stays free for other benches.
 */
export function hostAddress(i: number): string {
  if (!Number.isInteger(i) || i < 0 || i >= 253 * 256)
    throw new Error(`units must be between 1 and ${253 * 256}`);
  return `127.0.${Math.floor(i / 253)}.${2 + (i % 253)}`;
}

export interface HostStats {
  address: string;
  requests: number;
  byStatus: Record<string, number>;
  maxInFlight: number;
  /** Smallest time between two request arrivals (ms), Infinity with fewer than two requests. */
  minGapMs: number;
  /** Arrivals closer than the politeness delay minus 20 ms (timer jitter), given by --delay. */
  gapsBelowDelay: number;
  firstAt: number;
  lastAt: number;
}

/**
 * Per-host counters, and how late this process's event loop ran: an arrival is timed when the loop
 * gets to it, so a loop stalled for S ms can make two of a host's arrivals look up to S ms closer
 * than they were sent.
 */
export interface CountyStats {
  hosts: HostStats[];
  loopDelayMaxMs: number;
  loopDelayP99Ms: number;
}

class HostCounter {
  requests = 0;
  byStatus: Record<string, number> = {};
  private inFlight = 0;
  maxInFlight = 0;
  minGapMs = Infinity;
  gapsBelowDelay = 0;
  firstAt = 0;
  lastAt = 0;

  constructor(
    readonly address: string,
    private readonly delayMs: number,
  ) {}

  arrive(): void {
    const now = performance.now();
    if (this.firstAt) {
      const gap = now - this.lastAt;
      this.minGapMs = Math.min(this.minGapMs, gap);
      if (gap < this.delayMs - 20) this.gapsBelowDelay++;
    } else this.firstAt = now;
    this.lastAt = now;
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
  }

  answer(status: number): void {
    this.inFlight--;
    this.requests++;
    this.byStatus[status] = (this.byStatus[status] ?? 0) + 1;
  }

  stats(): HostStats {
    const { address, requests, byStatus, maxInFlight, minGapMs, gapsBelowDelay, firstAt, lastAt } = this;
    return { address, requests, byStatus, maxInFlight, minGapMs, gapsBelowDelay, firstAt, lastAt };
  }
}

/** A one-page PDF with a line of ASCII text (xref offsets computed, so parsers take it as valid). */
function tinyPdf(text: string): Buffer {
  const stream = `BT /F1 12 Tf 72 720 Td (${text}) Tj ET`;
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    `<< /Length ${stream.length} >>\nstream\n${stream}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  let out = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((o, i) => {
    offsets.push(out.length);
    out += `${i + 1} 0 obj\n${o}\nendobj\n`;
  });
  const xref = out.length;
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const o of offsets) out += `${String(o).padStart(10, '0')} 00000 n \n`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, 'latin1');
}

const ARTICLE = /^\/col\d+\/\d{6}\/t\d{8}_(\d+)\.html$/;
const ATTACHMENT = /^\/files\/(\d+)\.pdf$/;

/** The layout's answer, with an attachment link on every ATTACHMENT_EVERY-th article. */
function respond(layout: SiteLayout, path: string): { status: number; type: string; body: string | Buffer } {
  const file = ATTACHMENT.exec(path);
  if (file) {
    const id = Number(file[1]);
    if (id % ATTACHMENT_EVERY === 0 && id < layout.articles)
      return { status: 200, type: 'application/pdf', body: tinyPdf(`Statistics table ${id}`) };
  }
  const r: Response = layout.respond(path);
  const article = r.status === 200 ? ARTICLE.exec(path) : null;
  if (article && Number(article[1]) % ATTACHMENT_EVERY === 0) {
    const link = `<ul class="attachments"><li><a href="/files/${article[1]}.pdf">附件：统计表.pdf</a></li></ul>`;
    return { ...r, body: r.body.replace('<div class="siblings">', `${link}<div class="siblings">`) };
  }
  return r;
}

function listen(server: Server, port: number, address: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, address, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

export interface County {
  port: number;
  stats(): CountyStats;
  close(): void;
}

/** Serve `units` sites on hostAddress(0 … units−1) at one port (retried on another port if one is taken). */
export async function serveCounty(opts: {
  units: number;
  pages: number;
  dead: number;
  latencyMs: number;
  delayMs: number;
}): Promise<County> {
  const layout = siteLayout({ pages: opts.pages, dead: opts.dead });
  const loop = monitorEventLoopDelay({ resolution: 10 });
  loop.enable();
  const counters = Array.from(
    { length: opts.units },
    (_, i) => new HostCounter(hostAddress(i), opts.delayMs),
  );
  const servers = counters.map((c) => {
    const server = createServer((req: IncomingMessage, res: ServerResponse) => {
      c.arrive();
      const path = (req.url ?? '/').split('?')[0]!;
      const r =
        req.method === 'GET' || req.method === 'HEAD'
          ? respond(layout, path)
          : { status: 405, type: 'text/plain', body: 'method not allowed' };
      setTimeout(() => {
        c.answer(r.status);
        res.writeHead(r.status, { 'Content-Type': r.type, 'Content-Length': Buffer.byteLength(r.body) });
        res.end(req.method === 'HEAD' ? undefined : r.body);
      }, opts.latencyMs);
    });
    // Longer than any client's idle timeout, so the server never closes a connection under a request.
    server.keepAliveTimeout = 120_000;
    server.headersTimeout = 121_000;
    return server;
  });
  const close = () =>
    servers.forEach((s) => {
      s.closeAllConnections();
      s.close();
    });
  for (let attempt = 0; ; attempt++) {
    try {
      const port = await listen(servers[0]!, 0, counters[0]!.address);
      for (let i = 1; i < servers.length; i++) await listen(servers[i]!, port, counters[i]!.address);
      const stats = () => ({
        hosts: counters.map((c) => c.stats()),
        loopDelayMaxMs: loop.max / 1e6,
        loopDelayP99Ms: loop.percentile(99) / 1e6,
      });
      return { port, stats, close };
    } catch (err) {
      await Promise.all(servers.filter((s) => s.listening).map((s) => new Promise((r) => s.close(r))));
      if ((err as NodeJS.ErrnoException).code !== 'EADDRINUSE' || attempt >= 5) throw err;
    }
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      units: { type: 'string', default: '100' },
      pages: { type: 'string', default: '2000' },
      latency: { type: 'string', default: '100' },
      dead: { type: 'string', default: '10' },
      delay: { type: 'string', default: '500' },
      'max-seconds': { type: 'string', default: '7200' },
    },
  });
  const county = await serveCounty({
    units: Number(values.units),
    pages: Number(values.pages),
    dead: Number(values.dead),
    latencyMs: Number(values.latency),
    delayMs: Number(values.delay),
  });
  const stop = () => {
    county.close();
    process.exit(0);
  };
  process.on('message', (m) => {
    if (m === 'stats') process.send?.({ stats: county.stats() });
  });
  // Bounded: stop when the parent goes away or after the time limit.
  process.on('disconnect', stop);
  process.on('SIGTERM', stop);
  setTimeout(stop, Number(values['max-seconds']) * 1000).unref();
  process.send?.({ port: county.port });
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
