import type { AnyNode, Element } from 'domhandler';

const SKIP = new Set(['script', 'style', 'noscript', 'template', 'head', 'svg', 'object']);
const BLOCK = new Set([
  'p',
  'div',
  'li',
  'ul',
  'ol',
  'tr',
  'table',
  'tbody',
  'thead',
  'section',
  'article',
  'header',
  'footer',
  'nav',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'br',
  'dd',
  'dt',
  'dl',
  'form',
  'blockquote',
  'pre',
  'hr',
  'title',
  'option',
]);
const CELL = new Set(['td', 'th']);

/**
 * Visible text with separators kept: block elements end a line and table cells are tab-separated,
 * so digits in adjacent cells ("1" | "350502…") never fuse into one long number. Elements in `skip`
 * (a list's rows, when a page's own dates are looked for) end a line and are left out.
 */
export function visibleText(nodes: AnyNode[], skip?: ReadonlySet<AnyNode>): string {
  const parts: string[] = [];
  const walk = (node: AnyNode): void => {
    if (skip?.has(node)) {
      parts.push('\n');
      return;
    }
    if (node.type === 'text') {
      parts.push((node as unknown as { data: string }).data);
      return;
    }
    if (node.type !== 'tag' && node.type !== 'root') return;
    const el = node as Element;
    const name = el.name?.toLowerCase();
    if (name && SKIP.has(name)) return;
    const block = name !== undefined && BLOCK.has(name);
    if (block) parts.push('\n');
    for (const child of el.children) walk(child);
    if (name && CELL.has(name)) parts.push('\t');
    if (block) parts.push('\n');
  };
  for (const n of nodes) walk(n);
  return parts
    .join('')
    .replace(/&nbsp;|\u00a0/g, ' ')
    .replace(/[ \t\r\f\v]*\n[\s]*/g, '\n')
    .replace(/[ \f\v\r]+/g, ' ')
    .trim();
}
