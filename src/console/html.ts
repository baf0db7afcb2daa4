import { escapeHtml } from '../report/escape.js';

/**
 * HTML built by the console's pages. Every interpolated value is escaped unless it is itself an
 * `Html` (made by this tag or `raw`), so scraped text — a hostile page title, a unit name, a
 * finding's message — can only ever be text. There is no other way to make an `Html`.
 */
export class Html {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
}

type Value = Html | string | number | boolean | null | undefined | readonly Value[];

function render(v: Value): string {
  if (v === null || v === undefined || v === false) return '';
  if (v instanceof Html) return v.text;
  if (Array.isArray(v)) return (v as readonly Value[]).map(render).join('');
  return escapeHtml(String(v));
}

/** `html\`<td>${name}</td>\`` — values escaped, arrays joined, null/undefined/false dropped. */
export function html(strings: TemplateStringsArray, ...values: Value[]): Html {
  let out = strings[0] ?? '';
  for (let i = 0; i < values.length; i++) out += render(values[i]) + (strings[i + 1] ?? '');
  return new Html(out);
}

/** Markup the console itself generated (an SVG chart, a fixed snippet). Never scraped text. */
export function raw(markup: string): Html {
  return new Html(markup);
}
