/**
 * Extraction quality of the HTML article reader against two public corpora:
 * - article-html-readability: Mozilla Readability's test pages, expected.html is the known main text;
 * - article-html-zyte: the Zyte article-extraction benchmark, ground-truth.json articleBody.
 *
 * Metric: token-level F1 of the extracted `text` against the expected text. Tokens are lower-cased
 * runs of letters/digits (Unicode \p{L}\p{N}); precision/recall come from the overlap of the two bags
 * of tokens (min of the counts per token), as in the Zyte benchmark's evaluate.py with n-grams of 1.
 * meanF1 averages the per-page F1; microF1 pools the token counts of all pages.
 *
 * Run alone: `npx tsx scripts/eval/extraction.ts [corpusRoot]` (default ../shared/corpus from the repo root).
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { articleFromHtml } from '../../src/articles/html.js';
import { htmlFragmentToText } from '../../src/articles/html-text.js';
import { corpusRootOrExit } from './corpus.js';

export interface PageScore {
  id: string;
  f1: number;
  precision: number;
  recall: number;
}

export interface CorpusScore {
  corpus: string;
  pages: number;
  meanF1: number;
  microF1: number;
  perPage: PageScore[];
}

interface Counts {
  tp: number;
  fp: number;
  fn: number;
}

export function tokens(text: string): string[] {
  return text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
}

function bag(ts: string[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const t of ts) m.set(t, (m.get(t) ?? 0) + 1);
  return m;
}

export function tokenCounts(expected: string, extracted: string): Counts {
  const want = bag(tokens(expected));
  const got = bag(tokens(extracted));
  let tp = 0;
  let fp = 0;
  let fn = 0;
  for (const k of new Set([...want.keys(), ...got.keys()])) {
    const w = want.get(k) ?? 0;
    const g = got.get(k) ?? 0;
    tp += Math.min(w, g);
    fp += Math.max(0, g - w);
    fn += Math.max(0, w - g);
  }
  return { tp, fp, fn };
}

/** Scores as in the Zyte evaluation: two empty texts agree perfectly; one empty text scores 0. */
export function scoreOf({ tp, fp, fn }: Counts): Omit<PageScore, 'id'> {
  if (fp === 0 && fn === 0) return { precision: 1, recall: 1, f1: 1 };
  const precision = tp + fp === 0 ? 0 : tp / (tp + fp);
  const recall = tp + fn === 0 ? 0 : tp / (tp + fn);
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { precision, recall, f1 };
}

function extract(html: string, url: string, id: string): string {
  try {
    return articleFromHtml(html, { url, source: id }).text;
  } catch {
    // An extraction that finds nothing scores as empty text.
    return '';
  }
}

function summarise(corpus: string, pages: Array<{ id: string; counts: Counts }>): CorpusScore {
  const perPage = pages.map(({ id, counts }) => ({ id, ...scoreOf(counts) }));
  const total = pages.reduce((a, { counts: c }) => ({ tp: a.tp + c.tp, fp: a.fp + c.fp, fn: a.fn + c.fn }), {
    tp: 0,
    fp: 0,
    fn: 0,
  });
  const meanF1 = perPage.length ? perPage.reduce((s, p) => s + p.f1, 0) / perPage.length : 0;
  return { corpus, pages: perPage.length, meanF1, microF1: scoreOf(total).f1, perPage };
}

/** Readability's own tests parse every page with this URL. */
const READABILITY_TEST_URL = 'http://fakehost/test/page.html';

function evalReadability(dir: string, every: number): CorpusScore {
  const ids = readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(dir, d.name, 'expected.html')))
    .map((d) => d.name)
    .sort();
  const pages = everyNth(ids, every).map((id) => {
    const source = readFileSync(join(dir, id, 'source.html'), 'utf8');
    const expected = htmlFragmentToText(readFileSync(join(dir, id, 'expected.html'), 'utf8'), {
      skipCaptions: false,
    });
    return { id, counts: tokenCounts(expected, extract(source, READABILITY_TEST_URL, id)) };
  });
  return summarise('article-html-readability', pages);
}

function evalZyte(dir: string, every: number): CorpusScore {
  const truth = JSON.parse(readFileSync(join(dir, 'ground-truth.json'), 'utf8')) as Record<
    string,
    { articleBody?: string; url?: string }
  >;
  const ids = Object.keys(truth)
    .sort()
    .filter((id) => existsSync(join(dir, 'html', `${id}.html.gz`)));
  const pages = everyNth(ids, every).map((id) => {
    const html = gunzipSync(readFileSync(join(dir, 'html', `${id}.html.gz`))).toString('utf8');
    const entry = truth[id]!;
    return {
      id,
      counts: tokenCounts(entry.articleBody ?? '', extract(html, entry.url ?? 'https://example.com/', id)),
    };
  });
  return summarise('article-html-zyte', pages);
}

/** Every `every`-th page, in a stable order (every = 1: all); the quick eval reads a quarter. */
export function everyNth<T>(items: T[], every: number): T[] {
  return every <= 1 ? items : items.filter((_, i) => i % every === 0);
}

export async function evalExtraction(corpusRoot: string, every = 1): Promise<CorpusScore[]> {
  const out: CorpusScore[] = [];
  const readability = join(corpusRoot, 'article-html-readability');
  const zyte = join(corpusRoot, 'article-html-zyte');
  if (existsSync(readability)) out.push(evalReadability(readability, every));
  if (existsSync(zyte)) out.push(evalZyte(zyte, every));
  return out;
}

/** Every page's scores, worst first across corpora. */
export function pagesByF1(results: CorpusScore[]): Array<PageScore & { corpus: string }> {
  return results
    .flatMap((r) => r.perPage.map((p) => ({ corpus: r.corpus, ...p })))
    .sort((a, b) => a.f1 - b.f1 || a.corpus.localeCompare(b.corpus) || a.id.localeCompare(b.id));
}

/** Writes the per-page scores as TSV (corpus, page, f1, precision, recall; worst first) to `file`. */
export function writePerPageTsv(results: CorpusScore[], file: string): void {
  mkdirSync(dirname(file), { recursive: true });
  const lines = pagesByF1(results).map((p) =>
    [p.corpus, p.id, p.f1.toFixed(4), p.precision.toFixed(4), p.recall.toFixed(4)].join('\t'),
  );
  writeFileSync(file, `${['corpus', 'page', 'f1', 'precision', 'recall'].join('\t')}\n${lines.join('\n')}\n`);
}

function printTable(results: CorpusScore[], worst: number): void {
  const row = (c: string[]) =>
    console.log(`${c[0]!.padEnd(28)} ${c[1]!.padStart(6)} ${c[2]!.padStart(8)} ${c[3]!.padStart(8)}`);
  row(['corpus', 'pages', 'meanF1', 'microF1']);
  for (const r of results) row([r.corpus, String(r.pages), r.meanF1.toFixed(3), r.microF1.toFixed(3)]);
  if (worst > 0) {
    for (const r of results) {
      console.log(`\nlowest ${worst} in ${r.corpus}:`);
      for (const p of [...r.perPage].sort((a, b) => a.f1 - b.f1).slice(0, worst)) {
        console.log(`  ${p.f1.toFixed(3)}  P=${p.precision.toFixed(3)} R=${p.recall.toFixed(3)}  ${p.id}`);
      }
    }
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const root = corpusRootOrExit('scripts/eval/extraction.ts', process.argv[2]);
  const worst = Number(process.env.EVAL_WORST ?? 0);
  const started = Date.now();
  evalExtraction(root).then(
    (results) => {
      printTable(results, worst);
      console.log(`\n(${((Date.now() - started) / 1000).toFixed(1)} s)`);
    },
    (err: unknown) => {
      console.error(err);
      process.exitCode = 1;
    },
  );
}
