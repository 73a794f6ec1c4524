import { lazySegmenter } from '../core/segmenter.js';

/**
 * Is there an article at all? A page that is only navigation, a consent wall, or boilerplate leaves a few
 * words after extraction and cleaning ("Home."); a feed item may carry only a headline. Such a text is
 * reported and not posted. Words are counted with `Intl.Segmenter`, so Chinese and Japanese (written
 * without spaces) count their words too.
 */
const segmenter = lazySegmenter('und', 'word');

/** Scripts written without spaces between words: their words need ICU's dictionaries to be counted. */
const UNSPACED =
  /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}\p{Script=Lao}\p{Script=Khmer}\p{Script=Myanmar}]/u;
const SPACED_WORD = /[\p{L}\p{N}][\p{L}\p{M}\p{N}'’-]*/gu;

/** Word count of a text, whatever its script (stops counting past `limit`). */
export function countWords(text: string, limit = Number.POSITIVE_INFINITY): number {
  let n = 0;
  if (!UNSPACED.test(text)) {
    // Scripts with spaces (Latin, Cyrillic, Greek, Arabic, Devanagari, ...): a regular expression is
    // exact enough and a hundred times cheaper than the segmenter.
    for (const _ of text.matchAll(SPACED_WORD)) {
      n += 1;
      if (n >= limit) break;
    }
    return n;
  }
  for (const s of segmenter().segment(text)) {
    if (s.isWordLike) n += 1;
    if (n >= limit) break;
  }
  return n;
}

/** The reason a text is not an article (undefined when it is one). */
export function tooThin(text: string, minWords: number): string | undefined {
  if (minWords <= 0) return undefined;
  const n = countWords(text, minWords);
  if (n >= minWords) return undefined;
  return `no article: ${n} word${n === 1 ? '' : 's'} of text (navigation, boilerplate or a headline only); the minimum is ${minWords} (articles.minWords)`;
}

/** Truncation marks an excerpt ends with: an ellipsis, "[…]", "Read more", "Continue reading". */
const TRUNCATED =
  /(?:…|\.\.\.|\[…]|\[\.\.\.]|\[&hellip;]|\bread more\b|\bcontinue reading\b|\bread the full (?:story|article)\b|\bmore\s*»)\W*$/i;

/** A text this short, or cut with a truncation mark, is an excerpt of the article, not the article. */
export const EXCERPT_WORDS = 120;

export function isExcerpt(text: string): boolean {
  return TRUNCATED.test(text.trim()) || countWords(text, EXCERPT_WORDS) < EXCERPT_WORDS;
}
