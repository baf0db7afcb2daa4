import { existsSync } from 'node:fs';
import type { Browser, BrowserContext, Page, Request, Route } from 'playwright-core';
import { CHROMIUM_PATH, LAUNCH_ARGS } from '../render/htmlToPdf.js';
import type { RequestGuard } from './requestGuard.js';

/**
 * Renders script-built pages (see needsRendering) with the system Chromium through playwright-core.
 * One browser per renderer, launched on the first render; at most `maxPages` pages at a time, the
 * rest wait in line. Each render gets a fresh context (own cookies, the crawler's User-Agent).
 *
 * What a rendered page may load: its main document (and the redirects of it), scripts from any
 * host (avalon/angular/jQuery often come from a CDN), and every other request only when it goes to
 * the page's own site (same host, or a sibling host under the same registrable domain such as
 * `api.xx.gov.cn` for `www.xx.gov.cn`, since government APIs often live there). Images, fonts, media
 * and stylesheets are skipped when `blockResources` is on. Every request the browser makes is put
 * to the unit's RequestGuard first (intranet and metadata addresses refused), and the main frame
 * may not navigate to another site: a script redirect is followed by the crawler itself, through
 * the guarded fetcher, never trusted inside the browser.
 *
 * Requests made by the browser do not go through the polite scheduler: keep `maxPages` small.
 */

export interface PageRendererOptions {
  /** Concurrent pages (the pool size). Default 2. */
  maxPages?: number;
  /** Budget for one render, from the start of navigation to the returned HTML. Default 15000. */
  timeoutMs?: number;
  userAgent: string;
  /** Skip images, fonts, media and stylesheets. Default true. */
  blockResources?: boolean;
  /** The Chromium binary; xuncha never downloads a browser. Default /usr/bin/chromium. */
  executablePath?: string;
}

export interface RenderResult {
  /**
   * The DOM after scripts ran, serialised (already decoded text: do not decode it again). On error
   * it holds whatever the page had when the render gave up, often ''.
   */
  html: string;
  finalUrl: string;
  /** HTTP status of the main document, null when no response arrived. */
  status: number | null;
  /** Time spent rendering, from taking a pool slot (queue wait excluded; browser launch included). */
  durationMs: number;
  /** Chinese message when the render failed; absent on success. */
  error?: string;
}

const LAUNCH_TIMEOUT_MS = 30_000;
const BLOCKED_TYPES = new Set(['image', 'font', 'media', 'stylesheet']);
/** Second-level labels under which a registrable domain has three labels (xx.gov.cn). */
const CN_SECOND_LEVEL = new Set(['gov', 'com', 'org', 'net', 'edu', 'ac', 'mil']);

/** Extra time past the budget before a stuck page is abandoned by force. */
const HARD_GRACE_MS = 2_000;
/** How long a failed render may spend collecting the partial DOM. */
const PARTIAL_CONTENT_MS = 1_000;

class SetupError extends Error {}
class RenderTimeout extends Error {}

/** Registrable domain, roughly: the last two labels, or three under gov.cn, com.cn and the like. */
function siteOf(hostname: string): string {
  const host = hostname.toLowerCase().replace(/^\[|\]$/g, '');
  if (/^[\d.]+$/.test(host) || host.includes(':')) return host;
  const labels = host.split('.');
  const n = labels.length >= 3 && CN_SECOND_LEVEL.has(labels[labels.length - 2] ?? '') ? 3 : 2;
  return labels.slice(-n).join('.');
}

function hostnameOf(url: string): string | undefined {
  try {
    return new URL(url).hostname.toLowerCase();
  } catch {
    return undefined;
  }
}

function describe(err: unknown, timeoutMs: number): string {
  if (err instanceof SetupError) return err.message;
  // Playwright's TimeoutError, matched by name: the module is loaded lazily (see getBrowser).
  if ((err instanceof Error && err.name === 'TimeoutError') || err instanceof RenderTimeout)
    return `渲染超时（超过 ${timeoutMs} 毫秒）`;
  const message = err instanceof Error ? err.message : String(err);
  // "page.goto: net::ERR_CONNECTION_REFUSED at …" → "net::ERR_CONNECTION_REFUSED at …"
  const first = (message.split('\n')[0] ?? '').replace(/^[\w.]+: /, '').trim();
  return `渲染失败：${first || '未知错误'}`;
}

export class PageRenderer {
  private readonly maxPages: number;
  private readonly timeoutMs: number;
  private readonly userAgent: string;
  private readonly blockResources: boolean;
  private readonly executablePath: string;
  /** The launch in progress or done; undefined before the first render and after a crash. */
  private browser: Promise<Browser> | undefined;
  /** The browser `browser` resolved to, once launched. */
  private current: Browser | undefined;
  private closed = false;
  private active = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(opts: PageRendererOptions) {
    this.maxPages = Math.max(1, Math.floor(opts.maxPages ?? 2));
    this.timeoutMs = Math.max(1, opts.timeoutMs ?? 15_000);
    this.userAgent = opts.userAgent;
    this.blockResources = opts.blockResources ?? true;
    this.executablePath = opts.executablePath ?? CHROMIUM_PATH;
  }

  /** Render one URL; `guard` judges each request the page makes. Never throws: failures come back in `error`. */
  async render(url: string, guard: RequestGuard): Promise<RenderResult> {
    await this.acquire();
    const started = performance.now();
    const deadline = started + this.timeoutMs;
    const result: RenderResult = { html: '', finalUrl: url, status: null, durationMs: 0 };
    try {
      // A browser that died since the last render (crash, OOM kill) is relaunched once.
      for (let attempt = 0; ; attempt++) {
        let browser: Browser | undefined;
        try {
          browser = await this.getBrowser();
          await this.renderIn(browser, url, guard, deadline, result);
          delete result.error;
          break;
        } catch (err) {
          if (this.closed) {
            result.error = '渲染器已关闭';
            break;
          }
          if (browser && !browser.isConnected()) {
            this.forget(browser);
            if (attempt === 0 && performance.now() < deadline) continue;
          }
          result.error = describe(err, this.timeoutMs);
          break;
        }
      }
    } finally {
      result.durationMs = Math.round(performance.now() - started);
      this.release();
    }
    return result;
  }

  /** Close the browser. Renders still running end with an error; later renders are refused. */
  async close(): Promise<void> {
    this.closed = true;
    const pending = this.browser;
    this.browser = undefined;
    this.current = undefined;
    // Queued renders wake up holding a slot each, then find the renderer closed.
    const queued = this.waiting.splice(0);
    this.active += queued.length;
    for (const wake of queued) wake();
    if (!pending) return;
    const browser = await pending.catch(() => undefined);
    await browser?.close().catch(() => undefined);
  }

  private async renderIn(
    browser: Browser,
    url: string,
    guard: RequestGuard,
    deadline: number,
    result: RenderResult,
  ): Promise<void> {
    const context = await browser.newContext({
      userAgent: this.userAgent,
      locale: 'zh-CN',
      extraHTTPHeaders: { 'Accept-Language': 'zh-CN,zh;q=0.9' },
      acceptDownloads: false,
      serviceWorkers: 'block',
    });
    let timer: NodeJS.Timeout | undefined;
    // The page writes here; `result` takes a snapshot, so a render abandoned at the hard timeout
    // cannot change what the caller already holds.
    const out: RenderResult = { html: '', finalUrl: url, status: null, durationMs: 0 };
    try {
      const work = this.drive(context, url, guard, deadline, out);
      work.catch(() => undefined);
      // Playwright's own timeouts do not cover page.content() on a page stuck in a script loop.
      const hard = new Promise<'hard-timeout'>((resolve) => {
        timer = setTimeout(
          () => resolve('hard-timeout'),
          Math.max(0, deadline - performance.now()) + HARD_GRACE_MS,
        );
      });
      if ((await Promise.race([work, hard])) === 'hard-timeout') throw new RenderTimeout();
    } finally {
      clearTimeout(timer);
      result.html = out.html;
      result.finalUrl = out.finalUrl;
      result.status = out.status;
      await context.close().catch(() => undefined);
    }
  }

  private async drive(
    context: BrowserContext,
    url: string,
    guard: RequestGuard,
    deadline: number,
    result: RenderResult,
  ): Promise<void> {
    const left = () => Math.max(1, Math.round(deadline - performance.now()));
    const page = await context.newPage();
    const site = siteOf(hostnameOf(url) ?? '');
    await context.route('**/*', async (route: Route, request: Request) => {
      let ok = false;
      try {
        const leaving =
          request.isNavigationRequest() &&
          request.frame() === page.mainFrame() &&
          siteOf(hostnameOf(request.url()) ?? '') !== site;
        // A 204 answer to a navigation leaves the page where it is: what it showed is kept.
        if (leaving) return await route.fulfill({ status: 204, body: '' });
        ok = this.allow(request, site) && !(await guard.check(request.url()));
      } catch {
        // A request we cannot classify is not needed for rendering.
      }
      (ok ? route.continue() : route.abort('blockedbyclient')).catch(() => undefined);
    });
    try {
      const response = await page.goto(url, { waitUntil: 'domcontentloaded', timeout: left() });
      result.status = response?.status() ?? null;
      // Let the page load its data: network idle (500 ms without requests), bounded by the budget.
      await page.waitForLoadState('networkidle', { timeout: left() }).catch(() => undefined);
      result.html = await contentOf(page, left);
    } catch (err) {
      // Keep what the page has (a dead third-party script can block DOMContentLoaded), briefly.
      if (page.url() !== 'about:blank')
        result.html = await Promise.race([page.content(), sleep(PARTIAL_CONTENT_MS).then(() => '')]).catch(
          () => '',
        );
      throw err;
    } finally {
      const finalUrl = page.url();
      if (finalUrl && finalUrl !== 'about:blank') result.finalUrl = finalUrl;
    }
  }

  /**
   * Whether the page may make this request at all (the guard then judges its address): its own
   * document and same-site navigations, scripts from anywhere, everything else from its own site.
   */
  private allow(request: Request, site: string): boolean {
    const url = request.url();
    const host = hostnameOf(url);
    if (!host || !/^https?:/i.test(url)) return false;
    const type = request.resourceType();
    if (!request.isNavigationRequest() && this.blockResources && BLOCKED_TYPES.has(type)) return false;
    return type === 'script' || siteOf(host) === site;
  }

  private getBrowser(): Promise<Browser> {
    if (this.closed) return Promise.reject(new SetupError('渲染器已关闭'));
    if (this.browser) return this.browser;
    if (!existsSync(this.executablePath))
      return Promise.reject(new SetupError(`未找到 ${this.executablePath}，无法渲染脚本生成的页面`));
    // playwright-core costs ~100 MB of RSS once imported: load it only when a page needs rendering.
    const launching: Promise<Browser> = import('playwright-core')
      .then(({ chromium }) =>
        chromium.launch({
          executablePath: this.executablePath,
          args: LAUNCH_ARGS,
          timeout: LAUNCH_TIMEOUT_MS,
        }),
      )
      .then(
        (browser) => {
          if (this.browser === launching) this.current = browser;
          browser.on('disconnected', () => this.forget(browser));
          return browser;
        },
        (err: unknown) => {
          // A failed launch is not cached: the next render tries again.
          if (this.browser === launching) this.browser = undefined;
          const message = err instanceof Error ? (err.message.split('\n')[0] ?? '') : String(err);
          throw new SetupError(`无法启动 Chromium：${message}`);
        },
      );
    this.browser = launching;
    return launching;
  }

  /** Drop a dead browser (unless a newer one was launched meanwhile) so the next render relaunches. */
  private forget(dead: Browser): void {
    if (this.current !== dead) return;
    this.current = undefined;
    this.browser = undefined;
  }

  private acquire(): Promise<void> {
    if (this.active < this.maxPages) {
      this.active++;
      return Promise.resolve();
    }
    // The releasing render hands its slot over directly, so `active` stays unchanged.
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  private release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.active--;
  }
}

/** page.content() fails while a script redirect is under way: wait for the new document once. */
async function contentOf(page: Page, left: () => number): Promise<string> {
  try {
    return await page.content();
  } catch {
    await page.waitForLoadState('domcontentloaded', { timeout: left() });
    return page.content();
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
