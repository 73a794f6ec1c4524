import { type FullTextMode, intakeOptions, isSourceError, readSource } from '../../articles/read.js';
import { loadConfig } from '../../config/load.js';
import type { PlatformName } from '../../core/platform.js';
import { composePosts } from '../../summaries/compose.js';
import { type PreviewRecord, previewRecord } from '../../summaries/preview.js';
import { formatPostForReader } from '../render.js';

export interface PreviewOptions {
  url?: string;
  json?: boolean;
  jsonl?: boolean;
  platforms?: PlatformName[];
  /** Feeds: complete excerpts from their pages (auto, the default), every item (always) or none (never). */
  fullText?: FullTextMode;
}

export async function previewSources(
  sources: string[],
  opts: PreviewOptions,
): Promise<{ records: PreviewRecord[]; errors: string[] }> {
  const config = loadConfig();
  const accounts = config.accounts.filter(
    (a) => a.enabled && (!opts.platforms || opts.platforms.includes(a.platform)),
  );
  const intake = intakeOptions(config);
  const records: PreviewRecord[] = [];
  const errors: string[] = [];
  for (const source of sources) {
    let articles: Awaited<ReturnType<typeof readSource>>;
    try {
      articles = await readSource(source, {
        url: opts.url,
        ...intake,
        fullText: opts.fullText ?? 'auto',
        warn: (m) => console.error(`crier: warning: ${m}`),
      });
    } catch (e) {
      errors.push(isSourceError(e) ? e.message : `${source}: ${(e as Error).message}`);
      continue;
    }
    if (articles.length === 0)
      console.error(`crier: warning: ${source}: no articles to preview (it lists no items)`);
    for (const a of articles) {
      const posts = await composePosts(a, accounts, config);
      records.push(previewRecord(a, posts, source));
    }
  }
  return { records, errors };
}

export async function runPreview(sources: string[], opts: PreviewOptions): Promise<void> {
  const { records, errors } = await previewSources(sources, opts);
  for (const e of errors) console.error(`crier: ${e}`);
  for (const r of records.filter((x) => x.article.url === null))
    console.error(
      `crier: "${r.article.title}" (${r.source}) has no web link: pass --url; publish would refuse it`,
    );
  if (opts.jsonl) {
    for (const r of records) process.stdout.write(`${JSON.stringify(r)}\n`);
  } else if (opts.json) {
    process.stdout.write(`${JSON.stringify(records.length === 1 ? records[0] : records, null, 2)}\n`);
  } else {
    for (const r of records) {
      console.log(`\n=== ${r.article.title}\n    ${r.article.url ?? `${r.source} (no web link)`}`);
      for (const p of r.posts) console.log(`\n${formatPostForReader(p)}`);
    }
  }
  if (errors.length) process.exitCode = records.length ? 3 : 1;
}
