import { spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { testStoreLocation } from './testStore.js';

/** Newest modification time of the TypeScript sources under `dir`. */
function newestSource(dir: string): number {
  let newest = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, e.name);
    if (e.isDirectory()) newest = Math.max(newest, newestSource(path));
    else if (e.name.endsWith('.ts')) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

let entry: string[] | undefined;

/**
 * How to start the CLI: the compiled dist/ when it is newer than every source file (npm run ci
 * builds it first), which spares each spawned process compiling the sources again (~1.5 s of CPU);
 * else the sources through tsx, so a test never runs stale code.
 */
export function cliEntry(): string[] {
  if (!entry) {
    const built = 'dist/cli/main.js';
    const fresh = existsSync(built) && statSync(built).mtimeMs >= newestSource('src');
    entry = fresh ? [built] : ['--import', 'tsx', 'src/cli/main.ts'];
  }
  return entry;
}

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Run the CLI as a user would (compiled when dist/ is up to date, else from the sources). */
export function runCli(args: string[], timeoutMs = 240_000): Promise<CliResult> {
  // A test's --db names its store; on the PostgreSQL pass that becomes the test's own schema.
  const storeArgs = args.map((a, i) => (i > 0 && args[i - 1] === '--db' ? testStoreLocation(a) : a));
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...cliEntry(), ...storeArgs], {
      env: { ...process.env, FORCE_COLOR: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}
