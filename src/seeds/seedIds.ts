/**
 * Unit ids. A county office's list has names, not codes, so an id may be Chinese and may be left
 * out; it only has to be unique in the file and safe wherever it ends up (file names on Windows
 * and Linux, the store, log lines).
 */

export const MAX_ID_LENGTH = 64;

/** Characters no file name may hold on Windows (and / on Linux), plus control characters. */
const UNSAFE = /[\\/:*?"<>|\x00-\x1f\x7f]/;
const UNSAFE_ALL = new RegExp(UNSAFE.source, 'g');

/** Why an id can't be used (Chinese), or undefined when it can. `id` is already trimmed. */
export function idProblem(id: string): string | undefined {
  if (!id) return '单位标识不能为空（不需要时整列留空或删去，会按单位名称自动生成）';
  const bad = UNSAFE.exec(id);
  if (bad) {
    const shown = /[\x00-\x1f\x7f]/.test(bad[0]) ? '控制字符' : `“${bad[0]}”`;
    return `单位标识不能包含 / \\ : * ? " < > | 或控制字符（会用作文件名），此处含有${shown}`;
  }
  if ([...id].length > MAX_ID_LENGTH) return `单位标识最多 ${MAX_ID_LENGTH} 个字符`;
  // "." and ".." name directories, and Windows drops a trailing dot from file names.
  if (id.endsWith('.')) return '单位标识不能以“.”结尾';
  return undefined;
}

/**
 * The id a unit without one gets: its name with whitespace removed and unsafe characters replaced,
 * so the same name always gives the same id and batches of the same list stay comparable.
 */
export function idFromName(name: string): string {
  const base = name.replace(/\s+/gu, '').replace(UNSAFE_ALL, '_').replace(/\.+$/, '');
  return [...(base || '单位')].slice(0, MAX_ID_LENGTH).join('');
}

/**
 * Ids for units that have none, in file order: the name-based id, or with -2, -3 … appended when
 * an earlier unit (or any unit's own id) already has it. `taken` holds the ids written in the file.
 */
export function generateIds(names: (string | undefined)[], taken: Set<string>): (string | undefined)[] {
  const used = new Set(taken);
  return names.map((name) => {
    if (name === undefined) return undefined;
    const base = idFromName(name);
    let id = base;
    for (let n = 2; used.has(id); n++) {
      const suffix = `-${n}`;
      id = [...base].slice(0, MAX_ID_LENGTH - suffix.length).join('') + suffix;
    }
    used.add(id);
    return id;
  });
}
