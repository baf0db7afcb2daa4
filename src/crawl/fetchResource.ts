/**
 * One HTTP exchange with manual redirects (so loops and hops are visible), a timeout, a size cap,
 * and failures classified instead of thrown.
 */
export interface FetchOptions {
  method?: 'GET' | 'HEAD';
  userAgent: string;
  timeoutMs: number;
  maxBytes: number;
  maxRedirects?: number;
  /** Validators from an earlier crawl: a server that knows the page is unchanged answers 304. */
  etag?: string;
  lastModified?: string;
}

export interface FetchResult {
  url: string;
  finalUrl: string;
  status: number;
  headers: Record<string, string>;
  body?: Buffer;
  errorKind: string | null;
  error: string | null;
  durationMs: number;
}

export function classifyStatus(status: number): string | null {
  if (status === 401 || status === 403 || status === 429 || status === 999) return 'blocked';
  if (status >= 500) return 'http-5xx';
  if (status >= 400) return 'http-4xx';
  return null;
}

export function classifyError(err: unknown): { kind: string; message: string } {
  const e = err as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  const code = e.cause?.code ?? '';
  if (e.name === 'TimeoutError' || e.name === 'AbortError' || /TIMEOUT/.test(code))
    return { kind: 'timeout', message: '请求超时' };
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return { kind: 'dns', message: '域名无法解析' };
  if (code === 'ECONNREFUSED') return { kind: 'refused', message: '连接被拒绝' };
  if (/CERT|SSL|TLS/i.test(code)) return { kind: 'tls', message: `证书或加密连接错误（${code}）` };
  return { kind: 'network', message: `网络错误（${code || e.message || String(err)}）` };
}

async function readCapped(res: Response, maxBytes: number): Promise<{ body: Buffer; truncated: boolean }> {
  if (!res.body) return { body: Buffer.alloc(0), truncated: false };
  const chunks: Buffer[] = [];
  let size = 0;
  const reader = res.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      return { body: Buffer.concat(chunks), truncated: true };
    }
    chunks.push(Buffer.from(value));
  }
  return { body: Buffer.concat(chunks), truncated: false };
}

function headersOf(res: Response): Record<string, string> {
  const out: Record<string, string> = {};
  res.headers.forEach((v, k) => (out[k] = v));
  return out;
}

function requestHeaders(opts: FetchOptions): Record<string, string> {
  const headers: Record<string, string> = {
    'User-Agent': opts.userAgent,
    Accept: '*/*',
    'Accept-Language': 'zh-CN,zh;q=0.9',
  };
  if (opts.etag) headers['If-None-Match'] = opts.etag;
  if (opts.lastModified) headers['If-Modified-Since'] = opts.lastModified;
  return headers;
}

export async function fetchResource(url: string, opts: FetchOptions): Promise<FetchResult> {
  const started = Date.now();
  const seen = new Set<string>([url]);
  const signal = AbortSignal.timeout(opts.timeoutMs);
  let current = url;
  const done = (r: Omit<FetchResult, 'url' | 'durationMs'>): FetchResult => ({
    url,
    durationMs: Date.now() - started,
    ...r,
  });
  try {
    for (let hop = 0; ; hop++) {
      const res = await fetch(current, {
        method: opts.method ?? 'GET',
        redirect: 'manual',
        signal,
        headers: requestHeaders(opts),
      });
      const location = res.headers.get('location');
      if (res.status >= 300 && res.status < 400 && location) {
        await res.body?.cancel();
        const next = new URL(location, current).toString();
        if (seen.has(next) || hop >= (opts.maxRedirects ?? 5))
          return done({
            finalUrl: next,
            status: res.status,
            headers: headersOf(res),
            errorKind: 'redirect-loop',
            error: `重定向循环或次数过多（${hop + 1} 次）`,
          });
        seen.add(next);
        current = next;
        continue;
      }
      const headers = headersOf(res);
      if (opts.method === 'HEAD') {
        await res.body?.cancel();
        return done({
          finalUrl: current,
          status: res.status,
          headers,
          errorKind: classifyStatus(res.status),
          error: null,
        });
      }
      const { body, truncated } = await readCapped(res, opts.maxBytes);
      if (truncated)
        return done({
          finalUrl: current,
          status: res.status,
          headers,
          body,
          errorKind: 'too-large',
          error: `超过大小上限 ${opts.maxBytes} 字节`,
        });
      return done({
        finalUrl: current,
        status: res.status,
        headers,
        body,
        errorKind: classifyStatus(res.status),
        error: null,
      });
    }
  } catch (err) {
    const { kind, message } = classifyError(err);
    return done({ finalUrl: current, status: 0, headers: {}, errorKind: kind, error: message });
  }
}

/** Retry-After as milliseconds (seconds or an HTTP date); undefined when absent or unparsable. */
export function retryAfterMs(headers: Record<string, string>, now = Date.now()): number | undefined {
  const v = headers['retry-after'];
  if (!v) return undefined;
  if (/^\d+$/.test(v.trim())) return Number(v.trim()) * 1000;
  const at = Date.parse(v);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}
