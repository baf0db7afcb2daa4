import iconv from 'iconv-lite';
import chardet from 'chardet';

/**
 * Bytes → text for HTML pages: BOM, then the Content-Type charset, then a <meta> prescan, then
 * strict UTF-8, then GB18030. GBK and GB2312 labels are decoded as GB18030 (its superset), since
 * government pages labelled gb2312 routinely contain GBK-only characters.
 */
export interface Decoded {
  text: string;
  charset: string;
  /** How the charset was chosen: bom | header | meta | utf8-valid | detected | fallback */
  source: string;
  /** Set when the bytes did not decode cleanly (many U+FFFD): the page is kept, but flagged. */
  warning?: string;
}

const CHINESE_LABELS = new Set([
  'gbk',
  'gb2312',
  'gb_2312-80',
  'x-gbk',
  'gb18030',
  'cp936',
  'euc-cn',
  'csgb2312',
]);

export function normaliseCharset(label: string | undefined | null): string | undefined {
  if (!label) return undefined;
  const l = label
    .trim()
    .toLowerCase()
    .replace(/^["']|["']$/g, '');
  if (CHINESE_LABELS.has(l)) return 'gb18030';
  if (l === 'utf8' || l === 'utf-8') return 'utf-8';
  return iconv.encodingExists(l) ? l : undefined;
}

export function charsetFromContentType(contentType: string | null | undefined): string | undefined {
  const m = /charset\s*=\s*["']?([\w.:-]+)/i.exec(contentType ?? '');
  return normaliseCharset(m?.[1]);
}

function charsetFromMeta(bytes: Buffer): string | undefined {
  // Prescan the first 4 KB as latin1: meta tags are ASCII whatever the page encoding.
  const head = bytes.subarray(0, 4096).toString('latin1');
  const m =
    /<meta[^>]+charset\s*=\s*["']?\s*([\w.:-]+)/i.exec(head) ??
    /<meta[^>]+content\s*=\s*["'][^"']*charset=([\w.:-]+)/i.exec(head);
  return normaliseCharset(m?.[1]);
}

function isValidUtf8(bytes: Buffer): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}

export function decodeHtml(bytes: Buffer, contentType?: string | null): Decoded {
  return withWarning(chooseAndDecode(bytes, contentType));
}

function chooseAndDecode(bytes: Buffer, contentType?: string | null): Decoded {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf)
    return { text: bytes.subarray(3).toString('utf8'), charset: 'utf-8', source: 'bom' };
  const header = charsetFromContentType(contentType);
  const meta = charsetFromMeta(bytes);
  // A header saying utf-8 over bytes that are not UTF-8 is a server default, not the truth.
  const declared =
    header && !(header === 'utf-8' && meta && meta !== 'utf-8' && !isValidUtf8(bytes)) ? header : meta;
  if (declared) {
    if (declared === 'utf-8' && !isValidUtf8(bytes) && isPlausibleGb(bytes))
      return { text: iconv.decode(bytes, 'gb18030'), charset: 'gb18030', source: 'fallback' };
    return {
      text: iconv.decode(bytes, declared),
      charset: declared,
      source: header === declared ? 'header' : 'meta',
    };
  }
  if (isValidUtf8(bytes)) return { text: bytes.toString('utf8'), charset: 'utf-8', source: 'utf8-valid' };
  return detect(bytes);
}

/**
 * No usable declaration and not UTF-8: ask chardet, but on 政府网站 an undeclared CJK page is
 * almost always GBK, so only a confident Big5 or a non-CJK single-byte guess overrides GB18030.
 */
function detect(bytes: Buffer): Decoded {
  const best = chardet.analyse(bytes.subarray(0, 65536))[0];
  const name = best?.name.toLowerCase() ?? '';
  const singleByte = /^(iso-8859-\d+|windows-125\d)$/.test(name);
  if ((name === 'big5' && (best?.confidence ?? 0) >= 60) || (singleByte && !isPlausibleGb(bytes)))
    return { text: iconv.decode(bytes, name), charset: name, source: 'detected' };
  return { text: iconv.decode(bytes, 'gb18030'), charset: 'gb18030', source: 'fallback' };
}

function withWarning(d: Decoded): Decoded {
  const bad = d.text.match(/\uFFFD/g)?.length ?? 0;
  return bad > 20 && bad > d.text.length / 200
    ? { ...d, warning: `页面编码无法可靠识别（${bad} 个无法解码的字符）` }
    : d;
}

function isPlausibleGb(bytes: Buffer): boolean {
  const text = iconv.decode(bytes.subarray(0, 65536), 'gb18030');
  const cjk = text.match(/[\u4e00-\u9fff]/g)?.length ?? 0;
  const bad = text.match(/\uFFFD/g)?.length ?? 0;
  return cjk > 0 && bad < cjk / 20;
}
