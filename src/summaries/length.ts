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

export function twitterLength(text: string): number {
  return twitterText().parseTweet(text).weightedLength;
}

/** A tweet X accepts: 0 < weighted length <= 280 and no invalid characters. */
export function isValidTweet(text: string): boolean {
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
