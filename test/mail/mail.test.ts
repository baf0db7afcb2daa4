import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestStore } from '../helpers/testStore.js';
import { startGeneratedCounty, type GeneratedCounty } from '../helpers/generatedCounty.js';
import { createJobControl } from '../../src/jobs/jobControl.js';
import { saveRoster } from '../../src/jobs/roster.js';
import { createMailer } from '../../src/mail/send.js';
import { supervisionFileStem } from '../../src/report/supervisionFiles.js';
import {
  putSetting,
  SETTING_CRAWL,
  SETTING_SMTP,
  type SmtpSettings,
} from '../../src/store/consoleSettings.js';
import { listMailLog } from '../../src/store/mailLog.js';
import { createAccount, setAccountDisabled } from '../../src/store/accounts.js';
import { getRun } from '../../src/store/runs.js';
import { parseSeedText } from '../../src/seeds/readSeeds.js';
import type { Logger } from '../../src/log.js';

interface Received {
  to: string[];
  subject: string;
  text: string;
  attachments: { name: string; data: Buffer }[];
}

/** RFC 2047 encoded words (=?UTF-8?B?…?=, =?UTF-8?Q?…?=) in a header. */
function decodeWords(v: string): string {
  return v
    .replace(/\?=\s+=\?/g, '?==?')
    .replace(/=\?utf-8\?([bq])\?([^?]*)\?=/gi, (_m, enc: string, t: string) =>
      enc.toLowerCase() === 'b'
        ? Buffer.from(t, 'base64').toString('utf8')
        : Buffer.from(
            t
              .replace(/_/g, ' ')
              .replace(/=([0-9a-f]{2})/gi, (_x, h: string) => String.fromCharCode(parseInt(h, 16))),
            'latin1',
          ).toString('utf8'),
    );
}

function headersOf(block: string): Map<string, string> {
  const map = new Map<string, string>();
  for (const line of block.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
    const i = line.indexOf(':');
    if (i > 0) map.set(line.slice(0, i).toLowerCase(), line.slice(i + 1).trim());
  }
  return map;
}

/** A file name from Content-Disposition: RFC 2231 (filename*0*=utf-8''…) or RFC 2047. */
function fileNameOf(disposition: string): string {
  const pieces = [...disposition.matchAll(/filename\*(\d*)\*?=([^;]+)/g)].map((m) => m[2]!.trim());
  if (pieces.length)
    return decodeURIComponent(
      pieces
        .join('')
        .replace(/^utf-8''/i, '')
        .replace(/"/g, ''),
    );
  return decodeWords(/filename="?([^";]+)"?/.exec(disposition)?.[1] ?? '');
}

/** Just enough MIME for nodemailer's output: multipart, base64 parts. */
function parse(raw: string, into: Received): void {
  const split = raw.search(/\r?\n\r?\n/);
  const headers = headersOf(raw.slice(0, split));
  const body = raw.slice(split).replace(/^\r?\n\r?\n/, '');
  const type = headers.get('content-type') ?? 'text/plain';
  const boundary = /boundary="?([^";]+)"?/.exec(type)?.[1];
  if (boundary) {
    for (const part of body.split(`--${boundary}`).slice(1, -1)) parse(part.replace(/^\r?\n/, ''), into);
    return;
  }
  const data =
    headers.get('content-transfer-encoding') === 'base64'
      ? Buffer.from(body.replace(/\s+/g, ''), 'base64')
      : Buffer.from(body);
  const disposition = headers.get('content-disposition') ?? '';
  if (disposition.startsWith('attachment')) into.attachments.push({ name: fileNameOf(disposition), data });
  else if (type.startsWith('text/plain')) into.text += data.toString('utf8');
}

const quiet: Logger = { info() {}, warn() {}, error() {}, progress() {}, done() {} };

let county: GeneratedCounty;
let smtp: SMTPServer;
let smtpPort: number;
const inbox: Received[] = [];
let out: string;

beforeAll(async () => {
  county = await startGeneratedCounty({ hosts: 2, columns: 1, listPages: 1 });
  out = mkdtempSync(join(tmpdir(), 'xuncha-mail-'));
  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, done) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        const mail: Received = {
          to: session.envelope.rcptTo.map((r) => r.address),
          subject: decodeWords(headersOf(raw.slice(0, raw.search(/\r?\n\r?\n/))).get('subject') ?? ''),
          text: '',
          attachments: [],
        };
        parse(raw, mail);
        inbox.push(mail);
        done();
      });
    },
  });
  await new Promise<void>((r) => smtp.listen(0, '127.0.0.1', r));
  smtpPort = (smtp.server.address() as AddressInfo).port;
});

afterAll(async () => {
  await county.close();
  await new Promise<void>((r) => smtp.close(() => r()));
  rmSync(out, { recursive: true, force: true });
});

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as AddressInfo).port;
  await new Promise((r) => s.close(r));
  return port;
}

describe('mail after a batch', () => {
  it('sends the summary to the office and each notice to its unit, masked, and survives a dead server', async () => {
    const db = await openTestStore();
    const units = parseSeedText(county.seedsYaml(), 'units.yaml');
    // A phone number in a unit's name must not leave in a mail; the second unit has no address.
    units[0]!.name = '示范区单位甲（值班电话13812345678）';
    units[0]!.contact = '办公室 张三 0595-22580000 zhangsan@dept-a.example.gov.cn';
    units[1]!.contact = '办公室 李四 0595-22581111';
    await saveRoster(db, units, 'units.yaml', 'admin', new Date());
    // The unit's 单位用户 account gives a second address; a disabled one gives none.
    const account = {
      displayName: '网站管理员',
      role: 'unit' as const,
      unitId: units[0]!.id,
      passwordHash: 'x',
    };
    await createAccount(
      db,
      { ...account, username: 'u0', email: 'webmaster@dept-a.example.gov.cn' },
      new Date(),
    );
    const gone = await createAccount(
      db,
      { ...account, username: 'u0old', email: 'old@dept-a.example.gov.cn' },
      new Date(),
    );
    await setAccountDisabled(db, gone, true);
    await putSetting(
      db,
      SETTING_CRAWL,
      { perHostDelayMs: 0, checkExternalLinks: false, screenshots: false, render: 'never' },
      'admin',
    );
    const settings: SmtpSettings = {
      host: '127.0.0.1',
      port: smtpPort,
      secure: false,
      user: '',
      password: '',
      from: '示范区政务公开办 <gkb@example.gov.cn>',
      office: ['gkb@example.gov.cn', 'leader@example.gov.cn'],
      consoleUrl: 'http://127.0.0.1:8080',
    };
    await putSetting(db, SETTING_SMTP, settings, 'admin');
    const o = {
      db,
      log: quiet,
      rulesDir: 'rules',
      outDir: out,
      issuer: '示范区人民政府办公室',
      now: () => new Date('2026-12-01T02:00:00Z'),
    };
    const jobs = createJobControl(o);
    const { runId } = await jobs.startBatch('scheduler', { inspectionDate: '2026-12-01' });
    await jobs.close();
    expect((await getRun(db, runId))?.status).toBe('reported');

    const notices = inbox.filter((m) => m.subject.includes('整改通知'));
    expect(notices.map((m) => m.to)).toEqual([
      ['zhangsan@dept-a.example.gov.cn', 'webmaster@dept-a.example.gov.cn'],
    ]);
    const notice = notices[0]!;
    expect(notice.subject).toBe('关于示范区单位甲（值班电话138****5678）政府网站网上巡查发现问题的整改通知');
    expect(notice.text).toContain('2026年12月15日前完成');
    expect(notice.text).not.toContain('13812345678');
    const docx = notice.attachments.find((a) => a.name.endsWith('.docx'))!;
    expect(docx.name).toBe('整改通知-示范区单位甲（值班电话138****5678）.docx');
    const written = join(out, String(runId), '整改通知-示范区单位甲（值班电话13812345678）.docx');
    expect(docx.data.equals(readFileSync(written))).toBe(true);

    const summaries = inbox.filter((m) => m.subject.includes('网上巡查情况的报告'));
    expect(summaries.map((m) => m.to).sort()).toEqual([['gkb@example.gov.cn'], ['leader@example.gov.cn']]);
    expect(summaries[0]!.text).toContain('排名靠前的单位');
    expect(summaries[0]!.text).toContain(`http://127.0.0.1:8080/batches/${runId}`);
    expect(summaries[0]!.text).not.toContain('13812345678');
    expect(summaries[0]!.attachments.map((a) => a.name)).toEqual(['网上巡查排名.xlsx']);

    const logged = await listMailLog(db, { runId });
    expect(logged.filter((m) => m.outcome === 'sent')).toHaveLength(3);
    expect(logged.filter((m) => m.outcome === 'failed')).toMatchObject([
      {
        kind: 'notice',
        unitId: units[1]!.id,
        recipient: '',
        error: '单位联系方式和单位用户账号中都没有电子邮箱地址',
      },
    ]);

    // Before the deadline (15 December): the reminder to the units that were sent a notice.
    const reminding = createMailer({ ...o, now: () => new Date('2026-12-10T01:00:00Z') });
    await expect(reminding.reminder(runId)).resolves.toEqual({ configured: true, sent: 1, failed: 1 });
    const reminder = inbox.at(-1)!;
    expect(reminder.to).toEqual(['zhangsan@dept-a.example.gov.cn', 'webmaster@dept-a.example.gov.cn']);
    expect(reminder.subject).toBe('关于示范区单位甲（值班电话138****5678）网站问题整改期限即将届满的提醒');
    expect(reminder.text).toContain('距整改期限还有3个工作日');

    // Had this batch been a 复查 (整改复查.json and a 督办通知 beside it, as the re-check writes them),
    // the unit with problems left gets its 督办通知 and the office the comparison.
    const dir = join(out, String(runId));
    const counts = (fixed: number, open: number) => ({ fixed, open, changed: 0, new: 1, unverifiable: 0 });
    const recheck = {
      previousRunId: 7,
      previousDate: '2026-11-01',
      currentRunId: runId,
      currentDate: '2026-12-01',
      units: [
        { id: units[0]!.id, name: units[0]!.name, counts: counts(2, 3), items: [] },
        { id: units[1]!.id, name: units[1]!.name, counts: counts(4, 0), items: [] },
      ],
    };
    writeFileSync(join(dir, '整改复查.json'), JSON.stringify(recheck));
    writeFileSync(join(dir, '整改复查.xlsx'), 'workbook');
    writeFileSync(join(dir, `${supervisionFileStem(units[0]!.name)}.docx`), 'docx');
    const sentBefore = inbox.length;
    await createMailer(o).afterBatch(runId);
    const after = inbox.slice(sentBefore);
    const supervision = after.find((m) => m.subject.includes('督办通知'))!;
    expect(supervision.to).toEqual(['zhangsan@dept-a.example.gov.cn', 'webmaster@dept-a.example.gov.cn']);
    expect(supervision.attachments.map((a) => a.name)).toEqual([
      '督办通知-示范区单位甲（值班电话138****5678）.docx',
    ]);
    expect(supervision.text).toContain('第7批次网上巡查发现的问题进行了整改复查');
    const office = after.find((m) => m.subject.includes('网上巡查情况的报告'))!;
    expect(office.text).toContain('已整改6个问题，未整改3个，新发现2个；1个单位仍有未整改问题');
    expect(office.attachments.map((a) => a.name)).toEqual(['网上巡查排名.xlsx', '整改复查.xlsx']);
    for (const f of ['整改复查.json', '整改复查.xlsx', `${supervisionFileStem(units[0]!.name)}.docx`])
      rmSync(join(dir, f));

    // The office's server is down: every attempt is logged as failed, nothing throws.
    await putSetting(db, SETTING_SMTP, { ...settings, port: await closedPort() }, 'admin');
    const mailer = createMailer(o);
    const before = inbox.length;
    await expect(mailer.afterBatch(runId)).resolves.toEqual({ configured: true, sent: 0, failed: 4 });
    expect(inbox.length).toBe(before);
    const failed = (await listMailLog(db, { runId })).filter((m) => m.outcome === 'failed');
    expect(failed).toHaveLength(7);
    expect(failed.some((m) => /ECONNREFUSED|connect/i.test(m.error ?? ''))).toBe(true);
    expect(await mailer.sendTest('gkb@example.gov.cn', '管理员')).toMatchObject({ ok: false });
  }, 120_000);

  it('sends a test mail; without settings sends nothing', async () => {
    const db = await openTestStore();
    const mailer = createMailer({
      db,
      log: quiet,
      rulesDir: 'rules',
      outDir: out,
      issuer: '示范区',
      now: () => new Date(),
    });
    await expect(mailer.afterBatch(1)).resolves.toEqual({ configured: false, sent: 0, failed: 0 });
    await putSetting(
      db,
      SETTING_SMTP,
      {
        host: '127.0.0.1',
        port: smtpPort,
        secure: false,
        user: '',
        password: '',
        from: 'gkb@example.gov.cn',
        office: [],
      },
      'admin',
    );
    expect(await mailer.sendTest('test@example.gov.cn', '管理员甲')).toEqual({ ok: true });
    const test = inbox.at(-1)!;
    expect(test).toMatchObject({ to: ['test@example.gov.cn'], subject: '网上巡查系统测试邮件' });
    expect(test.text).toContain('管理员甲');
  });
});
