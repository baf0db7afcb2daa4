import type { PageRoute } from '../types.js';

/** Routes of the console: units roster, schedule, mail settings (administration). */
export const settingsRoutes: PageRoute[] = [];
