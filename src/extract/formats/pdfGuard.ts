import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { constants, createInflate, inflateSync, type Inflate } from 'node:zlib';

// PDF decompression-bomb guard: counts what a PDF's compressed streams inflate to before pdf.js
// sees the file. A 3 MB PDF can hold a content stream that inflates to 3 GiB; pdf.js would inflate
// all of it (in JavaScript, into one growing buffer) to read one page's text.
//
// The scan is textual, not a PDF parser: it finds every `<<…>> stream … endstream`, object streams
// and content streams alike, and reads the dictionary's /Filter. Inflating is native zlib: small
// streams synchronously with a small output cap (most streams, microseconds each), larger ones as
// a zlib stream whose chunks are counted and dropped, stopped as soon as a cap is passed, so the
// whole output is never held. Image XObjects are skipped: text extraction never decodes them, and
// the pdf.js child is given a pixel cap for the image check of sparse pages. Filters other than
// Flate (LZW, RunLength) and encrypted streams are not counted here; the child's memory cap and
// page timeout still bound them.

export interface InflateCaps {
  /** Bytes one stream may inflate to. */
  maxStream: number;
  /** Bytes all streams of the file may inflate to. */
  maxTotal: number;
  /** Epoch ms after which the scan stops counting (the extraction's deadline). */
  deadline: number;
}

export interface InflateCount {
  /** Inflated bytes counted (up to a little past the cap when `over` is set). */
  total: number;
  /** Compressed streams inflated. */
  streams: number;
  /** Which cap was passed; the scan stops there. */
  over?: 'stream' | 'file';
}

export interface PdfStream {
  /** Data offsets in the file. */
  start: number;
  end: number;
  /** Filter names in order; undefined when /Filter is an indirect reference (not resolved here). */
  filters: string[] | undefined;
  image: boolean;
}

const WHITE = new Set([0x00, 0x09, 0x0a, 0x0c, 0x0d, 0x20]);
/** How far back a stream's dictionary may start; real ones are a few hundred bytes. */
const MAX_DICT_BYTES = 64 * 1024;
/** Output cap of the synchronous path: anything larger is counted again as a zlib stream. */
const SYNC_OUTPUT = 1024 * 1024;
/** Synchronous work between yields, so a file of many small streams doesn't stall the event loop. */
const SLICE_MS = 10;

const FILTER_ALIASES: Readonly<Record<string, string>> = {
  Fl: 'FlateDecode',
  AHx: 'ASCIIHexDecode',
  A85: 'ASCII85Decode',
};

/**
 * Start of the `<<` that opens the dictionary whose `>>` ends at `close`, or -1. It can't start
 * before `after` (the end of the previous stream's data), which keeps the scan linear.
 */
function dictStart(pdf: Buffer, close: number, after: number): number {
  let depth = 0;
  const floor = Math.max(0, after, close - MAX_DICT_BYTES);
  for (let i = close; i > floor; i--) {
    if (pdf[i] === 0x3e && pdf[i - 1] === 0x3e) {
      depth++;
      i--;
    } else if (pdf[i] === 0x3c && pdf[i - 1] === 0x3c) {
      depth--;
      i--;
      if (depth === 0) return i;
    }
  }
  return -1;
}

const decodeName = (name: string): string =>
  name.replace(/#([0-9a-f]{2})/gi, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));

/** /Filter of a dictionary: [] when absent, undefined when not a plain name or array of names. */
export function parseFilters(dict: string): string[] | undefined {
  const m = /\/Filter\s*(\[[^\]]*\]|\/[^\s/<>[\]()]*|\d+\s+\d+\s+R)/.exec(dict);
  if (!m) return [];
  const value = m[1]!;
  if (/\bR\b/.test(value)) return undefined;
  const names = value.match(/\/[^\s/<>[\]()]*/g) ?? [];
  return names.map((n) => {
    const name = decodeName(n.slice(1));
    return FILTER_ALIASES[name] ?? name;
  });
}

function directLength(dict: string): number | undefined {
  const m = /\/Length\s+(\d+)(?!\s+\d+\s+R)/.exec(dict);
  return m ? Number(m[1]) : undefined;
}

/** Where a stream's data ends: its direct /Length when `endstream` follows it, else at `endstream`. */
function dataEnd(pdf: Buffer, start: number, length: number | undefined): number {
  if (length !== undefined && start + length <= pdf.length) {
    let k = start + length;
    while (k < pdf.length && WHITE.has(pdf[k]!)) k++;
    if (pdf.toString('latin1', k, k + 9) === 'endstream') return start + length;
  }
  const end = pdf.indexOf('endstream', start, 'latin1');
  return end < 0 ? pdf.length : end;
}

/** Every `<< … >> stream` in the file, in order; tolerant of garbage (never throws). */
export function* pdfStreams(pdf: Buffer): Generator<PdfStream> {
  let pos = 0;
  let lastEnd = 0;
  for (;;) {
    const at = pdf.indexOf('stream', pos, 'latin1');
    if (at < 0) return;
    pos = at + 6;
    if (at >= 3 && pdf.toString('latin1', at - 3, at) === 'end') continue;
    let k = at - 1;
    while (k > 0 && WHITE.has(pdf[k]!)) k--;
    if (pdf[k] !== 0x3e || pdf[k - 1] !== 0x3e) continue;
    // The keyword ends its line; data starts on the next (CRLF, LF, or a lone CR from bad writers).
    let start = at + 6;
    while (start < pdf.length && (pdf[start] === 0x20 || pdf[start] === 0x09)) start++;
    if (pdf[start] === 0x0d) start++;
    if (pdf[start] === 0x0a) start++;
    if (start === at + 6) continue;
    const open = dictStart(pdf, k, lastEnd);
    const dict = open < 0 ? '' : pdf.toString('latin1', open, k + 1);
    const end = dataEnd(pdf, start, directLength(dict));
    pos = Math.max(pos, end);
    lastEnd = end;
    yield {
      start,
      end,
      filters: open < 0 ? undefined : parseFilters(dict),
      image: /\/Subtype\s*\/Image\b/.test(dict),
    };
  }
}

function asciiHex(data: Buffer): Buffer {
  const text = data.toString('latin1');
  const end = text.indexOf('>');
  const hex = (end < 0 ? text : text.slice(0, end)).replace(/[^0-9a-f]/gi, '');
  return Buffer.from(hex.length % 2 ? `${hex}0` : hex, 'hex');
}

function ascii85(data: Buffer): Buffer {
  const out: number[] = [];
  let group: number[] = [];
  const flush = (n: number) => {
    while (group.length < 5) group.push(84);
    const v = group.reduce((acc, d) => acc * 85 + d, 0);
    const bytes = [(v >>> 24) & 255, (v >>> 16) & 255, (v >>> 8) & 255, v & 255];
    out.push(...bytes.slice(0, n));
    group = [];
  };
  for (const c of data) {
    if (c === 0x7e) break; // ~> ends the data
    if (c === 0x7a && group.length === 0) out.push(0, 0, 0, 0);
    else if (c >= 0x21 && c <= 0x75) {
      group.push(c - 0x21);
      if (group.length === 5) flush(4);
    }
  }
  if (group.length > 1) flush(group.length - 1);
  return Buffer.from(out);
}

/** What pdf.js would inflate: the Flate stages after any ASCII encodings, or none. */
function flatePlan(s: PdfStream, pdf: Buffer): { data: Buffer; stages: number } {
  let data = pdf.subarray(s.start, s.end);
  if (s.filters === undefined) {
    // An indirect /Filter: inflate when the data starts with a zlib header.
    const zlib = data.length >= 2 && (data[0]! & 0x0f) === 8 && ((data[0]! << 8) | data[1]!) % 31 === 0;
    return { data, stages: zlib ? 1 : 0 };
  }
  let i = 0;
  for (; i < s.filters.length; i++) {
    if (s.filters[i] === 'ASCIIHexDecode') data = asciiHex(data);
    else if (s.filters[i] === 'ASCII85Decode') data = ascii85(data);
    else break;
  }
  let stages = 0;
  while (s.filters[i + stages] === 'FlateDecode') stages++;
  return { data, stages };
}

/** Inflates in memory while the output stays small; undefined when a stage outgrows SYNC_OUTPUT. */
function inflateSmall(data: Buffer, stages: number): number | undefined {
  let total = 0;
  let input = data;
  for (let i = 0; i < stages; i++) {
    try {
      input = inflateSync(input, { finishFlush: constants.Z_SYNC_FLUSH, maxOutputLength: SYNC_OUTPUT });
    } catch (err) {
      if ((err as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') return undefined;
      return total; // corrupt: pdf.js would stop there too
    }
    total += input.length;
  }
  return total;
}

/** Counts every stage's output chunk by chunk, dropping it; stops once past `cap` or the deadline. */
function inflateCounted(data: Buffer, stages: number, cap: number, deadline: number): Promise<number> {
  return new Promise((resolve) => {
    const chain: Inflate[] = [];
    for (let i = 0; i < stages; i++)
      chain.push(createInflate({ finishFlush: constants.Z_SYNC_FLUSH, chunkSize: 64 * 1024 }));
    let total = 0;
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      for (const z of chain) z.destroy();
      resolve(total);
    };
    chain.forEach((z, i) => {
      z.on('data', (chunk: Buffer) => {
        total += chunk.length;
        if (total > cap || Date.now() > deadline) finish();
      });
      z.on('error', finish);
      if (i + 1 < chain.length) z.pipe(chain[i + 1]!);
      else z.on('end', finish);
    });
    chain[0]!.end(data);
  });
}

/** Counts what the file's compressed streams inflate to, stopping at the first cap passed. */
export async function countInflated(pdf: Buffer, caps: InflateCaps): Promise<InflateCount> {
  const count: InflateCount = { total: 0, streams: 0 };
  let slice = Date.now();
  for (const s of pdfStreams(pdf)) {
    if (Date.now() > caps.deadline) break;
    if (s.image) continue;
    const { data, stages } = flatePlan(s, pdf);
    if (stages === 0 || data.length === 0) continue;
    count.streams++;
    const cap = Math.min(caps.maxStream, caps.maxTotal - count.total);
    const n = inflateSmall(data, stages) ?? (await inflateCounted(data, stages, cap, caps.deadline));
    count.total += n;
    if (n > cap) {
      count.over = cap === caps.maxStream ? 'stream' : 'file';
      break;
    }
    if (Date.now() - slice > SLICE_MS) {
      await yieldToLoop();
      slice = Date.now();
    }
  }
  return count;
}

const mb = (bytes: number): number => Math.round(bytes / (1024 * 1024));

/** The "not fully checked" warning for a count over a cap, else undefined. */
export function inflateWarning(count: InflateCount, caps: InflateCaps): string | undefined {
  if (count.over === 'stream')
    return `PDF 中有数据流解压后超过上限（${mb(caps.maxStream)} MB），未完整检查，需人工复核`;
  if (count.over === 'file')
    return `PDF 解压后数据超过上限（${mb(caps.maxTotal)} MB），未完整检查，需人工复核`;
  return undefined;
}
