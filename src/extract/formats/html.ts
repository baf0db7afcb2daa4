import * as cheerio from 'cheerio';
import type { AnyNode, Element } from 'domhandler';
import { decodeText } from './text.js';
import type { Parsed, TextSegment } from './types.js';
import { visibleText } from '../visibleText.js';

/** Attributes whose values a visitor can see (tooltips, alt text, form values) or that carry data. */
const SHOWN_ATTRIBUTES = new Set(['title', 'alt', 'value', 'placeholder', 'label', 'aria-label', 'summary']);
const LINK_SCHEMES = /^\s*(?:tel|sms|mailto):/i;
const JS_TYPES = /^(?:$|text\/javascript|application\/javascript|module|text\/ecmascript)/i;

function attributeLocation(el: Element, name: string, value: string): string | undefined {
  if (SHOWN_ATTRIBUTES.has(name) || name.startsWith('data-')) return `网页属性 ${name}`;
  if (name === 'content' && el.name === 'meta') return '网页属性 content（meta）';
  if (name === 'href' && LINK_SCHEMES.test(value)) return '网页属性 href（电话或邮件链接）';
  return undefined;
}

/** Attribute values, comments and data scripts (XML/JSON records a script renders into the page). */
function hiddenHtmlText(root: AnyNode[]): Map<string, string[]> {
  const found = new Map<string, string[]>();
  const add = (location: string, text: string) => {
    if (text.trim() === '') return;
    const list = found.get(location) ?? [];
    list.push(text.trim());
    found.set(location, list);
  };
  const walk = (node: AnyNode): void => {
    if (node.type === 'comment') {
      add('HTML 注释', (node as unknown as { data: string }).data);
      return;
    }
    if (node.type !== 'tag' && node.type !== 'script' && node.type !== 'style' && node.type !== 'root')
      return;
    const el = node as Element;
    for (const [name, value] of Object.entries(el.attribs ?? {})) {
      const location = attributeLocation(el, name.toLowerCase(), value);
      if (location) add(location, value);
    }
    if (el.name === 'script' && !JS_TYPES.test(el.attribs?.type?.trim() ?? '')) {
      add('网页脚本数据', el.children.map((c) => (c as unknown as { data?: string }).data ?? '').join(''));
      return;
    }
    for (const child of el.children ?? []) walk(child);
  };
  root.forEach(walk);
  return found;
}

/**
 * Segments of an HTML page: 网页标题, 正文 (visible text, table cells tab-separated), then attribute
 * values (网页属性 title …), HTML 注释 and 网页脚本数据 — published, even where a browser hides them.
 */
export function htmlSegments(html: string): TextSegment[] {
  return segmentsOf(cheerio.load(html));
}

/** htmlSegments of an already loaded document (read only). */
export function segmentsOf($: cheerio.CheerioAPI): TextSegment[] {
  const segments: TextSegment[] = [];
  const title = $('title').first().text().trim();
  if (title) segments.push({ location: '网页标题', text: title });
  const text = visibleText($.root().toArray());
  if (text.trim()) segments.push({ location: '正文', text });
  for (const [location, values] of hiddenHtmlText($.root().toArray()))
    segments.push({ location, text: values.join('\n') });
  return segments;
}

export function extractHtml(body: Buffer, contentType: string): Parsed {
  return { segments: htmlSegments(decodeText(body, contentType)), warnings: [] };
}
