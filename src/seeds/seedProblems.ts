import { ConfigError } from '../config/yamlFile.js';

/**
 * Where a problem is, in the words of the file's own format: a YAML field path
 * (`units[1].start[0]`), a column header as written in a CSV or worksheet (`网址`), a whole table
 * row, or the file itself.
 */
export type SeedPlace =
  | { kind: 'field'; line?: number; field: string }
  | { kind: 'column'; line: number; header: string }
  | { kind: 'row'; line: number }
  | { kind: 'file'; line?: number };

export interface SeedProblem {
  severity: 'error' | 'warning';
  file: string;
  line?: number;
  /** The YAML field path or the column header as written; '' for a row or the whole file. */
  field: string;
  kind: SeedPlace['kind'];
  detail: string;
  /** The full Chinese message, e.g. `单位名单.xlsx:7 列「网址」：必须是 http:// …`. */
  message: string;
}

function messageOf(file: string, place: SeedPlace, detail: string): string {
  const at = `${file}${place.line ? `:${place.line}` : ''}`;
  switch (place.kind) {
    case 'column':
      return `${at} 列「${place.header}」：${detail}`;
    case 'row':
      return `${at}：${detail}`;
    case 'field':
      // The wording of every other configuration error (ConfigError), so YAML reads the same.
      return `${at} 字段 ${place.field || '(根)'}：${detail}`;
    case 'file':
      return `${at} 字段 (根)：${detail}`;
  }
}

export function seedProblem(
  severity: SeedProblem['severity'],
  file: string,
  place: SeedPlace,
  detail: string,
): SeedProblem {
  const field = place.kind === 'field' ? place.field : place.kind === 'column' ? place.header : '';
  return {
    severity,
    file,
    ...(place.line ? { line: place.line } : {}),
    field,
    kind: place.kind,
    detail,
    message: messageOf(file, place, detail),
  };
}

/** Collects a file's problems in the order they are found. */
export class ProblemList {
  readonly items: SeedProblem[] = [];
  constructor(readonly file: string) {}

  error(place: SeedPlace, detail: string): void {
    this.items.push(seedProblem('error', this.file, place, detail));
  }

  warn(place: SeedPlace, detail: string): void {
    this.items.push(seedProblem('warning', this.file, place, detail));
  }

  get errorCount(): number {
    return this.items.filter((p) => p.severity === 'error').length;
  }
}

/**
 * Every error of a seed file at once, so one editing round fixes them all. A ConfigError (file,
 * line and field of the first error), so the commands' error handling and exit code 2 apply.
 */
export class SeedsError extends ConfigError {
  readonly problems: SeedProblem[];

  constructor(problems: SeedProblem[]) {
    const errors = problems.filter((p) => p.severity === 'error');
    const first = errors[0]!;
    super(first.file, first.line, first.field, first.detail);
    this.name = 'SeedsError';
    this.problems = errors;
    this.message =
      errors.length === 1
        ? first.message
        : `种子文件 ${first.file} 有 ${errors.length} 处错误：\n${errors.map((e) => `  ${e.message}`).join('\n')}`;
  }
}
