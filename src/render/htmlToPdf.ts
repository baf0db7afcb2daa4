import { existsSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';

/** The system Chromium; xuncha never downloads a browser. */
export const CHROMIUM_PATH = '/usr/bin/chromium';

/** Flags for Debian's Chromium in a sandboxed, offline machine (shared with the page renderer). */
export const LAUNCH_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

/** CSS font stack for Chinese documents (fonts-noto-cjk). */
export const CJK_FONT_FAMILY = '"Noto Serif CJK SC","Noto Sans CJK SC",serif';

let browserPromise: Promise<Browser> | undefined;

function getBrowser(): Promise<Browser> {
  if (!browserPromise) {
    if (!existsSync(CHROMIUM_PATH)) {
      return Promise.reject(new Error(`未找到 ${CHROMIUM_PATH}，请先运行 npm run setup`));
    }
    // Imported on first use: playwright-core is heavy and most runs never print a PDF.
    const launching = import('playwright-core').then(({ chromium }) =>
      chromium.launch({ executablePath: CHROMIUM_PATH, args: LAUNCH_ARGS }),
    );
    browserPromise = launching;
    launching.then(
      (browser) =>
        browser.on('disconnected', () => {
          idlePages.length = 0;
          if (browserPromise === launching) browserPromise = undefined;
        }),
      () => {
        // A failed launch must not be cached: the next call tries again.
        if (browserPromise === launching) browserPromise = undefined;
      },
    );
  }
  return browserPromise;
}

export interface PdfOptions {
  /** Page margins as CSS lengths (e.g. '37mm'); Chromium's defaults when absent. */
  margin?: { top?: string; right?: string; bottom?: string; left?: string };
  /**
   * HTML drawn in the bottom margin of every page; Chromium fills elements of class pageNumber and
   * totalPages. It sees none of the document's CSS, so it must carry its own font and size.
   */
  footerTemplate?: string;
}

/**
 * Pages done with, kept for the next document: a new page costs Chromium a renderer process
 * (about 0.4 s of CPU), more than laying out a notice; a batch prints dozens.
 */
const idlePages: Page[] = [];

/** Render an HTML document to an A4 PDF with the shared, lazily launched browser. */
export async function htmlToPdf(html: string, options: PdfOptions = {}): Promise<Buffer> {
  const browser = await getBrowser();
  const page = idlePages.pop() ?? (await browser.newPage());
  let reusable = false;
  try {
    await page.setContent(html, { waitUntil: 'load' });
    const pdf = await page.pdf({ format: 'A4', printBackground: true, ...footerOptions(options) });
    reusable = true;
    return Buffer.from(pdf);
  } finally {
    // A page that failed is in a state nobody knows: closed, not kept.
    if (reusable && !page.isClosed() && browser.isConnected()) idlePages.push(page);
    else await page.close().catch(() => undefined);
  }
}

function footerOptions(options: PdfOptions) {
  const { margin, footerTemplate } = options;
  if (footerTemplate === undefined) return { margin };
  // An empty header: without it Chromium prints the date and title at the top.
  return { margin, displayHeaderFooter: true, headerTemplate: '<span></span>', footerTemplate };
}

/** Close the shared browser (if it was launched). Safe to call more than once. */
export async function closeBrowser(): Promise<void> {
  const pending = browserPromise;
  browserPromise = undefined;
  idlePages.length = 0;
  if (!pending) return;
  const browser = await pending.catch(() => undefined);
  await browser?.close();
}
