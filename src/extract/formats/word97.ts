import { runParser } from './childParser.js';
import type { WordParts } from './childParserScript.js';
import type { Limits } from './limits.js';
import type { Parsed, TextSegment } from './types.js';

const WORD_PARTS: readonly [keyof WordParts, string][] = [
  ['body', '正文'],
  ['textboxes', '文本框'],
  ['headers', '页眉'],
  ['footers', '页脚'],
  ['footnotes', '脚注'],
  ['endnotes', '尾注'],
  ['annotations', '批注'],
];

/** Word 97–2003 binary documents (DOC, and WPS in the same format), read by word-extractor in a child process. */
export async function extractDoc(body: Buffer, limits: Limits): Promise<Parsed> {
  const parts = await runParser<WordParts>({ task: 'word' }, body, limits.deadline);
  const segments: TextSegment[] = [];
  for (const [key, location] of WORD_PARTS) {
    // Word 97 marks cells and rows with control characters; word-extractor maps most to tabs and newlines.
    const text = (parts[key] ?? '').replace(/[\x00-\x08\x0b\x0c\x0e-\x1f]/g, '\n');
    if (text.trim() !== '') segments.push({ location, text });
  }
  if (segments.length === 0)
    return { segments: [], warnings: ['文档无文字内容（可能仅含图片），需人工复核'] };
  return { segments, warnings: [] };
}
