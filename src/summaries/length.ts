import type { ParsedTweet, ParseTweetOptions } from 'twitter-text';
import { lazySegmenter } from '../core/segmenter.js';
import { codePointLength } from './text.js';
import { twitterText } from './twitter-text.js';

/**
 * How a length is counted: X's weighted length (twitter-text v3), plain code points, graphemes (what a reader
 * takes for one character: an emoji with its modifiers, a letter with its accents), or graphemes with every
 * web link counted as 23 whatever its length (links are shortened for counting).
 */
export type LengthUnit = 'twitter' | 'codepoints' | 'graphemes' | 'graphemes-url23';

/** How many characters a link counts in `graphemes-url23`. */
export const URL_CHARS = 23;

export const TWEET_MAX = 280;

// twitter-text exports its weighting configurations at runtime; @types/twitter-text does not declare them.
const configs = () =>
  (twitterText() as unknown as { configs: Record<'version2' | 'version3', ParseTweetOptions> }).configs;

/**
 * twitter-text's own parser: NFC, every URL 23, emoji 2, CJK 2, Latin 1.
 * `version` 2 exists only for the conformance suite; X counts with v3.
 */
export function parseTweetText(text: string, version: 2 | 3 = 3): ParsedTweet {
  return twitterText().parseTweet(text, version === 2 ? configs().version2 : configs().version3);
}

/**
 * Whether twitter-text would weigh `text` one per UTF-16 unit, told without parsing it: every unit below U+0300
 * (Latin: weight 1 each, and NFC leaves such text as it is), no © or ® (which twitter-text counts as emoji,
 * weight 2), and no URL, which needs a full stop followed by a letter ("example.com", "https://t.co"). Most
 * sentences of Latin-script articles qualify; anything else is parsed. Checked against parseTweet in
 * tests/summaries/twitter.test.ts.
 */
export function plainTweetText(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0x300 || c === 0xa9 || c === 0xae) return false;
    if (c === 0x2e) {
      // A letter after a full stop may start a top-level domain (digits and anything past ASCII: to be safe).
      const next = text.charCodeAt(i + 1);
      if (
        (next >= 0x30 && next <= 0x39) ||
        (next >= 0x41 && next <= 0x5a) ||
        (next >= 0x61 && next <= 0x7a) ||
        next >= 0x80
      )
        return false;
    }
  }
  return true;
}

export function twitterLength(text: string): number {
  if (plainTweetText(text)) return text.length;
  return twitterText().parseTweet(text).weightedLength;
}

/** A tweet X accepts: 0 < weighted length <= 280 and no invalid characters. */
export function isValidTweet(text: string): boolean {
  if (plainTweetText(text)) return text.length > 0 && text.length <= TWEET_MAX;
  return twitterText().parseTweet(text).valid;
}

const graphemes = lazySegmenter('und', 'grapheme');

/** Length in graphemes (extended grapheme clusters, as Intl.Segmenter and Ruby's each_grapheme_cluster count). */
export function graphemeLength(text: string): number {
  let n = 0;
  for (const _ of graphemes().segment(text)) n += 1;
  return n;
}

/** Graphemes, each link with a scheme (http://, https://) counted as URL_CHARS. */
export function graphemeLengthUrlsAs23(text: string): number {
  const urls = twitterText().extractUrlsWithIndices(text, { extractUrlsWithoutProtocol: false });
  let n = 0;
  let last = 0;
  for (const u of urls) {
    n += graphemeLength(text.slice(last, u.indices[0])) + URL_CHARS;
    last = u.indices[1];
  }
  return n + graphemeLength(text.slice(last));
}

export function measure(text: string, unit: LengthUnit): number {
  switch (unit) {
    case 'twitter':
      return twitterLength(text);
    case 'graphemes':
      return graphemeLength(text);
    case 'graphemes-url23':
      return graphemeLengthUrlsAs23(text);
    default:
      return codePointLength(text);
  }
}

/** URLs as twitter-text finds them (also bare domains such as example.com). */
export function tweetUrls(text: string): string[] {
  return twitterText().extractUrls(text);
}
