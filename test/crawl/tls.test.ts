import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listResources } from '../../src/store/crawlData.js';
import { crawlUnits, unit } from '../helpers/crawlFixture.js';

/** A county site on HTTPS with a self-signed certificate (test/fixtures/tls). */
const PAGES: Record<string, string> = {
  '/': '<html><head><meta charset="utf-8"><title>示范区司法局</title></head><body><a href="/a.html">通知</a></body></html>',
  '/a.html': '<html><head><meta charset="utf-8"><title>通知</title></head><body><p>正文</p></body></html>',
};

let server: Server;
let origin: string;
let refusedHandshakes = 0;
beforeAll(async () => {
  server = createServer(
    {
      key: readFileSync('test/fixtures/tls/self-signed.key'),
      cert: readFileSync('test/fixtures/tls/self-signed.crt'),
    },
    (req, res) => {
      const html = PAGES[req.url ?? '/'];
      res.writeHead(html ? 200 : 404, { 'Content-Type': 'text/html; charset=utf-8' });
      res.end(html ?? 'not found');
    },
  );
  server.on('tlsClientError', () => refusedHandshakes++);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  origin = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => server.close());

describe('a site with an invalid HTTPS certificate', () => {
  it('is still crawled, every page marked with the certificate problem', async () => {
    const { db, runId, summaries } = await crawlUnits([unit('sfj', [`${origin}/`])], { render: 'never' });
    expect(summaries[0]).toMatchObject({ status: 'done', pages: 2 });
    const pages = (await listResources(db, runId, 'sfj')).filter((r) => r.kind === 'page');
    expect(pages.map((r) => [new URL(r.url).pathname, r.status])).toEqual([
      ['/', 200],
      ['/a.html', 200],
    ]);
    for (const p of pages)
      expect(p.headers['x-xuncha-tls-error']).toBe(
        'HTTPS 证书无效：自签名证书（DEPTH_ZERO_SELF_SIGNED_CERT）',
      );
    // Only the first request paid for a refused handshake; the host is then read unverified directly.
    expect(refusedHandshakes).toBe(1);
  });

  it('is refused, and the unit reported unreachable, with --strict-tls', async () => {
    const { db, runId, summaries } = await crawlUnits([unit('sfj', [`${origin}/`])], {
      render: 'never',
      tlsFallback: false,
    });
    expect(summaries[0]).toMatchObject({ status: 'failed' });
    expect((await listResources(db, runId, 'sfj'))[0]).toMatchObject({ status: 0, errorKind: 'tls' });
  });
});
