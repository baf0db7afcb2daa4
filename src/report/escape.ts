import { printable } from './noticeContent.js';

const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Text for element content and double- or single-quoted attribute values (HTML and SVG alike). */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ENTITIES[c] ?? c);
}

/** Scraped or report text for an HTML document: characters XML cannot hold blanked, then escaped. */
export function escapeHtml(text: string): string {
  return escapeXml(printable(text));
}
