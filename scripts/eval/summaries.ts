/**
 * Summary quality and post validity over the shared corpora.
 *
 * ROUGE (see ./rouge.ts) of the summaries Crier actually posts on LinkedIn and on X, each beside lead-1 and
 * lead-3 baselines cut to the same number of words per article, in the same run, on both sets
 * (news-summ-cnndm: editor highlights; news-summ-xsum: the journalist's one-sentence summary). Targets:
 * - cnndm × LinkedIn (the "long summary") reaches lead-3 on ROUGE-1 and ROUGE-L;
 * - xsum × X (the tweet) reaches lead-1 on ROUGE-1 and ROUGE-L.
 * lead-k = the first k sentences that end with terminal punctuation and are not page furniture (the same
 * filter the summarizer applies), so the comparison is about which sentences are chosen, not about
 * furniture such as XSum's "Share this with / Email / Facebook" lines, which would make a raw lead look
 * worse than it is. CNN/DM has no headlines: the URL slug stands in for one (a slug is the headline's words).
 *
 * Validity: every article (both pair sets, and the HTML pages of the XSum, Readability and Zyte sets read
 * with the intake's `articleFromHtml`) is composed for one X, one Facebook and one LinkedIn account, and the
 * preview is checked with `checkArticle` from ../shared/check/validate-posts.mjs.
 *
 * Run alone: `npx tsx scripts/eval/summaries.ts [corpusRoot]`.
 */

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { gunzipSync } from 'node:zlib';
import { type Article, makeArticle } from '../../src/articles/article.js';
import { articleFromHtml } from '../../src/articles/html.js';
import { type AccountConfig, accountSchema } from '../../src/config/schema.js';
import type { PlatformName } from '../../src/core/platform.js';
import type { Post } from '../../src/core/post.js';
import { PLATFORMS } from '../../src/platforms/registry.js';
import { type ComposeConfig, composePostsOffline } from '../../src/summaries/compose.js';
import { type PreviewRecord, previewRecord } from '../../src/summaries/preview.js';
import { analyseArticle } from '../../src/summaries/score.js';
import { corpusRootOrExit } from './corpus.js';
import { everyNth } from './extraction.js';
import { type RougeScores, rouge, tokenize } from './rouge.js';

export interface RougeRow {
  corpus: string;
  /** Which post's summary is compared. */
  post: PlatformName;
  articles: number;
  /** Mean words (ROUGE tokens) of our summaries; the baselines are cut to the same count per article. */
  words: number;
  ours: RougeScores;
  lead1: RougeScores;
  lead3: RougeScores;
  /** The baseline this row must reach on ROUGE-1 and ROUGE-L; none for rows shown for comparison only. */
  target?: 'lead1' | 'lead3';
}

/** The posts compared on every set, and which (set, post) pairs carry a target. */
export const ROUGE_POSTS: PlatformName[] = ['linkedin', 'twitter'];
const ROUGE_TARGETS: Record<string, Partial<Record<PlatformName, 'lead1' | 'lead3'>>> = {
  cnndm: { linkedin: 'lead3' },
  xsum: { twitter: 'lead1' },
};

export interface ValidityRow {
  platform: PlatformName;
  posts: number;
  valid: number;
}

export interface SummaryEval {
  rouge: RougeRow[];
  validity: ValidityRow[];
  /** Articles composed for the validity check, per source set. */
  sets: Array<{ name: string; articles: number }>;
  /** First few articles with an invalid post, with the checker's messages. */
  failures: Array<{ title: string; errors: string[] }>;
  /** The checker used: the corpus's validate-posts.mjs, else the tests' rules. */
  checker: string;
}

interface Pair {
  id: string;
  title: string | null;
  url: string;
  text: string;
  summary: string;
  html_file?: string;
}

type CheckArticle = (a: unknown) => string[];

export const EVAL_ACCOUNTS: AccountConfig[] = (['twitter', 'facebook', 'linkedin'] as const).map((platform) =>
  accountSchema.parse({ id: `eval-${platform}`, platform }),
);

export const EVAL_CONFIG: ComposeConfig = {
  site: { name: 'Crier eval', url: 'https://example.com/' },
  templates: {},
  summaries: { engine: 'offline' },
};

function readPairs(file: string): Pair[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as Pair);
}

/** "…/article-3035142/Secret-memo-Congress-says.html" → "Secret memo Congress says". */
export function slugTitle(url: string): string {
  const parts = new URL(url).pathname.split('/').filter((p) => p && p !== 'index.html');
  return (parts.at(-1) ?? '')
    .replace(/\.html?$/, '')
    .replace(/[-_]+/g, ' ')
    .trim();
}

function pairArticle(p: Pair): Article {
  return makeArticle({ url: p.url, title: p.title ?? slugTitle(p.url), text: p.text, source: p.id });
}

const ZERO: RougeScores = { rouge1: 0, rouge2: 0, rougeL: 0 };
const add = (a: RougeScores, b: RougeScores): RougeScores => ({
  rouge1: a.rouge1 + b.rouge1,
  rouge2: a.rouge2 + b.rouge2,
  rougeL: a.rougeL + b.rougeL,
});
const mean = (a: RougeScores, n: number): RougeScores => ({
  rouge1: a.rouge1 / n,
  rouge2: a.rouge2 / n,
  rougeL: a.rougeL / n,
});

function rougeRow(
  corpus: string,
  post: PlatformName,
  items: Array<{ pair: Pair; posts: Post[]; article: Article }>,
): RougeRow {
  let ours = ZERO;
  let lead1 = ZERO;
  let lead3 = ZERO;
  let words = 0;
  for (const { pair, posts, article } of items) {
    const summary = posts.find((p) => p.platform === post)?.summary ?? '';
    const mine = tokenize(summary);
    const lead = analyseArticle(article).candidates.map((c) => c.text);
    const leadTokens = (k: number) => tokenize(lead.slice(0, k).join(' ')).slice(0, mine.length);
    ours = add(ours, rouge(mine, pair.summary));
    lead1 = add(lead1, rouge(leadTokens(1), pair.summary));
    lead3 = add(lead3, rouge(leadTokens(3), pair.summary));
    words += mine.length;
  }
  const n = Math.max(1, items.length);
  return {
    corpus,
    post,
    articles: items.length,
    words: words / n,
    ours: mean(ours, n),
    lead1: mean(lead1, n),
    lead3: mean(lead3, n),
    ...(ROUGE_TARGETS[corpus]?.[post] ? { target: ROUGE_TARGETS[corpus][post] } : {}),
  };
}

/** An HTML page to read with the intake, compose and check (plain data: it is sent to a worker). */
interface PageJob {
  set: string;
  file: string;
  gzip: boolean;
  url: string;
}

function htmlPages(corpusRoot: string, xsum: Pair[], every: number): PageJob[] {
  const out: PageJob[] = [];
  const xsumDir = join(corpusRoot, 'news-summ-xsum');
  for (const p of everyNth(xsum, every)) {
    const file = p.html_file ? join(xsumDir, p.html_file) : '';
    if (file && existsSync(file)) out.push({ set: 'xsum html', file, gzip: true, url: p.url });
  }
  const rdir = join(corpusRoot, 'article-html-readability');
  if (existsSync(rdir)) {
    const dirs = readdirSync(rdir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name));
    for (const d of everyNth(dirs, every)) {
      const file = join(rdir, d.name, 'source.html');
      // Readability's tests use http://fakehost/…, which is no public link (twitter-text finds no URL in it).
      if (d.isDirectory() && existsSync(file))
        out.push({
          set: 'readability html',
          file,
          gzip: false,
          url: `https://example.com/readability/${d.name}`,
        });
    }
  }
  const zdir = join(corpusRoot, 'article-html-zyte');
  const truthFile = join(zdir, 'ground-truth.json');
  if (existsSync(truthFile)) {
    const truth = JSON.parse(readFileSync(truthFile, 'utf8')) as Record<string, { url?: string }>;
    const entries = Object.entries(truth).sort(([a], [b]) => a.localeCompare(b));
    for (const [id, t] of everyNth(entries, every)) {
      const file = join(zdir, 'html', `${id}.html.gz`);
      if (existsSync(file))
        out.push({ set: 'zyte html', file, gzip: true, url: t.url ?? 'https://example.com/' });
    }
  }
  return out;
}

interface PageResult {
  set: string;
  /** Null when the intake found no article in the page (nothing to post). */
  record: PreviewRecord | null;
}

/**
 * The independent post checker that sits beside the corpus (../shared/check/validate-posts.mjs when the
 * corpus is ../shared/corpus); without it, the same rules as the tests check (tests/helpers/check-posts.ts).
 */
export function checkerPath(corpusRoot: string): string | undefined {
  const file = join(dirname(resolve(corpusRoot)), 'check', 'validate-posts.mjs');
  return existsSync(file) ? file : undefined;
}

async function loadChecker(corpusRoot: string): Promise<CheckArticle> {
  const file = checkerPath(corpusRoot);
  if (file) return ((await import(pathToFileURL(file).href)) as { checkArticle: CheckArticle }).checkArticle;
  return (await import('../../tests/helpers/check-posts.js')).checkPosts as CheckArticle;
}

/** Reads and composes each page (in a worker thread); the main thread checks the previews. */
function composePages(jobs: PageJob[]): PageResult[] {
  return jobs.map((job) => {
    let article: Article;
    try {
      const raw = readFileSync(job.file);
      const html = (job.gzip ? gunzipSync(raw) : raw).toString('utf8');
      article = articleFromHtml(html, { url: job.url, source: job.file });
    } catch {
      return { set: job.set, record: null };
    }
    const posts = composePostsOffline(article, EVAL_ACCOUNTS, EVAL_CONFIG);
    return { set: job.set, record: previewRecord(article, posts) };
  });
}

const WORKER_ROLE = 'crier-eval-html-pages';

/**
 * Reading a page with jsdom + Readability costs ~0.2 s, so the pages are spread over worker threads.
 * Workers load this same file through tsx's register API (a .ts worker entry gets no loader hooks).
 */
function composePagesInWorkers(jobs: PageJob[]): Promise<PageResult[]> {
  if (!jobs.length) return Promise.resolve([]);
  const count = Math.max(1, Math.min(4, availableParallelism(), Math.ceil(jobs.length / 20)));
  const api = import.meta.resolve('tsx/esm/api');
  // A worker's argv[1] is "[worker eval]": the checker's "am I the main script?" test would stat it.
  const boot = `process.argv.length = 1; import(${JSON.stringify(api)}).then(({ register }) => { register(); return import(${JSON.stringify(import.meta.url)}); });`;
  const slices = Array.from({ length: count }, (_, i) => jobs.filter((_, j) => j % count === i));
  const results = Promise.all(
    slices.map(
      (slice) =>
        new Promise<PageResult[]>((done, fail) => {
          const w = new Worker(boot, { eval: true, workerData: { role: WORKER_ROLE, jobs: slice } });
          w.once('message', (m: PageResult[]) => {
            done(m);
            void w.terminate();
          });
          w.once('error', fail);
        }),
    ),
  );
  return results.then((r) => r.flat());
}

if (!isMainThread && (workerData as { role?: string } | null)?.role === WORKER_ROLE) {
  parentPort!.postMessage(composePages((workerData as { jobs: PageJob[] }).jobs));
}

/**
 * Runs the whole evaluation. The HTML pages go to worker threads first thing (synchronously), so a caller
 * that starts this and then runs other CPU work on the main thread (eval.ts: extraction F1) overlaps both.
 */
export interface EvalOptions {
  /**
   * Read, compose and check every n-th HTML page of each set (default 1: all). Reading a page costs ~0.2 s
   * of jsdom; the articles of pairs.jsonl (XSum's pages among them) are always all checked.
   */
  htmlEvery?: number;
}

export function evalSummaries(corpusRoot: string, opts: EvalOptions = {}): Promise<SummaryEval> {
  const pairSets: Array<{ dir: string; name: string; pairs: Pair[] }> = [
    { dir: 'news-summ-cnndm', name: 'cnndm', pairs: [] },
    { dir: 'news-summ-xsum', name: 'xsum', pairs: [] },
  ];
  for (const s of pairSets) {
    const file = join(corpusRoot, s.dir, 'pairs.jsonl');
    if (existsSync(file)) s.pairs = readPairs(file);
  }
  const pages = composePagesInWorkers(htmlPages(corpusRoot, pairSets[1]!.pairs, opts.htmlEvery ?? 1));
  return finish(corpusRoot, pairSets, pages);
}

async function finish(
  corpusRoot: string,
  pairSets: Array<{ name: string; pairs: Pair[] }>,
  pages: Promise<PageResult[]>,
): Promise<SummaryEval> {
  const checkArticle = await loadChecker(corpusRoot);
  const validity = new Map<PlatformName, ValidityRow>(
    PLATFORMS.map((p) => [p, { platform: p, posts: 0, valid: 0 }]),
  );
  const failures: SummaryEval['failures'] = [];
  const sets = new Map<string, number>();
  const record = (set: string, title: string, errors: string[]) => {
    sets.set(set, (sets.get(set) ?? 0) + 1);
    for (const platform of PLATFORMS) {
      const row = validity.get(platform)!;
      row.posts += 1;
      // The checker reports each problem as "<platform>: …" or "no <platform> post".
      const bad = errors.some((e) => e.startsWith(`${platform}:`) || e === `no ${platform} post`);
      if (!bad) row.valid += 1;
    }
    if (errors.length && failures.length < 10) failures.push({ title, errors });
  };

  const rougeRows: RougeRow[] = [];
  for (const { name, pairs } of pairSets) {
    if (!pairs.length) continue;
    const items = pairs.map((pair) => {
      const article = pairArticle(pair);
      const posts = composePostsOffline(article, EVAL_ACCOUNTS, EVAL_CONFIG);
      record(name, article.title, checkArticle(previewRecord(article, posts)));
      return { pair, article, posts };
    });
    for (const post of ROUGE_POSTS) rougeRows.push(rougeRow(name, post, items));
  }

  for (const page of await pages) {
    // A page in which the intake finds no article yields no posts: nothing to validate.
    if (page.record) record(page.set, page.record.article.title, checkArticle(page.record));
  }

  return {
    rouge: rougeRows,
    validity: [...validity.values()],
    sets: [...sets.entries()].map(([name, articles]) => ({ name, articles })),
    failures,
    checker: checkerPath(corpusRoot) ?? 'tests/helpers/check-posts.ts',
  };
}

if (isMainThread && process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const root = corpusRootOrExit(
    'scripts/eval/summaries.ts',
    args.find((a) => !a.startsWith('--')),
  );
  const r = await evalSummaries(root, { htmlEvery: args.includes('--quick') ? 4 : 1 });
  console.log(JSON.stringify({ ...r, failures: r.failures.slice(0, 5) }, null, 2));
}
