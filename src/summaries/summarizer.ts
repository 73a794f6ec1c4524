import type { Article } from '../articles/article.js';
import type { SummaryBudget } from './budget.js';
import { type Analysis, analyseArticle } from './score.js';
import { type Selection, selectSummary } from './select.js';

export type { SummaryBudget } from './budget.js';

/** Turns an article into summary text that fits a budget and ends a sentence (or is empty when nothing fits). */
export interface Summarizer {
  summarize(article: Article, budget: SummaryBudget): Promise<string>;
}

/**
 * Extractive, offline, deterministic: scores sentences (position prior, centrality, headline overlap)
 * and picks whole sentences that fit. No network, a millisecond or so per article.
 */
export class OfflineSummarizer implements Summarizer {
  summarize(article: Article, budget: SummaryBudget): Promise<string> {
    return Promise.resolve(this.summarizeSync(article, budget));
  }

  summarizeSync(article: Article, budget: SummaryBudget): string {
    return this.select(article, budget).text;
  }

  /** The selection with how it was made (sentences, clause, headline). */
  select(article: Article, budget: SummaryBudget): Selection {
    const analysis = analyseArticle(article);
    // LinkedIn and Facebook usually ask for the same budget: select once.
    let memo = this.memo.get(analysis);
    if (!memo) {
      memo = new Map();
      this.memo.set(analysis, memo);
    }
    const key = `${budget.unit}:${budget.maxLength}:${budget.maxChars ?? ''}:${budget.maxSentences ?? ''}`;
    let selection = memo.get(key);
    if (!selection) {
      selection = selectSummary(article, analysis, budget);
      memo.set(key, selection);
    }
    return selection;
  }

  private readonly memo = new WeakMap<Analysis, Map<string, Selection>>();
}

export const offlineSummarizer = new OfflineSummarizer();
