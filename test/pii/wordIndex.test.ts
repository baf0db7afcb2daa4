import { describe, expect, it } from 'vitest';
import { containsAnyIn, lastWordEndIn } from '../../src/pii/context.js';
import { detectPersonalData } from '../../src/pii/detect.js';
import { addressRules, bankCardRules, idCardRules, mobileRules } from '../../src/pii/rules.js';
import { scanText } from '../../src/pii/scan.js';
import { startIndex } from '../../src/pii/wordIndex.js';

// The word index answers every "does a word of this list lie in this window" question of the
// detectors. A short text (a roster row) is indexed by the runs pass as it goes; a long one chunk by
// chunk as questions reach it. Either way the answers must be those of a search in place.

const lists = (): readonly (readonly string[])[] => [
  idCardRules().rejectContextWords, // holds ICP: a word ending in a letter, inside a run
  idCardRules().negativeContextWords,
  mobileRules().contextWords,
  bankCardRules().organisationWords,
  addressRules().areaSuffixes,
];

const texts = [
  '1\t李德炳\t350581199112233519\t13936795859\t示范区北岭乡上坂村4组60号\t6217992811125709562\t25,132.52',
  '备案号：闽ICP备12345678号。联系电话：0595-22381234；户主：陈建国，住址：西山镇后洋村3组12号',
  '统一社会信用代码12350500MB1234567X 流水号2026031200012 订单号：A12',
  // Words ending right at a chunk's end (unit 64) and right after it.
  `${'甲'.repeat(62)}嘎查村${'乙'.repeat(60)}社区`,
  `${'关于示范区街道办事处的通知。'.repeat(12)}户主王小明，身份证号350581199112233519，手机13936795859。`,
];

/** What containsAnyIn means: some word of the list lies wholly inside text[from, to). */
const naive = (text: string, from: number, to: number, words: readonly string[]): boolean => {
  const window = text.slice(Math.max(0, from), Math.min(text.length, to));
  return words.some((w) => w !== '' && window.includes(w));
};

/** Every window of up to 24 units (and a few wide ones) of `text`. */
function* windows(text: string): Generator<[number, number]> {
  for (let to = 0; to <= text.length; to++)
    for (const width of [1, 2, 5, 12, 20, 24, 90]) yield [to - width, to];
}

describe('word index', () => {
  it('answers as a search in place after the runs pass indexed a short text', () => {
    // Every list joins the index first (the detectors' own, by a scan of each text): a list joining
    // later starts the index afresh, chunk by chunk.
    for (const words of lists()) containsAnyIn('甲', 0, 1, words);
    for (const text of texts) detectPersonalData(text);
    for (const text of texts) {
      // scanText runs the detectors over the text: its runs pass indexes short texts as it goes.
      scanText(text, '', undefined, { norm: '' });
      for (const words of lists())
        for (const [from, to] of windows(text))
          expect(containsAnyIn(text, from, to, words), `${text.slice(0, 12)}… [${from}, ${to})`).toBe(
            naive(text, from, to, words),
          );
    }
  });

  it('answers the same when chunks are indexed on demand', () => {
    for (const text of texts)
      for (const words of lists()) {
        for (const [from, to] of windows(text)) {
          // A fresh index each question: chunks are indexed as this one question reaches them.
          startIndex(text);
          expect(containsAnyIn(text, from, to, words)).toBe(naive(text, from, to, words));
        }
      }
  });

  it('finds the last word end in a window the same way', () => {
    const text = texts[1]!;
    const words = mobileRules().rejectContextWords;
    detectPersonalData(text);
    scanText(text, '', undefined, { norm: '' });
    const eager = [...windows(text)].map(([from, to]) => lastWordEndIn(text, from, to, words));
    startIndex(text);
    const lazy = [...windows(text)].map(([from, to]) => lastWordEndIn(text, from, to, words));
    expect(eager).toEqual(lazy);
    // ICP ends a word at its P: the registration number's label is seen.
    expect(lastWordEndIn(text, 0, text.indexOf('备1'), words)).toBe(text.indexOf('ICP') + 3);
  });
});
