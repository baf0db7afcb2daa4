import { maskText } from '../../pii/mask.js';

export interface ExtractLimits {
  /** Pages (PDF, OFD) or slides (PPTX) read at most (default 200). */
  maxPages?: number;
  /** Whole-extraction time budget in ms (default 60 000). */
  timeoutMs?: number;
  /** Spreadsheet rows read at most, over all sheets (default 100 000). */
  maxRows?: number;
  /** Scanned pages and images passed to OCR at most, over the whole file (default 20). */
  maxOcrPages?: number;
  /** Files read from one ZIP archive at most (default 200). */
  maxZipEntries?: number;
  /** false: never run OCR, even when tesseract is installed (default true). */
  ocr?: boolean;
}

const DEFAULTS = {
  maxPages: 200,
  timeoutMs: 60_000,
  maxRows: 100_000,
  maxOcrPages: 20,
  maxZipEntries: 200,
  ocr: true,
} as const;

export type Limits = Required<ExtractLimits> & {
  deadline: number;
  /** Shared by every part of one extraction (ZIP entries included). */
  ocrLeft: { pages: number };
};

/** The caller's limits over the defaults; the deadline starts now. */
export function startLimits(limits: ExtractLimits): Limits {
  return {
    ...DEFAULTS,
    ...limits,
    deadline: Date.now() + (limits.timeoutMs ?? DEFAULTS.timeoutMs),
    ocrLeft: { pages: limits.maxOcrPages ?? DEFAULTS.maxOcrPages },
  };
}

export class DeadlineError extends Error {}

/** Rejects once the overall deadline passes, so one huge or hostile file can't stall a run. */
export async function withDeadline<T>(work: Promise<T>, deadline: number): Promise<T> {
  if (Date.now() >= deadline) {
    work.catch(() => undefined); // the abandoned work may still fail later; that must not crash the run
    throw new DeadlineError('timeout');
  }
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new DeadlineError('timeout')), Math.max(0, deadline - Date.now()));
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Exact text of the warning for a scan (PDF without text layer, image) that was not OCR'd; checks may match on it. */
export const SCANNED_WARNING = '扫描件，需人工复核';

/** Endings of warnings that only say what was read; every other warning means a person must look. */
const INFORMATIONAL_ENDINGS = ['已一并检查', '（识别结果可能有误）', '压缩包内没有文件'];

/**
 * true when a warning means the file was not (fully) checked — scanned, unsupported, corrupt,
 * truncated, timed out; false for notes such as "hidden sheet, read as well" or "OCR was used".
 */
export function needsReview(warning: string): boolean {
  return !INFORMATIONAL_ENDINGS.some((end) => warning.endsWith(end));
}

/** Library messages are English and end in a period; trimmed so the Chinese sentence reads cleanly. */
export const errorText = (err: unknown): string =>
  maskText(err instanceof Error ? err.message : String(err))
    .replace(/[.。\s]+$/, '')
    .slice(0, 200);
