/**
 * Tick marks in catalogue checkbox columns (公开渠道和载体, 公开对象, 公开方式, 公开层级).
 *
 * Clear marks: ■ √ ✓ ✔ ☑ ✅ ● 是 mean ticked; × ✗ 否 ☐ and an empty cell mean not ticked.
 * The trouble is the boxes: □ is the unticked half of the ■/□ convention, but documents converted
 * from Word with symbol fonts (Wingdings, Wingdings 2) lose the font and keep the raw character —
 * `R`/`P`/`ü`/`þ` for ☑/✓, `£`/`o`/`q`/`¨` for □, `t` for a bullet — and a GBK page that cannot
 * encode √ or ■ often shows 口 in its place. So one cell cannot be judged alone: a table is judged
 * by what its tick cells look like together (see markerReader).
 */

const CLEAR_TICK = /^[■√✓✔☑✅●◆★▲▇█是]$|^(?:是|有|Y|y|yes)$/;
const CLEAR_NO = /^(?:[×✗✘☐☒xX否无\-—/／])$/;
// Characters that are an empty box or a symbol-font box: unticked wherever clear ticks exist.
const BOX_LIKE = /^[□口▢£oq¨○]$/;
// Symbol-font characters for a ticked box or check mark (Wingdings 2 `R`/`P`, Wingdings `ü`/`þ`).
const FONT_TICK = /^[RPüþt]$/;

/** Characters in a free-text channel list that precede an option and say whether it is ticked. */
const LIST_MARK = /[■□☑☐√✓✔●○口]/;

export type MarkerReader = (cell: string) => boolean;

const norm = (s: string): string => s.replace(/[\s\u00a0\u3000]+/g, '');

/**
 * Decides how to read the tick cells of one table from all of them at once:
 * - where clear ticks (■ √ …) exist, a box-like character (□ 口 £ …) is the unticked box;
 * - without clear ticks, a single kind of mark used beside empty cells is the tick (the table
 *   leaves unticked cells empty, and its √ or ■ was mangled into 口, R or t);
 * - without clear ticks and with two kinds of marks, box-like characters are unticked and the
 *   other kind is the tick (Wingdings 2 `R` beside `£`).
 */
export function markerReader(cells: string[]): MarkerReader {
  const marks = new Map<string, number>();
  let clearTicks = 0;
  let empty = 0;
  for (const raw of cells) {
    const t = norm(raw);
    if (t === '') {
      empty++;
      continue;
    }
    if (CLEAR_TICK.test(t) || (t.length > 1 && LIST_MARK.test(t[0] ?? '') && /^[■☑√✓✔●]/.test(t))) {
      clearTicks++;
      continue;
    }
    if (CLEAR_NO.test(t)) continue;
    if (t.length <= 2) marks.set(t, (marks.get(t) ?? 0) + 1);
  }
  const kinds = [...marks.keys()];
  const boxTicks = (() => {
    if (clearTicks > 0) return new Set(kinds.filter((k) => !BOX_LIKE.test(k)));
    if (kinds.length === 1) {
      const only = kinds[0] as string;
      // Every tick cell holding the same box is a table of unticked boxes, not of ticks.
      return empty === 0 && /^[□▢]$/.test(only) ? new Set<string>() : new Set(kinds);
    }
    const nonBox = kinds.filter((k) => !BOX_LIKE.test(k));
    if (nonBox.length > 0) return new Set(nonBox);
    // Two kinds of box-like marks (□ beside 口): 口 is the mangled one, so it is the tick.
    return new Set(kinds.filter((k) => k !== '□' && k !== '▢'));
  })();
  return (raw: string): boolean => {
    const t = norm(raw);
    if (t === '') return false;
    if (CLEAR_TICK.test(t)) return true;
    if (CLEAR_NO.test(t)) return false;
    if (boxTicks.has(t)) return true;
    if (FONT_TICK.test(t) && clearTicks === 0 && kinds.length === 0) return true;
    // A longer cell: a leading mark decides; else text in a tick cell (the option's own name) is a tick.
    const lead = t[0] ?? '';
    if (LIST_MARK.test(lead)) return /[■☑√✓✔●]/.test(lead) || boxTicks.has(lead);
    return t.length > 2;
  };
}

/**
 * Options named in one free-text cell (`■政府网站 □政府公报 ■两微一端`, `政府网站、公示栏`). With
 * marks, only ticked options count; without any mark every listed option does.
 */
export function listedOptions(cell: string, boxIsTick = false): string[] {
  const text = cell.replace(/[\u00a0\u3000]/g, ' ').trim();
  if (text === '') return [];
  if (!LIST_MARK.test(text)) {
    return text
      .split(/[、，,；;\s/／]+/)
      .map((s) => s.trim())
      .filter((s) => s !== '');
  }
  const out: string[] = [];
  const re = /([■□☑☐√✓✔●○口])\s*([^■□☑☐√✓✔●○口]*)/g;
  for (const m of text.matchAll(re)) {
    const mark = m[1] ?? '';
    const name = (m[2] ?? '').replace(/[、，,；;\s]+$/g, '').trim();
    const ticked = /[■☑√✓✔●]/.test(mark) || (boxIsTick && mark === '口');
    if (ticked && name !== '') out.push(...name.split(/[、，,；;]+/).filter((s) => s.trim() !== ''));
  }
  return out;
}
