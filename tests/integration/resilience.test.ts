import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { enqueueIngest } from '../../src/queue/enqueue.js';
import { until, useRunningHarness } from '../helpers/pipeline.js';

const SEED = resolve('tests/fixtures/articles/furnished.txt');
const LINK = 'https://example.org/macron-putin';

/** Contract: platform answer → queue outcome, across the whole pipeline on real Redis and BullMQ. */
describe('platforms that throttle and fail halfway', () => {
  const t = useRunningHarness();

  const publish = () =>
    enqueueIngest(t.h.ctx, { location: SEED, kind: 'auto', url: LINK, correlationId: randomUUID() });
  const failedJobs = async () => {
    let n = 0;
    for (const q of Object.values(t.h.ctx.queues.publish)) n += (await q.getJobCounts('failed')).failed ?? 0;
    return n;
  };
  const completed = (platform: string) =>
    t.h.log.events('completed').filter((l) => l.platform === platform && l.outcome !== 'delayed');

  it('one platform throttled: it waits for its reset without using an attempt, the others are not slowed', async () => {
    const reset = t.h.fakes.twitter.rateLimitFor(5000);
    const started = Date.now();
    await publish();
    await until(() => t.h.fakes.facebook.posts().length === 1 && t.h.fakes.linkedin.posts().length === 1);
    const othersDone = Date.now();
    expect(othersDone).toBeLessThan(reset.getTime()); // not held behind X's limit
    expect(t.h.fakes.twitter.posts()).toHaveLength(0);
    // X's adapter loads on its first call, so its refusal may come after the others are done.
    await until(async () => (await t.h.ctx.accountStates.get('x-main')).health === 'rate-limited');

    await until(() => t.h.fakes.twitter.posts().length === 1, 20_000);
    expect(Date.now()).toBeGreaterThanOrEqual(reset.getTime());
    await until(() => completed('twitter').length === 1);
    expect(completed('twitter')[0]).toMatchObject({ outcome: 'posted', attempt: 1 }); // the wait cost no attempt
    expect(
      t.h.log
        .events('delayed')
        .some((l) => l.platform === 'twitter' && String(l.reason).startsWith('rate-limited')),
    ).toBe(true);
    expect(await failedJobs()).toBe(0);
    expect(othersDone - started).toBeLessThan(reset.getTime() - started);
  });

  it('every platform throttled for a while, then recovering: every post arrives exactly once, none failed', async () => {
    t.h.fakes.twitter.rateLimitFor(2000);
    // Graph says "regain access in N minutes"; a fraction of a minute keeps the test short.
    t.h.fakes.facebook.rateLimitFor(2000, { code: 32, regainMinutes: 0.04 });
    // LinkedIn's limit lasts until midnight UTC on its clock: put its clock two seconds before midnight.
    const now = Date.now();
    const midnight = Math.ceil((now + 1) / 86_400_000) * 86_400_000;
    t.h.fakes.linkedin.server.clock.offsetMs = midnight - 2000 - now;
    t.h.fakes.linkedin.rateLimitFor(2000);
    await publish();
    await until(
      () =>
        t.h.fakes.twitter.posts().length +
          t.h.fakes.facebook.posts().length +
          t.h.fakes.linkedin.posts().length ===
        3,
      25_000,
    );
    await until(async () => ['twitter', 'facebook', 'linkedin'].every((p) => completed(p).length === 1));
    for (const p of ['twitter', 'facebook', 'linkedin']) {
      expect(t.h.log.events('delayed').some((l) => l.platform === p)).toBe(true);
      expect(completed(p)[0]).toMatchObject({ outcome: 'posted', attempt: 1 });
    }
    expect(await failedJobs()).toBe(0);
    expect(t.h.fakes.twitter.posts()).toHaveLength(1);
    expect(t.h.fakes.facebook.posts()).toHaveLength(1);
    expect(t.h.fakes.linkedin.posts()).toHaveLength(1);
  });

  it('a post stored but answered with a 500 or a timeout is reconciled, never posted twice', async () => {
    t.h.fakes.twitter.failAfterStore(503);
    t.h.fakes.facebook.failAfterStore(2);
    t.h.fakes.linkedin.hang({ afterStore: true }); // the client times out (requestTimeoutMs)
    await publish();
    await until(
      async () => ['twitter', 'facebook', 'linkedin'].every((p) => completed(p).length === 1),
      25_000,
    );
    for (const p of ['twitter', 'facebook', 'linkedin']) {
      expect(completed(p)[0]).toMatchObject({ outcome: 'reconciled' });
      expect(t.h.log.events('retrying').some((l) => l.platform === p && l.errorKind === 'unconfirmed')).toBe(
        true,
      );
    }
    expect(t.h.fakes.twitter.posts()).toHaveLength(1);
    expect(t.h.fakes.facebook.posts()).toHaveLength(1);
    expect(t.h.fakes.linkedin.posts()).toHaveLength(1);
    const entries = await t.h.ctx.ledger.recent(3);
    expect(entries.map((e) => e.state)).toEqual(['posted', 'posted', 'posted']);
    expect(entries.find((e) => e.platform === 'twitter')?.postId).toBe(t.h.fakes.twitter.posts()[0]?.id);
  });

  it('an unconfirmed post stays unconfirmed when the look-up itself fails: still one post', async () => {
    t.h.fakes.twitter.failAfterStore(500);
    t.h.fakes.twitter.server.addFault({
      method: 'GET',
      pathPrefix: '/2/users/me',
      action: {
        mode: 'respond',
        response: { status: 503, body: { title: 'Service Unavailable', status: 503 } },
      },
    });
    await publish();
    await until(() => completed('twitter').length === 1, 20_000);
    expect(completed('twitter')[0]).toMatchObject({ outcome: 'reconciled', attempt: 3 });
    expect(
      t.h.log
        .events('retrying')
        .filter((l) => l.platform === 'twitter')
        .map((l) => l.errorKind),
    ).toEqual(['unconfirmed', 'transient']);
    expect(t.h.fakes.twitter.requestsTo('POST', '/2/tweets')).toHaveLength(1);
    expect(t.h.fakes.twitter.posts()).toHaveLength(1);
  });
});
