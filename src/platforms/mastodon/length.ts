import { graphemeLengthUrlsAs23 } from '../../summaries/length.js';

/** `@user@domain` (a remote mention): Mastodon counts only `@user`. */
const REMOTE_MENTION = /(^|[^/\p{L}\p{N}_])@([\p{L}\p{N}_]+)@[\p{L}\p{N}.-]+[\p{L}\p{N}]/gu;

/**
 * A status's length as Mastodon's StatusLengthValidator counts it: graphemes of the spoiler text and the text,
 * each link with a scheme counted as 23 whatever its length, a remote mention as its local part.
 */
export function statusLength(text: string, spoilerText = ''): number {
  const local = text.replace(REMOTE_MENTION, (_m, before: string, user: string) => `${before}@${user}`);
  return graphemeLengthUrlsAs23(spoilerText + local);
}
