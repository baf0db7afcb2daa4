/** How much of a mailing went out; `configured` is false when no SMTP server is set (nothing sent). */
export interface MailOutcome {
  configured: boolean;
  sent: number;
  failed: number;
}

/**
 * What the jobs and the scheduler need from mail (src/mail/send.ts creates the real one): after a
 * batch, before a deadline. An interface so tests and the console can pass their own. Never throws:
 * every attempt is in mail_log, failures in the log.
 */
export interface Mailer {
  /** After a batch: the summary to the office and each unit's 整改通知 to its contact. */
  afterBatch(runId: number): Promise<MailOutcome>;
  /** A reminder of the batch's 整改 deadline to each unit that was sent a notice. */
  reminder(runId: number): Promise<MailOutcome>;
}
