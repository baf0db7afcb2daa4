import type { PageRoute } from '../types.js';
import { listBatches } from '../data/batches.js';
import { html } from '../html.js';
import { batchList, overviewRoute, startBatchRoute } from './overview.js';
import { batchRoute } from './batch.js';
import { screenshotRoute, unitRoute } from './unit.js';
import { findingsCsvRoute, findingsRoute, findingsXlsxRoute } from './findings.js';
import { probesRoute } from './probes.js';
import { progressRoute } from './progress.js';

/** GET /batches: every batch, newest first (the menu's 巡查批次). */
const batchesRoute: PageRoute = {
  method: 'GET',
  path: '/batches',
  roles: ['admin', 'inspector'],
  async handle(env) {
    return {
      kind: 'page',
      title: '巡查批次',
      body: html`<h1>巡查批次</h1>
        ${batchList(await listBatches(env.db))}`,
    };
  },
};

/** Routes of the console: overview, batch, unit, findings, probes (what the office sees). */
export const viewRoutes: PageRoute[] = [
  overviewRoute,
  batchesRoute,
  startBatchRoute,
  batchRoute,
  unitRoute,
  screenshotRoute,
  findingsRoute,
  findingsCsvRoute,
  findingsXlsxRoute,
  probesRoute,
  progressRoute,
];
