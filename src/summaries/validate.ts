import type { PlatformName } from '../core/platform.js';
import type { Post } from '../core/post.js';
import { unescapeLittleText } from '../platforms/linkedin/little-text.js';
import { isPlatform, platformLabel as registryLabel } from '../platforms/registry.js';
import { rulesOf } from './compose.js';
import { type LengthUnit, measure, tweetUrls } from './length.js';
import { endsSentence } from './text.js';

/** What the validator says of one post text: its length against the platform's limit and what is wrong. */
export interface TextCheck {
  ok: boolean;
  length: number;
  max: number;
  unit: LengthUnit;
  /** "231/280 weighted characters", "512/3000 characters". */
  count: string;
  problems: string[];
}

/** The platform as readers know it ("X"), or the name itself when it is not a registered platform. */
export const platformLabel = (p: string): string => (isPlatform(p) ? registryLabel(p) : p);

/** The length of a post text as its platform counts it, e.g. "231/280 weighted characters". */
export function countText(
  platform: PlatformName,
  text: string,
): { length: number; max: number; unit: LengthUnit; count: string } {
  const rules = rulesOf(platform);
  const length = measure(text, rules.unit);
  const what = rules.unit === 'twitter' ? 'weighted characters' : 'characters';
  return { length, max: rules.maxLength, unit: rules.unit, count: `${length}/${rules.maxLength} ${what}` };
}

/**
 * The prose a reader ends on: the last line that holds more than links and hashtags, without them. A post that
 * ends there mid-sentence was cut.
 */
function lastProse(text: string): string {
  const lines = text
    .split('\n')
    .map((line) => {
      let l = line;
      for (const u of tweetUrls(l)) l = l.replace(u, ' ');
      return l
        .replace(/\bhttps?:\/\/\S+/gi, ' ')
        .replace(/(^|\s)#[\p{L}\p{M}\p{N}_]+/gu, ' ')
        .trim();
    })
    .filter(Boolean);
  return lines[lines.length - 1] ?? '';
}

/**
 * Checks a post text by the rules composed posts follow: the platform's limit in its own unit (X: twitter-text
 * v3 weighted length with every link 23), the text the platform accepts, the article link kept where the
 * platform needs it in the text, LinkedIn little text with its reserved characters escaped, and no sentence
 * cut short. An operator's edit must pass it before it replaces a post.
 */
export function checkPostText(post: Pick<Post, 'platform' | 'link'>, text: string): TextCheck {
  const rules = rulesOf(post.platform);
  const label = platformLabel(post.platform);
  const c = countText(post.platform, text);
  const problems: string[] = [];
  const readable = post.platform === 'linkedin' ? unescapeLittleText(text) : text;
  if (!readable.trim()) problems.push('the post is empty');
  else {
    if (c.length > c.max) {
      const unit = rules.unit === 'twitter' ? ' (every link counts 23)' : '';
      problems.push(`${label} post is ${c.count}${unit}: shorten it by ${c.length - c.max}`);
    } else if (!rules.accepts(text))
      problems.push(`${label} refuses this text (it holds characters X does not accept)`);
    if (rules.linkInText && post.link && !text.includes(post.link))
      problems.push(`the article link must stay in the post: ${post.link}`);
    if (post.platform === 'linkedin' && /(^|[^\\])[|{}@[\]()<>*_~]/.test(text.replace(/\\\\/g, '')))
      problems.push('LinkedIn would cut the post at an unescaped reserved character');
    const prose = lastProse(readable);
    if (prose && !endsSentence(prose) && !/[:：]$/.test(prose))
      problems.push(
        `the text ends mid-sentence ("…${[...prose].slice(-30).join('')}"): end it with a whole sentence`,
      );
  }
  return { ok: problems.length === 0, ...c, problems };
}
