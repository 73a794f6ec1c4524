import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  cancelPost,
  holdPost,
  listScheduled,
  OperationError,
  pauseAccounts,
  releasePost,
  reschedulePost,
  resumeAccounts,
  retryFailed,
  retryPost,
} from '../../src/control/posts.js';
import { enqueueIngest, enqueuePublish } from '../../src/queue/enqueue.js';
import { collectArticleStatus, renderArticleStatus } from '../../src/status/article.js';
import type { NamedFakes as AllFakes } from '../helpers/fakes.js';
import { until, useRunningHarness } from '../helpers/pipeline.js';

const SEED = resolve('tests/fixtures/articles/furnished.txt');

/** Graph refuses the next post as invalid (#100): the post fails at once, with Graph's own message. */
function refuseNextFacebookPost(fakes: AllFakes): void {
  fakes.facebook.addFault({
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
}

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
    expect(listed[0]?.title).toBe('Mayor Okafor Asks Rail Unions Back To Talks, Commuters Brace For Strike');
    // What will be sent, exactly as composed.
    for (const p of listed) {
      const entry = await t.h.ctx.ledger.get({
        articleId: p.articleId,
        platform: p.platform as 'twitter' | 'facebook' | 'linkedin',
        account: p.account,
      });
      expect(p.text).toBe(entry?.post.text);
      expect(p.text).toMatch(/Okafor/);
    }

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
    refuseNextFacebookPost(t.h.fakes);
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
    expect(await retryFailed(t.h.ctx)).toEqual({ retried: [failed!.id], refused: [] });
    await until(() => t.h.fakes.facebook.posts().length === 1);
    await until(
      async () =>
        (await t.h.ctx.ledger.get({ articleId: failed!.articleId, platform: 'facebook', account: 'fb-page' }))
          ?.state === 'posted',
    );
    expect(await retryFailed(t.h.ctx)).toEqual({ retried: [], refused: [] });
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

  it('hold keeps one post from going out, whatever its time; release lets it go, once', async () => {
    await publish(new Date(Date.now() + 3_600_000).toISOString());
    await until(async () => (await listScheduled(t.h.ctx)).length === 3);
    const listed = await listScheduled(t.h.ctx);
    const tw = listed.find((p) => p.platform === 'twitter')!;
    const fb = listed.find((p) => p.platform === 'facebook')!;
    const twRef = { articleId: tw.articleId, platform: 'twitter' as const, account: 'x-main' };

    const held = await holdPost(t.h.ctx, tw.id);
    expect(held.heldAt).toBeDefined();
    expect((await listScheduled(t.h.ctx)).find((p) => p.id === tw.id)).toMatchObject({
      state: 'held',
      reason: expect.stringContaining(`crier release ${tw.id}`),
    });
    await expect(holdPost(t.h.ctx, tw.id)).rejects.toThrow(/already held/);
    await expect(releasePost(t.h.ctx, fb.id)).rejects.toThrow(/is not held/);

    // A publish job that slipped past the hold (a slot that fired at that moment) sends nothing.
    await enqueuePublish(
      t.h.ctx,
      { ...twRef, articleKey: held.articleKey, correlationId: 'race' },
      { jobId: tw.id },
    );
    await until(() => t.h.log.events('completed').some((l) => l.jobId === tw.id && l.outcome === 'held'));
    // The other posts go when due; the held one does not.
    await reschedulePost(t.h.ctx, fb.id, new Date(Date.now() + 200).toISOString());
    await until(() => t.h.fakes.facebook.posts().length === 1);
    expect(t.h.fakes.twitter.posts()).toHaveLength(0);

    await releasePost(t.h.ctx, tw.id, new Date(Date.now() + 200).toISOString());
    await until(() => t.h.fakes.twitter.posts().length === 1);
    await until(async () => (await t.h.ctx.ledger.get(twRef))?.state === 'posted');
    // The job completes right after the ledger says posted: until then it is listed as active.
    await until(async () => !(await listScheduled(t.h.ctx)).some((p) => p.id === tw.id));
    await expect(holdPost(t.h.ctx, tw.id)).rejects.toThrow(/already posted/);
    expect(t.h.fakes.twitter.posts()).toHaveLength(1);
  });
});

describe('status of one article', () => {
  const t = useRunningHarness();

  it('tells per account what was posted where, what failed and why, and what waits', async () => {
    refuseNextFacebookPost(t.h.fakes);
    await pauseAccounts(t.h.ctx, 'li-page');
    await enqueueIngest(t.h.ctx, {
      location: SEED,
      kind: 'auto',
      url: 'https://example.org/macron-putin',
      correlationId: randomUUID(),
    });
    await until(
      async () => ((await t.h.ctx.queues.publish.facebook.getJobCounts('failed')).failed ?? 0) === 1,
    );
    await until(() => t.h.fakes.twitter.posts().length === 1);
    await until(async () => (await t.h.ctx.queues.publish.linkedin.getJobCounts('delayed')).delayed === 1);
    await until(async () => {
      const s = await collectArticleStatus(t.h.ctx, 'https://example.org/macron-putin?utm_source=x');
      return s.posts.find((p) => p.platform === 'twitter')?.state === 'posted';
    });

    const s = await collectArticleStatus(t.h.ctx, 'http://www.example.org/macron-putin/');
    expect(s).toMatchObject({
      known: true,
      title: 'Mayor Okafor Asks Rail Unions Back To Talks, Commuters Brace For Strike',
    });
    const by = (p: string) => s.posts.find((x) => x.platform === p)!;
    expect(by('twitter')).toMatchObject({
      state: 'posted',
      url: expect.stringMatching(/^https:\/\/x\.com\//),
    });
    expect(by('facebook')).toMatchObject({ state: 'failed', kind: 'invalid', job: 'failed' });
    expect(by('facebook').error).toMatch(/Invalid parameter/);
    expect(by('linkedin')).toMatchObject({ state: 'pending', job: 'delayed' });
    expect(Date.parse(by('linkedin').next!)).toBeGreaterThan(Date.now());
    // The same by id; an unknown article says so; a reference that is neither is refused by name.
    expect((await collectArticleStatus(t.h.ctx, s.articleId)).posts).toEqual(s.posts);
    const unknown = await collectArticleStatus(t.h.ctx, 'https://example.org/never-published');
    expect(unknown.known).toBe(false);
    expect(unknown.posts.every((p) => p.state === 'none')).toBe(true);
    await expect(collectArticleStatus(t.h.ctx, 'macron')).rejects.toThrow(/neither an article id/);
    expect(renderArticleStatus(s)).toContain('invalid: ');
  });
});

describe('hold and release with posting slots', () => {
  const t = useRunningHarness({
    yaml: `
site: { name: Test, url: https://example.org }
accounts:
  - id: x-main
    platform: twitter
    schedule: { mode: slots, slots: ["0 8 1 1 *"], timezone: Europe/Paris }
publishing: { attempts: 3, backoffMs: 200, requestTimeoutMs: 3000, retentionDays: 1 }
`,
  });

  it('a held post leaves the account’s posting queue and goes back to it when released', async () => {
    await enqueueIngest(t.h.ctx, {
      location: SEED,
      kind: 'auto',
      url: 'https://example.org/macron-putin',
      correlationId: randomUUID(),
    });
    await until(async () => (await listScheduled(t.h.ctx)).some((p) => p.state === 'slot'));
    const [waiting] = await listScheduled(t.h.ctx);
    await holdPost(t.h.ctx, waiting!.id);
    expect((await listScheduled(t.h.ctx)).map((p) => p.state)).toEqual(['held']);
    await releasePost(t.h.ctx, waiting!.id);
    expect((await listScheduled(t.h.ctx)).map((p) => [p.id, p.state])).toEqual([[waiting!.id, 'slot']]);
    expect(t.h.fakes.twitter.posts()).toHaveLength(0);
  });
});
