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
  const args = ['vitest', 'run', '--config', 'vitest.pg.config.ts', ...process.argv.slice(2)];
  status = spawnSync('npx', args, { stdio: 'inherit', env }).status ?? 1;
} finally {
  spawnSync('scripts/services.sh', ['stop'], { stdio: 'inherit' });
}
process.exit(status);
