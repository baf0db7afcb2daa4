#!/usr/bin/env node
// The suite's PostgreSQL pass: start PostgreSQL and Redis on 127.0.0.1 (scripts/services.sh,
// installing Debian's packages when missing), run every store-using test with its stores on
// PostgreSQL, stop the services whatever the outcome.
import { execFileSync, spawnSync } from 'node:child_process';

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
  // As npm test does: the crawler's tests, which time requests at their local sites, one file at a
  // time; the rest two at a time.
  const vitest = (...args) =>
    spawnSync('npx', ['vitest', 'run', '--config', 'vitest.pg.config.ts', ...args], { stdio: 'inherit', env })
      .status ?? 1;
  status = vitest('--exclude', 'test/crawl/**', ...process.argv.slice(2));
  if (status === 0) status = vitest('--maxWorkers', '1', 'test/crawl', ...process.argv.slice(2));
} finally {
  spawnSync('scripts/services.sh', ['stop'], { stdio: 'inherit' });
}
process.exit(status);
