import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { analysePage, type AnalysisInput, type PageAnalysis } from './pageAnalysis.js';

/**
 * Where pages are analysed: worker threads, so that parsing never delays the next request start
 * (at 50 ms latency and 16 requests in flight, every millisecond the main thread spends in cheerio
 * is a request not sent), or the main thread when `workers` is 0.
 */
export interface PageAnalyser {
  analyse(input: AnalysisInput): Promise<PageAnalysis>;
  close(): Promise<void>;
}

/** One thread per spare core, at most 4: the main thread keeps one core for I/O and the store. */
export const defaultAnalysisWorkers = (): number => Math.min(4, Math.max(1, availableParallelism() - 1));

/** Heap cap per worker: a hostile page may kill its worker, never the crawl. */
const DEFAULT_HEAP_MB = 512;

export function createPageAnalyser(workers: number, heapMb = DEFAULT_HEAP_MB): PageAnalyser {
  if (workers <= 0)
    return { analyse: (input) => Promise.resolve().then(() => analysePage(input)), close: async () => {} };
  const pool = Array.from({ length: workers }, () => new AnalysisWorker(heapMb));
  return {
    async analyse(input) {
      const pick = () => pool.reduce((a, b) => (b.load < a.load ? b : a));
      try {
        return await pick().analyse(input);
      } catch (err) {
        // A page that kills its worker (over the heap cap) fails; the pages queued behind it on
        // that worker were not at fault and get one more try on a fresh worker.
        if (!(err instanceof QueuedBehindCrash)) throw err;
        return pick().analyse(input);
      }
    },
    close: async () => void (await Promise.all(pool.map((w) => w.close()))),
  };
}

class QueuedBehindCrash extends Error {}

function spawnWorker(heapMb: number): Worker {
  const resourceLimits = { maxOldGenerationSizeMb: heapMb };
  const self = import.meta.url;
  if (!self.endsWith('.ts')) return new Worker(new URL('./analysisWorker.js', self), { resourceLimits });
  // Sources run by tsx or vitest (bench, tests): load the TypeScript entry through tsx's loader.
  const entry = JSON.stringify(new URL('./analysisWorker.ts', self).href);
  const tsx = JSON.stringify(import.meta.resolve('tsx/esm/api'));
  return new Worker(`import(${tsx}).then((t) => t.register()).then(() => import(${entry}))`, {
    eval: true,
    resourceLimits,
  });
}

interface Reply {
  id: number;
  result?: PageAnalysis;
  error?: string;
}

/** One worker thread, started on first use and restarted after a crash. */
class AnalysisWorker {
  private worker?: Worker;
  private readonly pending = new Map<
    number,
    { resolve: (a: PageAnalysis) => void; reject: (e: Error) => void }
  >();
  private nextId = 0;

  constructor(private readonly heapMb: number) {}

  get load(): number {
    return this.pending.size;
  }

  analyse(input: AnalysisInput): Promise<PageAnalysis> {
    const worker = (this.worker ??= this.start());
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      // Only a worker with work to do keeps the process alive.
      if (this.pending.size === 1) worker.ref();
      worker.postMessage({ id, input });
    });
  }

  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    await worker?.terminate();
  }

  private start(): Worker {
    const worker = spawnWorker(this.heapMb);
    worker.on('message', (reply: Reply) => this.settle(reply));
    worker.on('error', (err) => this.crashed(worker, err.message));
    worker.on('exit', (code) => this.crashed(worker, `退出码 ${code}`));
    worker.unref();
    return worker;
  }

  private settle(reply: Reply): void {
    const p = this.pending.get(reply.id);
    if (!p) return;
    this.pending.delete(reply.id);
    if (!this.pending.size) this.worker?.unref();
    if (reply.result) p.resolve(reply.result);
    else p.reject(new Error(`页面解析失败：${reply.error ?? '未知错误'}`));
  }

  private crashed(worker: Worker, why: string): void {
    if (this.worker !== worker) return;
    this.worker = undefined;
    // A worker handles its messages in order, so the oldest unanswered one is the page it died on.
    const [culprit, ...queued] = this.pending.values();
    this.pending.clear();
    culprit?.reject(new Error(`页面解析线程异常终止（${why}）`));
    for (const p of queued) p.reject(new QueuedBehindCrash(`页面解析线程异常终止（${why}）`));
    void worker.terminate();
  }
}
