import { spawn } from 'node:child_process';
import { testStoreLocation } from './testStore.js';

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Run the CLI from source (tsx), as a user would run the built one. */
export function runCli(args: string[], timeoutMs = 240_000): Promise<CliResult> {
  // A test's --db names its store; on the PostgreSQL pass that becomes the test's own schema.
  const storeArgs = args.map((a, i) => (i > 0 && args[i - 1] === '--db' ? testStoreLocation(a) : a));
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...storeArgs], {
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
