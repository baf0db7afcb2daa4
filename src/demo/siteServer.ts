import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { extname, join, normalize } from 'node:path';
import type { AddressInfo } from 'node:net';
import { createHash } from 'node:crypto';
import iconv from 'iconv-lite';

/**
 * A static site server on 127.0.0.1 (port 0) shared by `xuncha demo`, tests and benchmarks.
 * Text files are templates (see renderTemplate); knobs in the query string let tests provoke
 * server behaviour: ?status=503 ?delay=3000 ?retryAfter=2.
 */
export interface ForcedResponse {
  path: string;
  status: number;
  headers?: Record<string, string>;
  body?: string;
}

export interface SiteOptions {
  dir: string;
  /** Template renderer applied to text files (identity when absent). */
  render?: (text: string) => string;
  /** 'gbk' encodes text files to GBK and omits the charset from Content-Type, as many old CMSes do. */
  charset?: 'utf-8' | 'gbk';
  responses?: ForcedResponse[];
  /** An unreliable server: every n-th request for `path` answers `status` (availability demos). */
  flaky?: { path: string; every: number; status: number };
  /** Generated binary files by URL path. */
  files?: Map<string, { body: Buffer; contentType: string }>;
  /** Folders whose files replace the site's own (a site after its webmaster edited some pages). */
  overlays?: string[];
  /** Extra handler tried first; return true when it answered. */
  handle?: (req: IncomingMessage, res: ServerResponse) => boolean | Promise<boolean>;
}

export interface RequestRecord {
  method: string;
  path: string;
  at: number;
  userAgent: string;
  headers: Record<string, string | string[] | undefined>;
}

export interface RunningSite {
  origin: string;
  port: number;
  requests: RequestRecord[];
  /** Replace the overlay folders while the site keeps running (same address, edited pages). */
  setOverlays(dirs: string[]): void;
  close(): Promise<void>;
}

const TEXT_TYPES: Record<string, string> = {
  '.html': 'text/html',
  '.htm': 'text/html',
  '.shtml': 'text/html',
  '.xml': 'application/xml',
  '.txt': 'text/plain',
  '.js': 'application/javascript',
  '.css': 'text/css',
};
const BINARY_TYPES: Record<string, string> = {
  '.pdf': 'application/pdf',
  '.xlsx': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  '.docx': 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  '.xls': 'application/vnd.ms-excel',
  '.doc': 'application/msword',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.gif': 'image/gif',
  '.zip': 'application/zip',
};

const NOT_FOUND_PAGE =
  '<!DOCTYPE html><html><head><meta charset="utf-8"><title>404 页面不存在</title></head>' +
  '<body><h1>404</h1><p>您访问的页面不存在或已被删除。</p></body></html>';

function resolveFile(dir: string, path: string): string | undefined {
  const rel = normalize(decodeURIComponent(path)).replace(/^(\.\.(\/|\\|$))+/, '');
  if (rel.split('/').some((seg) => seg.startsWith('_'))) return undefined;
  let file = join(dir, rel);
  if (!file.startsWith(dir)) return undefined;
  if (existsSync(file) && statSync(file).isDirectory()) file = join(file, 'index.html');
  return existsSync(file) && statSync(file).isFile() ? file : undefined;
}

function send(
  res: ServerResponse,
  status: number,
  type: string,
  body: Buffer | string,
  extra: Record<string, string> = {},
) {
  res.writeHead(status, { 'Content-Type': type, 'Content-Length': Buffer.byteLength(body), ...extra });
  res.end(body);
}

async function applyKnobs(url: URL, res: ServerResponse): Promise<boolean> {
  const delay = Number(url.searchParams.get('delay') ?? 0);
  if (delay > 0) await new Promise((r) => setTimeout(r, delay));
  const status = Number(url.searchParams.get('status') ?? 0);
  if (!status) return false;
  const retryAfter = url.searchParams.get('retryAfter');
  send(
    res,
    status,
    'text/html; charset=utf-8',
    `<html><body>status ${status}</body></html>`,
    retryAfter ? { 'Retry-After': retryAfter } : {},
  );
  return true;
}

/** 200 with an ETag, or 304 when the client already holds these bytes (conditional re-crawls). */
function sendContent(req: IncomingMessage, res: ServerResponse, type: string, body: Buffer): void {
  const etag = `"${createHash('sha1').update(body).digest('hex').slice(0, 16)}"`;
  if (req.headers['if-none-match'] === etag) {
    res.writeHead(304, { ETag: etag });
    return void res.end();
  }
  send(res, 200, type, body, { ETag: etag });
}

function serveFile(opts: SiteOptions, path: string, req: IncomingMessage, res: ServerResponse): void {
  const generated = opts.files?.get(path);
  if (generated) return sendContent(req, res, generated.contentType, generated.body);
  const file = [...(opts.overlays ?? []), opts.dir].reduce<string | undefined>(
    (found, dir) => found ?? resolveFile(dir, path),
    undefined,
  );
  if (!file) return send(res, 404, 'text/html; charset=utf-8', NOT_FOUND_PAGE);
  const ext = extname(file).toLowerCase();
  const textType = TEXT_TYPES[ext];
  if (!textType)
    return sendContent(req, res, BINARY_TYPES[ext] ?? 'application/octet-stream', readFileSync(file));
  const text = (opts.render ?? ((t) => t))(readFileSync(file, 'utf8'));
  if (opts.charset === 'gbk') return sendContent(req, res, textType, iconv.encode(text, 'gbk'));
  sendContent(req, res, `${textType}; charset=utf-8`, Buffer.from(text));
}

export async function startSiteServer(options: SiteOptions): Promise<RunningSite> {
  const opts = { ...options };
  const requests: RequestRecord[] = [];
  let flakyCount = 0;
  const server: Server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      requests.push({
        method: req.method ?? 'GET',
        path: url.pathname + url.search,
        at: Date.now(),
        userAgent: String(req.headers['user-agent'] ?? ''),
        headers: req.headers,
      });
      if (opts.handle && (await opts.handle(req, res))) return;
      if (opts.flaky && url.pathname === opts.flaky.path && ++flakyCount % opts.flaky.every === 0)
        return send(
          res,
          opts.flaky.status,
          'text/html; charset=utf-8',
          '<html><body>Service Unavailable</body></html>',
        );
      if (await applyKnobs(url, res)) return;
      const forced = opts.responses?.find((r) => r.path === url.pathname);
      if (forced)
        return send(
          res,
          forced.status,
          'text/html; charset=utf-8',
          forced.body ?? `<html><body>${forced.status}</body></html>`,
          forced.headers,
        );
      serveFile(opts, url.pathname, req, res);
    })().catch((err: unknown) => {
      if (!res.headersSent) send(res, 500, 'text/plain', String(err));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    origin: `http://127.0.0.1:${port}`,
    port,
    requests,
    setOverlays: (dirs) => void (opts.overlays = dirs),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
