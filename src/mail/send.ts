import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import nodemailer from 'nodemailer';
import type { Db } from '../store/db.js';
import type { Logger } from '../log.js';
import type { InspectionReport, ReportUnit } from '../report/model.js';
import { getSmtpSettings, type SmtpSettings } from '../store/consoleSettings.js';
import { recordMail, type MailKind } from '../store/mailLog.js';
import { loadUnits } from '../store/runs.js';
import { listAccounts } from '../store/accounts.js';
import { WorkdayCalendar } from '../workdays/calendar.js';
import { maskText } from '../pii/mask.js';
import type { MailOutcome, Mailer } from './mailer.js';
import {
  noticeMail,
  reminderMail,
  summaryMail,
  supervisionMail,
  testMail,
  type MailText,
} from './messages.js';
import { supervisionFileStem } from '../report/supervisionFiles.js';
import type { RecheckReport } from '../report/recheck.js';

export interface MailerOptions {
  db: Db;
  log: Logger;
  outDir: string;
  rulesDir: string;
  issuer: string;
  now(): Date;
}

/** A mail address in free text (a seed's contact: 办公室 张三 0595-2258xxxx zhangsan@example.gov.cn). */
const ADDRESS = /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g;

export function addressesIn(contact: string | undefined): string[] {
  return [...new Set(contact?.match(ADDRESS) ?? [])];
}

function beijingDate(d: Date): string {
  return new Date(d.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
}

/** `<stem>.docx` and `<stem>.pdf` in `dir`, those that exist. */
function filesNamed(dir: string, stem: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f === `${stem}.docx` || f === `${stem}.pdf`)
    .sort()
    .map((f) => join(dir, f));
}

/** The 整改通知 writeReports named after a unit (整改通知-<name>, unsafe characters as '_'). */
function noticeStem(unit: ReportUnit): string {
  return `整改通知-${unit.name.replace(/[\\/:*?"<>|\x00-\x1f]/g, '_').trim() || 'unit'}`;
}

const MIME: Record<string, string> = {
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  pdf: 'application/pdf',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

function attachment(file: string) {
  const name = file.split(/[\\/]/).pop()!;
  // The name is a unit's name, which may carry a phone number like any scraped or typed text.
  return { filename: maskText(name), path: file, contentType: MIME[name.split('.').pop() ?? ''] };
}

function transportOf(s: SmtpSettings) {
  return nodemailer.createTransport({
    host: s.host,
    port: s.port,
    secure: s.secure,
    ...(s.user ? { auth: { user: s.user, pass: s.password } } : {}),
    // An office's server that does not answer must not hold a batch's mailing for minutes.
    connectionTimeout: 15_000,
    greetingTimeout: 15_000,
    socketTimeout: 30_000,
  });
}

/**
 * Mail through the SMTP server of console_settings 'smtp' (read at every mailing, so a change in
 * the console applies to the next one). Without settings nothing is sent and nothing fails. Every
 * attempt — sent, refused, or a unit without a mail address — is one mail_log row.
 */
export function createMailer(o: MailerOptions): Mailer & {
  sendTest(to: string, by: string): Promise<{ ok: boolean; error?: string }>;
} {
  const today = () => beijingDate(o.now());

  async function send(
    smtp: SmtpSettings,
    kind: MailKind,
    to: string,
    mail: MailText,
    ctx: { runId: number | null; unitId: string | null },
    attachments: string[] = [],
  ): Promise<boolean> {
    const row = { at: o.now().toISOString(), kind, recipient: to, subject: mail.subject, ...ctx };
    try {
      if (!to) throw new Error('单位联系方式和单位用户账号中都没有电子邮箱地址');
      const transport = transportOf(smtp);
      try {
        await transport.sendMail({
          from: smtp.from,
          to,
          subject: mail.subject,
          text: mail.text,
          // Base64 keeps Chinese text intact through any relay.
          textEncoding: 'base64',
          attachments: attachments.map(attachment),
        });
      } finally {
        transport.close();
      }
      await recordMail(o.db, { ...row, outcome: 'sent', error: null });
      return true;
    } catch (err) {
      const reason = maskText((err as Error).message ?? String(err)).split('\n')[0]!;
      o.log.warn(`邮件未能发送（${mail.subject} → ${to || '无地址'}）：${reason}`);
      await recordMail(o.db, { ...row, outcome: 'failed', error: reason }).catch((e: unknown) =>
        o.log.error(`无法记录邮件发送结果：${String(e)}`),
      );
      return false;
    }
  }

  function readReport(runId: number): InspectionReport | undefined {
    const file = join(resolve(o.outDir, String(runId)), 'run.json');
    if (!existsSync(file)) {
      o.log.warn(`第 ${runId} 批次没有报告（${file}），不发送邮件`);
      return undefined;
    }
    return JSON.parse(readFileSync(file, 'utf8')) as InspectionReport;
  }

  /** The 整改复查 this batch is (written by the console's or the CLI's re-check), if any. */
  function readRecheck(runId: number): RecheckReport | undefined {
    const file = join(resolve(o.outDir, String(runId)), '整改复查.json');
    return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as RecheckReport) : undefined;
  }

  /**
   * Units with a notice, each with its recipients: the addresses in the seed's contact (from the
   * store: the report's copy may be masked) and the mail of the unit's enabled 单位用户 accounts.
   */
  async function noticeUnits(report: InspectionReport) {
    const dir = resolve(o.outDir, String(report.runId));
    const contacts = new Map((await loadUnits(o.db, report.runId)).map((u) => [u.id, u.contact]));
    const accounts = (await listAccounts(o.db)).filter((a) => !a.disabled && a.role === 'unit' && a.email);
    const recipients = (unitId: string) => [
      ...new Set([
        ...addressesIn(contacts.get(unitId)),
        ...accounts.filter((a) => a.unitId === unitId).map((a) => a.email!),
      ]),
    ];
    // After a 复查 a unit with problems left gets its 督办通知 (written beside 整改复查.xlsx).
    const recheck = readRecheck(report.runId);
    return report.units
      .map((unit) => {
        const supervision = recheck ? filesNamed(dir, supervisionFileStem(unit.name)) : [];
        const files = supervision.length ? supervision : filesNamed(dir, noticeStem(unit));
        return { unit, files, supervision: supervision.length > 0, to: recipients(unit.id).join(', ') };
      })
      .filter((u) => u.files.length);
  }

  async function guarded(
    what: string,
    body: (smtp: SmtpSettings) => Promise<MailOutcome>,
  ): Promise<MailOutcome> {
    try {
      const smtp = await getSmtpSettings(o.db);
      if (!smtp?.host) {
        o.log.info(`未设置邮件服务器，${what}不发送邮件`);
        return { configured: false, sent: 0, failed: 0 };
      }
      return await body(smtp);
    } catch (err) {
      o.log.error(`${what}的邮件未能发送：${String(err)}`);
      return { configured: true, sent: 0, failed: 1 };
    }
  }

  const tally = (results: boolean[]): MailOutcome => ({
    configured: true,
    sent: results.filter(Boolean).length,
    failed: results.filter((r) => !r).length,
  });

  return {
    afterBatch: (runId) =>
      guarded(`第 ${runId} 批次`, async (smtp) => {
        const report = readReport(runId);
        if (!report) return { configured: true, sent: 0, failed: 0 };
        const results: boolean[] = [];
        const units = await noticeUnits(report);
        const recheck = readRecheck(runId);
        for (const { unit, files, to, supervision } of units) {
          const mail =
            supervision && recheck
              ? supervisionMail(report, unit, recheck.previousRunId, today())
              : noticeMail(report, unit, today());
          results.push(await send(smtp, 'notice', to, mail, { runId, unitId: unit.id }, files));
        }
        const dir = resolve(o.outDir, String(runId));
        const workbooks = ['网上巡查排名.xlsx', '整改复查.xlsx']
          .map((f) => join(dir, f))
          .filter((f) => existsSync(f));
        const summary = summaryMail(report, {
          today: today(),
          ...(smtp.consoleUrl ? { consoleUrl: smtp.consoleUrl } : {}),
          noticesSent: results.filter(Boolean).length,
          noticeUnits: units.length,
          ...(recheck ? { recheck } : {}),
        });
        for (const to of smtp.office)
          results.push(await send(smtp, 'summary', to, summary, { runId, unitId: null }, workbooks));
        const outcome = tally(results);
        o.log.info(`第 ${runId} 批次邮件：发出 ${outcome.sent} 封，失败 ${outcome.failed} 封`);
        return outcome;
      }),
    reminder: (runId) =>
      guarded(`第 ${runId} 批次整改期限提醒`, async (smtp) => {
        const report = readReport(runId);
        if (!report) return { configured: true, sent: 0, failed: 0 };
        const calendar = WorkdayCalendar.load(join(o.rulesDir, 'calendar'));
        const left = calendar.countWorkdays(today(), report.notice.deadline);
        const results: boolean[] = [];
        for (const { unit, to } of await noticeUnits(report))
          results.push(
            await send(smtp, 'reminder', to, reminderMail(report, unit, today(), left), {
              runId,
              unitId: unit.id,
            }),
          );
        return tally(results);
      }),
    async sendTest(to, by) {
      const smtp = await getSmtpSettings(o.db);
      if (!smtp?.host) return { ok: false, error: '尚未设置邮件服务器' };
      const ok = await send(smtp, 'test', to, testMail(o.issuer, today(), by), { runId: null, unitId: null });
      if (ok) return { ok };
      const last = await o.db
        .selectFrom('mail_log')
        .select('error')
        .where('kind', '=', 'test')
        .orderBy('id', 'desc')
        .executeTakeFirst();
      return { ok, error: last?.error ?? '发送失败' };
    },
  };
}
