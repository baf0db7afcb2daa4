import { decodeHtml } from './decodeHtml.js';
import { discoverLinks, type DiscoveredLinks } from './discoverLinks.js';
import { needsRendering, type RenderDecision } from './needsRendering.js';
import { pageSignature, type PageSignature } from './soft404.js';

/** A fetched page as raw bytes (to decode), or HTML a browser rendered. */
export type AnalysisInput = { url: string; checkRendering: boolean } & (
  { body: Uint8Array; contentType: string | null } | { html: string }
);

/** Everything the crawler needs from a page's HTML, so the HTML itself never has to travel back. */
export interface PageAnalysis {
  charset: string;
  /** Set when the bytes did not decode cleanly. */
  decodeWarning?: string;
  signature: PageSignature;
  render: RenderDecision;
  found: DiscoveredLinks;
}

const NO_RENDER: RenderDecision = { render: false, reasons: [] };

/**
 * Decode, decide on rendering, find links and pagers: the CPU-heavy part of crawling one page.
 * Pure, so it runs the same on the main thread or in a worker (see pageAnalyser.ts).
 */
export function analysePage(input: AnalysisInput): PageAnalysis {
  const decoded =
    'html' in input
      ? { text: input.html, charset: 'utf-8', warning: undefined }
      : decodeHtml(
          Buffer.from(input.body.buffer, input.body.byteOffset, input.body.byteLength),
          input.contentType,
        );
  return {
    charset: decoded.charset,
    ...(decoded.warning ? { decodeWarning: decoded.warning } : {}),
    signature: pageSignature(decoded.text),
    render: input.checkRendering ? needsRendering(decoded.text) : NO_RENDER,
    found: discoverLinks(decoded.text, input.url),
  };
}
