import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { PARSER_SOURCE } from './childParserScript.js';
import { DEFAULTS, DeadlineError } from './limits.js';

// Legacy formats (DOC, XLS, WPS, ET), the XLSX fallback and PDF are parsed in a child process.
//
// word-extractor and SheetJS parse synchronously: a crafted file (a sector chain that loops, a
// huge sheet) would block the event loop, where no deadline can stop it, or grow an array until
// V8 aborts — which takes down the whole process, worker threads included. pdf.js inflates a
// compressed stream into one growing buffer outside the V8 heap: a 3 MB decompression bomb took
// 6 GB. A child process can be killed at the deadline, has its own memory cap (heap and resident
// memory), and its crash is only a warning here. Its code is plain CommonJS given with -e, so it
// runs the same from source (tsx, vitest) and from the build; the libraries it loads are resolved
// here, from this module, and handed over as absolute paths.

export type ParserTask = { task: 'word' } | { task: 'sheets'; sheetRows: number };
/** Pages first..last (1-based; last may pass the page count); sparse pages are checked for an image. */
export interface PdfTask {
  task: 'pdf';
  first: number;
  last: number;
  sparseChars: number;
  /** Also send each page's text items with positions (catalogue tables); off for attachment text. */
  items?: boolean;
}

const PARSER_MEMORY_MB = 768;
// The child kills itself this long after the deadline, should the parent's kill not reach it.
const PARSER_GRACE_MS = 5000;
// An idle child waits this long for the next file before it ends (loading pdf.js costs ~0.2 s).
const IDLE_MS = 10_000;
let parserPaths: { word: string; xlsx: string; unpdf: string } | undefined;

function resolveParserPaths(): { word: string; xlsx: string; unpdf: string } {
  if (!parserPaths) {
    const require = createRequire(import.meta.url);
    parserPaths = {
      word: require.resolve('word-extractor'),
      xlsx: require.resolve('@e965/xlsx'),
      // unpdf's CommonJS entry: the child's -e code can require it; it imports pdf.js itself.
      unpdf: require.resolve('unpdf'),
    };
  }
  return parserPaths;
}

/**
 * `heapCap`: --max-old-space-size for the synchronous legacy parsers, whose runaway arrays live in
 * the heap. Not for pdf.js: a heap limit that low makes V8 grow the heap by small steps and
 * collect far more often (measured: 60 % more CPU per PDF); its resident-memory cap bounds the heap too.
 */
function spawnParser(heapCap: boolean): ChildProcess {
  const flags = heapCap ? [`--max-old-space-size=${PARSER_MEMORY_MB}`] : [];
  return spawn(process.execPath, [...flags, '-e', PARSER_SOURCE], {
    stdio: ['ignore', 'ignore', 'ignore', 'ipc'],
    serialization: 'advanced',
    // No loaders or debugger flags of ours: the parser needs plain Node only.
    env: { ...process.env, NODE_OPTIONS: '' },
  });
}

/** The child's watchdog signals SIGUSR2 when its resident memory passes the cap. */
const overMemory = (code: number | null, signal: NodeJS.Signals | null): boolean =>
  signal === 'SIGUSR2' || signal === 'SIGABRT' || code === 134;

function exitError(code: number | null, signal: NodeJS.Signals | null, memoryMb: number): Error {
  if (signal === 'SIGUSR2') return new Error(`解析进程内存超过上限（${memoryMb} MB）`);
  return new Error(
    overMemory(code, signal)
      ? `解析进程内存或数据量超限（上限 ${PARSER_MEMORY_MB} MB）`
      : `解析进程异常退出（${signal ?? code}）`,
  );
}

function sendJob(child: ChildProcess, job: object, body: Buffer, deadline: number, memoryMb: number): void {
  child.send({
    sheetRows: 0,
    ...job,
    body,
    paths: resolveParserPaths(),
    until: deadline + PARSER_GRACE_MS,
    rssBytes: memoryMb * 1024 * 1024,
  });
}

/** setTimeout delay for an epoch-ms deadline; setTimeout treats anything past 2^31 - 1 as 1 ms. */
const until = (deadline: number): number => Math.min(Math.max(0, deadline - Date.now()), 2 ** 31 - 1);

const alive = (child: ChildProcess): boolean =>
  child.connected && child.exitCode === null && child.signalCode === null;

/**
 * Runs one parse in a child Node process, killed at the deadline; library output goes nowhere. A
 * child that answered (a result or a parse error) is kept for the next job, as the PDF child is.
 */
export function runParser<T>(
  job: ParserTask,
  body: Buffer,
  deadline: number,
  memoryMb: number = DEFAULTS.parserMemoryMb,
): Promise<T> {
  if (Date.now() >= deadline) return Promise.reject(new DeadlineError('timeout'));
  return new Promise<T>((resolve, reject) => {
    let settled = false;
    const child = takeChild('legacy', memoryMb);
    const finish = (fn: () => void, rss?: number) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      child.off('message', onChildMessage);
      child.off('exit', onChildExit);
      child.off('error', onChildError);
      if (rss !== undefined) releaseChild(child, 'legacy', memoryMb, rss);
      else if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      fn();
    };
    const timer = setTimeout(() => finish(() => reject(new DeadlineError('timeout'))), until(deadline));
    const onChildMessage = (m: { ok: boolean; result?: T; error?: string; rss?: number }) =>
      finish(
        () => (m.ok ? resolve(m.result as T) : reject(new Error(m.error ?? '未知错误'))),
        m.rss ?? Number.POSITIVE_INFINITY,
      );
    const onChildError = (err: Error) => finish(() => reject(err));
    const onChildExit = (code: number | null, signal: NodeJS.Signals | null) =>
      finish(() => reject(exitError(code, signal, memoryMb)));
    child.on('message', onChildMessage);
    child.on('error', onChildError);
    child.on('exit', onChildExit);
    try {
      sendJob(child, job, body, deadline, memoryMb);
    } catch (err) {
      finish(() => reject(err instanceof Error ? err : new Error(String(err))));
    }
  });
}

// ---------------------------------------------------------------------------------------------
// Reused children

/** `pdf`: pdf.js, no heap cap; `legacy`: word-extractor and SheetJS, under a heap cap. */
type ChildKind = 'pdf' | 'legacy';

interface Pooled {
  child: ChildProcess;
  memoryMb: number;
  timer: NodeJS.Timeout;
  onExit: () => void;
}
// One idle child per kind at most: extraction runs one attachment at a time; a second, concurrent
// job gets a child of its own, which is pooled afterwards only if the slot is free.
const pool = new Map<ChildKind, Pooled>();
let spawned = 0;

/** Parser children started by this process so far (a folder scan starts one per kind it needs). */
export function parserSpawnCount(): number {
  return spawned;
}

function takeChild(kind: ChildKind, memoryMb: number): ChildProcess {
  const p = pool.get(kind);
  pool.delete(kind);
  if (p) {
    clearTimeout(p.timer);
    p.child.off('exit', p.onExit);
  }
  if (p && p.memoryMb === memoryMb && alive(p.child)) {
    p.child.ref();
    p.child.channel?.ref();
    return p.child;
  }
  if (p) p.child.kill('SIGKILL');
  spawned += 1;
  const child = spawnParser(kind === 'legacy');
  child.on('error', () => undefined); // reported through 'exit'; an unheard 'error' would throw
  return child;
}

/** Keeps a healthy child for the next job; it must not keep this process alive while it waits. */
function releaseChild(child: ChildProcess, kind: ChildKind, memoryMb: number, rss: number): void {
  // pdf.js keeps caches between documents in one process: a child that grew past half of its cap
  // is replaced rather than start the next file nearer the cap.
  if (pool.has(kind) || !alive(child) || rss > (memoryMb * 1024 * 1024) / 2) {
    child.kill('SIGKILL');
    return;
  }
  const onExit = () => {
    const p = pool.get(kind);
    if (p?.child !== child) return;
    clearTimeout(p.timer);
    pool.delete(kind);
  };
  child.on('exit', onExit);
  child.unref();
  child.channel?.unref();
  const timer = setTimeout(() => child.kill('SIGKILL'), IDLE_MS);
  timer.unref();
  pool.set(kind, { child, memoryMb, timer, onExit });
}

/** Ends the idle parser children now (a command that has read its last file); safe to call twice. */
export function closeParsers(): void {
  for (const [kind, p] of pool) {
    pool.delete(kind);
    clearTimeout(p.timer);
    p.child.off('exit', p.onExit);
    p.child.kill('SIGKILL');
  }
}

// ---------------------------------------------------------------------------------------------
// Streamed jobs (PDF)

/** How a streamed job ended. `stalled`: no message within the step budget. */
export type StreamEnd =
  | { kind: 'done' }
  | { kind: 'error'; message: string }
  | { kind: 'deadline' }
  | { kind: 'stalled' }
  | { kind: 'memory' }
  | { kind: 'crashed'; message: string };

export interface StreamOptions {
  deadline: number;
  /** Resident memory cap of the child, MB. */
  memoryMb: number;
  /** Longest silence between two progress messages, counted from the first one (ms). */
  stepMs: number;
}

/**
 * Runs a job whose child reports progress ({ type } messages) and ends with `done` or `error`.
 * Every other message goes to `onMessage`. The child is killed at the deadline, after `stepMs` of
 * silence, or over its memory cap; a child that ended its job cleanly is kept for the next one.
 */
export function streamParser<M extends { type: string }>(
  job: PdfTask,
  body: Buffer,
  opts: StreamOptions,
  onMessage: (m: M) => void,
): Promise<StreamEnd> {
  if (Date.now() >= opts.deadline) return Promise.resolve({ kind: 'deadline' });
  return new Promise<StreamEnd>((resolve) => {
    const child = takeChild('pdf', opts.memoryMb);
    let settled = false;
    let step: NodeJS.Timeout | undefined;
    const finish = (end: StreamEnd, rss?: number) => {
      if (settled) return;
      settled = true;
      clearTimeout(deadline);
      clearTimeout(step);
      child.off('message', onChildMessage);
      child.off('exit', onChildExit);
      child.off('error', onChildError);
      if (rss !== undefined) releaseChild(child, 'pdf', opts.memoryMb, rss);
      else if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      resolve(end);
    };
    const onChildMessage = (m: M & { rss?: number; error?: string }) => {
      if (m.type === 'done') return finish({ kind: 'done' }, m.rss ?? 0);
      if (m.type === 'error') return finish({ kind: 'error', message: m.error ?? '未知错误' }, m.rss ?? 0);
      clearTimeout(step);
      step = setTimeout(() => finish({ kind: 'stalled' }), opts.stepMs);
      onMessage(m);
    };
    const onChildExit = (code: number | null, signal: NodeJS.Signals | null) =>
      finish(
        overMemory(code, signal)
          ? { kind: 'memory' }
          : { kind: 'crashed', message: exitError(code, signal, opts.memoryMb).message },
      );
    const onChildError = (err: Error) => finish({ kind: 'crashed', message: err.message });
    const deadline = setTimeout(() => finish({ kind: 'deadline' }), until(opts.deadline));
    child.on('message', onChildMessage);
    child.on('exit', onChildExit);
    child.on('error', onChildError);
    try {
      sendJob(child, job, body, opts.deadline, opts.memoryMb);
    } catch (err) {
      finish({ kind: 'crashed', message: err instanceof Error ? err.message : String(err) });
    }
  });
}
