import type { Article } from '../articles/article.js';
import { isHttpUrl } from '../articles/location.js';
import type { AccountConfig, CrierConfig } from '../config/schema.js';
import type { Post } from '../core/post.js';
import type { SummaryBudget } from './budget.js';
import { type Built, buildText, effectiveTemplate, makePost, renderText, summaryBudget } from './fit.js';
import { hashtagCandidates } from './hashtags.js';
import { LlmSummarizer } from './llm.js';
import type { ComposeContext, PlatformRules } from './platforms/types.js';
import { annotated, askedRules, pinnedRules, rulesOf } from './rules.js';
import { headlineSummary } from './select.js';
import { offlineSummarizer, type Summarizer } from './summarizer.js';
import { resolveTemplate } from './template.js';
import { linkWithUtm } from './utm.js';

export type ComposeConfig = Pick<CrierConfig, 'site' | 'templates' | 'summaries'>;

export interface ComposeOptions {
  /** Overrides the summarizer chosen from `config.summaries`. */
  summarizer?: Summarizer;
  /** Where the LLM API key is read from (default: process.env). */
  env?: Record<string, string | undefined>;
}

/**
 * Takes the link's room in a post whose article has no web address yet: X counts every URL as 23, so the
 * summary chosen is the one the post will have once the link is known. Never sent: publishing refuses
 * an article without a web link.
 */
const STAND_IN_LINK = 'https://example.com/';

/** Shrinking attempts when the filled template turns out longer than the summary budget promised. */
const MAX_ATTEMPTS = 4;

/** The summary and text that fit: shrinking the budget by what overflowed, then the headline, then none. */
function* fitSummary(
  ctx: ComposeContext,
  rules: PlatformRules,
  template: string,
): Generator<SummaryBudget, { summary: string; built: Built }, string> {
  let budget = summaryBudget(ctx, rules, template);
  let summary = '';
  let built: Built = { ok: false, overflow: 0 };
  for (let attempt = 0; attempt < MAX_ATTEMPTS && budget.maxLength > 0; attempt++) {
    summary = yield budget;
    built = buildText(ctx, rules, template, summary);
    if (built.ok) break;
    // twitter-text is not strictly additive (URLs, emoji sequences): take off what overflowed and retry.
    budget = { ...budget, maxLength: budget.maxLength - built.overflow };
  }
  if (!built.ok) {
    // Last resort: the headline, and if even that cannot fit, no summary at all.
    summary = headlineSummary(ctx.article.title, budget, ctx.article.text) ?? '';
    built = buildText(ctx, rules, template, summary);
    if (!built.ok) {
      summary = '';
      built = buildText(ctx, rules, template, '');
    }
  }
  return { summary, built };
}

/**
 * One account's post, written as a generator so the same steps serve the async (LLM) and the sync
 * (offline, benchmarks) paths: it yields each summary budget it needs and receives the summary text.
 */
function* composeAccount(ctx: ComposeContext, rules: PlatformRules): Generator<SummaryBudget, Post, string> {
  const template = effectiveTemplate(ctx, rules);
  let { summary, built } = yield* fitSummary(ctx, rules, template);
  if ((!built.ok || !summary) && rules.linkCard && ctx.linkKnown) {
    // The link leaves no room for even the headline (a long, percent-encoded address on a platform that counts
    // links in full): the text goes without it, and the card the platform shows carries it.
    ({ summary, built } = yield* fitSummary({ ...ctx, link: '' }, rules, template));
  }
  const text = built.ok ? built : { text: '', hashtags: [] };
  if (built.ok && !ctx.linkKnown) {
    // The post as it will read, less the link no one knows yet.
    text.text = renderText({ ...ctx, link: '' }, rules, template, summary, built.hashtags);
  }

  let thread: string[] | undefined;
  const longBudget = rules.thread?.budget(ctx.account) ?? null;
  if (rules.thread && longBudget && summary) {
    const long = yield longBudget;
    thread = rules.thread.build(summary, long, ctx.account);
  }
  const post = makePost(ctx, rules, text, summary, thread);
  return annotated(rules, post);
}

function contexts(article: Article, accounts: AccountConfig[], config: ComposeConfig): ComposeContext[] {
  const enabled = accounts.filter((a) => a.enabled);
  const hashtags = enabled.some((a) => a.hashtags.max > 0) ? hashtagCandidates(article) : [];
  return enabled.map((account) => ({
    article,
    account,
    siteName: config.site.name,
    template: resolveTemplate(account, config.templates, rulesOf(account.platform).defaultTemplate),
    link: isHttpUrl(article.url) ? linkWithUtm(article.url, account.utm) : STAND_IN_LINK,
    linkKnown: isHttpUrl(article.url),
    hashtags,
  }));
}

/** The summarizer the config asks for: the LLM one (with offline fallback) or the offline one. */
export function summarizerFor(config: ComposeConfig, env?: Record<string, string | undefined>): Summarizer {
  const llm = config.summaries.llm;
  if (config.summaries.engine === 'llm' && llm) return new LlmSummarizer({ config: llm, env });
  return offlineSummarizer;
}

/** One post per enabled account, in the order of `accounts`. */
export async function composePosts(
  article: Article,
  accounts: AccountConfig[],
  config: ComposeConfig,
  opts: ComposeOptions = {},
): Promise<Post[]> {
  const summarizer = opts.summarizer ?? summarizerFor(config, opts.env);
  const posts: Post[] = [];
  for (const ctx of contexts(article, accounts, config)) {
    const steps = composeAccount(ctx, await askedRules(ctx.account, opts.env ?? process.env));
    let step = steps.next();
    while (!step.done) step = steps.next(await summarizer.summarize(article, step.value));
    posts.push(step.value);
  }
  return posts;
}

/** The same with the offline summarizer, synchronously (benchmarks, previews). */
export function composePostsOffline(
  article: Article,
  accounts: AccountConfig[],
  config: ComposeConfig,
): Post[] {
  return contexts(article, accounts, config).map((ctx) => {
    const steps = composeAccount(ctx, pinnedRules(ctx.account));
    let step = steps.next();
    while (!step.done) step = steps.next(offlineSummarizer.summarizeSync(article, step.value));
    return step.value;
  });
}
