import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
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
import { until, useRunningHarness } from '../helpers/pipeline.js';

const SEED = resolve('../shared/seed/article.txt');

describe('operator commands (real Redis, BullMQ, fakes)', () => {
  const t = useRunningHarness();

  const publish = (at?: string) =>
    enqueueIngest(t.h.ctx, {
      location: SEED,
      kind: 'auto',
      url: 'https://example.org/macron-putin',
      at,
      correlationId: randomUUID(),
      force: true,
    });
  const total = () =>
    t.h.fakes.twitter.posts().length + t.h.fakes.facebook.posts().length + t.h.fakes.linkedin.posts().length;

  it('publish --at schedules the posts; list, reschedule and cancel them', async () => {
    const at = new Date(Date.now() + 3_600_000).toISOString();
    await publish(at);
    await until(async () => (await listScheduled(t.h.ctx)).length === 3);
    const listed = await listScheduled(t.h.ctx);
    expect(
      listed.every((p) => p.state === 'delayed' && Math.abs(Date.parse(p.at!) - Date.parse(at)) < 1000),
    ).toBe(true);
    expect(listed[0]?.title).toBe('Macron Makes Big Request To Putin, Shocks Europe');

    const tw = listed.find((p) => p.platform === 'twitter')!;
    const fb = listed.find((p) => p.platform === 'facebook')!;
    const soon = new Date(Date.now() + 500).toISOString();
    await reschedulePost(t.h.ctx, tw.id, soon);
    await until(() => t.h.fakes.twitter.posts().length === 1);
    // The platform holds the post a moment before the worker records it: wait for the record.
    await until(
      async () =>
        (await t.h.ctx.ledger.get({ articleId: tw.articleId, platform: 'twitter', account: 'x-main' }))
          ?.state === 'posted',
    );

    await cancelPost(t.h.ctx, fb.id);
    expect((await listScheduled(t.h.ctx)).map((p) => p.platform)).toEqual(['linkedin']);
    expect(
      (await t.h.ctx.ledger.get({ articleId: fb.articleId, platform: 'facebook', account: 'fb-page' }))
        ?.state,
    ).toBe('cancelled');
    await expect(cancelPost(t.h.ctx, tw.id)).rejects.toThrow(/already posted/);
    await expect(cancelPost(t.h.ctx, 'post-nonsense')).rejects.toBeInstanceOf(OperationError);
    expect(t.h.fakes.facebook.posts()).toHaveLength(0);
  });

  it('retry sends a failed post again; retry --failed takes all of them', async () => {
    t.h.fakes.facebook.addFault({
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
    await until(
      async () => ((await t.h.ctx.queues.publish.facebook.getJobCounts('failed')).failed ?? 0) === 1,
    );
    const failed = (await listScheduled(t.h.ctx)).find((p) => p.state === 'failed');
    expect(failed?.reason).toMatch(/invalid: .*Invalid parameter/);
    const entry = await t.h.ctx.ledger.get({
      articleId: failed!.articleId,
      platform: 'facebook',
      account: 'fb-page',
    });
    expect(entry).toMatchObject({ state: 'failed', kind: 'invalid' });

    // retry --failed finds it among the failed jobs and sends it again.
    expect(await retryFailed(t.h.ctx)).toEqual([failed!.id]);
    await until(() => t.h.fakes.facebook.posts().length === 1);
    await until(
      async () =>
        (await t.h.ctx.ledger.get({ articleId: failed!.articleId, platform: 'facebook', account: 'fb-page' }))
          ?.state === 'posted',
    );
    expect(await retryFailed(t.h.ctx)).toEqual([]);
    await expect(retryPost(t.h.ctx, failed!.id)).rejects.toThrow(/already posted/);
    await expect(retryPost(t.h.ctx, 'post-a0123456789abcdef-nobody')).rejects.toThrow(/is not a post id/);
  });

  it('pause holds an account’s posts without dropping them; resume lets them go', async () => {
    expect(await pauseAccounts(t.h.ctx, 'twitter')).toEqual(['x-main']);
    await publish();
    await until(() => t.h.fakes.facebook.posts().length === 1 && t.h.fakes.linkedin.posts().length === 1);
    await until(async () =>
      (await listScheduled(t.h.ctx)).some((p) => p.platform === 'twitter' && p.state === 'delayed'),
    );
    expect(t.h.fakes.twitter.posts()).toHaveLength(0);
    expect(t.h.log.events('delayed').some((l) => l.reason === 'account paused')).toBe(true);

    await resumeAccounts(t.h.ctx, 'x-main');
    await until(() => t.h.fakes.twitter.posts().length === 1);
    expect(total()).toBe(3);
    await expect(pauseAccounts(t.h.ctx, 'myspace')).rejects.toThrow(/neither an account/);
  });
});
