import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Limits } from './limits.js';

// OCR by Debian's tesseract and poppler-utils, when installed.

export interface OcrTools {
  tesseract: boolean;
  /** tesseract -l value, e.g. chi_sim+eng; empty when Chinese is not installed. */
  languages: string;
  pdftoppm: boolean;
}

const OCR_ENV = { ...process.env, OMP_THREAD_LIMIT: '1' };
let ocrTools: Promise<OcrTools> | undefined;

export function run(
  cmd: string,
  args: string[],
  timeoutMs: number,
): Promise<{ ok: boolean; stdout: string; missing: boolean; timedOut: boolean }> {
  return new Promise((resolve) => {
    execFile(
      cmd,
      args,
      { timeout: Math.max(1, timeoutMs), maxBuffer: 16 * 1024 * 1024, env: OCR_ENV, encoding: 'utf8' },
      (err, stdout) => {
        const e = err as (NodeJS.ErrnoException & { killed?: boolean }) | null;
        resolve({
          ok: !e,
          stdout: stdout ?? '',
          missing: e?.code === 'ENOENT',
          timedOut: Boolean(e?.killed),
        });
      },
    );
  });
}

/** Whether tesseract (with chi_sim) and pdftoppm are installed; asked once per process. */
export function detectOcrTools(): Promise<OcrTools> {
  ocrTools ??= (async () => {
    const langs = await run('tesseract', ['--list-langs'], 10_000);
    const list = new Set(langs.stdout.split(/\s+/));
    const languages = list.has('chi_sim') ? (list.has('eng') ? 'chi_sim+eng' : 'chi_sim') : '';
    const pdftoppm = await run('pdftoppm', ['-v'], 10_000);
    return { tesseract: langs.ok && !langs.missing, languages, pdftoppm: !pdftoppm.missing };
  })();
  return ocrTools;
}

export async function ocrAvailable(limits: Limits): Promise<boolean> {
  if (!limits.ocr) return false;
  const tools = await detectOcrTools();
  return tools.tesseract && tools.languages !== '';
}

// Leptonica decodes the whole bitmap: refuse pixel bombs before tesseract sees them.
export const MAX_OCR_PIXELS = 60_000_000;
// One image or page may take at most this long, whatever is left of the overall budget.
export const MAX_OCR_MS_PER_PAGE = 60_000;

export type OcrOutcome = { text: string } | { error: string };

/** OCR output of Chinese puts spaces between characters; a reader (and the detectors) would not. */
function tidyOcrText(text: string): string {
  return text
    .replace(/(?<=[\u3000-\u9fff\uff00-\uffef])[ \t]+(?=[\u3000-\u9fff\uff00-\uffef])/g, '')
    .replace(/\f/g, '\n')
    .trim();
}

export async function ocrImageFile(file: string, limits: Limits): Promise<OcrOutcome> {
  const tools = await detectOcrTools();
  const budget = Math.min(MAX_OCR_MS_PER_PAGE, limits.deadline - Date.now());
  if (budget <= 0) return { error: '超时' };
  const r = await run('tesseract', [file, '-', '-l', tools.languages], budget);
  if (r.timedOut) return { error: '超时' };
  if (!r.ok) return { error: '识别程序出错' };
  return { text: tidyOcrText(r.stdout) };
}

export async function withTempDir<T>(work: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'xuncha-ocr-'));
  try {
    return await work(dir);
  } finally {
    await rm(dir, { recursive: true, force: true }).catch(() => undefined);
  }
}
