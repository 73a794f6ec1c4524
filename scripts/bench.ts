/**
 * `npm run bench`: cost of composing the three posts (X, Facebook, LinkedIn) of a ~1,000-word article.
 *
 * The article is built from CNN/DM corpus text (whole articles joined until ~1,000 words). Every run gets a
 * fresh copy of the article object, so nothing is served from the per-article analysis cache. Reported:
 * the median over many runs after a warm-up, beside two baselines measured in the same run:
 * - lead-3: the naive composer (split sentences, take the first three, fill the templates, one parseTweet);
 * - parseTweet: twitter-text's cost on the final tweet alone (the floor of any X composer).
 * Memory: the heap delta of one compose, taken right after a forced GC (so it approximates the bytes one
 * compose allocates), median over many runs, beside the same for lead-3.
 * Usage: npm run bench [-- runs]   (target: median < 5 ms)
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { type Article, makeArticle } from '../src/articles/article.js';
import { accountSchema } from '../src/config/schema.js';
import { composePostsOffline } from '../src/summaries/compose.js';
import { parseTweetText } from '../src/summaries/length.js';
import { splitSentences } from '../src/summaries/sentences.js';
import { fillTemplate } from '../src/summaries/template.js';

const RUNS = Number(process.argv[2] ?? 400);
const WARMUP = 100;
const TARGET_WORDS = 1000;

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

function benchArticle(): Article {
  const file = resolve(process.cwd(), '../shared/corpus/news-summ-cnndm/pairs.jsonl');
  const pairs = readFileSync(file, 'utf8')
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

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

function time(fn: () => unknown): { ms: number; heap: number } {
  const times: number[] = [];
  const heaps: number[] = [];
  for (let i = 0; i < WARMUP; i++) fn();
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    fn();
    times.push(performance.now() - t0);
  }
  // Heap: a separate pass (forced GCs would disturb the timings).
  for (let i = 0; i < Math.min(RUNS, 200); i++) {
    gc();
    const h0 = process.memoryUsage().heapUsed;
    const keep = fn();
    heaps.push(process.memoryUsage().heapUsed - h0);
    if (keep === undefined) throw new Error('unreachable');
  }
  return { ms: median(times), heap: median(heaps) };
}

const article = benchArticle();
const wordCount = article.text.split(/\s+/).length;
const posts = composePostsOffline({ ...article }, accounts, config);
const tweet = posts.find((p) => p.platform === 'twitter')!.text;

const crier = time(() => composePostsOffline({ ...article }, accounts, config));
const lead3 = time(() => composeLead3({ ...article }));
const parse = time(() => parseTweetText(tweet));

const kb = (b: number) => `${(b / 1024).toFixed(1)} KiB`;
const rows: Array<[string, string, string, string, string]> = [
  ['what', 'median ms', 'x lead-3', 'x parseTweet', 'heap delta'],
  [
    'compose 3 posts (Crier)',
    crier.ms.toFixed(3),
    (crier.ms / lead3.ms).toFixed(1),
    (crier.ms / parse.ms).toFixed(0),
    kb(crier.heap),
  ],
  [
    'lead-3 composition (baseline)',
    lead3.ms.toFixed(3),
    '1.0',
    (lead3.ms / parse.ms).toFixed(0),
    kb(lead3.heap),
  ],
  ['parseTweet on final tweet', parse.ms.toFixed(3), (parse.ms / lead3.ms).toFixed(2), '1', kb(parse.heap)],
];
const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
console.log(
  `article: ${wordCount} words, ${article.text.length} chars; ${RUNS} runs after ${WARMUP} warm-up; Node ${process.version}`,
);
for (const r of rows) console.log(r.map((c, i) => c.padEnd(widths[i]!)).join('  '));
console.log(
  `heap: median of ${Math.min(RUNS, 200)} single runs after a forced GC (crier x lead-3: ${(crier.heap / lead3.heap).toFixed(1)})`,
);
console.log(`target median < 5 ms: ${crier.ms < 5 ? 'met' : 'MISSED'}`);
if (crier.ms >= 5) process.exitCode = 1;
