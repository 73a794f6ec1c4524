import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { isHttpUrl } from '../../articles/location.js';
import { type FullTextMode, intakeOptions, readSource } from '../../articles/read.js';
import { loadConfig } from '../../config/load.js';
import { createContext } from '../../context.js';
import { createLogger } from '../../core/logger.js';
import type { PlatformName } from '../../core/platform.js';
import type { LedgerEntry } from '../../ledger/ledger.js';
import { enqueueIngest } from '../../queue/enqueue.js';
import { UsageError } from '../usage-error.js';

export interface PublishOptions {
  url?: string;
  platforms?: PlatformName[];
  at?: string;
  dryRun?: boolean;
  wait?: boolean | string;
  json?: boolean;
  /** Feeds: complete excerpts from their pages (auto, the default), every item (always) or none (never). */
  fullText?: FullTextMode;
}

const FINAL = new Set(['posted', 'failed', 'cancelled']);

export async function runPublish(source: string, opts: PublishOptions): Promise<void> {
  const location = isHttpUrl(source) ? source : resolve(source);
  if (!isHttpUrl(source) && !existsSync(location)) throw new UsageError(`source "${source}" does not exist`);
  if (opts.at && Date.parse(opts.at) < Date.now() - 60_000)
    throw new UsageError(`--at ${opts.at} is in the past`);

  // Read once here so bad input fails now, with a clear message, before anything is queued.
  const config = loadConfig();
  const fullText = opts.fullText ?? 'auto';
  const read = await readSource(location, {
    url: opts.url,
    ...intakeOptions(config),
    fullText,
    warn: (m) => console.error(`crier: warning: ${m}`),
  });
  if (read.length === 0) throw new UsageError(`source "${source}" has no articles`);
  const articles = read.filter((a) => isHttpUrl(a.url));
  if (articles.length === 0)
    throw new UsageError(`"${read[0]?.title}" has no web link: pass --url <article URL>`);
  for (const a of read.filter((x) => !articles.includes(x)))
    console.error(`crier: "${a.title}" has no web link and will not be posted`);

  const logger = createLogger({ destination: process.stderr });
  const ctx = await createContext({ forWorker: false, logger, config });
  try {
    const correlationId = randomUUID();
    const job = await enqueueIngest(ctx, {
      location,
      kind: 'auto',
      url: opts.url,
      fullText,
      platforms: opts.platforms,
      at: opts.at,
      correlationId,
      dryRun: opts.dryRun,
      force: true,
    });
    const summary = {
      jobId: job.id,
      correlationId,
      articles: articles.map((a) => ({ id: a.id, title: a.title, url: a.url })),
      at: opts.at ?? null,
    };
    if (!opts.wait) {
      if (opts.json) console.log(JSON.stringify(summary, null, 2));
      else
        console.log(
          `queued ${articles.length} article(s) from ${source} (job ${job.id}, correlation ${correlationId}); a running worker will publish them`,
        );
      return;
    }
    const seconds = typeof opts.wait === 'string' ? Number(opts.wait) : 60;
    const entries = await waitForPosts(
      ctx,
      articles.map((a) => a.id),
      opts.platforms,
      seconds * 1000,
    );
    if (opts.json) console.log(JSON.stringify({ ...summary, posts: entries }, null, 2));
    else
      for (const e of entries)
        console.log(
          `${e.platform}/${e.account}: ${e.state}${e.url ? ` ${e.url}` : ''}${e.error ? ` (${e.error})` : ''}`,
        );
    if (entries.some((e) => e.state !== 'posted')) process.exitCode = 1;
  } finally {
    await ctx.close();
  }
}

async function waitForPosts(
  ctx: Awaited<ReturnType<typeof createContext>>,
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
