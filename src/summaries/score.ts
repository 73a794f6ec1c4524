import type { Article } from '../articles/article.js';
import { type Sentence, splitSentences } from './sentences.js';
import { endsSentence, hasContactDetails, isFurniture } from './text.js';
import { contentStems, hasCjk, words } from './words.js';

/** A sentence that may appear in a post. */
export interface Candidate extends Sentence {
  /** Unique content stems. */
  stems: Set<string>;
  wordCount: number;
  /** How well the sentence stands alone: 1 = fine, less for captions run into the text or dangling openers. */
  quality: number;
  /** Value of the sentence on its own (see `sentenceValue`); `ranked` is sorted by it. */
  score: number;
}

export interface Analysis {
  /** Usable sentences in article order. */
  candidates: Candidate[];
  /** The same, best first. */
  ranked: Candidate[];
  /** Importance of each content stem: its occurrences, earlier ones weighing more, headline stems more still. */
  termWeights: Map<string, number>;
}

/**
 * The model: a sentence is worth the important terms it adds, per word. A term's weight sums its
 * occurrences, each discounted by how late in the article it appears (news puts the essentials first) and
 * boosted when the headline uses it. Chosen on the visible CNN/DM and XSum sets (`npm run eval`), where it
 * beat both a plain position prior and position + centroid centrality at equal length.
 */
export const WEIGHTS = {
  /** An occurrence in the n-th usable sentence counts 0.5^(n / termHalfLife). */
  termHalfLife: 4,
  /** Headline terms count (1 + termTitle) times. */
  termTitle: 1,
  /** Value per word^lengthExp: below 1 favours full sentences over short fragments, 1 would be pure density. */
  lengthExp: 0.65,
  /** Quality multipliers: an over-long sentence (often a caption run into the text), one that leans on the one before. */
  long: 0.7,
  dangling: 0.85,
};

const MIN_WORDS = 5;
const LONG_WORDS = 55;
// Sentence ends of every script: CJK 。！？, danda, Arabic ؟ ... (see SENTENCE_END_MARKS).
const OTHER_SCRIPT_END = /[。！？｡।॥؟۔։።፧။།][」』）】"”’')\]]*$/u;
const CHECKER_END = /[.!?…"”’')\]]$/u;
const URLISH = /\bhttps?:\/\/|\bwww\.\S/i;
// Leader dots of a table of contents ("Bearer tokens.........9"): an index, not prose.
const LEADERS = /\.{4,}|…{2,}/u;
// A sentence that opens like this leans on the one before and reads badly alone.
const DANGLING =
  /^(?:but|and|or|so|however|also|yet|still|this|that|these|those|it|he|she|they|his|her|their|its)\b/i;

/** Whether a sentence can stand in a post at all: complete, no contact details, no page furniture. */
export function isUsable(s: Sentence, wordCount: number): boolean {
  const t = s.text;
  if (wordCount < MIN_WORDS || !endsSentence(t)) return false;
  // A fragment left by a broken split ("he said.") starts in lower case.
  if (/^\p{Ll}/u.test(t)) return false;
  // "。" or "」" end a sentence too, but validate-posts.mjs (the independent check of our output) accepts only
  // . ! ? … and closing quotes/brackets, or a summary that ends where an article line ends: keep sentences
  // with other endings to the ones that end their line.
  // Sentences of other scripts end with their own marks wherever they are (a Chinese article is made of
  // them: keeping only line ends summarised it by its headline).
  if (!CHECKER_END.test(t) && !s.lineEnd && !OTHER_SCRIPT_END.test(t)) return false;
  return !hasContactDetails(t) && !isFurniture(t) && !URLISH.test(t) && !LEADERS.test(t);
}

/** What `c` adds beyond the terms already `covered`, per word. */
export function sentenceValue(c: Candidate, termWeights: Map<string, number>, covered?: Set<string>): number {
  let gain = 0;
  for (const t of c.stems) if (!covered?.has(t)) gain += termWeights.get(t) ?? 0;
  return (c.quality * gain) / c.wordCount ** WEIGHTS.lengthExp;
}

function analyse(article: Article): Analysis {
  const titleStems = new Set(contentStems(article.title));
  const candidates: Candidate[] = [];
  for (const s of splitSentences(article.text)) {
    const ws = words(s.text);
    const wordCount = ws.length;
    if (!isUsable(s, wordCount)) continue;
    let quality = 1;
    if (wordCount > LONG_WORDS) quality *= WEIGHTS.long;
    if (DANGLING.test(s.text)) quality *= WEIGHTS.dangling;
    // The words just split serve the stems too, except in Chinese or Japanese (cut into dictionary words).
    const stems = new Set(contentStems(hasCjk(s.text) ? s.text : ws));
    // Named fields, not `...s`: spreading into a literal with more fields was the costliest line of composing.
    const { text, paragraph, index, lineEnd } = s;
    candidates.push({ text, paragraph, index, lineEnd, stems, wordCount, quality, score: 0 });
  }

  const termWeights = new Map<string, number>();
  candidates.forEach((c, rank) => {
    const w = 0.5 ** (rank / WEIGHTS.termHalfLife);
    for (const t of c.stems) termWeights.set(t, (termWeights.get(t) ?? 0) + w);
  });
  for (const t of titleStems) {
    const w = termWeights.get(t);
    if (w !== undefined) termWeights.set(t, w * (1 + WEIGHTS.termTitle));
  }
  for (const c of candidates) c.score = sentenceValue(c, termWeights);
  const ranked = [...candidates].sort((a, b) => b.score - a.score || a.index - b.index);
  return { candidates, ranked, termWeights };
}

// Composing three posts analyses the same article three times: keep the result per article object.
const cache = new WeakMap<Article, { text: string; title: string; analysis: Analysis }>();

export function analyseArticle(article: Article): Analysis {
  const hit = cache.get(article);
  if (hit && hit.text === article.text && hit.title === article.title) return hit.analysis;
  const analysis = analyse(article);
  cache.set(article, { text: article.text, title: article.title, analysis });
  return analysis;
}
