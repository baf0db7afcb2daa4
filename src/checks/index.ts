import type { Check } from './defineCheck.js';
import { blankColumns } from './blank-columns.js';
import { columnFreshness } from './column-freshness.js';
import { deadLinks } from './dead-links.js';
import { futureDates } from './future-dates.js';
import { homepageFreshness } from './homepage-freshness.js';
import { mandatedItems } from './mandated-items.js';
import { personalDataExposure } from './personal-data-exposure.js';
import { siteAvailability } from './site-availability.js';

/** Every check, sorted by id. test/checks/registry.test.ts keeps this, the files, rules and tests in step. */
export const checks: readonly Check[] = [
  blankColumns,
  columnFreshness,
  deadLinks,
  futureDates,
  homepageFreshness,
  mandatedItems,
  personalDataExposure,
  siteAvailability,
];

export function checkById(id: string): Check | undefined {
  return checks.find((c) => c.id === id);
}
