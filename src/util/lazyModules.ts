/**
 * Large libraries loaded when first needed instead of when a module is imported. Every xuncha
 * process — `xuncha --help`, a usage error, `seeds check`, a queue worker that never writes a
 * workbook — used to load all of them at start: exceljs alone brings ~300 CommonJS files (its zip,
 * stream and polyfill dependencies), mammoth ~100, bullmq with ioredis ~230. Node caches a module
 * after the first import, so calling these again costs nothing.
 */
import type ExcelJS from 'exceljs';

export async function loadExcelJs(): Promise<typeof ExcelJS> {
  return (await import('exceljs')).default;
}

export async function loadMammoth(): Promise<typeof import('mammoth')> {
  return (await import('mammoth')).default;
}

export async function loadBullmq(): Promise<typeof import('bullmq')> {
  return import('bullmq');
}
