import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { PARSER_SOURCE } from './childParserScript.js';
import { DeadlineError } from './limits.js';

// Legacy formats (DOC, XLS, WPS, ET) and the XLSX fallback are parsed in a child process.
//
// word-extractor and SheetJS parse synchronously: a crafted file (a sector chain that loops, a
// huge sheet) would block the event loop, where no deadline can stop it, or grow an array until
// V8 aborts — which takes down the whole process, worker threads included. A child process can be
// killed at the deadline, has its own memory cap, and its crash is only a warning here. Its code
// is plain CommonJS given with -e, so it runs the same from source (tsx, vitest) and from the build;
// the libraries it loads are resolved here, from this module, and handed over as absolute paths.

export type ParserTask = { task: 'word' } | { task: 'sheets'; sheetRows: number };

const PARSER_MEMORY_MB = 768;
// The child kills itself this long after the deadline, should the parent's kill not reach it.
const PARSER_GRACE_MS = 5000;
let parserPaths: { word: string; xlsx: string } | undefined;

function resolveParserPaths(): { word: string; xlsx: string } {
  if (!parserPaths) {
    const require = createRequire(import.meta.url);
    parserPaths = { word: require.resolve('word-extractor'), xlsx: require.resolve('@e965/xlsx') };
  }
  return parserPaths;
}

function spawnParser(): ChildProcess {
  return spawn(process.execPath, [`--max-old-space-size=${PARSER_MEMORY_MB}`, '-e', PARSER_SOURCE], {
    stdio: ['ignore', 'ignore', 'ignore', 'ipc'],
    serialization: 'advanced',
    // No loaders or debugger flags of ours: the parser needs plain Node only.
    env: { ...process.env, NODE_OPTIONS: '' },
  });
}

function exitError(code: number | null, signal: NodeJS.Signals | null): Error {
  return new Error(
    signal === 'SIGABRT' || code === 134
      ? `解析进程内存或数据量超限（上限 ${PARSER_MEMORY_MB} MB）`
      : `解析进程异常退出（${signal ?? code}）`,
  );
}

/** Runs one parse in a child Node process, killed at the deadline; library output goes nowhere. */
export function runParser<T>(job: ParserTask, body: Buffer, deadline: number): Promise<T> {
  if (Date.now() >= deadline) return Promise.reject(new DeadlineError('timeout'));
  return new Promise<T>((resolve, reject) => {
    let settled = false;
    const child = spawnParser();
    const finish = (fn: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      fn();
    };
    const timer = setTimeout(
      () => finish(() => reject(new DeadlineError('timeout'))),
      Math.max(0, deadline - Date.now()),
    );
    child.on('message', (m: { ok: boolean; result?: T; error?: string }) =>
      finish(() => (m.ok ? resolve(m.result as T) : reject(new Error(m.error ?? '未知错误')))),
    );
    child.on('error', (err) => finish(() => reject(err)));
    child.on('exit', (code, signal) => finish(() => reject(exitError(code, signal))));
    child.send({
      ...job,
      sheetRows: 'sheetRows' in job ? job.sheetRows : 0,
      body,
      paths: resolveParserPaths(),
      until: deadline + PARSER_GRACE_MS,
    });
  });
}
