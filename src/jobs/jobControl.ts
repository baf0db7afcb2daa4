import type { Db } from '../store/db.js';
import type { Logger } from '../log.js';
import type { Account, JobControl, RunningJob } from '../console/types.js';
import type { Mailer } from '../mail/mailer.js';

export interface JobControlOptions {
  db: Db;
  log: Logger;
  rulesDir: string;
  outDir: string;
  issuer: string;
  now(): Date;
  mailer?: Mailer;
}

/** Batches, 复查 and probes run in the console's (or `xuncha schedule`'s) own process. */
export function createJobControl(o: JobControlOptions): JobControl & { close(): Promise<void> } {
  const jobs: RunningJob[] = [];
  void o;
  return {
    startBatch(_by: Account | 'scheduler') {
      return Promise.reject(new Error('not implemented yet'));
    },
    startRecheck(_by: Account | 'scheduler', _runId: number) {
      return Promise.reject(new Error('not implemented yet'));
    },
    running: () => jobs.map((j) => ({ ...j })),
    close: () => Promise.resolve(),
  };
}
