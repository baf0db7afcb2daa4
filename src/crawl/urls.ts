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
