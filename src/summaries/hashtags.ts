import type { Article } from '../articles/article.js';
import { analyseArticle } from './score.js';
import { twitterText } from './twitter-text.js';

/**
 * Hashtags come from the article's own tags first, then from named entities found in the text.
 *
 * Entities are found with a small proper-noun heuristic (runs of capitalised words that are not just
 * sentence openers, honorifics stripped) rather than `compromise`, which costs about 2 ms per sentence:
 * more than the whole compose budget for three posts.
 */

const MAX_TAG_CHARS = 30;

// Capitalised words that are not names: sentence openers, honorifics and calendar words.
const NOT_NAMES = new Set(
  `a an the this that these those it its he she they we i you his her their our my your in on at by for from to of
and but or so if as after before when while with without about into over under during since until once then there
here what who why how where which yes no not however meanwhile mr mrs ms dr sir dame lord lady prof president prime minister chancellor
general gen secretary chief head king queen prince princess pope senator sen rep governor gov mayor judge justice
captain capt officer sgt col lt det insp supt st saint monday tuesday wednesday thursday friday saturday sunday january
february march april may june july august september october november december`.split(/\s+/),
);

const CAPITALISED = /^\p{Lu}[\p{L}\p{M}\p{N}'’-]*$/u;
const EDGE_PUNCT = /^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu;

// A symbol inside a word is part of the name ("C++", "C#", "AT&T", "E*Trade"): without it the tag names
// something else (#C), so such a phrase gets no tag. Between words ("Science & Tech") a symbol only separates.
const NAME_SYMBOL = /[^\p{L}\p{M}\p{N}\s'’ʼ.,:;!?()[\]{}"“”«»\-–—/]/u;
const APOSTROPHES = /['’ʼ]/gu;

/** `#CamelCase` from a phrase: letters and digits only (LinkedIn treats "_" as markup), or null. */
export function toHashtag(phrase: string): string | null {
  const parts: string[] = [];
  for (const token of phrase.normalize('NFC').split(/\s+/u)) {
    if (!/[\p{L}\p{N}]/u.test(token)) continue;
    if (NAME_SYMBOL.test(token)) return null;
    // Apostrophes go without splitting the word: "Angie's" gives "Angies", "O'Neill" "ONeill", never "AngieS".
    parts.push(...token.replace(APOSTROPHES, '').split(/[^\p{L}\p{M}\p{N}]+/u));
  }
  const body = parts
    .filter(Boolean)
    .map((w) => w[0]!.toUpperCase() + w.slice(1))
    .join('');
  if (!body || body.length > MAX_TAG_CHARS || /^\p{N}+$/u.test(body)) return null;
  const tag = `#${body}`;
  return twitterText().isValidHashtag(tag) ? tag : null;
}

/**
 * Proper-noun phrases of one sentence (at most three words each). Honorifics and other capitalised
 * non-names end a phrase ("French President Emmanuel Macron" gives "Emmanuel Macron"). A lone capitalised
 * first word is skipped: it is capitalised because it opens the sentence ("However", "Officials").
 */
function properNouns(sentence: string): string[] {
  const out: string[] = [];
  let run: string[] = [];
  let runStart = -1;
  const flush = () => {
    if (run.length && run.length <= 3 && !(runStart === 0 && run.length === 1)) out.push(run.join(' '));
    run = [];
  };
  // The tokens of `sentence.split(' ')`, the i-th from `start` to `end`, taken out only when they may be names.
  let start = 0;
  for (let i = 0; start <= sentence.length; i++, start += 1) {
    let end = sentence.indexOf(' ', start);
    if (end < 0) end = sentence.length;
    // Fast path: most words start with a lower-case ASCII letter.
    const c = sentence.charCodeAt(start);
    const at = start;
    start = end;
    if (c >= 0x61 && c <= 0x7a) {
      flush();
      continue;
    }
    const token = sentence.slice(at, end);
    // "C++" or "AT&T" would come out as "C" or "AT": not a name to tag.
    if (NAME_SYMBOL.test(token)) {
      flush();
      continue;
    }
    const bare = token.replace(EDGE_PUNCT, '');
    // "Britain's Labour Party": a possessive ends the name it belongs to.
    const word = bare.replace(/['’]s$/u, '');
    // "I'll" and "Don't" are contractions, "O'Donnell" is a name.
    if (!word || !CAPITALISED.test(word) || /['’]\p{Ll}/u.test(word) || NOT_NAMES.has(word.toLowerCase())) {
      flush();
      continue;
    }
    if (!run.length) runStart = i;
    run.push(word);
    // A comma, full stop or closing quote after the word ends the name, as does a possessive.
    if ((bare.length !== token.length && /[^\p{L}\p{N}]$/u.test(token)) || word !== bare) flush();
  }
  flush();
  return out;
}

/** Whether one phrase's words contain the other's ("Emmanuel Macron" and "Macron" name one entity). */
function sameEntity(a: string, b: string): boolean {
  const wa = a.split(' ');
  const wb = b.split(' ');
  const [short, long] = wa.length <= wb.length ? [wa, wb] : [wb, wa];
  return short.every((w) => long.includes(w));
}

/**
 * Last words that name a kind of body rather than the body itself: "European Commission" later called
 * "the Commission" is one entity whose tag is #EuropeanCommission; #Commission alone would say nothing.
 */
const GENERIC_HEADS = new Set(
  `agency alliance assembly association authority bank board bureau church college commission committee company
corporation council court department federation foundation fund government group institute league ministry
museum office organisation organization parliament party police school senate service society union
university`.split(/\s+/),
);

const isGenericHead = (word: string) => GENERIC_HEADS.has(word.toLowerCase());

/**
 * A word set in capitals for emphasis ("clients MUST reply") is not a name when the text also uses it in
 * lower case; an acronym ("NATO", "US") is, whatever else the text says ("us" is too short to tell).
 */
function shoutedWords(article: Article): (phrase: string) => boolean {
  let lower: Set<string> | undefined;
  return (phrase) => {
    if (phrase.length < 4 || !/^\p{Lu}+$/u.test(phrase)) return false;
    lower ??= new Set(article.text.match(/(?<![\p{L}\p{N}])\p{Ll}+(?![\p{L}\p{N}])/gu));
    return lower.has(phrase.toLowerCase());
  };
}

/** Sentences scanned for entities: the ones a news article leads with are the ones a post is about. */
const SCAN_SENTENCES = 40;

/**
 * Named entities of the article, most mentioned first. A full name also counts as a mention of its last
 * word, so "Emmanuel Macron … Macron … Macron" ranks "Macron"; headline mentions count twice more. A generic
 * last word works the other way round: "European Commission … the Commission" ranks "European Commission".
 */
export function namedEntities(article: Article, limit = 5): string[] {
  const counts = new Map<string, { n: number; first: number }>();
  const shouted = shoutedWords(article);
  const count = (p: string, i: number) => {
    if (shouted(p)) return;
    const hit = counts.get(p);
    if (hit) hit.n += 1;
    else counts.set(p, { n: 1, first: i });
  };
  analyseArticle(article)
    .candidates.slice(0, SCAN_SENTENCES)
    .forEach((c, i) => {
      for (const p of properNouns(c.text)) {
        count(p, i);
        const last = p.lastIndexOf(' ');
        if (last > 0 && !isGenericHead(p.slice(last + 1))) count(p.slice(last + 1), i);
      }
    });
  // A lone generic word ("the Commission") is a mention of the most mentioned full name ending in it.
  for (const [p, v] of [...counts]) {
    if (p.includes(' ') || !isGenericHead(p)) continue;
    counts.delete(p);
    const full = [...counts]
      .filter(([q]) => q.endsWith(` ${p}`))
      .sort((a, b) => b[1].n - a[1].n || a[1].first - b[1].first)[0];
    if (full) full[1].n += v.n;
  }
  const title = ` ${article.title} `;
  const ranked = [...counts.entries()]
    .map(([p, v]) => ({ p, first: v.first, n: v.n + (title.includes(` ${p} `) ? 2 : 0) }))
    .filter((e) => e.n >= 2)
    .sort((a, b) => b.n - a.n || a.first - b.first);
  const out: string[] = [];
  for (const { p } of ranked) {
    if (out.length >= limit) break;
    if (!out.some((q) => sameEntity(p, q))) out.push(p);
  }
  return out;
}

/** Candidate hashtags, best first, deduplicated case-insensitively: article tags, then entities. */
export function hashtagCandidates(article: Article, limit = 6): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const phrase of [...article.tags, ...namedEntities(article)]) {
    const tag = toHashtag(phrase);
    if (!tag || seen.has(tag.toLowerCase())) continue;
    seen.add(tag.toLowerCase());
    out.push(tag);
    if (out.length >= limit) break;
  }
  return out;
}
