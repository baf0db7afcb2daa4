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
  /** PDF: bytes all compressed streams of one file may inflate to, counted before parsing (default 256 MiB). */
  maxInflatedBytes?: number;
  /** PDF: bytes one compressed stream may inflate to (default 128 MiB). */
  maxStreamInflatedBytes?: number;
  /** PDF: time one page's text (and image check) may take before it is given up as failed (default 10 000 ms). */
  pageTimeoutMs?: number;
  /** Resident memory of a parser child process (PDF, DOC, XLS…) before it is killed, in MB (default 1024). */
  parserMemoryMb?: number;
}

/** The limits an extraction gets when the caller sets none. */
export const DEFAULTS = {
  maxPages: 200,
  timeoutMs: 60_000,
  maxRows: 100_000,
  maxOcrPages: 20,
  maxZipEntries: 200,
  ocr: true,
  // Inflated bytes are what a decompression bomb multiplies (a 3 MB PDF can hold a 3 GiB content
  // stream); pdf.js inflates in JavaScript at ~50–100 MB/s and keeps a stream's output in one
  // buffer grown by doubling. Real government PDFs inflate to a few MB of content streams plus
  // embedded fonts (a full CJK font is 10–30 MB), so 256 MiB per file is far above them and still
  // costs pdf.js only seconds; 128 MiB per stream leaves room for a large vector map's page while
  // its doubled buffer stays well inside the parser's memory cap.
  maxInflatedBytes: 256 * 1024 * 1024,
  maxStreamInflatedBytes: 128 * 1024 * 1024,
  // An ordinary page's text takes milliseconds and a dense table page well under a second.
  pageTimeoutMs: 10_000,
  // pdf.js with a large document uses 100–300 MB; a parser above 1 GiB is inflating something hostile.
  parserMemoryMb: 1024,
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
