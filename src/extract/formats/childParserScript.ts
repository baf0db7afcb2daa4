// The code the child process runs (see childParser.ts), and the shapes of what it sends back.

export const PARSER_SOURCE = String.raw`
'use strict';
async function word() {
  const WordExtractor = require(paths.word);
  const doc = await new WordExtractor().extract(buf);
  const o = { filterUnicode: false };
  return {
    body: doc.getBody(o),
    headers: doc.getHeaders({ filterUnicode: false, includeFooters: false }),
    footers: doc.getFooters(o),
    footnotes: doc.getFootnotes(o),
    endnotes: doc.getEndnotes(o),
    annotations: doc.getAnnotations(o),
    textboxes: doc.getTextboxes(o),
  };
}

function cellValue(cell) {
  if (!cell || cell.t === 'z') return null;
  if (cell.t === 'n' && typeof cell.v === 'number') return cell.v;
  if (cell.t === 's' && typeof cell.v === 'string') return cell.v;
  if (cell.w !== undefined) return String(cell.w);
  return cell.v === undefined || cell.v === null ? null : String(cell.v);
}

function sheets() {
  const XLSX = require(paths.xlsx);
  const wb = XLSX.read(buf, {
    type: 'buffer', dense: true, sheetRows, cellFormula: false, cellHTML: false, cellNF: false,
    cellText: true, cellDates: false, cellStyles: true, WTF: false, bookVBA: false,
  });
  const meta = (wb.Workbook && wb.Workbook.Sheets) || [];
  return wb.SheetNames.map((name, i) => {
    const ws = wb.Sheets[name] || {};
    const data = ws['!data'] || [];
    const range = ws['!ref'] ? XLSX.utils.decode_range(ws['!ref']) : { e: { c: -1 } };
    const rows = [];
    const notes = [];
    for (let r = 0; r < data.length; r++) {
      const row = data[r];
      if (!row) continue;
      const cells = [];
      for (let c = 0; c < row.length; c++) {
        const cell = row[c];
        cells.push(cellValue(cell));
        if (cell && Array.isArray(cell.c))
          for (const n of cell.c) if (n && n.t) notes.push({ r, c, text: String(n.t) });
      }
      rows.push({ r, cells });
    }
    const hiddenRows = (ws['!rows'] || []).some((x) => x && x.hidden);
    const hiddenCols = (ws['!cols'] || []).slice(0, range.e.c + 1).some((x) => x && x.hidden);
    const truncated = Boolean(ws['!fullref'] && ws['!fullref'] !== ws['!ref']);
    const m = meta[i] || {};
    return { name, hidden: m.Hidden || 0, rows, notes, hiddenRows, hiddenCols, truncated };
  });
}

// pdf.js (through unpdf) for text: one page at a time, each page reported as soon as it is read,
// so the parent can time pages, kill the process on a hung one and resume after it. The process
// stays up for the next PDF: loading pdf.js costs more than reading an ordinary file.
let pdfLib;
async function loadPdfLib() {
  if (!pdfLib) {
    const unpdf = require(paths.unpdf);
    const ops = (await unpdf.getResolvedPDFJS()).OPS;
    const names = ['paintImageXObject', 'paintInlineImageXObject', 'paintInlineImageXObjectGroup',
      'paintImageXObjectRepeat', 'paintImageMaskXObject'];
    pdfLib = { unpdf, imageOps: new Set(names.map((k) => ops[k]).filter((v) => typeof v === 'number')) };
  }
  return pdfLib;
}

async function pdfPage(doc, n, sparseChars, imageOps, withItems) {
  const page = await doc.getPage(n);
  try {
    const content = await page.getTextContent();
    // Same joining as unpdf's extractText: items carry their own spacing, EOL marks line ends.
    const text = content.items.map((i) => (i.str || '') + (i.hasEOL ? '\n' : '')).join('');
    const [x0 = 0, y0 = 0, x1 = 0, y1 = 0] = page.view;
    let image = false;
    // Little text may be a stamped page number on a scan: look for a raster image.
    if (text.trim() !== '' && text.replace(/\s/g, '').length < sparseChars) {
      try {
        image = (await page.getOperatorList()).fnArray.some((op) => imageOps.has(op));
      } catch {
        image = false;
      }
    }
    const result = { n, text, width: Math.abs(x1 - x0), height: Math.abs(y1 - y0), image };
    // Positioned items (catalogue table layout) only when asked: attachment text never needs them.
    if (withItems)
      result.items = content.items
        .filter((i) => i.str && i.transform)
        .map((i) => ({ s: i.str, x: i.transform[4], y: i.transform[5], w: i.width, h: i.height }));
    return result;
  } finally {
    page.cleanup();
  }
}

const post = (m) => new Promise((resolve) => process.send(m, () => resolve()));

async function pdf(msg) {
  const { unpdf, imageOps } = await loadPdfLib();
  // A copy: pdf.js may take ownership of (detach) the buffer it is given.
  const doc = await unpdf.getDocumentProxy(new Uint8Array(buf), { verbosity: 0 });
  try {
    await post({ type: 'doc', pages: doc.numPages });
    for (let n = msg.first; n <= Math.min(doc.numPages, msg.last); n++) {
      let page;
      try {
        page = await pdfPage(doc, n, msg.sparseChars, imageOps, msg.items === true);
      } catch {
        page = { n, failed: true };
      }
      await post({ type: 'page', ...page });
    }
  } finally {
    await doc.destroy().catch(() => undefined);
  }
}

// A parse stuck in a synchronous loop never returns to the event loop: a thread of its own kills
// the process once the job's deadline has passed, the parent is gone (killed, crashed), or the
// resident memory is over the cap — ArrayBuffers (pdf.js's inflated streams, SheetJS's buffers)
// live outside the V8 heap that --max-old-space-size limits. SIGUSR2 tells the parent "memory".
const jobUntil = new BigInt64Array(new SharedArrayBuffer(8));
function watchdog(rssBytes) {
  const { Worker } = require('node:worker_threads');
  const source =
    "const { workerData: d } = require('node:worker_threads');" +
    'const until = new BigInt64Array(d.until);' +
    'setInterval(() => {' +
    '  const u = Number(Atomics.load(until, 0));' +
    "  if (process.ppid !== d.ppid || (u > 0 && Date.now() > u)) process.kill(process.pid, 'SIGKILL');" +
    "  if (process.memoryUsage.rss() > d.rss) process.kill(process.pid, 'SIGUSR2');" +
    '}, 50);';
  new Worker(source, { eval: true, workerData: { ppid: process.ppid, until: jobUntil.buffer, rss: rssBytes } }).unref();
}

let task, buf, paths, sheetRows;
let watched = false;
const errorMessage = (err) => (err && err.message ? String(err.message) : String(err));
process.on('message', async (msg) => {
  if (!watched) watchdog(msg.rssBytes);
  watched = true;
  Atomics.store(jobUntil, 0, Number.isFinite(msg.until) ? BigInt(Math.ceil(msg.until)) : 0n);
  ({ task, paths, sheetRows } = msg);
  buf = Buffer.from(msg.body.buffer, msg.body.byteOffset, msg.body.byteLength);
  if (task === 'pdf') {
    let end = { type: 'done' };
    try {
      await pdf(msg);
    } catch (err) {
      end = { type: 'error', error: errorMessage(err) };
    }
    buf = undefined;
    Atomics.store(jobUntil, 0, 0n); // idle: only the parent's death or memory can end it now
    process.send({ ...end, rss: process.memoryUsage.rss() });
    return;
  }
  // The process stays up for the next file, as for PDF: starting Node costs more than most files.
  let reply;
  try {
    reply = { ok: true, result: task === 'word' ? await word() : sheets() };
  } catch (err) {
    reply = { ok: false, error: errorMessage(err) };
  }
  buf = undefined;
  Atomics.store(jobUntil, 0, 0n);
  process.send({ ...reply, rss: process.memoryUsage.rss() });
});
`;

export interface WordParts {
  body: string;
  headers: string;
  footers: string;
  footnotes: string;
  endnotes: string;
  annotations: string;
  textboxes: string;
}

export interface SheetData {
  name: string;
  /** 0 visible, 1 hidden, 2 very hidden. */
  hidden: number;
  rows: { r: number; cells: (string | number | null)[] }[];
  notes: { r: number; c: number; text: string }[];
  hiddenRows: boolean;
  hiddenCols: boolean;
  truncated: boolean;
}

/** One pdf.js text item: its string, baseline origin (x, y) and extent, in PDF points. */
export interface PdfChildItem {
  s: string;
  x: number;
  y: number;
  w: number;
  h: number;
}

/** What the PDF task sends: the page count once loaded, one message per page, then done or error. */
export type PdfChildMessage =
  | { type: 'doc'; pages: number }
  | { type: 'page'; n: number; failed: true }
  | {
      type: 'page';
      n: number;
      failed?: undefined;
      text: string;
      width: number;
      height: number;
      image: boolean;
      /** Text items with their positions (PDF user space, y up), when the task asked for them. */
      items?: PdfChildItem[];
    }
  | { type: 'done'; rss: number }
  | { type: 'error'; error: string; rss: number };
