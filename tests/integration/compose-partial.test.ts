import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { type RunningWorkers, startWorkers } from '../../jobs/workers.js';
import { enqueueIngest } from '../../src/queue/enqueue.js';
import { publishJobId } from '../../src/queue/names.js';
import { type Harness, startHarness } from '../helpers/pipeline.js';
import { ARTICLE, ARTICLE_URL } from '../helpers/processes.js';
import { waitFor } from '../helpers/wait.js';

const YAML = `
site: { name: Test, url: https://example.org }
accounts:
  - { id: x-main, platform: twitter }
  - { id: fb-page, platform: facebook }
  - { id: li-page, platform: linkedin }
publishing: { attempts: 3, backoffMs: 100, requestTimeoutMs: 3000, retentionDays: 1 }
`;

/**
 * An article's publish jobs are added one by one (sent together, not as one block): a compose that died after
 * some of the adds leaves the rest of its posts with a ledger entry and no job. Its re-run adds just those; the
 * jobs already there are not added twice, and every account gets one post.
 */
describe('a compose that queued only some of its publish jobs', () => {
  let h: Harness | undefined;
  let workers: RunningWorkers | undefined;
  afterEach(async () => {
    await workers?.close();
    await h?.close();
  });

  it('is finished by its re-run: the missing job is queued, each post goes out once', async () => {
    h = await startHarness({ yaml: YAML });
    const ctx = h.ctx;
    const hh = h;
    workers = startWorkers(ctx, ['ingest', 'compose']);
    await enqueueIngest(ctx, {
      location: ARTICLE,
      kind: 'auto',
      url: ARTICLE_URL,
      correlationId: randomUUID(),
    });
    const entries = async () => ctx.ledger.recent(5);
    await waitFor(async () => (await ctx.queues.publish.linkedin.count()) === 1, {
      what: 'the LinkedIn job',
    });
    await workers.close();
    workers = undefined;

    // As if the compose had died after two of its three adds: the LinkedIn job was never added.
    const [li] = (await entries()).filter((e) => e.platform === 'linkedin');
    const liJob = await ctx.queues.publish.linkedin.getJob(publishJobId(li!.articleId, li!.account));
    await liJob!.remove();
    const composed = (await ctx.queues.compose.getJobs(['completed']))[0]!;
    expect(await ctx.queues.publish.linkedin.count()).toBe(0);

    // The compose job runs again (an operator's retry, or BullMQ after the crash).
    await composed.retry('completed');
    workers = startWorkers(ctx);
    await waitFor(
      () =>
        hh.fakes.twitter.posts().length === 1 &&
        hh.fakes.facebook.posts().length === 1 &&
        hh.fakes.linkedin.posts().length === 1,
      { timeoutMs: 30_000, what: 'one post per account' },
    );
    await waitFor(async () => (await entries()).every((e) => e.state === 'posted'), {
      what: 'every entry posted',
    });
    const rerun = await ctx.queues.compose.getJob(composed.id!);
    expect(rerun?.returnvalue).toMatchObject({ outcome: 'composed', requeued: 1, unchanged: 2 });
    expect(hh.fakes.twitter.posts()).toHaveLength(1);
    expect(hh.fakes.facebook.posts()).toHaveLength(1);
    expect(hh.fakes.linkedin.posts()).toHaveLength(1);
  });
});
