import type { PlatformRules } from '../../summaries/platforms/types.js';
import { DEFAULT_MAX_CHARACTERS } from './api.js';
import { readMastodonCredentials } from './credentials.js';
import { statusLength } from './length.js';

/**
 * Mastodon status: at most the instance's `max_characters` (500 unless the instance says otherwise), counted in
 * graphemes with every link as 23 whatever its length. The link goes in the text: the instance builds the link card
 * from the first URL. Hashtags are ordinary text (#Tag) that Mastodon links.
 */
export const mastodonRules: PlatformRules = {
  platform: 'mastodon',
  unit: 'graphemes-url23',
  maxLength: DEFAULT_MAX_CHARACTERS,
  counted: { noun: 'characters', links: 'every link counts 23' },
  measure: (text) => statusLength(text),
  summary: { maxLength: 400, maxSentences: 3 },
  defaultTemplate: '{summary}\n\n{hashtags}\n{link}',
  linkInText: true,
  accepts: (text) => text.trim().length > 0,
  accountLimit: {
    pinned: (account) => (typeof account.maxCharacters === 'number' ? account.maxCharacters : undefined),
    ask: async (account, env) => {
      const creds = readMastodonCredentials(env, account.envPrefix);
      if (!creds.ok) return undefined;
      // Loaded when asked: the HTTP client stays out of commands that only read the rules.
      const { instanceMaxCharacters } = await import('./instance.js');
      return instanceMaxCharacters(creds.credentials.instanceUrl, { timeoutMs: 3000 });
    },
  },
};
