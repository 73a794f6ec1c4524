/**
 * Checks `crier preview --jsonl` output against the platforms' own rules, independently of Crier's composer
 * and validator (scripts/previews/rules.ts). Prints one line per problem and exits 1 when there is any.
 *
 *   crier preview --jsonl --platforms twitter,facebook,linkedin,bluesky,mastodon <sources…> | node bin/run.js scripts/check-previews.ts
 *   node bin/run.js scripts/check-previews.ts previews.jsonl …
 *   node bin/run.js scripts/check-previews.ts --corpus [root] [--every N]   (previews the corpus pages itself)
 *
 * --corpus reads the HTML pages of ../shared/corpus (or CRIER_CORPUS / root) as scripts/eval.ts does: XSum's
 * archived pages, Mozilla Readability's and Zyte's test pages; every Nth of them (default 4).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { corpusRootOrExit } from './eval/corpus.js';
import { type PreviewRecord, previewProblems } from './previews/rules.js';

const PLATFORMS = 'twitter,facebook,linkedin,bluesky,mastodon';

function corpusPages(root: string, every: number): string[] {
  const pages: { name: string; html: () => string }[] = [];
  const xsum = join(root, 'news-summ-xsum', 'html');
  if (existsSync(xsum))
    for (const f of readdirSync(xsum).sort())
      pages.push({ name: `xsum-${f}`, html: () => gunzipSync(readFileSync(join(xsum, f))).toString('utf8') });
  const rdir = join(root, 'article-html-readability');
  if (existsSync(rdir))
    for (const d of readdirSync(rdir, { withFileTypes: true }).filter((e) => e.isDirectory()))
      pages.push({
        name: `readability-${d.name}`,
        html: () => readFileSync(join(rdir, d.name, 'source.html'), 'utf8'),
      });
  const zdir = join(root, 'article-html-zyte', 'html');
  if (existsSync(zdir))
    for (const f of readdirSync(zdir).sort())
      pages.push({ name: `zyte-${f}`, html: () => gunzipSync(readFileSync(join(zdir, f))).toString('utf8') });
  const dir = mkdtempSync(join(tmpdir(), 'crier-check-previews-'));
  process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
  return pages
    .filter((_, i) => i % every === 0)
    .map((p) => {
      const file = join(dir, `${p.name.replace(/\.gz$/, '').replace(/[^\w.-]/g, '_')}`);
      writeFileSync(file.endsWith('.html') ? file : `${file}.html`, p.html());
      return file.endsWith('.html') ? file : `${file}.html`;
    });
}

/** Runs `crier preview --jsonl` on the files, a batch at a time; articles that cannot be read are left out. */
function preview(files: string[]): string {
  let out = '';
  for (let i = 0; i < files.length; i += 20) {
    const batch = files.slice(i, i + 20);
    const run = spawnSync(
      process.execPath,
      [resolve('bin/crier.js'), 'preview', '--jsonl', '--platforms', PLATFORMS, ...batch],
      { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    // Exit 3 says some of the batch could not be read; stderr has one line per page that could not, or warns.
    if (run.status !== 0 && run.status !== 3)
      console.log(
        `crier preview of ${batch.length} pages ended with ${run.status ?? run.signal}: ${run.stderr.trim().split('\n').at(-1)}`,
      );
    else
      for (const line of run.stderr.split('\n').filter((l) => l.trim()))
        console.log(`note: ${line.slice(0, 160)}`);
    out += run.stdout;
  }
  console.log(`${files.length} pages`);
  return out;
}

function main(argv: string[]): number {
  let jsonl: string;
  const at = argv.indexOf('--corpus');
  if (at >= 0) {
    const root = corpusRootOrExit(
      'check-previews',
      argv[at + 1]?.startsWith('--') ? undefined : argv[at + 1],
    );
    const e = argv.indexOf('--every');
    jsonl = preview(corpusPages(root, e >= 0 ? Math.max(1, Number(argv[e + 1]) || 4) : 4));
  } else if (argv.length) jsonl = argv.map((f) => readFileSync(f, 'utf8')).join('\n');
  else jsonl = readFileSync(0, 'utf8');
  let records = 0;
  let bad = 0;
  for (const line of jsonl.split('\n')) {
    if (!line.trim()) continue;
    const record = JSON.parse(line) as PreviewRecord;
    records += 1;
    const problems = previewProblems(record);
    if (problems.length) bad += 1;
    for (const p of problems) console.log(`${record.source ?? record.article?.url ?? '?'}: ${p}`);
  }
  console.log(`${records} articles previewed, ${bad} with problems`);
  return bad ? 1 : 0;
}

process.exitCode = main(process.argv.slice(2));
