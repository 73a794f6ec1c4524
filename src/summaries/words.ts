import { lazySegmenter } from '../core/segmenter.js';

/** Word-level helpers for scoring: content words, lightly stemmed so "talks"/"talk" meet. */

const STOPWORDS = new Set(
  `a about above after again against all also am an and any are as at be because been before being below
between both but by can could did do does doing down during each few for from further had has have having he
her here hers herself him himself his how i if in into is it its itself just me more most my myself no nor not
now of off on once only or other our ours ourselves out over own same she should so some such than that the
their theirs them themselves then there these they this those through to too under until up very was we were
what when where which while who whom why will with would you your yours yourself yourselves said says say told
according mr mrs ms dr one two new year years last first just like get got may might must shall us
ve ll re don didn doesn isn wasn aren weren won can't cannot it's he's she's that's there's`.split(/\s+/),
);

// Combining marks belong to their word (Devanagari vowel signs and virama, Arabic harakat).
const WORD = /[\p{L}\p{N}][\p{L}\p{M}\p{N}]*(?:['’]\p{L}[\p{L}\p{M}]*)*/gu;
// Han and kana are written without spaces: each of their characters counts as a word, as in CJK ROUGE.
const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]/u;
/**
 * Whether `s` has Han or kana: `words` and `contentStems` cut such text differently. Every Han and kana
 * character is at U+2E80 or above (supplementary ones are surrogate pairs, above too): text without such a code
 * unit, most of it, is answered without the pattern.
 */
export function hasCjk(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) >= 0x2e80) return CJK.test(s);
  return false;
}
const POSSESSIVE = /['’]s$/;
const CJK_OR_WORD = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]|[\p{L}\p{N}]+/gu;

/** S-stemmer (Harman 1991): folds plurals without the surprises of a full Porter stemmer. */
export function stem(w: string): string {
  if (w.length > 4 && w.endsWith('ies') && !/[ae]ies$/.test(w)) return `${w.slice(0, -3)}y`;
  if (w.length > 3 && w.endsWith('es') && !/[aeo]es$/.test(w)) return w.slice(0, -1);
  if (w.length > 3 && w.endsWith('s') && !/[us]s$/.test(w)) return w.slice(0, -1);
  return w;
}

/** Every word, lower-cased. */
export function words(s: string): string[] {
  const lower = s.toLowerCase();
  // `match` with a global pattern gives the strings alone: no match object (index, input, groups) per word.
  if (hasCjk(lower)) return lower.match(CJK_OR_WORD) ?? [];
  const out = lower.match(WORD) ?? [];
  for (let i = 0; i < out.length; i++) {
    const w = out[i]!;
    if (w.endsWith('s')) out[i] = w.replace(POSSESSIVE, '');
  }
  return out;
}

const cjWords = lazySegmenter('zh', 'word');
const jaWords = lazySegmenter('ja', 'word');
const KANA = /[\p{Script=Hiragana}\p{Script=Katakana}]/u;

/** Dictionary words of Chinese or Japanese text (ICU), lower-cased: "港务局", "星期五". */
function cjkWords(s: string): string[] {
  const seg = KANA.test(s) ? jaWords() : cjWords();
  const out: string[] = [];
  for (const w of seg.segment(s.toLowerCase())) if (w.isWordLike) out.push(w.segment);
  return out;
}

/**
 * Stems of the content words (stopwords and 1-letter words dropped); takes a string or its `words` (the
 * same result for a string without Han or kana, see `hasCjk`).
 * Chinese and Japanese strings are cut into dictionary words first (their single characters, as `words`
 * gives them, are mostly particles and carry little on their own).
 */
export function contentStems(s: string | string[]): string[] {
  const out: string[] = [];
  const list = typeof s === 'string' ? (hasCjk(s) ? cjkWords(s) : words(s)) : s;
  for (const w of list) {
    if (w.length < 2 || STOPWORDS.has(w)) continue;
    out.push(stem(w));
  }
  return out;
}
