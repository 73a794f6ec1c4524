import type { SummaryBudget } from '../../summaries/budget.js';
import { isValidTweet, parseTweetText, TWEET_MAX } from '../../summaries/length.js';
import type { PlatformRules } from '../../summaries/platforms/types.js';
import { splitSentences } from '../../summaries/sentences.js';
import { endsSentence, hasContactDetails } from '../../summaries/text.js';

/** X's own account setting: up to this many replies continuing the summary as a thread. */
export interface TwitterSettings {
  thread: { maxReplies: number };
}

/**
 * X: weighted length by twitter-text v3 (URLs 23, emoji and CJK 2, NFC) at most 280, and the link always in
 * the text. The summary takes what the template leaves.
 */
export const twitterRules: PlatformRules = {
  platform: 'twitter',
  unit: 'twitter',
  maxLength: TWEET_MAX,
  counted: { noun: 'weighted characters', links: 'every link counts 23' },
  summary: { maxLength: TWEET_MAX },
  defaultTemplate: '{summary}\n\n{hashtags}\n{link}',
  linkInText: true,
  headlineOnce: false,
  accepts: isValidTweet,
  problems: (text) => {
    const parsed = parseTweetText(text);
    // Too long is the validator's own message; what is left is a character X refuses.
    return parsed.valid || parsed.weightedLength > TWEET_MAX || !text.trim()
      ? []
      : ['X refuses this text: it holds characters X does not accept'];
  },
  thread: {
    budget: (account) => threadBudget(account as unknown as TwitterSettings),
    build: (summary, long, account) =>
      buildThread(summary, long, (account as unknown as TwitterSettings).thread.maxReplies),
  },
};

/** The longer summary that a thread continues from, or null when the account wants no thread. */
export function threadBudget(account: TwitterSettings): SummaryBudget | null {
  const replies = account.thread?.maxReplies ?? 0;
  if (replies <= 0) return null;
  // The tweet's own sentences are in this summary too: leave room for them plus the replies.
  return { unit: 'twitter', maxLength: (replies + 1) * TWEET_MAX };
}

/**
 * Replies continuing the tweet: the sentences of the longer summary that the tweet does not already say,
 * in order, packed whole into at most `maxReplies` tweets that are each valid on their own.
 * A sentence too long for a reply is left out rather than cut.
 */
export function buildThread(tweetSummary: string, longSummary: string, maxReplies: number): string[] {
  const replies: string[] = [];
  let current = '';
  for (const { text } of splitSentences(longSummary)) {
    if (tweetSummary.includes(text) || !endsSentence(text) || hasContactDetails(text)) continue;
    if (!isValidTweet(text)) continue;
    const joined = current ? `${current} ${text}` : text;
    if (isValidTweet(joined)) {
      current = joined;
      continue;
    }
    replies.push(current);
    if (replies.length >= maxReplies) return replies;
    current = text;
  }
  if (current && replies.length < maxReplies) replies.push(current);
  return replies;
}
