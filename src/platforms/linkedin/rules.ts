import type { PlatformRules } from '../../summaries/platforms/types.js';
import { escapeLittleText, littleTextFromPlain, readerView, unescapeLittleText } from './little-text.js';

/**
 * LinkedIn commentary (little text, at most 3000 characters). The link travels as the post's article card
 * (Post.article), so the default text carries none. Summary: at most 3 sentences / 500 characters, about
 * twice what LinkedIn shows before "see more" (~210): long enough to inform, short enough to read, and the
 * length at which the offline summary beats lead-3 by the widest margin on CNN/DM highlights.
 */
export const linkedinRules: PlatformRules = {
  platform: 'linkedin',
  unit: 'codepoints',
  maxLength: 3000,
  counted: { noun: 'characters' },
  summary: { maxLength: 500, maxSentences: 3 },
  defaultTemplate: '{summary}\n\n{hashtags}',
  escape: escapeLittleText,
  display: unescapeLittleText,
  linkInText: false,
  accepts: () => true,
  // An unescaped reserved character is not refused: LinkedIn silently cuts the commentary there.
  problems: (text) =>
    readerView(text).cutAt >= 0 ? ['LinkedIn would cut the post at an unescaped reserved character'] : [],
  plainText: {
    toSend: littleTextFromPlain,
    note: 'write plain text: Crier escapes it for LinkedIn',
  },
};
