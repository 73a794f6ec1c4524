import type { Article } from '../articles/article.js';
import type { CrierConfig } from '../config/schema.js';
import { fits, type SummaryBudget } from './budget.js';
import { offlineSummarizer, type Summarizer } from './summarizer.js';
import { cleanSpace, endsSentence, hasContactDetails, isFurniture } from './text.js';

export type LlmConfig = NonNullable<CrierConfig['summaries']['llm']>;

/** Why an LLM answer was not used. */
export type LlmFallbackReason =
  | 'no-key'
  | 'error'
  | 'timeout'
  | 'empty'
  | 'too-long'
  | 'not-a-sentence'
  | 'unsafe';

export interface LlmSummarizerOptions {
  config: LlmConfig;
  env?: Record<string, string | undefined>;
  /** Used whenever the LLM's answer cannot be (default: the offline summarizer). */
  fallback?: Summarizer;
  /** Told each time the fallback is used, e.g. to log it. */
  onFallback?: (reason: LlmFallbackReason, detail?: string) => void;
}

/** Article text sent to the model is capped: news ledes carry the substance, and tokens cost money. */
const MAX_ARTICLE_CHARS = 12_000;

interface ChatCompletion {
  choices?: Array<{ message?: { content?: unknown } }>;
}

function prompt(article: Article, budget: SummaryBudget): string {
  const chars = Math.min(budget.maxLength, budget.maxChars ?? Number.POSITIVE_INFINITY);
  const cjk =
    budget.unit === 'twitter' ? ' (Chinese, Japanese and Korean characters and emoji count double)' : '';
  const sentences = budget.maxSentences ? ` and at most ${budget.maxSentences} sentences` : '';
  return [
    `Headline: ${cleanSpace(article.title)}`,
    '',
    'Article:',
    article.text.slice(0, MAX_ARTICLE_CHARS),
    '',
    `Write a summary of this article in at most ${chars} characters${cjk}${sentences}.`,
  ].join('\n');
}

const SYSTEM = [
  'You summarise news articles for social media posts.',
  'Answer with the summary only: complete sentences in the language of the article, facts from the article only,',
  'names and numbers exactly as written, no hashtags, no links, no emoji, no e-mail addresses or phone numbers.',
].join(' ');

/** The model sometimes wraps its answer in quotes: take them off when they enclose the whole answer. */
function unwrap(s: string): string {
  const t = cleanSpace(s);
  const m = /^["“](.*)["”]$/su.exec(t);
  return m && !/["“”]/u.test(m[1]!) ? m[1]!.trim() : t;
}

/**
 * Summaries from an OpenAI-compatible chat completions endpoint (`POST {baseUrl}/chat/completions`).
 * The answer goes through the same checks as any summary (fits the budget, ends a sentence, no contact
 * details or page furniture); when it fails them, or the call fails or times out, the offline summary is used.
 */
export class LlmSummarizer implements Summarizer {
  private readonly fallback: Summarizer;

  constructor(private readonly opts: LlmSummarizerOptions) {
    this.fallback = opts.fallback ?? offlineSummarizer;
  }

  async summarize(article: Article, budget: SummaryBudget): Promise<string> {
    const outcome = await this.ask(article, budget);
    if (typeof outcome === 'string') return outcome;
    this.opts.onFallback?.(outcome.reason, outcome.detail);
    return this.fallback.summarize(article, budget);
  }

  private async ask(
    article: Article,
    budget: SummaryBudget,
  ): Promise<string | { reason: LlmFallbackReason; detail?: string }> {
    const { config } = this.opts;
    const key = (this.opts.env ?? process.env)[config.apiKeyEnv]?.trim();
    if (!key) return { reason: 'no-key', detail: `${config.apiKeyEnv} is not set` };
    // Loaded when a summary is asked for: previews with the offline engine never load the HTTP client.
    const { default: axios } = await import('axios');
    let content: unknown;
    try {
      const res = await axios.post<ChatCompletion>(
        `${config.baseUrl.replace(/\/+$/, '')}/chat/completions`,
        {
          model: config.model,
          temperature: 0.2,
          messages: [
            { role: 'system', content: SYSTEM },
            { role: 'user', content: prompt(article, budget) },
          ],
        },
        {
          headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
          timeout: config.timeoutMs,
          // axios' timeout covers the response only; the signal also bounds connecting.
          signal: AbortSignal.timeout(config.timeoutMs),
        },
      );
      content = res.data?.choices?.[0]?.message?.content;
    } catch (err) {
      const timedOut =
        axios.isCancel(err) ||
        (axios.isAxiosError(err) && (err.code === 'ECONNABORTED' || err.code === 'ETIMEDOUT'));
      const status = axios.isAxiosError(err) ? err.response?.status : undefined;
      return timedOut
        ? { reason: 'timeout', detail: `no answer within ${config.timeoutMs} ms` }
        : { reason: 'error', detail: status ? `HTTP ${status}` : (err as Error).message };
    }
    const text = typeof content === 'string' ? unwrap(content) : '';
    if (!text) return { reason: 'empty' };
    if (!fits(text, budget)) return { reason: 'too-long' };
    if (!endsSentence(text)) return { reason: 'not-a-sentence' };
    if (hasContactDetails(text) || isFurniture(text) || /\bhttps?:\/\//i.test(text))
      return { reason: 'unsafe' };
    return text;
  }
}
