/**
 * What the jobs and the scheduler need from mail (src/mail/): sending after a batch, before a
 * deadline, and a test mail. An interface so tests and the console can pass their own.
 */
export interface Mailer {
  /** After a batch: the summary to the office and each unit's 整改通知 to its contact. Never throws. */
  afterBatch(runId: number): Promise<void>;
  /** A reminder of the 整改 deadline of a batch to the units that still have findings. Never throws. */
  reminder(runId: number): Promise<void>;
}
