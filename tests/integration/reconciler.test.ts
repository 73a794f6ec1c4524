import { randomUUID } from 'node:crypto';
import { Worker } from 'bullmq';
import { afterEach, describe, expect, it } from 'vitest';
import { type RunningWorkers, startWorkers } from '../../jobs/workers.js';
import { readSource } from '../../src/articles/read.js';
import type { Post } from '../../src/core/post.js';
import { ComposeDueList } from '../../src/ledger/compose-due.js';
import { enqueuePublish } from '../../src/queue/enqueue.js';
import { redisKeys } from '../../src/queue/keys.js';
import { composeJobId, publishJobId } from '../../src/queue/names.js';
import { type Finding, reconcileOnce, sweepOnce } from '../../src/queue/reconciler.js';
import { SlotQueue } from '../../src/schedule/slot-queue.js';
import { composePosts } from '../../src/summaries/compose.js';
import { type Harness, startHarness } from '../helpers/pipeline.js';
import { ARTICLE, ARTICLE_URL } from '../helpers/processes.js';
import { waitFor } from '../helpers/wait.js';

const YAML = `
site: { name: Test, url: https://example.org }
accounts:
  - { id: x-main, platform: twitter }
  - { id: fb-page, platform: facebook }
  - id: li-page
    platform: linkedin
    schedule: { mode: slots, slots: ["0 0 1 1 *"], timezone: UTC }
publishing: { attempts: 3, backoffMs: 100, requestTimeoutMs: 3000, retentionDays: 1 }
`;

/**
 * The reconciler finds each kind of unfinished work that nothing carries, re-drives it, and says so in one log
 * line per item; then the ordinary workers finish it, once.
 */
describe('the reconciler', () => {
  let h: Harness | undefined;
  let workers: RunningWorkers | undefined;
  afterEach(async () => {
    await workers?.close();
    await h?.close();
  });

  async function storedArticle(hh: Harness) {
    const [read] = await readSource(ARTICLE, { kind: 'auto', url: ARTICLE_URL, timeoutMs: 3000 });
    const { article } = await hh.ctx.articles.resolve(read!);
    const { stored } = await hh.ctx.articles.put(article);
    return stored;
  }

  async function postsOf(hh: Harness): Promise<Post[]> {
    const stored = await storedArticle(hh);
    return composePosts(stored.article, hh.ctx.config.accounts, hh.ctx.config, { env: hh.ctx.env });
  }

  it('finds each kind, re-drives it, and the workers finish every post once', async () => {
    h = await startHarness({ yaml: YAML });
    const hh = h;
    const ctx = h.ctx;
    const [tw, fb, li] = await postsOf(h);
    const stored = (await ctx.articles.get(tw!.articleId))!;

    // 1. An article stored whose ingest job died before queueing its compose job (and is gone).
    await new ComposeDueList(ctx.redis, h.prefix).mark([
      {
        articleId: stored.article.id,
        jobId: composeJobId(stored.article.id, stored.version),
        data: { articleId: stored.article.id, platforms: ['twitter'], correlationId: 'c1' },
        ingestJobId: 'gone-ingest-job',
        since: Date.now() - 60_000,
      },
    ]);
    // 2. A post a slot took, whose scheduler died before queueing it.
    await ctx.ledger.createPending(li!);
    const slots = new SlotQueue(ctx.redis, h.prefix);
    const liData = {
      articleId: li!.articleId,
      articleKey: li!.articleKey,
      platform: li!.platform,
      account: li!.account,
      correlationId: 'c2',
    };
    await slots.add(liData, Date.now() - 60_000);
    expect((await slots.take('li-page', Date.now(), 0)).status).toBe('taken');
    // 3. A publish job failed by BullMQ's stall rule (not a reason Crier gives).
    await ctx.ledger.createPending(fb!);
    await enqueuePublish(
      ctx,
      {
        articleId: fb!.articleId,
        articleKey: fb!.articleKey,
        platform: 'facebook',
        account: 'fb-page',
        correlationId: 'c3',
      },
      { jobId: publishJobId(fb!.articleId, 'fb-page'), attempts: 1 },
    );
    const stall = new Worker(
      'publish-facebook',
      async () => {
        throw new Error('job stalled more than allowable limit');
      },
      { connection: ctx.redis, prefix: h.prefix },
    );
    await waitFor(async () => (await ctx.queues.publish.facebook.getJobCounts('failed')).failed === 1);
    await stall.close();
    // 4. A post left "sending" by a dead process, with no job at all (its publish was stored by X).
    await ctx.ledger.createPending(tw!);
    const twRef = { articleId: tw!.articleId, platform: tw!.platform, account: tw!.account };
    await ctx.ledger.claim(twRef, 'dead-process');
    const sent = await ctx.accounts.get('x-main')!.adapter!.publish(tw!);
    // Everything above happened "a while ago".
    await ctx.redis.zadd(
      redisKeys(h.prefix).ledgerOpen,
      0,
      ctx.ledger.key(twRef),
      0,
      ctx.ledger.key({ ...twRef, platform: 'linkedin', account: 'li-page' }),
    );

    const found = await reconcileOnce(ctx, 0);
    const kinds = (k: Finding['kind']) => found.filter((f) => f.kind === k);
    expect(kinds('compose-due')).toEqual([
      expect.objectContaining({ action: 'queued', articleId: stored.article.id }),
    ]);
    expect(kinds('slot-take')).toEqual([expect.objectContaining({ action: 'queued', account: 'li-page' })]);
    expect(kinds('failed-job')).toEqual([
      expect.objectContaining({
        action: 'redriven',
        queue: 'publish-facebook',
        reason: 'job stalled more than allowable limit',
      }),
    ]);
    expect(kinds('open-entry')).toEqual([
      expect.objectContaining({ action: 'queued', account: 'x-main', state: 'sending' }),
    ]);
    // One log line per item.
    expect(h.log.events('reconciled')).toHaveLength(found.length);

    workers = startWorkers(ctx);
    await waitFor(
      async () => {
        const entries = await hh.ctx.ledger.recent(10);
        return entries.length === 3 && entries.every((e) => e.state === 'posted');
      },
      { what: 'every post recorded as posted' },
    );
    expect(h.fakes.twitter.posts()).toHaveLength(1); // looked up, not sent again
    expect((await ctx.ledger.get(twRef))?.postId).toBe(sent.postId);
    expect(h.fakes.facebook.posts()).toHaveLength(1);
    expect(h.fakes.linkedin.posts()).toHaveLength(1);
    // Nothing left to find.
    await waitFor(async () => (await hh.ctx.queues.compose.getJobCounts('completed')).completed === 1);
    expect(await reconcileOnce(ctx, 0)).toEqual([]);
  });

  it('sweeps in one process at a time, and leaves a job it re-drove too often to the operator', async () => {
    h = await startHarness({ yaml: YAML });
    const ctx = h.ctx;
    await ctx.redis.set(redisKeys(h.prefix).reconcilerLock, 'another-process', 'PX', 10_000);
    expect(await sweepOnce(ctx)).toBeNull();
    await ctx.redis.del(redisKeys(h.prefix).reconcilerLock);
    expect(await sweepOnce(ctx)).toEqual([]);

    await ctx.queues.ingest.add(
      'ingest',
      { location: '/nowhere', kind: 'auto', correlationId: randomUUID() },
      { jobId: 'poison', attempts: 1 },
    );
    const crash = new Worker(
      'ingest',
      async () => {
        throw new TypeError('cannot read properties of undefined');
      },
      { connection: ctx.redis, prefix: h.prefix },
    );
    try {
      for (let i = 0; i < 4; i++) {
        await waitFor(async () => (await ctx.queues.ingest.getJobCounts('failed')).failed === 1);
        const found = await reconcileOnce(ctx, 0);
        expect(found.map((f) => f.action)).toEqual([i < 3 ? 'redriven' : 'left']);
      }
      expect(await reconcileOnce(ctx, 0)).toEqual([]); // said once
      expect(h.log.events('reconciled').at(-1)).toMatchObject({ level: 50, jobId: 'poison', action: 'left' });
    } finally {
      await crash.close();
    }
  });
});
