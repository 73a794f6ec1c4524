import type { PlatformRules } from '../../summaries/platforms/types.js';

/**
 * Facebook Page message (at most 63,206 characters). The link goes in Post.link, from which the page shows
 * its link card, so the default message carries none. Summary sized like LinkedIn's: people skim a feed.
 */
export const facebookRules: PlatformRules = {
  platform: 'facebook',
  unit: 'codepoints',
  maxLength: 63_206,
  counted: { noun: 'characters' },
  summary: { maxLength: 500, maxSentences: 3 },
  defaultTemplate: '{summary}\n\n{hashtags}',
  linkInText: false,
  accepts: () => true,
};
