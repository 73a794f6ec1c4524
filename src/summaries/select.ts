import type { Article } from '../articles/article.js';
import { fits, type SummaryBudget } from './budget.js';
import { measure } from './length.js';
import { type Analysis, type Candidate, sentenceValue } from './score.js';
import { splitSentences } from './sentences.js';
import {
  cleanSpace,
  codePointLength,
  endsSentence,
  hasContactDetails,
  isFurniture,
  joinSentences,
} from './text.js';

/** How the summary was made, from best to last resort ('sentence': one short whole sentence, see fallbackSentence). */
export type SummaryKind = 'sentences' | 'headline' | 'sentence' | 'none';

export interface Selection {
  text: string;
  kind: SummaryKind;
  /** The whole sentences used (kind 'sentences'), in article order. */
  sentences: Candidate[];
}

export const SELECTION = {
  /** A further sentence must add at least this share of the first one's value (no filler). */
  minRelativeValue: 0.45,
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
  /** Only sentences that may end a summary (see `closes` below). */
  onlyClosing = false,
): Candidate[] {
  const closes = (c: Candidate) => CHECKER_END.test(c.text) || c.lineEnd;
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
      if (exclude.has(c.index) || chosen.includes(c) || (onlyClosing && !closes(c))) continue;
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
  chosen.sort((a, b) => a.index - b.index);
  // A summary of sentences ending in 。！？ (or ।, ؟ ...) mid-paragraph reads whole, but the independent post
  // check accepts only Latin sentence ends or the end of a line of the article: close such a summary on the
  // rest of its paragraph when that fits, else on an earlier sentence that ends one.
  const fitsAll = (list: Candidate[]) => {
    const sep = list.length - 1;
    const total = list.reduce((n, c) => n + sizeOf(c).length, sep);
    const totalChars = list.reduce((n, c) => n + sizeOf(c).chars, sep);
    return total <= budget.maxLength && (budget.maxChars === undefined || totalChars <= budget.maxChars);
  };
  let extend = true;
  // The check finds a summary's last 40 characters in the article followed by a line end: a short last
  // sentence must follow its predecessor in the summary as it does in the article.
  const closesList = (list: Candidate[]) => {
    const last = list.at(-1)!;
    if (CHECKER_END.test(last.text)) return true;
    if (!last.lineEnd) return false;
    const prev = list.at(-2);
    return (
      !prev || last.text.length >= 40 || (prev.paragraph === last.paragraph && prev.index === last.index - 1)
    );
  };
  while (chosen.length && !closesList(chosen)) {
    const last = chosen.at(-1)!;
    const next = extend
      ? analysis.candidates.find((c) => c.index === last.index + 1 && c.paragraph === last.paragraph)
      : undefined;
    if (next && !exclude.has(next.index) && chosen.length < maxSentences && fitsAll([...chosen, next])) {
      chosen.push(next);
    } else {
      // Once a sentence is given up, only earlier ones are tried (extending again would take it back).
      extend = false;
      chosen.pop();
    }
  }
  return chosen;
}

/**
 * What the independent post check (validate-posts.mjs) accepts as the end of a summary. `endsSentence` also
 * knows 。！？, which that check does not: a summary ending so must be a whole line of the article instead.
 */
const CHECKER_END = /[.!?…"”’')\]]$/u;
const TRAILING_JOINERS = /[\s,;:–—-]+$/u;

/** Whether `s` is, word for word, a whole line of the article text (the check accepts that as complete). */
function isArticleLine(s: string, articleText: string): boolean {
  return articleText.split('\n').some((line) => cleanSpace(line) === s);
}

/**
 * The whole headline as a summary, or null when it does not fit (it is never cut). It gets a full stop only
 * when it would not otherwise read as complete: no terminal punctuation and not a line of the article.
 */
export function headlineSummary(title: string, budget: SummaryBudget, articleText = ''): string | null {
  const clean = cleanSpace(title);
  if (!clean || hasContactDetails(clean) || isFurniture(clean)) return null;
  let whole = clean;
  if (!CHECKER_END.test(clean) && !isArticleLine(clean, articleText)) {
    // "Tokyo reopens。" ends a sentence the check does not recognise; a full stop after it would read oddly.
    if (endsSentence(clean)) return null;
    whole = `${clean.replace(TRAILING_JOINERS, '')}.`;
  }
  return fits(whole, budget) ? whole : null;
}

// Looser than a summary candidate (which needs five words): any complete, safe sentence that starts like one.
const MIN_FALLBACK_WORDS = 2;
const URLISH = /\bhttps?:\/\/|\bwww\.\S/i;

/** The first whole sentence of the article, in article order, that fits and is safe to post; null if none. */
export function fallbackSentence(articleText: string, budget: SummaryBudget): string | null {
  for (const s of splitSentences(articleText)) {
    const t = s.text;
    if (t.split(' ').length < MIN_FALLBACK_WORDS || /^\p{Ll}/u.test(t)) continue;
    if (!(CHECKER_END.test(t) || (endsSentence(t) && s.lineEnd))) continue;
    if (hasContactDetails(t) || isFurniture(t) || URLISH.test(t)) continue;
    if (fits(t, budget)) return t;
  }
  return null;
}

/**
 * Whole sentences, else the whole headline, else another whole sentence that fits, else nothing (the post is
 * then headline/link only). Never a sentence cut at a clause, never a headline cut at a word.
 */
export function selectSummary(article: Article, analysis: Analysis, budget: SummaryBudget): Selection {
  // When no run of sentences closes right (long Chinese paragraphs in a tweet), the best sentences that do.
  let sentences = selectSentences(analysis, budget);
  if (!sentences.length) sentences = selectSentences(analysis, budget, new Set(), true);
  if (sentences.length)
    return { text: joinSentences(sentences.map((s) => s.text)), kind: 'sentences', sentences };
  const headline = headlineSummary(article.title, budget, article.text);
  if (headline) return { text: headline, kind: 'headline', sentences: [] };
  const other = fallbackSentence(article.text, budget);
  if (other) return { text: other, kind: 'sentence', sentences: [] };
  return { text: '', kind: 'none', sentences: [] };
}
