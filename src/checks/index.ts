import type { Check } from './defineCheck.js';
import { annualReport } from './annual-report.js';
import { blankColumns } from './blank-columns.js';
import { catalogueContent } from './catalogue-content.js';
import { catalogueCoverage } from './catalogue-coverage.js';
import { catalogueDeadline } from './catalogue-deadline.js';
import { catalogueElements } from './catalogue-elements.js';
import { columnFreshness } from './column-freshness.js';
import { deadLinks } from './dead-links.js';
import { disclosureColumn } from './disclosure-column.js';
import { disclosureTimeliness } from './disclosure-timeliness.js';
import { futureDates } from './future-dates.js';
import { homepageFreshness } from './homepage-freshness.js';
import { httpsCertificate } from './https-certificate.js';
import { interactionReplies } from './interaction-replies.js';
import { personalDataExposure } from './personal-data-exposure.js';
import { policyInterpretation } from './policy-interpretation.js';
import { serviceGuideElements } from './service-guide-elements.js';
import { siteAvailability } from './site-availability.js';
import { siteIdentity } from './site-identity.js';

/** Every check, sorted by id. test/checks/registry.test.ts keeps this, the files, rules and tests in step. */
export const checks: readonly Check[] = [
  annualReport,
  blankColumns,
  catalogueContent,
  catalogueCoverage,
  catalogueDeadline,
  catalogueElements,
  columnFreshness,
  deadLinks,
  disclosureColumn,
  disclosureTimeliness,
  futureDates,
  homepageFreshness,
  httpsCertificate,
  interactionReplies,
  personalDataExposure,
  policyInterpretation,
  serviceGuideElements,
  siteAvailability,
  siteIdentity,
];

export function checkById(id: string): Check | undefined {
  return checks.find((c) => c.id === id);
}
