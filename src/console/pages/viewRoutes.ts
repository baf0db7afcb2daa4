import type { PageRoute } from '../types.js';

/** Routes of the console: overview, batch, unit, findings, probes (what the office sees). */
export const viewRoutes: PageRoute[] = [];
