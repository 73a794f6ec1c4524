/**
 * `npm run eval`: one table of Crier's quality figures on the shared corpora.
 * - extraction: token F1 of the HTML article reader (scripts/eval/extraction.ts), in aggregate in the table,
 *   per page in .eval/extraction-pages.tsv (worst first; the 10 worst are printed);
 * - summaries: ROUGE-1/2/L F1 of the LinkedIn and X summaries on CNN/DM and XSum, beside lead-1/lead-3 cut
 *   to the same length (scripts/eval/summaries.ts);
 * - posts: share of posts that pass ../shared/check/validate-posts.mjs, per platform.
 * Exits 1 when a target is missed, 2 when there is no corpus. Usage: npm run eval [-- [corpusRoot] [--quick]]
 * (corpusRoot: default CRIER_CORPUS, else ../shared/corpus). --quick, as CI runs it: every pair of the
 * summary sets (all ROUGE targets, their posts' validity) but only every 4th HTML page of each page set.
 */
import { resolve } from 'node:path';
import { corpusRootOrExit } from './eval/corpus.js';
import { evalExtraction, pagesByF1, writePerPageTsv } from './eval/extraction.js';
import type { RougeScores } from './eval/rouge.js';
import { evalSummaries } from './eval/summaries.js';

const args = process.argv.slice(2);
const root = corpusRootOrExit(
  'npm run eval',
  args.find((a) => !a.startsWith('--')),
);
const every = args.includes('--quick') ? 4 : 1;
const started = performance.now();
// Summaries first: it hands the HTML pages to worker threads at once, then extraction runs here meanwhile.
const summariesRun = evalSummaries(root, { htmlEvery: every });
const extraction = await evalExtraction(root, every);
const summaries = await summariesRun;

type Row = [string, string, string, string, string, string, string, string];
const rows: Row[] = [['measure', 'set', 'n', 'Crier', 'lead-1', 'lead-3', 'target', 'met']];
let missed = 0;
const pct = (x: number) => (100 * x).toFixed(2);
const met = (ok: boolean) => {
  if (!ok) missed += 1;
  return ok ? 'yes' : 'NO';
};

for (const e of extraction) {
  rows.push([
    'extraction F1 mean/micro',
    e.corpus,
    String(e.pages),
    `${pct(e.meanF1)} / ${pct(e.microF1)}`,
    '',
    '',
    '',
    '',
  ]);
}

const metrics: Array<[keyof RougeScores, string]> = [
  ['rouge1', 'ROUGE-1 F1'],
  ['rouge2', 'ROUGE-2 F1'],
  ['rougeL', 'ROUGE-L F1'],
];
for (const r of summaries.rouge) {
  // Targets (see eval/summaries.ts): cnndm LinkedIn >= lead-3, xsum tweet >= lead-1, on ROUGE-1 and ROUGE-L.
  const base = r.target ? r[r.target] : undefined;
  const baseName = r.target === 'lead3' ? 'lead-3' : 'lead-1';
  for (const [key, label] of metrics) {
    const targeted = base !== undefined && key !== 'rouge2';
    rows.push([
      label,
      `${r.corpus} (${r.post} summary, ${r.words.toFixed(1)} words)`,
      String(r.articles),
      pct(r.ours[key]),
      pct(r.lead1[key]),
      pct(r.lead3[key]),
      targeted ? `>= ${baseName}` : '',
      targeted ? met(r.ours[key] >= base[key]) : '',
    ]);
  }
}

const setNames = summaries.sets.map((s) => `${s.name} ${s.articles}`).join(', ');
for (const v of summaries.validity) {
  rows.push([
    'valid posts %',
    `${v.platform} (${setNames})`,
    String(v.posts),
    pct(v.valid / Math.max(1, v.posts)),
    '',
    '',
    '100',
    met(v.valid === v.posts),
  ]);
}

const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
const line = (r: Row) => `| ${r.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
console.log(line(rows[0]!));
console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
for (const r of rows.slice(1)) console.log(line(r));

console.log(
  `\nROUGE: lower-cased letter/digit tokens, no stemming; lead-k = first k usable sentences cut to Crier's word count per article.`,
);
const perPageFile = resolve(process.cwd(), '.eval/extraction-pages.tsv');
writePerPageTsv(extraction, perPageFile);
console.log(`\nExtraction token F1 per page: ${perPageFile}; the 10 worst:`);
for (const p of pagesByF1(extraction).slice(0, 10)) {
  console.log(
    `  ${pct(p.f1).padStart(6)}  P ${pct(p.precision).padStart(6)}  R ${pct(p.recall).padStart(6)}  ${p.corpus}/${p.id}`,
  );
}
console.log(`posts checked with ${summaries.checker}`);
for (const f of summaries.failures.slice(0, 5)) console.log(`invalid: ${f.title}: ${f.errors.join('; ')}`);
console.log(
  `${missed ? `${missed} target(s) missed` : 'all targets met'}${every > 1 ? ` (quick: every ${every}th HTML page)` : ''} in ${((performance.now() - started) / 1000).toFixed(1)} s`,
);
if (missed) process.exitCode = 1;
