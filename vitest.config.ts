import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // A worker keeps its modules from one test file to the next: importing the pipeline, Kysely,
    // exceljs and the PDF libraries again for every file took more than a minute of the suite. Test
    // files therefore must not change what they import (test/report/fixtures.ts freezes its data).
    isolate: false,
    // Vitest's default is one fewer than the cores: one file at a time on a 2-core CI machine,
    // where most files wait on local sites and child processes rather than compute. The crawler's
    // tests time requests at their sites and run alone (npm test runs them one at a time).
    maxWorkers: Math.max(2, availableParallelism() - 1),
  },
});
