import type { Article } from '../articles/article.js';
import type { Post } from '../core/post.js';
import type { SummaryBudget } from './budget.js';
import type { ComposeContext, PlatformRules } from './platforms/types.js';
import { lengthIn } from './rules.js';
import { fillTemplate, hasPlaceholder } from './template.js';
import { cleanSpace, hasContactDetails } from './text.js';

/**
 * Fill the template, then fit: the summary gets what the template leaves, hashtags go in only where they
 * still fit. Shared by every platform's composer.
 */

/** The template actually used: on platforms that need the link in the text, it is appended when missing. */
export function effectiveTemplate(ctx: ComposeContext, rules: PlatformRules): string {
  if (rules.linkInText && !hasPlaceholder(ctx.template, 'link')) return `${ctx.template}\n\n{link}`;
  return ctx.template;
}

export function renderText(
  ctx: ComposeContext,
  rules: PlatformRules,
  template: string,
  summary: string,
  hashtags: readonly string[],
): string {
  const title = postHeadline(ctx.article);
  let headline = title.text;
  // A summary that is the headline (the fallback when no sentence fits) is said once, not "Test\n\nTest.",
  // unless the platform's rules keep both (X); an empty {headline} makes fillTemplate drop its line.
  if (rules.headlineOnce !== false && title.words !== '' && title.words === summaryWords(title, summary))
    headline = '';
  return fillTemplate(
    template,
    {
      headline,
      summary,
      link: ctx.link,
      hashtags: hashtags.join(' '),
      site: ctx.siteName,
    },
    { escape: rules.escape, raw: ['hashtags'] },
  );
}

/** The words of `s`, case, punctuation and spacing aside: what `sameWords` compares. */
function sameWordsKey(s: string): string {
  return s
    .normalize('NFKC')
    .toLocaleLowerCase()
    .split(/[^\p{L}\p{M}\p{N}]+/u)
    .filter(Boolean)
    .join(' ');
}

/** Case, punctuation and spacing aside, the same words ("Test" and "test."). */
export function sameWords(a: string, b: string): boolean {
  const na = sameWordsKey(a);
  return na !== '' && na === sameWordsKey(b);
}

interface Headline {
  /** The headline as a post shows it ('' when it carries contact details). */
  text: string;
  /** Its `sameWordsKey`. */
  words: string;
  /** The last summary compared with it and that summary's `sameWordsKey` (each hashtag tried renders it again). */
  summary?: { text: string; words: string };
}

function summaryWords(headline: Headline, summary: string): string {
  if (headline.summary?.text !== summary) headline.summary = { text: summary, words: sameWordsKey(summary) };
  return headline.summary.words;
}

// Every post of an article renders its text several times (budget, attempts, each hashtag): the headline
// is prepared once per article object (and again if its title changes).
const headlines = new WeakMap<Article, { title: string; headline: Headline }>();

function postHeadline(article: Article): Headline {
  const hit = headlines.get(article);
  if (hit && hit.title === article.title) return hit.headline;
  // A headline is the publisher's, but contact details never go out in a post.
  const text = hasContactDetails(article.title) ? '' : cleanSpace(article.title);
  const headline = { text, words: sameWordsKey(text) };
  headlines.set(article, { title: article.title, headline });
  return headline;
}

/** Room for the summary: the platform's preferred size, capped by what the template leaves and `maxSummaryChars`. */
export function summaryBudget(ctx: ComposeContext, rules: PlatformRules, template: string): SummaryBudget {
  // A one-unit stand-in for the summary: the rest of the rendered text is the template's overhead.
  const overhead = lengthIn(rules, renderText(ctx, rules, template, 'x', [])) - 1;
  return {
    unit: rules.unit,
    maxLength: Math.max(0, Math.min(rules.summary.maxLength, rules.maxLength - overhead)),
    maxChars: ctx.account.maxSummaryChars,
    maxSentences: rules.summary.maxSentences,
  };
}

export function acceptable(text: string, rules: PlatformRules): boolean {
  return lengthIn(rules, text) <= rules.maxLength && rules.accepts(text);
}

export type Built = { ok: true; text: string; hashtags: string[] } | { ok: false; overflow: number };

/** The post text for this summary with as many hashtags as fit, or by how much it is too long. */
export function buildText(
  ctx: ComposeContext,
  rules: PlatformRules,
  template: string,
  summary: string,
): Built {
  const bare = renderText(ctx, rules, template, summary, []);
  if (!acceptable(bare, rules)) {
    return { ok: false, overflow: Math.max(1, lengthIn(rules, bare) - rules.maxLength) };
  }
  const hashtags: string[] = [];
  let text = bare;
  if (hasPlaceholder(template, 'hashtags')) {
    for (const tag of ctx.hashtags) {
      if (hashtags.length >= ctx.account.hashtags.max) break;
      const next = renderText(ctx, rules, template, summary, [...hashtags, tag]);
      if (!acceptable(next, rules)) continue;
      hashtags.push(tag);
      text = next;
    }
  }
  return { ok: true, text, hashtags };
}

export function makePost(
  ctx: ComposeContext,
  rules: PlatformRules,
  built: { text: string; hashtags: string[] },
  summary: string,
  thread?: string[],
): Post {
  const a = ctx.article;
  const link = ctx.linkKnown ? ctx.link : '';
  return {
    platform: rules.platform,
    account: ctx.account.id,
    articleId: a.id,
    articleKey: a.key,
    text: built.text,
    summary,
    link,
    hashtags: built.hashtags,
    ...(thread?.length ? { thread } : {}),
    article: {
      url: link,
      title: cleanSpace(a.title),
      ...(a.description || summary ? { description: cleanSpace(a.description || summary) } : {}),
      ...(a.image ? { image: a.image } : {}),
    },
  };
}
