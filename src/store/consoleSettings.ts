import type { Db } from './db.js';

/**
 * Console settings by key, each a JSON value with who changed it last. Keys: 'units' (the roster,
 * ConsoleRoster), 'smtp' (SmtpSettings), 'crawl' (crawl settings of batches started by the console,
 * a partial CrawlSettings) and 'office' (free for the console's pages).
 */
export interface StoredSetting<T> {
  value: T;
  updatedAt: string;
  updatedBy: string;
}

export async function getSetting<T>(db: Db, key: string): Promise<StoredSetting<T> | undefined> {
  const row = await db.selectFrom('console_settings').selectAll().where('key', '=', key).executeTakeFirst();
  if (!row) return undefined;
  return { value: JSON.parse(row.value) as T, updatedAt: row.updated_at, updatedBy: row.updated_by };
}

export async function putSetting(
  db: Db,
  key: string,
  value: unknown,
  by: string,
  now = new Date(),
): Promise<void> {
  const row = { key, value: JSON.stringify(value), updated_at: now.toISOString(), updated_by: by };
  await db
    .insertInto('console_settings')
    .values(row)
    .onConflict((oc) =>
      oc
        .column('key')
        .doUpdateSet({ value: row.value, updated_at: row.updated_at, updated_by: row.updated_by }),
    )
    .execute();
}

/**
 * The roster batches are started on: a seed file as YAML text (imports in CSV or a workbook are
 * stored as the YAML of the units read from them, so the console can edit one unit and every
 * batch reads one format). `file` names where it came from, for the batch's record.
 */
export interface ConsoleRoster {
  file: string;
  format: 'yaml';
  text: string;
}

/** SMTP and recipients of the office. `password` is stored, never shown back by a page. */
export interface SmtpSettings {
  host: string;
  port: number;
  /** TLS from the start (port 465); otherwise STARTTLS when the server offers it. */
  secure: boolean;
  user: string;
  password: string;
  /** 发件人, e.g. 政务公开办 <gkb@example.gov.cn>. */
  from: string;
  /** The office's recipients of the batch summary and copies of reminders. */
  office: string[];
  /** The console's address for links in mails, e.g. http://10.0.0.5:8080. */
  consoleUrl?: string;
}

export const SETTING_UNITS = 'units';
export const SETTING_SMTP = 'smtp';
export const SETTING_CRAWL = 'crawl';

export async function getSmtpSettings(db: Db): Promise<SmtpSettings | undefined> {
  return (await getSetting<SmtpSettings>(db, SETTING_SMTP))?.value;
}
