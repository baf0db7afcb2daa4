import type { PageRoute } from '../types.js';

/** Routes of the console: accounts, sessions' own pages, review, 整改反馈, downloads, audit log (server core). */
export const coreRoutes: PageRoute[] = [];
