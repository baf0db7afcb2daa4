import type { Parsed, TextSegment } from './types.js';
import { decodeHtml } from '../../crawl/decodeHtml.js';

export function stripBom(text: string): string {
  return text.replace(/^(?:\uFEFF|\u00EF\u00BB\u00BF)/, '');
}

/**
 * Text files and HTML: UTF-16 by BOM, otherwise as the crawler decodes pages (UTF-8 BOM, declared
 * charset, strict UTF-8, GB18030 — government sites serve GBK as often as UTF-8).
 */
export function decodeText(buf: Buffer, contentType?: string): string {
  if (buf[0] === 0xff && buf[1] === 0xfe) return new TextDecoder('utf-16le').decode(buf);
  if (buf[0] === 0xfe && buf[1] === 0xff) return new TextDecoder('utf-16be').decode(buf);
  return decodeHtml(buf, contentType).text;
}

/** TXT as one 正文 segment; CSV (by extension or content type) one segment per line, headed by the first. */
export function extractPlain(body: Buffer, ext: string, contentType: string): Parsed {
  const text = stripBom(decodeText(body, contentType));
  if (ext !== 'csv' && !contentType.toLowerCase().includes('text/csv')) {
    return { segments: text.trim() ? [{ location: '正文', text }] : [], warnings: [] };
  }
  const segments: TextSegment[] = [];
  let header: string | undefined;
  text.split(/\r?\n/).forEach((line, i) => {
    if (line.trim() === '') return;
    header ??= line;
    segments.push({ location: `第${i + 1}行`, text: line, context: header });
  });
  return { segments, warnings: [] };
}
