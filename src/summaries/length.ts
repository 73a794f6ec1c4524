import type { ParsedTweet, ParseTweetOptions } from 'twitter-text';
import { codePointLength } from './text.js';
import twitterText from './twitter-text.js';

/** How a length is counted: X's weighted length (twitter-text v3) or plain code points. */
export type LengthUnit = 'twitter' | 'codepoints';

export const TWEET_MAX = 280;

// twitter-text exports its weighting configurations at runtime; @types/twitter-text does not declare them.
const configs = (twitterText as unknown as { configs: Record<'version2' | 'version3', ParseTweetOptions> })
  .configs;

/**
 * twitter-text's own parser: NFC, every URL 23, emoji 2, CJK 2, Latin 1.
 * `version` 2 exists only for the conformance suite; X counts with v3.
 */
export function parseTweetText(text: string, version: 2 | 3 = 3): ParsedTweet {
  return twitterText.parseTweet(text, version === 2 ? configs.version2 : configs.version3);
}

export function twitterLength(text: string): number {
  return twitterText.parseTweet(text).weightedLength;
}

/** A tweet X accepts: 0 < weighted length <= 280 and no invalid characters. */
export function isValidTweet(text: string): boolean {
  return twitterText.parseTweet(text).valid;
}

export function measure(text: string, unit: LengthUnit): number {
  return unit === 'twitter' ? twitterLength(text) : codePointLength(text);
}

/** URLs as twitter-text finds them (also bare domains such as example.com). */
export function tweetUrls(text: string): string[] {
  return twitterText.extractUrls(text);
}
