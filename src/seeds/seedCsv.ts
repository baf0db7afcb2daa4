import chardet from 'chardet';
import iconv from 'iconv-lite';
import type { ProblemList } from './seedProblems.js';
import type { TableCell, TableRow } from './seedTable.js';

/**
 * CSV seed files as Excel writes them: UTF-8 ("CSV UTF-8", with a BOM) or, from "CSV（逗号分隔）" on
 * Chinese Windows, GBK; quoted as RFC 4180 says. An encoding that can't be told for sure is an
 * error — a list read as mojibake would inspect units nobody named.
 */

export const SAVE_AS_UTF8 =
  '请在 Excel 中“另存为”，保存类型选“CSV UTF-8（逗号分隔）(*.csv)”，或直接使用 .xlsx 文件';

export type DecodedCsv = { text: string; encoding: string } | { error: string };

const lineAt = (text: string, index: number) => text.slice(0, index).split('\n').length;

/** Characters no list holds: replacement, private use (GBK's user-defined areas) and control characters. */
const UNDECODABLE = /[\uFFFD\uE000-\uF8FF\x00-\x08\x0B\x0C\x0E-\x1F\x7F]/;

/**
 * Characters of scripts a Chinese unit list does not hold. Bytes of another encoding read as GB18030
 * often turn into such characters (Hangul, Thai …) rather than failing outright.
 */
const FOREIGN =
  /[^\p{Script=Han}\p{Script=Common}\p{Script=Inherited}\p{Script=Latin}\p{Script=Greek}\p{Script=Cyrillic}\p{Script=Bopomofo}\p{Script=Hiragana}\p{Script=Katakana}]/u;

/**
 * Is GB18030 in doubt? Real lists are almost all GB2312 characters (lead and trail byte A1–FE);
 * Big5 or Latin-1 bytes read as GBK mostly fall into GBK's extension area (trail byte below A1).
 */
function gbInDoubt(bytes: Buffer, text: string): boolean {
  let pairs = 0;
  let extension = 0;
  for (let i = 0; i < bytes.length;) {
    const lead = bytes[i]!;
    const next = bytes[i + 1] ?? 0;
    if (lead < 0x80) i += 1;
    else if (next >= 0x30 && next <= 0x39) i += 4;
    else {
      pairs++;
      if (!(lead >= 0xa1 && lead <= 0xf7 && next >= 0xa1 && next <= 0xfe)) extension++;
      i += 2;
    }
  }
  return extension > Math.max(2, pairs / 4) || FOREIGN.test(text);
}

const hasFourByte = (bytes: Buffer) =>
  bytes.some((b, i) => b >= 0x81 && b <= 0xfe && (bytes[i + 1] ?? 0) >= 0x30 && (bytes[i + 1] ?? 0) <= 0x39);

/**
 * Where UTF-8 reading fails, and whether the file is UTF-8 all but a few bytes (cut or joined
 * files): then that line is the place to look, not an encoding choice.
 */
function utf8Damage(bytes: Buffer): { line: number; mostlyUtf8: boolean } {
  const text = new TextDecoder('utf-8').decode(bytes);
  const bad = text.match(/\uFFFD/g)?.length ?? 0;
  const good = text.match(/[^\x00-\x7f\uFFFD]/g)?.length ?? 0;
  return { line: lineAt(text, Math.max(0, text.indexOf('\uFFFD'))), mostlyUtf8: good >= 4 * bad };
}

function strictUtf8(bytes: Buffer): string | undefined {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    return undefined;
  }
}

/** BOM, then strict UTF-8, then GB18030 (GBK's superset); chardet only settles a doubtful GB18030 reading. */
export function decodeCsv(bytes: Buffer): DecodedCsv {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    const text = strictUtf8(bytes.subarray(3));
    return text === undefined
      ? {
          error: `文件开头标明是 UTF-8（BOM），但第 ${utf8Damage(bytes).line} 行有不是 UTF-8 的字节，读取会得到乱码。${SAVE_AS_UTF8}`,
        }
      : { text, encoding: 'UTF-8（带 BOM）' };
  }
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff))
    return { error: `文件是 UTF-16 编码（Excel 的“Unicode 文本”），不是 CSV。${SAVE_AS_UTF8}` };
  const utf8 = strictUtf8(bytes);
  if (utf8 !== undefined) {
    const nul = utf8.indexOf('\x00');
    if (nul >= 0)
      return {
        error: `第 ${lineAt(utf8, nul)} 行含有空字符（NUL），不是文本文件（可能是 UTF-16 或其他格式）。${SAVE_AS_UTF8}`,
      };
    return { text: utf8, encoding: 'UTF-8' };
  }
  const gb = iconv.decode(bytes, 'gb18030');
  const bad = gb.search(UNDECODABLE);
  const encoding = hasFourByte(bytes) ? 'GB18030' : 'GBK';
  if (bad < 0 && !gbInDoubt(bytes, gb)) return { text: gb, encoding };
  const guess = chardet.analyse(bytes)[0]?.name;
  if (bad < 0 && guess === 'GB18030') return { text: gb, encoding };
  const damage = utf8Damage(bytes);
  if (damage.mostlyUtf8)
    return {
      error: `文件基本是 UTF-8 编码，但第 ${damage.line} 行有不是 UTF-8 的字节（文件可能被截断或由不同编码的文件拼接），直接读取会得到乱码。请修正该行，或${SAVE_AS_UTF8.slice(1)}`,
    };
  const why =
    bad >= 0
      ? `第 ${lineAt(gb, bad)} 行起有 GBK/GB18030 无法识别的字节`
      : '按 GBK 读出的多是生僻字或外文字符';
  const looksLike = guess && guess !== 'GB18030' && guess !== 'ASCII' ? `，看起来像 ${guess} 编码` : '';
  return {
    error: `无法确定文件编码：既不是 UTF-8，也不能按 GBK/GB18030 正确读取（${why}${looksLike}），直接读取会得到乱码。${SAVE_AS_UTF8}`,
  };
}

const isSpace = (ch: string | undefined) => ch === ' ' || ch === '\t';
const endsField = (ch: string | undefined) => ch === undefined || ch === ',' || ch === '\r' || ch === '\n';

/**
 * RFC 4180: fields separated by commas; a field in double quotes may hold commas, line breaks and
 * doubled quotes (""). Each row keeps the physical line it starts on, so messages point at the
 * line an editor shows even after a multi-line field. Spaces around a quoted field are tolerated,
 * as hand-edited files have them.
 */
export function parseCsv(text: string, problems: ProblemList): TableRow[] {
  const rows: TableRow[] = [];
  const n = text.length;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let line = 1;
  while (i < n) {
    const row: TableRow = { line, cells: [] };
    for (;;) {
      const cell: TableCell = { text: '' };
      let j = i;
      while (isSpace(text[j])) j++;
      if (text[j] === '"') {
        const opened = line;
        let closed = false;
        for (i = j + 1; i < n; i++) {
          const ch = text[i]!;
          if (ch === '"' && text[i + 1] === '"') {
            cell.text += '"';
            i++;
          } else if (ch === '"') {
            closed = true;
            i++;
            break;
          } else {
            if (ch === '\n' || (ch === '\r' && text[i + 1] !== '\n')) line++;
            cell.text += ch;
          }
        }
        if (!closed) {
          problems.error(
            { kind: 'row', line: opened },
            '英文双引号没有配对：从这一行开始的带引号内容直到文件末尾都没有结束（内容中的英文双引号要写成两个：""）',
          );
          return rows;
        }
        while (isSpace(text[i])) i++;
        if (!endsField(text[i])) {
          problems.error(
            { kind: 'row', line },
            `带引号的内容结束后应为逗号或换行，实际为 "${text[i]}"（内容中的英文双引号要写成两个：""）`,
          );
          row.invalid = true;
          while (!endsField(text[i])) cell.text += text[i++];
        }
      } else {
        while (!endsField(text[i])) cell.text += text[i++];
      }
      row.cells.push(cell);
      if (text[i] === ',') {
        i++;
        continue;
      }
      if (text[i] === '\r') i++;
      if (text[i] === '\n') i++;
      line++;
      break;
    }
    rows.push(row);
  }
  return rows;
}
