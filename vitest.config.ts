import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // One process per worker for all its files instead of a fresh one per file: the sources are
    // imported once per worker rather than once per file (import time 121 s → 11 s over the
    // SQLite suite). Test files keep their own module state; what they share is src/ modules'
    // caches (rule tables, parser pools), which hold no per-test data.
    isolate: false,
    // Vitest's default is one fewer than the cores: one file at a time on a 2-core CI machine,
    // where most files wait on local sites and child processes rather than compute. The crawler's
    // tests time requests at their sites and run alone (npm test runs them one at a time).
    maxWorkers: Math.max(2, availableParallelism() - 1),
  },
});
