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

// A parse stuck in a synchronous loop never returns to the event loop: a thread of its own kills
// the process once the deadline has passed or the parent is gone (killed, crashed).
function watchdog(until) {
  const { Worker } = require('node:worker_threads');
  const source =
    "const { workerData: d } = require('node:worker_threads');" +
    "setInterval(() => { if (process.ppid !== d.ppid || Date.now() > d.until) process.kill(process.pid, 'SIGKILL'); }, 500);";
  new Worker(source, { eval: true, workerData: { ppid: process.ppid, until } }).unref();
}

let task, buf, paths, sheetRows;
const reply = (m) => process.send(m, () => process.exit(0));
process.once('message', async (msg) => {
  watchdog(msg.until);
  ({ task, paths, sheetRows } = msg);
  buf = Buffer.from(msg.body.buffer, msg.body.byteOffset, msg.body.byteLength);
  try {
    reply({ ok: true, result: task === 'word' ? await word() : sheets() });
  } catch (err) {
    reply({ ok: false, error: err && err.message ? String(err.message) : String(err) });
  }
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
