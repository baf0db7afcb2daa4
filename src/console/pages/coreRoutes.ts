import type { PageRoute } from '../types.js';
import { accountRoutes } from './accounts.js';
import { ownAccountRoutes } from './account.js';
import { reviewRoutes } from './review.js';
import { feedbackRoutes } from './feedback.js';
import { downloadRoutes } from './downloads.js';
import { auditRoutes } from './audit.js';

/**
 * Routes of the console: accounts, sessions' own pages, review, 整改反馈, downloads, audit log
 * (server core). Login and logout are not here: they run before there is a session
 * (src/console/pages/login.ts, registered by the server).
 */
export const coreRoutes: PageRoute[] = [
  ...accountRoutes,
  ...ownAccountRoutes,
  ...reviewRoutes,
  ...feedbackRoutes,
  ...downloadRoutes,
  ...auditRoutes,
];
