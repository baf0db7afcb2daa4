#!/usr/bin/env node
// The suite on PostgreSQL: start PostgreSQL and Redis on 127.0.0.1 (scripts/services.sh,
// installing Debian's packages when missing), run every store-using test with its stores on
// PostgreSQL (vitest.pg.config.ts, project `postgresql`), stop the services whatever the outcome.
// With --both (npm run test:all, what npm run ci runs) the whole suite on SQLite runs in the same
// vitest run as a second project: one pool of workers for both engines instead of two runs, each
// ending with a worker idle while the other finishes its longest file.
import { execFileSync, spawnSync } from 'node:child_process';

const both = process.argv.includes('--both');
const passThrough = process.argv.slice(2).filter((a) => a !== '--both');
const env = { ...process.env };
const exports = execFileSync('scripts/services.sh', ['start'], {
  encoding: 'utf8',
  stdio: ['ignore', 'pipe', 'inherit'],
});
for (const line of exports.split('\n')) {
  const m = /^export (\w+)=(.*)$/.exec(line.trim());
  if (m) env[m[1]] = m[2];
}
let status = 1;
try {
  const vitest = (projects, ...args) =>
    spawnSync(
      'npx',
      [
        'vitest',
        'run',
        '--config',
        'vitest.pg.config.ts',
        ...projects.flatMap((p) => ['--project', p]),
        ...args,
      ],
      { stdio: 'inherit', env },
    ).status ?? 1;
  const projects = both ? ['sqlite', 'postgresql'] : ['postgresql'];
  status = vitest(projects, '--exclude', 'test/crawl/**', ...passThrough);
  // As npm test does: the crawler's tests, which time requests at their local sites, one file at a
  // time and one engine after the other. --maxWorkers 1 does not hold inside a project that takes
  // its worker count from the config (two files ran at once); --no-file-parallelism does.
  for (const project of projects)
    if (status === 0) status = vitest([project], '--no-file-parallelism', 'test/crawl', ...passThrough);
} finally {
  spawnSync('scripts/services.sh', ['stop'], { stdio: 'inherit' });
}
process.exit(status);
