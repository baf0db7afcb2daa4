import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchResource } from '../../src/crawl/fetchResource.js';
import { RequestGuard } from '../../src/crawl/requestGuard.js';

const PAGE = '<html><head><meta charset="utf-8"><title>政务公开</title></head><body>通知公告</body></html>';
const BOMB = zlib.gzipSync(Buffer.alloc(8 * 1024 * 1024, 0x20));

const guard = new RequestGuard(['loopback']);
let server: Server;
let origin: string;
const seenEncodings: string[] = [];
beforeAll(async () => {
  server = createServer((req, res) => {
    seenEncodings.push(String(req.headers['accept-encoding']));
    const send = (encoding: string, body: Buffer) => {
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Content-Encoding': encoding });
      res.end(body);
    };
    const page = Buffer.from(PAGE);
    if (req.url === '/gzip') return send('gzip', zlib.gzipSync(page));
    if (req.url === '/br') return send('br', zlib.brotliCompressSync(page));
    if (req.url === '/deflate') return send('deflate', zlib.deflateSync(page));
    if (req.url === '/raw-deflate') return send('deflate', zlib.deflateRawSync(page));
    if (req.url === '/bomb') return send('gzip', BOMB);
    if (req.url === '/broken') return send('gzip', Buffer.from('not gzip at all'));
    if (req.url === '/not-modified') {
      res.writeHead(304, { 'Content-Encoding': 'gzip', ETag: '"v1"' });
      return res.end();
    }
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
    res.end(page);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => server.close());

const get = (path: string, maxBytes = 1024 * 1024) =>
  fetchResource(`${origin}${path}`, { userAgent: 'xuncha-test', timeoutMs: 5000, maxBytes, guard });

describe('fetchResource', () => {
  it('offers compression and undoes gzip, br, zlib and raw deflate', async () => {
    for (const path of ['/gzip', '/br', '/deflate', '/raw-deflate', '/plain']) {
      const r = await get(path);
      expect(r, path).toMatchObject({ status: 200, errorKind: null });
      expect(r.body?.toString('utf8'), path).toBe(PAGE);
    }
    expect(seenEncodings.every((e) => /gzip/.test(e) && /br/.test(e))).toBe(true);
  });

  it('stops a compressed bomb at the size cap, counted after decompression', async () => {
    // 8 MB of spaces is about 8 KB on the wire: far under the cap until it is unpacked.
    expect(BOMB.length).toBeLessThan(64 * 1024);
    const r = await get('/bomb', 1024 * 1024);
    expect(r).toMatchObject({ status: 200, errorKind: 'too-large' });
  });

  it('records a body that does not decompress as a network error, not a crash', async () => {
    expect(await get('/broken')).toMatchObject({
      status: 0,
      errorKind: 'network',
      error: '压缩内容无法解开',
    });
  });

  it('reads a 304 without a body even when it names an encoding', async () => {
    const r = await get('/not-modified');
    expect(r).toMatchObject({ status: 304, errorKind: null });
    expect(r.body?.length ?? 0).toBe(0);
    expect(r.headers.etag).toBe('"v1"');
  });
});
