import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchResource } from '../../src/crawl/fetchResource.js';
import { addressNetwork, RequestGuard, type Resolver } from '../../src/crawl/requestGuard.js';
import { crawlSettings } from '../../src/config/settings.js';
import { HostScheduler } from '../../src/crawl/politeness.js';
import { politeFetch } from '../../src/crawl/politeFetch.js';
import { RobotsCache } from '../../src/crawl/robots.js';
import { sitemapUrls } from '../../src/crawl/sitemaps.js';

/** A resolver from a table: the test decides what every name resolves to, no DNS involved. */
const table =
  (entries: Record<string, string[]>): Resolver =>
  async (name) => {
    const found = entries[name];
    if (!found) throw Object.assign(new Error(`ENOTFOUND ${name}`), { code: 'ENOTFOUND' });
    return found;
  };

describe('addressNetwork', () => {
  it('classifies IPv4 ranges a public crawler must not reach', () => {
    expect(addressNetwork('127.0.0.1')).toBe('loopback');
    expect(addressNetwork('127.255.0.9')).toBe('loopback');
    expect(addressNetwork('0.0.0.0')).toBe('unspecified');
    expect(addressNetwork('0.1.2.3')).toBe('unspecified');
    expect(addressNetwork('10.20.30.40')).toBe('private');
    expect(addressNetwork('172.16.0.1')).toBe('private');
    expect(addressNetwork('172.31.255.255')).toBe('private');
    expect(addressNetwork('192.168.1.1')).toBe('private');
    expect(addressNetwork('100.64.0.1')).toBe('shared-nat');
    expect(addressNetwork('100.127.255.255')).toBe('shared-nat');
    expect(addressNetwork('169.254.169.254')).toBe('link-local');
    expect(addressNetwork('224.0.0.1')).toBe('multicast');
    expect(addressNetwork('255.255.255.255')).toBe('reserved');
  });

  it('leaves public IPv4 neighbours of those ranges alone', () => {
    for (const ip of ['172.15.255.255', '172.32.0.1', '100.63.255.255', '100.128.0.1', '11.0.0.1', '8.8.8.8'])
      expect(addressNetwork(ip), ip).toBeUndefined();
  });

  it('sees through IPv6 forms: mapped, compatible, NAT64, loopback, unspecified, ULA, link-local', () => {
    expect(addressNetwork('::ffff:127.0.0.1')).toBe('loopback');
    expect(addressNetwork('::ffff:7f00:1')).toBe('loopback');
    expect(addressNetwork('::ffff:169.254.169.254')).toBe('link-local');
    expect(addressNetwork('::ffff:a9fe:a9fe')).toBe('link-local');
    expect(addressNetwork('::10.0.0.1')).toBe('private');
    expect(addressNetwork('64:ff9b::c0a8:101')).toBe('private');
    expect(addressNetwork('::1')).toBe('loopback');
    expect(addressNetwork('::')).toBe('unspecified');
    expect(addressNetwork('fc00::1')).toBe('unique-local');
    expect(addressNetwork('fdff:ffff::1')).toBe('unique-local');
    expect(addressNetwork('fe80::1%eth0')).toBe('link-local');
    expect(addressNetwork('febf::1')).toBe('link-local');
    expect(addressNetwork('ff02::1')).toBe('multicast');
    expect(addressNetwork('2400:3200::1')).toBeUndefined();
    expect(addressNetwork('::ffff:8.8.8.8')).toBeUndefined();
  });
});

describe('RequestGuard.check', () => {
  const resolver = table({
    'www.example.gov.cn': ['203.0.113.10'],
    'cdn.example.gov.cn': ['203.0.113.11', '2001:db8::1'],
    'oa.example.gov.cn': ['203.0.113.12', '10.1.1.1'],
    'metadata.example.gov.cn': ['::ffff:169.254.169.254'],
    'intranet.example.gov.cn': ['192.168.10.5'],
    'cgnat.example.gov.cn': ['100.64.0.1'],
  });
  const publicUnit = new RequestGuard([], resolver);

  it('refuses literal private addresses in every spelling', async () => {
    for (const url of [
      'http://127.0.0.1:8080/',
      'http://[::ffff:127.0.0.1]/',
      'http://[::ffff:169.254.169.254]/latest/meta-data/',
      'http://[::]/',
      'http://[::1]/',
      'http://0.0.0.0/',
      'http://localhost/',
      'http://localhost./',
      'http://LOCALHOST../',
      'http://a.localhost/',
      'http://100.64.0.1/',
      'http://169.254.169.254/',
      'http://[fd12::1]/',
      'http://[fe80::1]/',
      'http://10.1.2.3/admin',
      'http://0x7f.1/',
      'http://2130706433/',
    ])
      expect((await publicUnit.check(url))?.kind, url).toBe('out-of-scope');
  });

  it('resolves names and judges every address, not just the first', async () => {
    expect(await publicUnit.check('https://www.example.gov.cn/xxgk/')).toBeUndefined();
    expect(await publicUnit.check('https://cdn.example.gov.cn/a.js')).toBeUndefined();
    const mixed = await publicUnit.check('https://oa.example.gov.cn/');
    expect(mixed?.message).toContain('oa.example.gov.cn → 10.1.1.1');
    expect(mixed?.message).toContain('内网地址');
    expect((await publicUnit.check('http://metadata.example.gov.cn/'))?.message).toContain('元数据');
    expect((await publicUnit.check('http://intranet.example.gov.cn./'))?.kind).toBe('out-of-scope');
    expect((await publicUnit.check('http://cgnat.example.gov.cn/'))?.kind).toBe('out-of-scope');
  });

  it('leaves an unresolvable name to the fetch, which reports it as a DNS failure', async () => {
    expect(await publicUnit.check('http://nowhere.example.gov.cn/')).toBeUndefined();
  });

  it('refuses what is not http(s)', async () => {
    expect((await publicUnit.check('file:///etc/passwd'))?.kind).toBe('out-of-scope');
    expect((await publicUnit.check('ftp://www.example.gov.cn/'))?.kind).toBe('out-of-scope');
  });

  it('allows the networks the unit itself is seeded in, and only those', async () => {
    const intranetUnit = await RequestGuard.forSeeds(['http://intranet.example.gov.cn/'], resolver);
    expect([...intranetUnit.allowed]).toEqual(['private']);
    expect(await intranetUnit.check('http://10.9.9.9/')).toBeUndefined();
    expect((await intranetUnit.check('http://127.0.0.1/'))?.kind).toBe('out-of-scope');
    expect((await intranetUnit.check('http://169.254.169.254/'))?.kind).toBe('out-of-scope');
    const local = await RequestGuard.forSeeds(['http://127.0.0.1:9000/'], resolver);
    expect(await local.check('http://localhost:9001/')).toBeUndefined();
    expect((await local.check('http://10.0.0.8/'))?.kind).toBe('out-of-scope');
  });
});

describe('fetchResource through the guard', () => {
  let server: Server;
  let origin: string;
  const hits: string[] = [];
  beforeAll(async () => {
    server = createServer((req, res) => {
      hits.push(req.url ?? '');
      if (req.url === '/robots.txt') {
        res.writeHead(200, { 'Content-Type': 'text/plain' });
        // One declared sitemap in the intranet, one that redirects there, one of the site's own.
        return res.end(
          `User-agent: *\nSitemap: http://oa.example.gov.cn/sitemap.xml\nSitemap: /r?to=${encodeURIComponent('http://[::ffff:10.0.0.1]/s.xml')}\nSitemap: /own.xml\n`,
        );
      }
      if (req.url === '/own.xml') {
        res.writeHead(200, { 'Content-Type': 'application/xml' });
        return res.end(
          '<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>http://127.0.0.1/a.html</loc></url></urlset>',
        );
      }
      const to = new URL(req.url ?? '/', 'http://x').searchParams.get('to');
      if (to) {
        res.writeHead(302, { Location: to });
        return res.end();
      }
      res.writeHead(200, { 'Content-Type': 'text/plain' });
      res.end('ok');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => server.close());

  const opts = (guard: RequestGuard) => ({
    userAgent: 'xuncha-test',
    timeoutMs: 3000,
    maxBytes: 4096,
    guard,
  });

  it('judges every redirect hop: a public page may not send us into the intranet', async () => {
    const resolver = table({ 'oa.example.gov.cn': ['10.1.1.1'] });
    const guard = new RequestGuard(['loopback'], resolver);
    for (const target of [
      'http://oa.example.gov.cn/secret',
      'http://[::ffff:169.254.169.254]/latest/meta-data/',
      'http://169.254.169.254./latest/',
    ]) {
      const r = await fetchResource(`${origin}/r?to=${encodeURIComponent(target)}`, opts(guard));
      expect(r.errorKind, target).toBe('out-of-scope');
      expect(r.finalUrl).toBe(new URL(target).toString());
      expect(r.body).toBeUndefined();
    }
    // Only the redirecting page itself was requested.
    expect(hits.every((h) => h.startsWith('/r?'))).toBe(true);
  });

  it('refuses at connect time a name that resolves differently than when it was checked (rebinding)', async () => {
    let calls = 0;
    const port = new URL(origin).port;
    // Public when judged, loopback (where our server listens) when connected.
    const rebinding: Resolver = async () => (++calls === 1 ? ['203.0.113.7'] : ['127.0.0.1']);
    const guard = new RequestGuard([], rebinding);
    hits.length = 0;
    const r = await fetchResource(`http://rebind.example.gov.cn:${port}/data`, opts(guard));
    expect(calls).toBeGreaterThanOrEqual(2);
    expect(r.errorKind).toBe('out-of-scope');
    expect(r.error).toContain('127.0.0.1');
    expect(hits).toEqual([]);
  });

  it('connects through its own resolver when the name is allowed', async () => {
    const port = new URL(origin).port;
    const guard = new RequestGuard(['loopback'], table({ 'www.county.test': ['127.0.0.1'] }));
    const r = await fetchResource(`http://www.county.test:${port}/hello`, opts(guard));
    expect(r.status).toBe(200);
    expect(r.body?.toString()).toBe('ok');
  });

  it('fetches robots.txt sitemaps only where the guard allows', async () => {
    const guard = new RequestGuard(['loopback'], table({ 'oa.example.gov.cn': ['10.1.1.1'] }));
    const settings = crawlSettings({ perHostDelayMs: 0, retries: 0 });
    const scheduler = new HostScheduler(2, 0, 4);
    const robots = new RobotsCache(settings.userAgent, (url, g) =>
      politeFetch(scheduler, settings, url, { guard: g, maxBytes: 65536 }, 0),
    );
    hits.length = 0;
    const pages = await sitemapUrls(`${origin}/`, robots, scheduler, settings, guard);
    expect(pages).toEqual(['http://127.0.0.1/a.html']);
    expect(hits.sort()).toEqual([
      '/own.xml',
      `/r?to=${encodeURIComponent('http://[::ffff:10.0.0.1]/s.xml')}`,
      '/robots.txt',
    ]);
  });
});
