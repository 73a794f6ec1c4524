import type { Article } from '../articles/article.js';
import { fits, type SummaryBudget } from './budget.js';
import { measure } from './length.js';
import { type Analysis, type Candidate, sentenceValue } from './score.js';
import { openQuotes } from './sentences.js';
import {
  cleanSpace,
  codePointLength,
  cutAtWord,
  endsSentence,
  hasContactDetails,
  isFurniture,
} from './text.js';

/** How the summary was made, from best to last resort. */
export type SummaryKind = 'sentences' | 'clause' | 'headline' | 'none';

export interface Selection {
  text: string;
  kind: SummaryKind;
  /** The whole sentences used (kind 'sentences'), in article order. */
  sentences: Candidate[];
}

export const SELECTION = {
  /** A further sentence must add at least this share of the first one's value (no filler). */
  minRelativeValue: 0.3,
  /** Clause shortening keeps at least this many words. */
  minClauseWords: 5,
};

/**
 * Greedy budgeted coverage (Lin & Bilmes 2010 style): repeatedly take the sentence that adds the most
 * important terms per word among those that still fit, until the budget, `maxSentences`, or the
 * diminishing-returns threshold stops it. The first pick is therefore the best sentence that fits.
 * Lengths are added per sentence (one space between), which matches twitter-text for whole sentences;
 * composers verify the final text anyway. Returns sentences in article order.
 */
export function selectSentences(
  analysis: Analysis,
  budget: SummaryBudget,
  exclude: ReadonlySet<number> = new Set(),
): Candidate[] {
  const chosen: Candidate[] = [];
  const covered = new Set<string>();
  const maxSentences = budget.maxSentences ?? Number.POSITIVE_INFINITY;
  const sizes = new Map<Candidate, { length: number; chars: number }>();
  const sizeOf = (c: Candidate) => {
    let v = sizes.get(c);
    if (!v) {
      v = { length: measure(c.text, budget.unit), chars: codePointLength(c.text) };
      sizes.set(c, v);
    }
    return v;
  };
  let length = 0;
  let chars = 0;
  let firstValue = 0;
  while (chosen.length < maxSentences) {
    const sep = chosen.length ? 1 : 0;
    let best: Candidate | undefined;
    let bestValue = 0;
    for (const c of analysis.candidates) {
      if (exclude.has(c.index) || chosen.includes(c)) continue;
      // Cheap bound first: a sentence with no new terms, or worth less than the best so far, needs no measuring.
      const value = sentenceValue(c, analysis.termWeights, covered);
      if (value <= bestValue) continue;
      const size = sizeOf(c);
      if (length + sep + size.length > budget.maxLength) continue;
      if (budget.maxChars !== undefined && chars + sep + size.chars > budget.maxChars) continue;
      best = c;
      bestValue = value;
    }
    if (!best) break;
    if (chosen.length === 0) firstValue = bestValue;
    else if (bestValue < firstValue * SELECTION.minRelativeValue) break;
    chosen.push(best);
    for (const t of best.stems) covered.add(t);
    const size = sizeOf(best);
    length += sep + size.length;
    chars += sep + size.chars;
  }
  return chosen.sort((a, b) => a.index - b.index);
}

const CLAUSE_END = /[,;:](?=\s)|\s[–—]\s|\s--\s/gu;

/** The longest clause-boundary prefix of `sentence` that fits, ending in "…"; null when none does. */
export function shortenAtClause(sentence: string, budget: SummaryBudget): string | null {
  const cuts = Array.from(sentence.matchAll(CLAUSE_END), (m) => m.index).reverse();
  for (const at of cuts) {
    const head = sentence.slice(0, at).replace(/[\s,;:–—-]+$/u, '');
    if (head.split(' ').length < SELECTION.minClauseWords || openQuotes(head) > 0) continue;
    const text = `${head}…`;
    if (fits(text, budget)) return text;
  }
  return null;
}

/** The headline as a sentence: with a full stop when it has no terminal punctuation, cut at a word if need be. */
export function headlineSummary(title: string, budget: SummaryBudget): string | null {
  const clean = cleanSpace(title);
  if (!clean || hasContactDetails(clean) || isFurniture(clean)) return null;
  const whole = endsSentence(clean) ? clean : `${clean.replace(/[\s,;:–—-]+$/u, '')}.`;
  if (fits(whole, budget)) return whole;
  // Cut word by word until it fits with the ellipsis.
  let max = codePointLength(clean) - 1;
  while (max > 0) {
    const head = cutAtWord(clean, max).replace(/[\s,;:–—-]+$/u, '');
    if (!head) return null;
    const text = `${head}…`;
    if (fits(text, budget)) return text;
    max = codePointLength(head) - 1;
  }
  return null;
}

/** Whole sentences, else a sentence cut at a clause boundary, else the headline; never a cut word. */
export function selectSummary(article: Article, analysis: Analysis, budget: SummaryBudget): Selection {
  const sentences = selectSentences(analysis, budget);
  if (sentences.length) return { text: sentences.map((s) => s.text).join(' '), kind: 'sentences', sentences };
  for (const c of analysis.ranked.slice(0, 5)) {
    const text = shortenAtClause(c.text, budget);
    if (text) return { text, kind: 'clause', sentences: [] };
  }
  const headline = headlineSummary(article.title, budget);
  if (headline) return { text: headline, kind: 'headline', sentences: [] };
  return { text: '', kind: 'none', sentences: [] };
}
