/**
 * Composing the three posts (X, Facebook, LinkedIn) of a ~1,000-word article, beside two baselines timed in
 * the same run: lead-3 (split sentences, take the first three, fill the templates, one parseTweet) and
 * twitter-text's parseTweet on the final tweet alone (the floor of any X composer). The article joins CNN/DM
 * corpus texts until ~1,000 words; each run composes a fresh copy, so nothing comes from the per-article
 * cache. Heap: the heap growth of one compose right after a forced GC (about the bytes it allocates).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { type Article, makeArticle } from '../../src/articles/article.js';
import { accountSchema } from '../../src/config/schema.js';
import { composePostsOffline } from '../../src/summaries/compose.js';
import { parseTweetText } from '../../src/summaries/length.js';
import { splitSentences } from '../../src/summaries/sentences.js';
import { fillTemplate } from '../../src/summaries/template.js';
import { median } from './proc.js';

const TARGET_WORDS = 1000;

function benchArticle(corpusRoot: string): Article {
  const pairs = readFileSync(join(corpusRoot, 'news-summ-cnndm/pairs.jsonl'), 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as { url: string; text: string });
  const paragraphs: string[] = [];
  let words = 0;
  for (const p of pairs) {
    if (words >= TARGET_WORDS) break;
    paragraphs.push(p.text);
    words += p.text.split(/\s+/).length;
  }
  return makeArticle({
    url: pairs[0]!.url,
    title: 'NASA scientist says evidence of alien life is close',
    text: paragraphs.join('\n\n'),
    source: 'bench',
  });
}

const accounts = (['twitter', 'facebook', 'linkedin'] as const).map((platform) =>
  accountSchema.parse({ id: `bench-${platform}`, platform, utm: { source: platform, medium: 'social' } }),
);
const config = {
  site: { name: 'Bench', url: 'https://example.com/' },
  templates: {},
  summaries: { engine: 'offline' as const },
};

/** The naive composer: first three sentences, templates filled, the tweet checked once. */
function composeLead3(article: Article): string[] {
  const lead = splitSentences(article.text)
    .slice(0, 3)
    .map((s) => s.text);
  const values = { headline: article.title, link: article.url, hashtags: '', site: 'Bench' };
  const tweet = fillTemplate('{summary}\n\n{link}', { ...values, summary: lead[0] ?? '' });
  parseTweetText(tweet);
  return [tweet, fillTemplate('{summary}', { ...values, summary: lead.join(' ') }), lead.join(' ')];
}

export interface Timing {
  ms: number;
  heap: number;
}

export interface ComposeResult {
  words: number;
  runs: number;
  crier: Timing;
  lead3: Timing;
  parseTweet: Timing;
}

export function benchCompose(corpusRoot: string, runs: number): ComposeResult {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  const warmup = Math.min(100, runs);
  const time = (fn: () => unknown): Timing => {
    const times: number[] = [];
    const heaps: number[] = [];
    for (let i = 0; i < warmup; i++) fn();
    for (let i = 0; i < runs; i++) {
      const t0 = performance.now();
      fn();
      times.push(performance.now() - t0);
    }
    // Heap: a separate pass (forced GCs would disturb the timings).
    for (let i = 0; i < Math.min(runs, 100); i++) {
      gc();
      const h0 = process.memoryUsage().heapUsed;
      const keep = fn();
      heaps.push(process.memoryUsage().heapUsed - h0);
      if (keep === undefined) throw new Error('unreachable');
    }
    return { ms: median(times), heap: median(heaps) };
  };
  const article = benchArticle(corpusRoot);
  const tweet = composePostsOffline({ ...article }, accounts, config).find(
    (p) => p.platform === 'twitter',
  )!.text;
  return {
    words: article.text.split(/\s+/).length,
    runs,
    crier: time(() => composePostsOffline({ ...article }, accounts, config)),
    lead3: time(() => composeLead3({ ...article })),
    parseTweet: time(() => parseTweetText(tweet)),
  };
}
