import type { Post } from '../core/post.js';
import { isPlatform, platformLabel as registryLabel } from '../platforms/registry.js';
import { type LengthUnit, tweetUrls } from './length.js';
import type { PlatformRules } from './platforms/types.js';
import { lengthIn, rulesOf } from './rules.js';
import { endsSentence } from './text.js';

/** What the validator says of one post text: its length against the platform's limit and what is wrong. */
export interface TextCheck {
  ok: boolean;
  length: number;
  max: number;
  unit: LengthUnit;
  /** "231/280 weighted characters", "250/300 graphemes", "512/3000 characters". */
  count: string;
  problems: string[];
}

/** The platform as readers know it ("X"), or the name itself when it is not a registered platform. */
export const platformLabel = (p: string): string => (isPlatform(p) ? registryLabel(p) : p);

/** The length of a post text as its platform's rules count and word it, e.g. "231/280 weighted characters". */
export function countText(
  text: string,
  rules: PlatformRules,
): { length: number; max: number; unit: LengthUnit; count: string } {
  const length = lengthIn(rules, text);
  return {
    length,
    max: rules.maxLength,
    unit: rules.unit,
    count: `${length}/${rules.maxLength} ${rules.counted.noun}`,
  };
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

/** A platform that shows the link as a card may leave out of the text a link that would not fit beside it. */
function cardCarries(text: string, link: string, rules: PlatformRules): boolean {
  if (!rules.linkCard) return false;
  const withLink = `${text}\n\n${link}`;
  return countText(withLink, rules).length > rules.maxLength || !rules.accepts(withLink);
}

/**
 * Checks a post text by the rules composed posts follow, all of them the platform's (`rules`: its own, or the
 * account's with the limit of its instance): the limit in the platform's unit, whatever else the platform refuses
 * or would mangle (`rules.problems`), the article link kept where the platform needs it in the text, and no
 * sentence cut short in what a reader sees (`rules.display`). An operator's edit must pass it before it replaces
 * a post.
 */
export function checkPostText(
  post: Pick<Post, 'platform' | 'link'>,
  text: string,
  rules: PlatformRules = rulesOf(post.platform),
): TextCheck {
  const label = platformLabel(post.platform);
  const c = countText(text, rules);
  const problems: string[] = [];
  const readable = rules.display ? rules.display(text) : text;
  if (!readable.trim()) problems.push('the post is empty');
  else {
    const over = c.length > c.max;
    if (over) {
      const links = rules.counted.links ? ` (${rules.counted.links})` : '';
      problems.push(`${label} post is ${c.count}${links}: shorten it by ${c.length - c.max}`);
    }
    const own = rules.problems?.(text) ?? [];
    problems.push(...own);
    if (!over && !own.length && !rules.accepts(text)) problems.push(`${label} refuses this text`);
    if (rules.linkInText && post.link && !text.includes(post.link) && !cardCarries(text, post.link, rules))
      problems.push(`the article link must stay in the post: ${post.link}`);
    const prose = lastProse(readable);
    if (prose && !endsSentence(prose) && !/[:：]$/.test(prose))
      problems.push(
        `the text ends mid-sentence ("…${[...prose].slice(-30).join('')}"): end it with a whole sentence`,
      );
  }
  return { ok: problems.length === 0, ...c, problems };
}
