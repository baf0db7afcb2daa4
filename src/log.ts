import { maskText } from './pii/mask.js';

/**
 * The only way the tool writes to the terminal or a log file. Every line passes through maskText,
 * so a personal-data value that slipped into a message (an error quoting a cell, say) is masked.
 */
export interface Logger {
  info(message: string, data?: Record<string, unknown>): void;
  warn(message: string, data?: Record<string, unknown>): void;
  error(message: string, data?: Record<string, unknown>): void;
  /**
   * A block of progress lines redrawn in place on a TTY; elsewhere plain lines (or one JSON
   * record with `data` under --json) at most every few seconds.
   */
  progress(lines: string[], data?: Record<string, unknown>): void;
  done(): void;
}

const PLAIN_PROGRESS_INTERVAL_MS = 3000;

export interface LoggerOptions {
  json?: boolean;
  out?: NodeJS.WritableStream & { isTTY?: boolean };
  err?: NodeJS.WritableStream;
  quiet?: boolean;
}

export function createLogger(opts: LoggerOptions = {}): Logger {
  const out = opts.out ?? process.stdout;
  const err = opts.err ?? process.stderr;
  const tty = Boolean(out.isTTY) && !opts.json;
  let shownLines = 0;
  // Off a TTY every progress line is a log line: keep them to one every few seconds.
  let lastPlainProgress = 0;
  const clear = () => {
    // Move to the first progress line and clear to the end of the screen.
    if (shownLines) out.write(`\x1b[${shownLines}F\x1b[J`);
    shownLines = 0;
  };
  const emit = (
    level: string,
    stream: NodeJS.WritableStream,
    message: string,
    data?: Record<string, unknown>,
  ) => {
    if (opts.quiet && level === 'info') return;
    clear();
    if (opts.json)
      stream.write(
        maskText(JSON.stringify({ level, time: new Date().toISOString(), message, ...data })) + '\n',
      );
    else stream.write(maskText(message) + '\n');
  };
  return {
    info: (m, d) => emit('info', out, m, d),
    warn: (m, d) => emit('warn', err, `警告：${m}`, d),
    error: (m, d) => emit('error', err, `错误：${m}`, d),
    progress(lines, data) {
      if (opts.quiet || !lines.length) return;
      if (!tty) {
        if (Date.now() - lastPlainProgress < PLAIN_PROGRESS_INTERVAL_MS) return;
        lastPlainProgress = Date.now();
        if (opts.json) return emit('progress', out, lines.join('；'), data);
        for (const line of lines) emit('progress', out, line);
        return;
      }
      clear();
      out.write(lines.map((l) => maskText(l)).join('\n') + '\n');
      shownLines = lines.length;
    },
    done: clear,
  };
}

/** Terminal width of a string: CJK characters take two columns. */
function displayWidth(s: string): number {
  return [...s].reduce((a, ch) => a + (/[\u2e80-\uffff]/.test(ch) ? 2 : 1), 0);
}

/** Rows of cells → aligned lines (the first row is the header). */
export function formatTable(rows: string[][]): string[] {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => displayWidth(r[i] ?? ''))));
  return rows.map((r) =>
    r
      .map((cell, i) => cell + ' '.repeat(Math.max(0, widths[i]! - displayWidth(cell)) + 2))
      .join('')
      .trimEnd(),
  );
}
