import type { Article } from '../articles/article.js';
import type { SummaryBudget } from './budget.js';
import { analyseArticle } from './score.js';
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
    return selectSummary(article, analyseArticle(article), budget);
  }
}

export const offlineSummarizer = new OfflineSummarizer();
