/**
 * Code that runs inside the evidence browser (passed to page.evaluate, so each function is
 * self-contained: no imports, no closures over module scope). Page scripts are disabled; only
 * these run.
 */

/** One visible text of the page: a text node, or the value of a form field. */
export interface PageText {
  text: string;
}

/** A span of one PageText to replace by its masked form. */
export interface MaskSpan {
  index: number;
  start: number;
  end: number;
  masked: string;
}

/** What to outline: links to a URL, the element showing one of several spellings of a text, or the masked data. */
export type Target = { href: string } | { text: string[] } | { pii: true };

export interface Banner {
  lines: string[];
}

export interface ApplyResult {
  masked: number;
  outlined: number;
  /** Whether the first target was found and scrolled to. */
  located: boolean;
  /** Where the masked boxes landed in the image (CSS pixels of the viewport). */
  boxes: { x: number; y: number; width: number; height: number }[];
}

/**
 * Collect every text the page shows, in document order, and remember where each came from
 * (window.__xunchaTexts) for applyEvidenceMarks.
 */
export function collectPageTexts(): string[] {
  const skip = new Set(['SCRIPT', 'STYLE', 'NOSCRIPT', 'TEMPLATE', 'TITLE', 'HEAD']);
  const sources: (Text | HTMLInputElement | HTMLTextAreaElement)[] = [];
  const walker = document.createTreeWalker(document.documentElement, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const parent = n.parentElement;
    if (!parent || skip.has(parent.tagName)) continue;
    if (!(n as Text).data.trim()) continue;
    sources.push(n as Text);
  }
  for (const el of Array.from(document.querySelectorAll('input, textarea'))) {
    const field = el as HTMLInputElement | HTMLTextAreaElement;
    if (field.value) sources.push(field);
  }
  (window as unknown as { __xunchaTexts: typeof sources }).__xunchaTexts = sources;
  return sources.map((s) => (s instanceof Text ? s.data : s.value));
}

/**
 * Replace every detected personal-data span by its masked form inside a solid box (so the image
 * never holds the raw value, whatever the overlay's alignment), outline the finding's targets,
 * scroll to the first one and pin a banner with the record (URL, fetch time, status, hash).
 */
export function applyEvidenceMarks(arg: {
  spans: MaskSpan[];
  targets: Target[];
  banner: Banner;
}): ApplyResult {
  const sources = (window as unknown as { __xunchaTexts: (Text | HTMLInputElement | HTMLTextAreaElement)[] })
    .__xunchaTexts;
  const OUTLINE = 'outline:3px solid #e00000 !important;outline-offset:2px !important;';
  const byIndex = new Map<number, MaskSpan[]>();
  for (const s of arg.spans) byIndex.set(s.index, [...(byIndex.get(s.index) ?? []), s]);
  const marks: HTMLElement[] = [];
  for (const [index, spans] of byIndex) {
    const source = sources[index];
    if (!source) continue;
    if (!(source instanceof Text)) {
      // A form field cannot hold markup: its value becomes the masked text and the field is boxed.
      let value = source.value;
      for (const s of [...spans].sort((a, b) => b.start - a.start))
        value = value.slice(0, s.start) + s.masked + value.slice(s.end);
      source.value = value;
      source.setAttribute('value', value);
      source.setAttribute('style', `${source.getAttribute('style') ?? ''};background:#000;color:#fff;`);
      marks.push(source);
      continue;
    }
    // Right to left, so earlier offsets stay valid while the node is split.
    for (const s of [...spans].sort((a, b) => b.start - a.start)) {
      if (s.end > source.data.length) continue;
      const middle = source.splitText(s.start);
      middle.splitText(s.end - s.start);
      const box = document.createElement('span');
      box.setAttribute('data-xuncha-mask', '');
      box.setAttribute(
        'style',
        'background:#000 !important;color:#fff !important;padding:0 2px;font-family:monospace;' +
          'display:inline;white-space:nowrap;',
      );
      box.textContent = s.masked;
      middle.replaceWith(box);
      marks.push(box);
    }
  }
  const outlined: Element[] = [];
  for (const t of arg.targets) {
    if ('pii' in t) outlined.push(...marks);
    else if ('href' in t) {
      for (const el of Array.from(document.querySelectorAll('a[href], area[href], img[src], iframe[src]'))) {
        const url = (el as HTMLAnchorElement).href || (el as HTMLImageElement).src;
        if (url === t.href) outlined.push(el);
      }
    } else {
      const walker = document.createTreeWalker(
        document.body ?? document.documentElement,
        NodeFilter.SHOW_TEXT,
      );
      for (let n = walker.nextNode(); n; n = walker.nextNode()) {
        const data = (n as Text).data;
        if (t.text.some((x) => data.includes(x)) && n.parentElement) {
          outlined.push(n.parentElement);
          break;
        }
      }
    }
  }
  for (const el of outlined) el.setAttribute('style', `${el.getAttribute('style') ?? ''};${OUTLINE}`);
  const bar = document.createElement('div');
  bar.setAttribute('data-xuncha-banner', '');
  bar.setAttribute(
    'style',
    'position:fixed;left:0;right:0;top:0;z-index:2147483647;background:#fffbe6;color:#000;' +
      'border-bottom:2px solid #e00000;font:13px/1.5 "Noto Sans CJK SC",sans-serif;padding:4px 8px;' +
      'white-space:nowrap;overflow:hidden;text-overflow:ellipsis;',
  );
  for (const line of arg.banner.lines) {
    const div = document.createElement('div');
    div.textContent = line;
    bar.appendChild(div);
  }
  document.documentElement.appendChild(bar);
  // The banner must not hide the top of the page: push the page down by its height.
  const pad = bar.getBoundingClientRect().height;
  document.documentElement.style.setProperty('padding-top', `${pad}px`, 'important');
  const first = outlined[0];
  if (first) first.scrollIntoView({ block: 'center', inline: 'nearest' });
  const boxes = marks.map((m) => {
    const r = m.getBoundingClientRect();
    return { x: r.x, y: r.y, width: r.width, height: r.height };
  });
  return { masked: marks.length, outlined: outlined.length, located: !!first, boxes };
}

/**
 * The page as drawn, for the saved copy: without the banner (the record carries it), with page
 * scripts made inert by a CSP placed before them (kept as text: they are part of the page).
 */
export function savedCopyHtml(): string {
  document.querySelector('[data-xuncha-banner]')?.remove();
  document.documentElement.style.removeProperty('padding-top');
  const csp = document.createElement('meta');
  csp.setAttribute('http-equiv', 'Content-Security-Policy');
  csp.setAttribute('content', "script-src 'none'; connect-src 'none'; frame-src 'none'");
  const head = document.head ?? document.documentElement;
  head.insertBefore(csp, head.firstChild);
  const doctype = document.doctype ? `<!DOCTYPE ${document.doctype.name}>` : '';
  return doctype + document.documentElement.outerHTML;
}
