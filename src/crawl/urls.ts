import { isIP } from 'node:net';

/** Hrefs that are template placeholders or script calls: never requested, never dead links. */
const PLACEHOLDER = /\{\{|\}\}|\$\{|<%|%>|^\s*(javascript|vbscript|data|about):|ms-attr|el\.url|\[\[/i;
const NON_HTTP = /^\s*(mailto|tel|sms|ftp|file|weixin|mqq):/i;

export const ATTACHMENT_EXTENSIONS = [
  'pdf',
  'doc',
  'docx',
  'xls',
  'xlsx',
  'wps',
  'et',
  'dps',
  'ppt',
  'pptx',
  'zip',
  'rar',
  '7z',
  'txt',
  'csv',
  'ofd',
];
const ATTACHMENT_RE = new RegExp(`\\.(${ATTACHMENT_EXTENSIONS.join('|')})$`, 'i');
const TRACKING_PARAMS = /^(utm_\w+|spm|from|jsessionid|phpsessid|aspsessionid\w*|sid)$/i;

export function isPlaceholderHref(href: string): boolean {
  return PLACEHOLDER.test(href);
}

/** Resolve and normalise a link; undefined for links that are not fetchable http(s) URLs. */
export function normaliseUrl(href: string, base: string): string | undefined {
  const raw = href.trim();
  if (!raw || raw.startsWith('#') || isPlaceholderHref(raw) || NON_HTTP.test(raw)) return undefined;
  let url: URL;
  try {
    url = new URL(raw, base);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
  url.hash = '';
  // ;jsessionid=… path parameters make one page look like many.
  url.pathname = url.pathname.replace(/;jsessionid=[^/?]*/i, '');
  for (const key of [...url.searchParams.keys()]) if (TRACKING_PARAMS.test(key)) url.searchParams.delete(key);
  return url.toString();
}

export function isAttachmentUrl(url: string): boolean {
  try {
    return ATTACHMENT_RE.test(new URL(url).pathname);
  } catch {
    return false;
  }
}

/** host:port — the unit of politeness and of scope. */
export function hostKey(url: string): string {
  return new URL(url).host.toLowerCase();
}

/** Which private network a URL's host is in (loopback, 10/8, 172.16/12, 192.168/16, link-local, ULA), if any. */
export function privateNetwork(url: string): string | undefined {
  const host = new URL(url).hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (host === 'localhost' || host.endsWith('.localhost') || host === '::1') return 'loopback';
  const family = isIP(host);
  if (family === 4) {
    const [a, b] = host.split('.').map(Number) as [number, number];
    if (a === 127 || a === 0) return 'loopback';
    if (a === 10) return '10/8';
    if (a === 172 && b >= 16 && b <= 31) return '172.16/12';
    if (a === 192 && b === 168) return '192.168/16';
    if (a === 169 && b === 254) return 'link-local';
  }
  if (family === 6) {
    if (host.startsWith('fc') || host.startsWith('fd')) return 'ula';
    if (host.startsWith('fe80')) return 'link-local';
  }
  return undefined;
}

export function isPrivateHost(url: string): boolean {
  return privateNetwork(url) !== undefined;
}
