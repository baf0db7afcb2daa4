import { randomBytes } from 'node:crypto';

/**
 * Soft 404s: a missing page answered with 200. Two signals, as link checkers' users ask for:
 * the page says so itself (title or heading "页面不存在"), or it looks like what the same host
 * returns for a random URL that cannot exist (same title, similar size, or the same redirect).
 */
/** What soft-404 detection needs of a page: computed where the page is parsed (a worker thread). */
export interface PageSignature {
  title: string;
  heading: string;
  /** Length of the decoded HTML. */
  size: number;
}

/** The page a host answers for a URL that cannot exist. */
export interface NotFoundSignature extends PageSignature {
  finalUrl: string;
}

// A bare "404" is not enough: 第404号 or 4045 are document numbers. It counts only as the whole
// title/heading or next to an error word.
const NOT_FOUND_TEXT =
  /^\s*(错误\s*)?404\s*$|404\s*(错误|页面|error|not\s*found)|页面不存在|页面未找到|找不到(该|此|您要访问的)?页面|您访问的页面不存在|信息不存在|文章不存在|已被删除|not\s*found/i;

export function randomProbeUrl(origin: string): string {
  return new URL(`/xuncha-404-check-${randomBytes(6).toString('hex')}.html`, origin).toString();
}

function titleOf(html: string): string {
  return (/<title[^>]*>([^<]*)<\/title>/i.exec(html)?.[1] ?? '').replace(/\s+/g, ' ').trim();
}

function headingOf(html: string): string {
  return (/<h1[^>]*>([\s\S]{0,200}?)<\/h1>/i.exec(html)?.[1] ?? '').replace(/<[^>]+>/g, '').trim();
}

export function pageSignature(html: string): PageSignature {
  return { title: titleOf(html), heading: headingOf(html), size: html.length };
}

/** A reason (Chinese) when a 200 page is really "not found"; undefined for a real page. */
export function softNotFoundReason(
  page: PageSignature,
  url: string,
  finalUrl: string,
  probe: NotFoundSignature | undefined,
): string | undefined {
  const { title, heading } = page;
  // Short pages only: a long article that mentions "404" in passing is a real page.
  if (page.size < 20_000 && (NOT_FOUND_TEXT.test(title) || NOT_FOUND_TEXT.test(heading)))
    return `页面返回 200，但标题为「${title || heading}」`;
  if (!probe) return undefined;
  if (finalUrl !== url && finalUrl === probe.finalUrl && probe.finalUrl !== url)
    return '跳转到了不存在页面统一跳转的地址';
  const similarSize = Math.abs(page.size - probe.size) <= probe.size * 0.05;
  if (probe.title && title === probe.title && similarSize)
    return `与访问不存在的网址时返回的页面相同（标题「${title}」）`;
  return undefined;
}
