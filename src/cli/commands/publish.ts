import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { isHttpUrl } from '../../articles/location.js';
import { type FullTextMode, intakeOptions, readSource } from '../../articles/read.js';
import { type LoadedConfig, loadConfig } from '../../config/load.js';
import { type AppContext, createContext } from '../../context.js';
import { UsageError } from '../../core/errors.js';
import type { PlatformName } from '../../core/platform.js';
import type { LedgerEntry } from '../../ledger/ledger.js';
import { enqueueIngest } from '../../queue/enqueue.js';
import { createOutput, type Output } from '../output.js';
import { formatPostForReader } from '../render.js';
import { futureAt } from '../times.js';
import type { WallTime } from '../wall-time.js';

export interface PublishOptions {
  url?: string;
  platforms?: PlatformName[];
  at?: WallTime;
  dryRun?: boolean;
  /** true: the default 60 s; a number: seconds (checked by the argument parser). */
  wait?: boolean | number;
  json?: boolean;
  /** Feeds: complete excerpts from their pages (auto, the default), every item (always) or none (never). */
  fullText?: FullTextMode;
}

const FINAL = new Set(['posted', 'failed', 'cancelled']);

export async function runPublish(source: string, opts: PublishOptions): Promise<void> {
  const out = createOutput(opts);
  const config = loadConfig();
  const at = opts.at ? futureAt(opts.at, config) : undefined;
  const location = isHttpUrl(source) ? source : resolve(source);
  if (!isHttpUrl(source) && !existsSync(location)) throw new UsageError(`source "${source}" does not exist`);

  // Read once here so bad input fails now, with a clear message, before anything is queued.
  const fullText = opts.fullText ?? 'auto';
  const read = await readSource(location, {
    url: opts.url,
    ...intakeOptions(config),
    fullText,
    warn: (m) => out.logger.warn({ source }, m),
  });
  if (read.length === 0) throw new UsageError(`source "${source}" has no articles`);
  const articles = read.filter((a) => isHttpUrl(a.url));
  if (articles.length === 0)
    throw new UsageError(`"${read[0]?.title}" has no web link: pass --url <article URL>`);
  for (const a of read.filter((x) => !articles.includes(x)))
    out.logger.warn({ title: a.title, source }, 'no web link: this article will not be posted');

  if (opts.dryRun) return dryRun(out, config, articles, opts, at);

  const ctx = await createContext({ forWorker: false, logger: out.logger, config });
  try {
    const correlationId = randomUUID();
    const job = await enqueueIngest(ctx, {
      location,
      kind: 'auto',
      url: opts.url,
      fullText,
      platforms: opts.platforms,
      at: at?.toISOString(),
      correlationId,
      force: true,
    });
    const summary = {
      jobId: job.id,
      correlationId,
      articles: articles.map((a) => ({ id: a.id, title: a.title, url: a.url })),
      at: at?.toISOString() ?? null,
    };
    if (!opts.wait) {
      out.result(
        `queued ${articles.length} article(s) from ${source} (job ${job.id}, correlation ${correlationId})${at ? ` for ${opts.at!.text}` : ''}; a running worker will publish them`,
        summary,
      );
      return;
    }
    const seconds = typeof opts.wait === 'number' ? opts.wait : 60;
    const entries = await waitForPosts(
      ctx,
      articles.map((a) => a.id),
      opts.platforms,
      seconds * 1000,
    );
    out.result(
      entries.map(
        (e) =>
          `${e.platform}/${e.account}: ${e.state}${e.url ? ` ${e.url}` : ''}${e.error ? ` (${e.error})` : ''}`,
      ),
      { ...summary, posts: entries },
    );
    if (entries.some((e) => e.state !== 'posted')) process.exitCode = 1;
  } finally {
    await ctx.close();
  }
}

/** `--dry-run`: the posts as they would be queued, composed here; nothing touches Redis. */
async function dryRun(
  out: Output,
  config: LoadedConfig,
  articles: Awaited<ReturnType<typeof readSource>>,
  opts: PublishOptions,
  at: Date | undefined,
): Promise<void> {
  const { composePosts } = await import('../../summaries/compose.js');
  const accounts = config.accounts.filter(
    (a) => a.enabled && (!opts.platforms || opts.platforms.includes(a.platform)),
  );
  const composed = [];
  for (const a of articles) composed.push({ article: a, posts: await composePosts(a, accounts, config) });
  const lines = ['dry run: nothing was queued; these posts would be:'];
  for (const { article, posts } of composed) {
    lines.push('', `=== ${article.title}`, `    ${article.url}${at ? ` at ${opts.at!.text}` : ''}`);
    for (const p of posts) lines.push('', formatPostForReader(p));
  }
  out.result(lines, {
    dryRun: true,
    queued: false,
    at: at?.toISOString() ?? null,
    articles: composed.map(({ article, posts }) => ({
      id: article.id,
      title: article.title,
      url: article.url,
      posts: posts.map((p) => ({ platform: p.platform, account: p.account, text: p.text, link: p.link })),
    })),
  });
}

async function waitForPosts(
  ctx: AppContext,
  articleIds: string[],
  platforms: PlatformName[] | undefined,
  timeoutMs: number,
): Promise<LedgerEntry[]> {
  const deadline = Date.now() + timeoutMs;
  const accounts = [...ctx.accounts.values()].filter(
    (rt) => rt.adapter && (!platforms || platforms.includes(rt.config.platform)),
  );
  for (;;) {
    const entries: LedgerEntry[] = [];
    for (const id of articleIds)
      for (const rt of accounts) {
        const e = await ctx.ledger.get({
          articleId: id,
          platform: rt.config.platform,
          account: rt.config.id,
        });
        if (e) entries.push(e);
      }
    const done =
      entries.length === articleIds.length * accounts.length && entries.every((e) => FINAL.has(e.state));
    if (done || Date.now() > deadline) return entries;
    await new Promise((r) => setTimeout(r, 250));
  }
}
