import type { Browser, BrowserContext, Page, Route } from 'playwright-core';
import { detectPersonalData } from '../pii/detect.js';
import { maskText, maskUrl } from '../pii/mask.js';
import {
  applyEvidenceMarks,
  collectPageTexts,
  savedCopyHtml,
  type ApplyResult,
  type MaskSpan,
  type Target,
} from './pageScript.js';
import type { HostGate } from './hostGate.js';

/**
 * One evidence screenshot: the page as it was fetched (the stored body, never a fresh copy),
 * drawn by Chromium with its page scripts off, personal data replaced by its masked form before
 * anything is drawn, the finding's element outlined, and a banner carrying the record.
 */
export interface ShotInput {
  url: string;
  /** The stored body, decoded. */
  html: string;
  targets: Target[];
  /** Banner lines (URL, fetch time, status, hash), already masked. */
  banner: string[];
  userAgent: string;
  /** Stylesheets, images and fonts are fetched from the page's own host through this gate only. */
  gate?: HostGate;
  /** At most this many sub-resources per page (default 30). */
  maxSubresources?: number;
  /** Give up waiting for the page's load after this long and draw what is there (default 15 s). */
  timeoutMs?: number;
}

/** One shot of a {@link Camera}: its user agent is the camera's own (a context's, set once). */
export type CameraShot = Omit<ShotInput, 'userAgent'>;

export interface Shot extends ApplyResult {
  image: Buffer;
  /** The page as drawn (personal data masked), serialized: the saved copy of the evidence record. */
  maskedHtml: string;
}

export const VIEWPORT = { width: 1280, height: 900 } as const;

const SUBRESOURCE_KINDS = new Set(['stylesheet', 'image', 'font']);

/**
 * Run a function in the page as source text with a no-op `__name`: TypeScript loaders that keep
 * function names (tsx, vitest) wrap inner functions in `__name(...)`, which the page lacks.
 */
async function inPage<A, R>(page: Page, fn: (arg: A) => R, arg: A): Promise<R> {
  const source = `(() => { const __name = (f) => f; return (${fn.toString()})(${JSON.stringify(arg)}); })()`;
  return (await page.evaluate(source)) as R;
}

/** One shot with a page of its own (a stage taking many uses a {@link Camera}). */
export async function shootPage(browser: Browser, input: ShotInput): Promise<Shot> {
  const camera = new Camera(browser, input.userAgent);
  try {
    return await camera.shoot(input);
  } finally {
    await camera.close();
  }
}

/**
 * Draws shot after shot in one page. A new page costs Chromium a renderer process — about 0.4 s of
 * CPU, more than loading and drawing the page itself — so a stage of dozens of shots keeps one,
 * and opens a new one only after a shot failed (its state is then unknown).
 */
export class Camera {
  private context: BrowserContext | undefined;
  private page: Page | undefined;
  /** The shot under way: what the page's requests are answered from. */
  private current: { input: CameraShot; host: string; subresources: number } | undefined;

  constructor(
    private readonly browser: Browser,
    private readonly userAgent: string,
  ) {}

  async shoot(input: CameraShot): Promise<Shot> {
    const page = await this.openPage();
    this.current = { input, host: new URL(input.url).host, subresources: 0 };
    try {
      try {
        await page.goto(input.url, { waitUntil: 'load', timeout: input.timeoutMs ?? 15_000 });
      } catch (err) {
        // A stylesheet that never arrives must not cost the evidence: draw what has loaded.
        if (!/Timeout/i.test(String(err))) throw err;
      }
      const texts = await inPage(page, collectPageTexts, undefined);
      const spans = personalDataSpans(texts);
      const applied = await inPage(page, applyEvidenceMarks, {
        spans,
        targets: input.targets,
        banner: { lines: input.banner },
      });
      const image = await page.screenshot({ type: 'jpeg', quality: 80, animations: 'disabled' });
      // Belt and braces: the saved copy is masked in the DOM already; maskText also catches what
      // sits in attributes (a query string carrying an ID number).
      const maskedHtml = maskUrlAttributes(maskText(await inPage(page, savedCopyHtml, undefined)));
      // Leave the page blank: nothing of this shot (a late image, its marks) reaches the next one.
      this.current = undefined;
      await page.goto('about:blank');
      return { ...applied, image: Buffer.from(image), maskedHtml };
    } catch (err) {
      this.current = undefined;
      await this.close();
      throw err;
    }
  }

  async close(): Promise<void> {
    const context = this.context;
    this.context = undefined;
    this.page = undefined;
    await context?.close().catch(() => undefined);
  }

  private async openPage(): Promise<Page> {
    if (this.page) return this.page;
    this.context = await this.browser.newContext({
      javaScriptEnabled: false,
      viewport: VIEWPORT,
      userAgent: this.userAgent,
      locale: 'zh-CN',
      timezoneId: 'Asia/Shanghai',
      serviceWorkers: 'block',
    });
    const page = await this.context.newPage();
    await page.route('**/*', (route) => this.answer(route));
    this.page = page;
    return page;
  }

  /**
   * The shot's own URL gets the stored copy, whatever the server says today (its charset is now
   * UTF-8); stylesheets, images and fonts of its host come through the gate, up to the limit;
   * everything else is refused.
   */
  private async answer(route: Route): Promise<void> {
    const request = route.request();
    const shot = this.current;
    if (request.url() === 'about:blank') return route.continue();
    if (shot && request.url() === shot.input.url && request.isNavigationRequest()) {
      return route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: shot.input.html });
    }
    let host: string | undefined;
    try {
      host = new URL(request.url()).host;
    } catch {
      host = undefined;
    }
    const allowed =
      !!shot?.input.gate &&
      host === shot.host &&
      SUBRESOURCE_KINDS.has(request.resourceType()) &&
      shot.subresources < (shot.input.maxSubresources ?? 30);
    if (!allowed) return route.abort('blockedbyclient');
    shot.subresources++;
    try {
      const response = await shot.input.gate!.run(host!, () => route.fetch({ timeout: 10_000 }));
      if (!response) return route.abort('blockedbyclient');
      return route.fulfill({ response });
    } catch {
      return route.abort('failed').catch(() => undefined);
    }
  }
}

/** Attributes that hold addresses; an ID may sit in them percent-encoded (…/%34%34%30….pdf). */
const URL_ATTRIBUTE = /\b(href|src|action|data|poster|cite|background|srcset)=("[^"]*"|'[^']*')/gi;

/** Every address in the serialized copy through maskUrl, which also reads percent-encoded values. */
export function maskUrlAttributes(html: string): string {
  return html.replace(URL_ATTRIBUTE, (whole, name: string, quoted: string) => {
    const value = quoted.slice(1, -1);
    const masked = maskUrl(value);
    return masked === value ? whole : `${name}=${quoted[0]}${masked}${quoted[0]}`;
  });
}

/**
 * Personal data in the page's texts, found once over all of them joined by line breaks (so a label
 * in one table cell reads as the context of the number in the next), mapped back to each text.
 */
export function personalDataSpans(texts: string[]): MaskSpan[] {
  const starts: number[] = [];
  let joined = '';
  for (const t of texts) {
    starts.push(joined.length);
    joined += t + '\n';
  }
  const spans: MaskSpan[] = [];
  for (const m of detectPersonalData(joined)) {
    // Each text the match overlaps gets its part masked; the masked form goes where it starts.
    for (let i = indexAt(starts, m.start); i < texts.length && starts[i]! < m.end; i++) {
      const start = Math.max(m.start - starts[i]!, 0);
      const end = Math.min(m.end - starts[i]!, texts[i]!.length);
      if (end <= start) continue;
      spans.push({
        index: i,
        start,
        end,
        masked: start === m.start - starts[i]! ? m.masked : '*'.repeat(end - start),
      });
    }
  }
  return withoutOverlaps(spans);
}

/** Two detectors may claim overlapping text (an address holding a number): keep the first. */
function withoutOverlaps(spans: MaskSpan[]): MaskSpan[] {
  const sorted = [...spans].sort((a, b) => a.index - b.index || a.start - b.start || b.end - a.end);
  const out: MaskSpan[] = [];
  for (const s of sorted) {
    const last = out[out.length - 1];
    if (last && last.index === s.index && s.start < last.end) {
      last.end = Math.max(last.end, s.end);
      continue;
    }
    out.push({ ...s });
  }
  return out;
}

/** The index of the text holding offset `at` (binary search over start offsets). */
function indexAt(starts: number[], at: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid]! <= at) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}
