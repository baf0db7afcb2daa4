import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { RecheckReport } from './recheck.js';
import { renderRecheckWorkbook } from './recheckWorkbook.js';

export interface WrittenRecheck {
  workbook: string;
  json: string;
}

/** 整改复查.xlsx and 整改复查.json beside the later run's other reports. */
export async function writeRecheck(report: RecheckReport, outRoot: string): Promise<WrittenRecheck> {
  const dir = resolve(outRoot, String(report.currentRunId));
  mkdirSync(dir, { recursive: true });
  const workbook = join(dir, '整改复查.xlsx');
  writeFileSync(workbook, await renderRecheckWorkbook(report));
  const json = join(dir, '整改复查.json');
  writeFileSync(json, JSON.stringify(report, null, 2));
  return { workbook, json };
}
