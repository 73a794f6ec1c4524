import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { type RunningWorkers, startWorkers } from '../../jobs/workers.js';
import { renderStatus } from '../../src/cli/commands/status.js';
import { listScheduled, retryFailed } from '../../src/control/posts.js';
import { ComposeDueList } from '../../src/ledger/compose-due.js';
import { enqueueCompose, enqueueIngest } from '../../src/queue/enqueue.js';
import { collectStatus } from '../../src/status/status.js';
import { type Harness, startHarness } from '../helpers/pipeline.js';
import { ARTICLE, ARTICLE_URL } from '../helpers/processes.js';
import { waitFor } from '../helpers/wait.js';

const YAML = `
site: { name: Test, url: https://example.org }
accounts:
  - { id: x-main, platform: twitter }
  - { id: fb-page, platform: facebook }
publishing: { attempts: 1, backoffMs: 100, requestTimeoutMs: 3000, retentionDays: 1 }
`;

/** The operator sees unfinished work at every stage, with reason and age, and retries all of it at once. */
describe('unfinished work at every stage', () => {
  let h: Harness | undefined;
  let workers: RunningWorkers | undefined;
  afterEach(async () => {
    await workers?.close();
    await h?.close();
  });

  it('status and schedule list show it; retry --failed takes every stage and goes past a refusal', async () => {
    h = await startHarness({ yaml: YAML });
    const hh = h;
    const ctx = h.ctx;
    workers = startWorkers(ctx);
    // publish: Facebook refuses the post (invalid); X posts it.
    h.fakes.facebook.addFault({
      method: 'POST',
      action: {
        mode: 'respond',
        response: {
          status: 400,
          body: { error: { message: '(#100) Invalid parameter', type: 'OAuthException', code: 100 } },
        },
      },
    });
    await enqueueIngest(ctx, {
      location: ARTICLE,
      kind: 'auto',
      url: ARTICLE_URL,
      correlationId: randomUUID(),
    });
    await waitFor(async () => (await ctx.queues.publish.facebook.getJobCounts('failed')).failed === 1);
    await waitFor(() => hh.fakes.twitter.posts().length === 1);
    // ingest: a source that is not there; compose: an article that is not stored.
    await enqueueIngest(
      ctx,
      { location: '/nowhere/feed.xml', kind: 'auto', correlationId: randomUUID() },
      { jobId: 'bad-source', attempts: 1 },
    );
    await enqueueCompose(
      ctx,
      { articleId: 'a00000000000000ff', correlationId: 'c' },
      { jobId: 'compose-gone', attempts: 1 },
    );
    await waitFor(async () => (await ctx.queues.ingest.getJobCounts('failed')).failed === 1);
    await waitFor(async () => (await ctx.queues.compose.getJobCounts('failed')).failed === 1);
    await workers.close();
    workers = undefined;
    // compose: an article stored by an ingest job that died before queueing its compose job.
    const [article] = (await ctx.ledger.recent(1)).map((e) => e.articleId);
    await new ComposeDueList(ctx.redis, h.prefix).mark([
      {
        articleId: article!,
        jobId: 'compose-due-1',
        data: { articleId: article!, correlationId: 'c' },
        ingestJobId: 'dead',
        since: Date.now() - 90_000,
      },
    ]);

    const status = await collectStatus(ctx);
    const by = (stage: string, state: string) =>
      status.unfinished.find((w) => w.stage === stage && w.state === state);
    expect(by('ingest', 'failed')).toMatchObject({
      id: 'ingest/bad-source',
      reason: expect.stringMatching(/^source: /),
      source: '/nowhere/feed.xml',
    });
    expect(by('compose', 'failed')).toMatchObject({
      id: 'compose/compose-gone',
      reason: expect.stringMatching(/^config: article a00000000000000ff is not in the store/),
    });
    expect(by('compose', 'due')).toMatchObject({ articleId: article, ageSeconds: expect.any(Number) });
    expect(by('compose', 'due')!.ageSeconds).toBeGreaterThanOrEqual(89);
    expect(by('publish', 'failed')).toMatchObject({
      account: 'fb-page',
      reason: expect.stringMatching(/^invalid: .*Invalid parameter/),
    });
    const text = renderStatus(status);
    expect(text).toMatch(/Unfinished work/);
    expect(text).toMatch(/ingest\s+failed .* ingest\/bad-source/);
    const listed = await listScheduled(ctx);
    expect(listed.map((p) => `${p.stage}:${p.state}`).sort()).toEqual([
      'compose:due',
      'compose:failed',
      'ingest:failed',
      'publish:failed',
    ]);

    // A second failed post that cannot be retried right now ("being sent"): the others are retried all the same.
    const fb = listed.find((p) => p.stage === 'publish')!;
    await ctx.ledger.setState(
      { articleId: fb.articleId, platform: 'facebook', account: 'fb-page' },
      'sending',
    );
    const report = await retryFailed(ctx);
    expect(report.retried.sort()).toEqual(['compose/compose-gone', 'ingest/bad-source']);
    expect(report.refused).toEqual([{ id: fb.id, reason: `${fb.id} is being sent right now` }]);
    expect(await ctx.queues.ingest.getJobCounts('failed', 'waiting')).toEqual({ failed: 0, waiting: 1 });
    expect(await ctx.queues.compose.getJobCounts('failed', 'waiting')).toEqual({ failed: 0, waiting: 1 });
  });
});
