import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Db } from '../store/db.js';
import { loadBody } from '../store/crawlData.js';
import { listScreenshots } from '../store/screenshots.js';
import { maskUrl } from '../pii/mask.js';
import { beijingTime } from '../store/locks.js';
import { cellText } from './sheetLayout.js';

/** The folder, inside a run's report folder, that holds the evidence files. */
export const EVIDENCE_DIR = '证据';

/** One evidence record as the reports show it (run.json carries these). */
export interface ReportScreenshot {
  unitId: string;
  /** The page drawn (masked). */
  pageUrl: string;
  /** Relative to the report folder: 证据/<sha256>.jpg */
  image: string;
  /** The saved copy, personal data masked: 证据/<sha256>.html */
  copy: string;
  imageHash: string;
  /** sha256 of the page's bytes exactly as fetched (kept in the store). */
  bodyHash: string;
  status: number;
  /** Beijing time, YYYY-MM-DD HH:MM:SS. */
  fetchedAt: string;
  /** Personal-data values masked in the image. */
  masked: number;
  /** Whether the finding's element was found and outlined. */
  located: boolean;
  /** Elements to outline; 0 when the page as a whole is the evidence (a missing 专栏). */
  targets: number;
  /** The findings (store ids) this page proves. */
  findingIds: number[];
}

/** The screenshot proving each finding, by the finding's store id (a page proves several). */
export function shotsByFinding(shots: ReportScreenshot[]): Map<number, ReportScreenshot> {
  const out = new Map<number, ReportScreenshot>();
  for (const s of shots) for (const id of s.findingIds) if (!out.has(id)) out.set(id, s);
  return out;
}

/** The run's evidence records, for the report model. */
export async function reportScreenshots(db: Db, runId: number): Promise<ReportScreenshot[]> {
  return (await listScreenshots(db, runId)).map((s) => ({
    unitId: s.unitId,
    pageUrl: maskUrl(s.pageUrl),
    image: `${EVIDENCE_DIR}/${s.imageHash}.jpg`,
    copy: `${EVIDENCE_DIR}/${s.copyHash}.html`,
    imageHash: s.imageHash,
    bodyHash: s.bodyHash,
    status: s.status,
    fetchedAt: beijingTime(Date.parse(s.fetchedAt)),
    masked: s.masked,
    located: s.located,
    targets: s.targets,
    findingIds: s.findingIds,
  }));
}

/**
 * Write the screenshots and masked saved copies into <dir>/证据/ with a list an office can file
 * (证据清单.csv: what each file is, the page, when it was fetched, its status and hashes).
 */
export async function exportEvidence(
  db: Db,
  runId: number,
  dir: string,
  shots: ReportScreenshot[],
): Promise<string[]> {
  if (!shots.length) return [];
  const folder = join(dir, EVIDENCE_DIR);
  mkdirSync(folder, { recursive: true });
  const stored = new Map((await listScreenshots(db, runId)).map((s) => [s.imageHash, s]));
  const written: string[] = [];
  for (const shot of shots) {
    const record = stored.get(shot.imageHash);
    const image = await loadBody(db, shot.imageHash);
    const copy = record && (await loadBody(db, record.copyHash));
    if (!image || !copy) continue;
    writeFileSync(join(dir, shot.image), image);
    writeFileSync(join(dir, shot.copy), copy);
    written.push(join(dir, shot.image));
  }
  const header = [
    '单位编码',
    '页面网址',
    '截图文件',
    '页面副本（已遮蔽个人信息）',
    '抓取时间（北京时间）',
    'HTTP状态',
    '原始页面SHA-256',
    '截图SHA-256',
    '遮蔽个人信息处数',
    '是否定位到问题位置',
    '关联问题编号',
  ];
  const rows = shots.map((s) => [
    s.unitId,
    s.pageUrl,
    s.image,
    s.copy,
    s.fetchedAt,
    String(s.status),
    s.bodyHash,
    s.imageHash,
    String(s.masked),
    locatedText(s),
    s.findingIds.join(' '),
  ]);
  // A BOM so Excel opens the UTF-8 list with its Chinese intact.
  const csv = '\ufeff' + [header, ...rows].map((r) => r.map(csvCell).join(',')).join('\r\n') + '\r\n';
  writeFileSync(join(folder, '证据清单.csv'), csv);
  return written;
}

/** 是 / 否 / 页面整体 (nothing on the page to point at: the page itself is the evidence). */
export function locatedText(s: Pick<ReportScreenshot, 'located' | 'targets'>): string {
  if (!s.targets) return '页面整体';
  return s.located ? '是' : '否';
}

function csvCell(value: string): string {
  // Formula injection: the workbooks' own rule (leading blanks and full-width ＝＋－＠ included).
  const safe = cellText(value);
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** The image bytes of each exported screenshot, by hash (renderers embed them). */
export function readEvidenceImages(dir: string, shots: ReportScreenshot[]): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  for (const s of shots) {
    try {
      out.set(s.imageHash, readFileSync(join(dir, s.image)));
    } catch {
      // Not exported (the store lost it): the reports name the record without the picture.
    }
  }
  return out;
}
