import { html, type Html } from '../html.js';
import { OUTCOME_LABELS } from '../../checks/defineCheck.js';
import type { Outcome } from '../../checks/types.js';
import { shanghaiTime } from '../../report/htmlReport.js';
import type { PageResult } from '../types.js';

/** Small pieces of markup the view pages share; every value goes through the `html` tag. */

export { shanghaiTime };

export { formatScore, signed } from '../../report/standing.js';

/** A link only for http(s) addresses (scraped URLs: javascript: and the like stay text). */
export function urlLink(url: string): Html {
  if (!url) return html``;
  let ok = false;
  try {
    ok = /^https?:\/\//i.test(url) && ['http:', 'https:'].includes(new URL(url).protocol);
  } catch {
    ok = false;
  }
  const shown = html`<span class="url">${url}</span>`;
  return ok ? html`<a href="${url}" rel="noreferrer noopener" target="_blank">${shown}</a>` : shown;
}

export function outcomeLabel(outcome: Outcome): Html {
  return html`<span class="outcome outcome-${outcome}">${OUTCOME_LABELS[outcome] ?? outcome}</span>`;
}

/** Path segment or query value, percent-encoded (unit ids come from seed files). */
export const enc = encodeURIComponent;

/** `?a=1&b=2` from the defined, non-empty values. */
export function queryString(values: Record<string, string | number | undefined>): string {
  const parts = Object.entries(values)
    .filter(([, v]) => v !== undefined && v !== '')
    .map(([k, v]) => `${enc(k)}=${enc(String(v))}`);
  return parts.length ? `?${parts.join('&')}` : '';
}

/** A positive whole number from a route or query parameter, else undefined. */
export function positiveInt(value: string | undefined): number | undefined {
  if (value === undefined || !/^\d{1,9}$/.test(value)) return undefined;
  const n = Number(value);
  return n > 0 ? n : undefined;
}

export function notFound(message: string): PageResult {
  return { kind: 'error', status: 404, message };
}

/** `<select>` with the current value selected; the first option is "all". */
export function select(
  name: string,
  label: string,
  options: { value: string; label: string }[],
  current: string | undefined,
  allLabel?: string,
): Html {
  return html`<label
    >${label}
    <select name="${name}">
      ${allLabel !== undefined ? html`<option value="">${allLabel}</option>` : ''}
      ${options.map(
        (o) =>
          html`<option value="${o.value}" ${o.value === current ? html`selected` : ''}>${o.label}</option>`,
      )}
    </select></label
  >`;
}
