import type { CheerioAPI } from 'cheerio';

/**
 * Where a page sends its visitor without a click: <meta http-equiv="refresh" content="0;url=…">
 * or an inline script assigning location. County portals often answer "/" with such a stub that
 * forwards to the real home page (/col/col1234/index.html); without following it a crawl would
 * stop at the door. Only literal string targets count.
 */
const META_URL = /url\s*=\s*['"]?([^'";\s]+)/i;
const SCRIPT_ASSIGN =
  /(?:^|[;{}\s])(?:(?:window|self|top|document)\s*\.\s*)?location(?:\s*\.\s*href)?\s*=\s*(['"])([^'"\n]+)\1/;
const SCRIPT_CALL = /location\s*\.\s*(?:replace|assign)\s*\(\s*(['"])([^'"\n]+)\1\s*\)/;

/** Visible characters below which a page that forwards its visitors is only a door to its target. */
const STUB_TEXT = 200;

/**
 * A page is a door when it shows almost nothing: only then is its redirect where visitors really
 * land. A full page's script redirect is usually conditional (mobile detection) and is not followed.
 */
export function isStubText(visibleText: string): boolean {
  return visibleText.replace(/\s+/g, '').length < STUB_TEXT;
}

export function clientRedirect($: CheerioAPI): string | undefined {
  for (const el of $('meta[http-equiv]').toArray()) {
    if (($(el).attr('http-equiv') ?? '').trim().toLowerCase() !== 'refresh') continue;
    const target = META_URL.exec($(el).attr('content') ?? '')?.[1];
    if (target) return target;
  }
  for (const el of $('script:not([src])').toArray()) {
    const code = $(el).text();
    const target = (SCRIPT_ASSIGN.exec(code) ?? SCRIPT_CALL.exec(code))?.[2];
    if (target && !/^(javascript:|about:|#)/i.test(target.trim())) return target.trim();
  }
  return undefined;
}
