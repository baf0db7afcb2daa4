import { readLabelled, type LabelHit } from './messages.js';

/** One key element of a 办事指南 and the labels pages write it under. */
export interface GuideElementSpec {
  id: string;
  /** The element's name in reports (事项名称, 设定依据 …). */
  title: string;
  /** Labels that stand for it ("申请材料" for 办理材料; "办理地点和时间" may stand for two). */
  labels: string[];
}

export interface GuideElements {
  /** Elements shown with a value. */
  present: string[];
  /** Elements whose label is shown with nothing (or only a placeholder) after it. */
  empty: string[];
  /** Elements not shown at all. */
  absent: string[];
  /** The value read for each present element (first non-empty one). */
  values: Record<string, string>;
}

const PUNCT_ONLY = /^[\s\u3000\p{P}\p{S}]*$/u;

/**
 * Which key elements a 办事指南 (its page text, and the text of attachments holding it) shows, from "label：value", a label cell beside its value, or a
 * heading ("三、办理地点") followed by its paragraph. A label with no value, or only a placeholder
 * (emptyValues: "/", "暂无" …), does not count as shown.
 */
export function readGuideElements(
  text: string,
  specs: readonly GuideElementSpec[],
  emptyValues: readonly string[],
): GuideElements {
  const map = new Map<string, string[]>();
  for (const s of specs) for (const l of s.labels) map.set(l, [...(map.get(l) ?? []), s.id]);
  const hits = readLabelled(text, map, { multiline: new Set(specs.map((s) => s.id)), maxLines: 15 });
  const filled = (h: LabelHit) => !PUNCT_ONLY.test(h.value) && !emptyValues.includes(h.value.trim());
  const out: GuideElements = { present: [], empty: [], absent: [], values: {} };
  for (const s of specs) {
    const mine = hits.filter((h) => h.keys.includes(s.id));
    const value = mine.find(filled);
    if (value) {
      out.present.push(s.id);
      out.values[s.id] = value.value;
    } else if (mine.length) out.empty.push(s.id);
    else out.absent.push(s.id);
  }
  return out;
}
