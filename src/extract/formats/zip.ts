import { errorText, type Limits } from './limits.js';
import type { AttachmentHint, Parsed } from './types.js';
import { MAX_ENTRY_BYTES, readZipDirectory, readZipEntry } from './zipReader.js';
import { maskText } from '../../pii/mask.js';

/** Reads one file found in an archive as any attachment is read (format detection included). */
export type ExtractEntry = (
  body: Buffer,
  hint: AttachmentHint,
  limits: Limits,
  depth: number,
) => Promise<Parsed>;

// Archive noise a user never sees: macOS resource forks and Finder files, Windows thumbnails.
const ZIP_NOISE = /(?:^|\/)(?:__MACOSX\/|\.DS_Store$|Thumbs\.db$|desktop\.ini$)/i;

/** Every file in the archive (up to maxZipEntries) through extractEntry, locations prefixed 压缩包内 name：. */
export async function extractZip(
  body: Buffer,
  limits: Limits,
  depth: number,
  extractEntry: ExtractEntry,
): Promise<Parsed> {
  if (depth > 0) return { segments: [], warnings: ['压缩包内的压缩包未检查，需人工复核'] };
  const files = readZipDirectory(body).filter((e) => !e.name.endsWith('/') && !ZIP_NOISE.test(e.name));
  const parsed: Parsed = { segments: [], warnings: [] };
  if (files.length === 0) return { segments: [], warnings: ['压缩包内没有文件'] };
  const todo = files.slice(0, limits.maxZipEntries);
  for (const [i, e] of todo.entries()) {
    const name = maskText(e.name);
    if (Date.now() >= limits.deadline) {
      parsed.warnings.push(`解析超时，压缩包内还有 ${todo.length - i} 个文件未检查，需人工复核`);
      break;
    }
    let inner: Buffer;
    try {
      inner = readZipEntry(body, e, MAX_ENTRY_BYTES);
    } catch (err) {
      parsed.warnings.push(`压缩包内 ${name}：${errorText(err)}，未检查，需人工复核`);
      continue;
    }
    const r = await extractEntry(inner, { url: e.name }, limits, depth + 1);
    for (const s of r.segments) parsed.segments.push({ ...s, location: `压缩包内 ${name}：${s.location}` });
    for (const w of r.warnings) parsed.warnings.push(`压缩包内 ${name}：${w}`);
  }
  if (files.length > todo.length)
    parsed.warnings.push(`压缩包内有 ${files.length} 个文件，仅检查了前 ${todo.length} 个，其余需人工复核`);
  return parsed;
}
