import { lookup as dnsLookup } from 'node:dns';
import { isIP, type LookupFunction } from 'node:net';
import { Agent, type Dispatcher } from 'undici';

/**
 * The one gate every outgoing request passes: the crawler's fetches and each redirect hop,
 * robots.txt, sitemaps, soft-404 probes, external-link checks, availability probes and every
 * request Chromium makes while rendering. A host name is resolved first and *all* its addresses
 * are judged (one private A record among public ones is enough to refuse), so a hostile page
 * cannot point the crawler at an intranet service or a cloud metadata endpoint by a name, an
 * IPv4-mapped IPv6 literal, a trailing dot or a redirect.
 *
 * Private networks are refused unless the unit's own seeds live in them (a county intranet
 * portal, or the test sites on 127.0.0.1): a unit's scope decides, not a global switch.
 */

/** All addresses a host name resolves to (A and AAAA). Injected in tests. */
export type Resolver = (hostname: string) => Promise<string[]>;

export interface Refusal {
  kind: 'out-of-scope';
  /** Chinese, for the report: which address and which network. */
  message: string;
}

/** Networks a crawler of public websites must not reach unless the unit itself lives there. */
const NETWORK_NAMES: Record<string, string> = {
  loopback: '本机回环地址',
  unspecified: '未指定地址',
  private: '内网地址',
  'shared-nat': '运营商共享地址（100.64/10）',
  'link-local': '链路本地地址（含云主机元数据服务）',
  'unique-local': '内网地址（IPv6 唯一本地）',
  multicast: '组播地址',
  reserved: '保留地址',
};

function ipv4Network(ip: string): string | undefined {
  const [a, b] = ip.split('.').map(Number) as [number, number, number, number];
  if (a === 127) return 'loopback';
  if (a === 0) return 'unspecified';
  if (a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168)) return 'private';
  if (a === 100 && b >= 64 && b <= 127) return 'shared-nat';
  if (a === 169 && b === 254) return 'link-local';
  if (a >= 224 && a <= 239) return 'multicast';
  if (a >= 240) return 'reserved';
  return undefined;
}

/** The 16-bit groups of an IPv6 address (embedded dotted IPv4 included), or undefined. */
function ipv6Groups(ip: string): number[] | undefined {
  let text = ip.toLowerCase();
  const zone = text.indexOf('%');
  if (zone >= 0) text = text.slice(0, zone);
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted) {
    const [a, b, c, d] = dotted[1]!.split('.').map(Number) as [number, number, number, number];
    text = `${text.slice(0, dotted.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const parse = (s: string) => (s ? s.split(':').map((g) => parseInt(g, 16)) : []);
  const head = parse(halves[0]!);
  const tail = halves.length === 2 ? parse(halves[1]!) : [];
  const fill = 8 - head.length - tail.length;
  if (fill < 0 || (halves.length === 1 && fill !== 0)) return undefined;
  const groups = [...head, ...new Array<number>(fill).fill(0), ...tail];
  return groups.some((g) => Number.isNaN(g) || g < 0 || g > 0xffff) ? undefined : groups;
}

function ipv6Network(ip: string): string | undefined {
  const g = ipv6Groups(ip);
  if (!g) return 'reserved';
  const zeros = (n: number) => g.slice(0, n).every((x) => x === 0);
  const embedded = () => `${g[6]! >> 8}.${g[6]! & 0xff}.${g[7]! >> 8}.${g[7]! & 0xff}`;
  if (zeros(8)) return 'unspecified';
  if (zeros(7) && g[7] === 1) return 'loopback';
  // ::ffff:a.b.c.d (mapped), ::a.b.c.d (compatible) and 64:ff9b::a.b.c.d (NAT64) reach IPv4 hosts.
  if (zeros(5) && g[5] === 0xffff) return ipv4Network(embedded());
  if (zeros(6)) return ipv4Network(embedded());
  if (g[0] === 0x64 && g[1] === 0xff9b && g.slice(2, 6).every((x) => x === 0)) return ipv4Network(embedded());
  if ((g[0]! & 0xfe00) === 0xfc00) return 'unique-local';
  if ((g[0]! & 0xffc0) === 0xfe80) return 'link-local';
  if ((g[0]! & 0xff00) === 0xff00) return 'multicast';
  return undefined;
}

/** Which non-public network an IP address is in, undefined for a public address. */
export function addressNetwork(ip: string): string | undefined {
  const family = isIP(ip.replace(/%.*$/, ''));
  if (family === 4) return ipv4Network(ip);
  if (family === 6) return ipv6Network(ip);
  return 'reserved';
}

/** A URL's host name as the resolver sees it: no brackets, no trailing dots, lower case. */
export function bareHostname(url: string): string {
  return new URL(url).hostname
    .replace(/^\[|\]$/g, '')
    .replace(/\.+$/, '')
    .toLowerCase();
}

/** Names that never leave the machine, whatever a resolver says. */
function localName(hostname: string): boolean {
  return hostname === 'localhost' || hostname.endsWith('.localhost') || hostname === '';
}

const RESOLVE_TTL_MS = 60_000;

/** The system resolver (getaddrinfo, all families), cached briefly: pages of one host come in bursts. */
export function systemResolver(ttlMs = RESOLVE_TTL_MS): Resolver {
  const cache = new Map<string, { at: number; addresses: Promise<string[]> }>();
  return (hostname) => {
    const hit = cache.get(hostname);
    if (hit && Date.now() - hit.at < ttlMs) return hit.addresses;
    const addresses = new Promise<string[]>((resolve, reject) =>
      dnsLookup(hostname, { all: true, verbatim: true }, (err, list) =>
        err ? reject(err) : resolve(list.map((a) => a.address)),
      ),
    );
    // A failed lookup is not cached: the fetch reports it as a DNS failure in its own words.
    addresses.catch(() => cache.delete(hostname));
    cache.set(hostname, { at: Date.now(), addresses });
    if (cache.size > 10_000) cache.delete(cache.keys().next().value!);
    return addresses;
  };
}

let sharedResolver: Resolver | undefined;
const sharedGuards = new Map<string, RequestGuard>();
const defaultResolver = () => (sharedResolver ??= systemResolver());

export class RequestGuard {
  readonly allowed: ReadonlySet<string>;
  private readonly resolve: Resolver;
  private secureAgent: Agent | undefined;
  private insecureAgent: Agent | undefined;

  /**
   * @param allowed networks (see addressNetwork) requests may reach besides public addresses
   * @param resolver host name → addresses; the system resolver unless a test injects one
   */
  constructor(allowed: Iterable<string> = [], resolver?: Resolver) {
    this.allowed = new Set(allowed);
    this.resolve = resolver ?? defaultResolver();
  }

  /**
   * The guard for a unit: the networks its own seed URLs live in stay reachable. Units with the
   * same networks share one guard, and so one connection pool per host (集约化 portals serve
   * dozens of units from one host).
   */
  static async forSeeds(seedUrls: string[], resolver?: Resolver): Promise<RequestGuard> {
    const open = new RequestGuard([], resolver);
    const networks = new Set<string>();
    for (const url of seedUrls)
      for (const n of await open.networksOf(url).catch(() => [])) if (n) networks.add(n);
    if (resolver) return new RequestGuard(networks, resolver);
    const key = [...networks].sort().join(',');
    let guard = sharedGuards.get(key);
    if (!guard) sharedGuards.set(key, (guard = new RequestGuard(networks)));
    return guard;
  }

  /**
   * The HTTP client to send through: its connections resolve names with `lookup` below.
   * `insecure` skips certificate verification (tlsFallback: read a site with a broken certificate
   * and report the certificate; public pages only, no credentials sent).
   */
  dispatcher(insecure = false): Dispatcher {
    if (insecure)
      return (this.insecureAgent ??= new Agent({
        connect: { lookup: this.lookup, rejectUnauthorized: false },
      }));
    return (this.secureAgent ??= new Agent({ connect: { lookup: this.lookup } }));
  }

  /** A refusal when the URL must not be requested; undefined when it may be (or can't be resolved). */
  async check(url: string): Promise<Refusal | undefined> {
    let hostname: string;
    try {
      if (!/^https?:$/i.test(new URL(url).protocol)) return refuse('非 HTTP(S) 地址');
      hostname = bareHostname(url);
    } catch {
      return refuse('网址无法解析');
    }
    let addresses: string[];
    try {
      addresses = await this.addressesOf(hostname);
    } catch {
      // Unresolvable names are the fetch's to report (as a DNS failure); there is nothing to reach.
      return undefined;
    }
    return this.judge(hostname, addresses);
  }

  /**
   * For the HTTP client's connect step: resolve through the same resolver and refuse a disallowed
   * address at connection time, so a name that resolved to a public address when checked cannot
   * switch to an intranet one when connected (DNS rebinding).
   */
  readonly lookup: LookupFunction = (hostname, options, callback) => {
    const name = hostname.replace(/\.+$/, '').toLowerCase();
    this.addressesOf(name).then(
      (addresses) => {
        const refusal = this.judge(name, addresses);
        if (refusal) {
          const err = Object.assign(new Error(refusal.message), { code: OUT_OF_SCOPE_CODE });
          return callback(err, '', 0);
        }
        const entries = addresses.map((address) => ({ address, family: isIP(address) }));
        if ((options as { all?: boolean }).all) return (callback as AllCallback)(null, entries);
        const first = entries[0]!;
        callback(null, first.address, first.family);
      },
      (err: NodeJS.ErrnoException) => callback(err, '', 0),
    );
  };

  private addressesOf(hostname: string): Promise<string[]> {
    if (isIP(hostname)) return Promise.resolve([hostname]);
    if (localName(hostname)) return Promise.resolve(['127.0.0.1', '::1']);
    return this.resolve(hostname);
  }

  private async networksOf(url: string): Promise<(string | undefined)[]> {
    return (await this.addressesOf(bareHostname(url))).map(addressNetwork);
  }

  private judge(hostname: string, addresses: string[]): Refusal | undefined {
    if (!addresses.length) return undefined;
    for (const address of addresses) {
      const network = addressNetwork(address);
      if (network && !this.allowed.has(network)) {
        const shown = isIP(hostname) ? address : `${hostname} → ${address}`;
        return refuse(`${shown} 属于${NETWORK_NAMES[network] ?? network}，不在本单位巡查范围内，未访问`);
      }
    }
    return undefined;
  }
}

type AllCallback = (
  err: NodeJS.ErrnoException | null,
  addresses: { address: string; family: number }[],
) => void;

/** The error code the connect-time lookup fails with; fetchResource reports it as out-of-scope. */
export const OUT_OF_SCOPE_CODE = 'XUNCHA_OUT_OF_SCOPE';

function refuse(message: string): Refusal {
  return { kind: 'out-of-scope', message };
}
