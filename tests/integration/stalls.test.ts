import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { type RunningWorkers, startWorkers } from '../../jobs/workers.js';
import { enqueueIngest } from '../../src/queue/enqueue.js';
import { redisKeys } from '../../src/queue/keys.js';
import { type Harness, startHarness } from '../helpers/pipeline.js';
import { ARTICLE, ARTICLE_URL } from '../helpers/processes.js';
import { waitFor } from '../helpers/wait.js';

const YAML = `
site: { name: Test, url: https://example.org }
accounts:
  - { id: x-main, platform: twitter }
publishing: { attempts: 3, backoffMs: 200, requestTimeoutMs: 3000, retentionDays: 1, maxStalls: 2 }
`;

describe('a job that keeps killing its workers', () => {
  let h: Harness | undefined;
  const workers: RunningWorkers[] = [];
  afterEach(async () => {
    for (const w of workers.splice(0)) await w.close();
    await h?.close();
  });

  /** A harness whose one article is composed: its X post waits in the publish queue, no publisher running. */
  async function composedPost(): Promise<Harness> {
    const harness = await startHarness({ yaml: YAML });
    h = harness;
    workers.push(startWorkers(harness.ctx, ['ingest', 'compose']));
    await enqueueIngest(harness.ctx, {
      location: ARTICLE,
      kind: 'auto',
      url: ARTICLE_URL,
      correlationId: randomUUID(),
    });
    await waitFor(async () => (await harness.ctx.queues.publish.twitter.count()) === 1, {
      what: 'the publish job',
    });
    return harness;
  }

  it('is stopped by Crier after publishing.maxStalls deaths, for the operator, with its reason', async () => {
    h = await composedPost();
    const hh = h;
    const [job] = await h.ctx.queues.publish.twitter.getWaiting();
    // Three workers died while running it (BullMQ counts them in the job's "stc" field).
    await h.ctx.redis.hset(redisKeys(h.prefix).queue('publish-twitter', String(job!.id)), 'stc', '3');

    workers.push(startWorkers(h.ctx, ['twitter']));
    await waitFor(async () => (await hh.ctx.queues.publish.twitter.getJobCounts('failed')).failed === 1);
    const [failed] = await h.ctx.queues.publish.twitter.getFailed();
    expect(failed?.failedReason).toMatch(/^stalled: its worker died 3 times while running it/);
    expect(h.fakes.twitter.posts()).toHaveLength(0);
    const [entry] = await h.ctx.ledger.recent(1);
    expect(entry).toMatchObject({ state: 'failed' });
    expect(entry?.error).toMatch(/^stalled: /);
    expect(h.log.events('failed').find((l) => l.queue === 'publish-twitter')).toMatchObject({
      errorKind: 'stalled',
      level: 50,
    });
  });

  it('a post left "sending" by a process that still beats is looked for only once it cannot be sending any more', async () => {
    h = await composedPost();
    const hh = h;
    // A slow worker (process "slow-1", still beating) claimed the post and its lock lapsed: BullMQ hands the
    // job to another worker while the slow one is about to post.
    const [entry] = await h.ctx.ledger.recent(1);
    const ref = { articleId: entry!.articleId, platform: entry!.platform, account: entry!.account };
    await h.ctx.ledger.claim(ref, 'slow-1');
    await h.ctx.redis.set(redisKeys(h.prefix).process('slow-1'), '1', 'PX', 60_000);

    workers.push(startWorkers(h.ctx, ['twitter']));
    await waitFor(() =>
      hh.log.events('delayed').some((l) => String(l.reason).includes('may still be sending')),
    );
    expect(h.fakes.twitter.server.requests.length).toBe(0); // not even a look-up while it may be sending
    // The slow worker posts, then its process ends.
    const posted = await h.ctx.accounts.get('x-main')!.adapter!.publish(entry!.post);
    await h.ctx.redis.del(redisKeys(h.prefix).process('slow-1'));
    const [job] = await h.ctx.queues.publish.twitter.getDelayed();
    await job!.promote();
    await waitFor(async () => (await hh.ctx.ledger.recent(1))[0]?.state === 'posted');
    expect((await h.ctx.ledger.recent(1))[0]?.postId).toBe(posted.postId);
    expect(h.fakes.twitter.posts()).toHaveLength(1);
    expect(h.log.events('completed').find((l) => l.queue === 'publish-twitter')?.outcome).toBe('reconciled');
  });
});
