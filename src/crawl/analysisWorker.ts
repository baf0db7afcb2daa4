/**
 * Worker-thread entry of the page analyser pool: one message in (id, input), one out (id, result
 * or error). Keeps cheerio's parsing and its garbage off the thread that keeps requests flowing.
 */
import { parentPort } from 'node:worker_threads';
import { analysePage, type AnalysisInput } from './pageAnalysis.js';

parentPort?.on('message', (msg: { id: number; input: AnalysisInput }) => {
  try {
    parentPort!.postMessage({ id: msg.id, result: analysePage(msg.input) });
  } catch (err) {
    parentPort!.postMessage({ id: msg.id, error: (err as Error).message || String(err) });
  }
});
