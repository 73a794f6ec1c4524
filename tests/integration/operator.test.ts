import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type RunningWorkers, startWorkers } from '../../jobs/workers.js';
import {
  cancelPost,
  listScheduled,
  OperationError,
  pauseAccounts,
  reschedulePost,
  resumeAccounts,
  retryFailed,
  retryPost,
} from '../../src/operations/posts.js';
import { enqueueIngest } from '../../src/queue/enqueue.js';
import { type Harness, startHarness, until } from '../helpers/pipeline.js';

const SEED = resolve('../shared/seed/article.txt');

describe('operator commands (real Redis, BullMQ, fakes)', () => {
  let h: Harness;
  let workers: RunningWorkers;
  beforeEach(async () => {
    h = await startHarness();
    workers = startWorkers(h.ctx);
  });
  afterEach(async () => {
    await workers.close();
    await h.close();
  });

  const publish = (at?: string) =>
    enqueueIngest(h.ctx, {
      location: SEED,
      kind: 'auto',
      url: 'https://example.org/macron-putin',
      at,
      correlationId: randomUUID(),
      force: true,
    });
  const total = () =>
    h.fakes.twitter.posts().length + h.fakes.facebook.posts().length + h.fakes.linkedin.posts().length;

  it('publish --at schedules the posts; list, reschedule and cancel them', async () => {
    const at = new Date(Date.now() + 3_600_000).toISOString();
    await publish(at);
    await until(async () => (await listScheduled(h.ctx)).length === 3);
    const listed = await listScheduled(h.ctx);
    expect(
      listed.every((p) => p.state === 'delayed' && Math.abs(Date.parse(p.at!) - Date.parse(at)) < 1000),
    ).toBe(true);
    expect(listed[0]?.title).toBe('Macron Makes Big Request To Putin, Shocks Europe');

    const tw = listed.find((p) => p.platform === 'twitter')!;
    const fb = listed.find((p) => p.platform === 'facebook')!;
    const soon = new Date(Date.now() + 500).toISOString();
    await reschedulePost(h.ctx, tw.id, soon);
    await until(() => h.fakes.twitter.posts().length === 1);

    await cancelPost(h.ctx, fb.id);
    expect((await listScheduled(h.ctx)).map((p) => p.platform)).toEqual(['linkedin']);
    expect(
      (await h.ctx.ledger.get({ articleId: fb.articleId, platform: 'facebook', account: 'fb-page' }))?.state,
    ).toBe('cancelled');
    await expect(cancelPost(h.ctx, tw.id)).rejects.toThrow(/already posted/);
    await expect(cancelPost(h.ctx, 'post-nonsense')).rejects.toBeInstanceOf(OperationError);
    expect(h.fakes.facebook.posts()).toHaveLength(0);
  });

  it('retry sends a failed post again; retry --failed takes all of them', async () => {
    h.fakes.facebook.addFault({
      method: 'POST',
      action: {
        mode: 'respond',
        response: {
          status: 400,
          body: {
            error: {
              message: '(#100) Invalid parameter',
              type: 'OAuthException',
              code: 100,
              fbtrace_id: 'AbC',
            },
          },
        },
      },
    });
    await publish();
    await until(async () => ((await h.ctx.queues.publish.facebook.getJobCounts('failed')).failed ?? 0) === 1);
    const failed = (await listScheduled(h.ctx)).find((p) => p.state === 'failed');
    expect(failed?.reason).toMatch(/invalid: .*Invalid parameter/);
    const entry = await h.ctx.ledger.get({
      articleId: failed!.articleId,
      platform: 'facebook',
      account: 'fb-page',
    });
    expect(entry).toMatchObject({ state: 'failed', kind: 'invalid' });

    await retryPost(h.ctx, failed!.id);
    await until(() => h.fakes.facebook.posts().length === 1);
    await until(
      async () =>
        (await h.ctx.ledger.get({ articleId: failed!.articleId, platform: 'facebook', account: 'fb-page' }))
          ?.state === 'posted',
    );
    expect(await retryFailed(h.ctx)).toEqual([]);
    await expect(retryPost(h.ctx, failed!.id)).rejects.toThrow(/already posted/);
  });

  it('pause holds an account’s posts without dropping them; resume lets them go', async () => {
    expect(await pauseAccounts(h.ctx, 'twitter')).toEqual(['x-main']);
    await publish();
    await until(() => h.fakes.facebook.posts().length === 1 && h.fakes.linkedin.posts().length === 1);
    await until(async () =>
      (await listScheduled(h.ctx)).some((p) => p.platform === 'twitter' && p.state === 'delayed'),
    );
    expect(h.fakes.twitter.posts()).toHaveLength(0);
    expect(h.log.events('delayed').some((l) => l.reason === 'account paused')).toBe(true);

    await resumeAccounts(h.ctx, 'x-main');
    await until(() => h.fakes.twitter.posts().length === 1);
    expect(total()).toBe(3);
    await expect(pauseAccounts(h.ctx, 'myspace')).rejects.toThrow(/neither an account/);
  });
});
