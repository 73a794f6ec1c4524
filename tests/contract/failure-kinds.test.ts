import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWorkers } from '../../jobs/workers.js';
import type { PlatformName } from '../../src/core/platform.js';
import { platformOf } from '../../src/platforms/descriptors.js';
import { PLATFORMS } from '../../src/platforms/registry.js';
import { enqueueIngest } from '../../src/queue/enqueue.js';
import { type NamedFakes, startFakes } from '../helpers/fakes.js';
import { startHarness, until } from '../helpers/pipeline.js';

/**
 * The failure taxonomy end to end: for every registered platform and every failure kind, a scripted answer from
 * the platform's fake (its own status codes and bodies, through the fake's scenarios) gives the expected job
 * outcome, attempts used, ledger and account state, and log line.
 */
const ARTICLE = resolve('tests/fixtures/articles/harbour-ferry.txt');
const account = (p: PlatformName) => `${p}-main`;
const yaml = (p: PlatformName) => `
site: { name: Test, url: https://example.org }
accounts:
  - { id: ${account(p)}, platform: ${p} }
publishing: { attempts: 2, backoffMs: 100, requestTimeoutMs: 2000, retentionDays: 1, holdRecheckMs: 60000 }
`;

describe.each(PLATFORMS)('%s: platform answer → queue outcome', (p) => {
  let fakes: NamedFakes;
  const fake = () => fakes.get(p);
  const posts = () => fake().posts().length;
  beforeAll(async () => {
    fakes = await startFakes();
  });
  afterAll(() => fakes.close());

  /**
   * A fresh Crier (own prefix) publishes the article on `p`; `keepFakes` keeps what the platforms already hold.
   * The platform is prepared once Crier is up, just before the article is queued: a scripted window (a rate
   * limit with an absolute reset) is not spent while Crier starts on a loaded machine.
   */
  async function run(prepare: () => void, env: Record<string, string> = {}, keepFakes = false) {
    if (!keepFakes) fakes.reset();
    const h = await startHarness({ yaml: yaml(p), fakes, env });
    const workers = startWorkers(h.ctx, ['ingest', 'compose', p]);
    prepare();
    await enqueueIngest(h.ctx, {
      location: ARTICLE,
      kind: 'auto',
      url: 'https://example.org/harbour-ferry',
      correlationId: randomUUID(),
    });
    const ref = async () => (await h.ctx.ledger.recent(1))[0];
    const job = async () =>
      (await h.ctx.queues.publish[p].getJobs(['completed', 'failed', 'delayed', 'waiting', 'active']))[0];
    const done = async () => {
      await workers.close();
      await h.close();
    };
    return { h, ref, job, done, events: (e: string) => h.log.events(e).filter((l) => l.platform === p) };
  }

  it('rate-limited: waits until the limit lifts, no attempt used, account shows it, then posts once', async () => {
    const c = await run(() => fake().scenarios.rateLimit(2000));
    try {
      const limited = () => c.events('delayed').find((l) => String(l.reason).startsWith('rate-limited'));
      await until(() => limited() !== undefined);
      // As the account was when the platform refused (a loaded machine may read it after the limit lifted).
      const time = limited()!.time;
      const at = typeof time === 'number' ? time : Date.parse(String(time));
      expect((await c.h.ctx.accountStates.get(account(p), at)).health).toBe('rate-limited');
      await until(() => posts() === 1, 15_000);
      await until(async () => (await c.ref())?.state === 'posted');
      await until(() => c.events('completed').length === 1);
      expect(c.events('completed')[0]).toMatchObject({ outcome: 'posted', attempt: 1 });
      expect(c.events('failed')).toHaveLength(0);
    } finally {
      await c.done();
    }
  });

  it('auth: held (not failed, not lost), account needs attention with what to do, logged once', async () => {
    const c = await run(() => fake().scenarios.revokeCredentials());
    try {
      await until(async () => (await c.h.ctx.accountStates.get(account(p))).health === 'needs-attention');
      const state = await c.h.ctx.accountStates.get(account(p));
      expect(state.action).toBeTruthy();
      await until(async () => (await c.job())?.getState().then((s) => s === 'delayed') ?? false);
      expect(await c.ref()).toMatchObject({ state: 'pending', kind: 'auth' });
      expect(c.events('failed')).toHaveLength(0);
      expect(c.h.log.lines.filter((l) => String(l.msg).startsWith('account needs attention'))).toHaveLength(
        1,
      );
      expect(posts()).toBe(0);
    } finally {
      await c.done();
    }
  });

  it('duplicate: recorded as posted with the existing post, never retried', async () => {
    const first = await run(() => {});
    await until(() => posts() === 1);
    await until(async () => (await first.ref())?.state === 'posted');
    const original = await first.ref();
    await first.done();
    // A second Crier with an empty ledger (say, a restored Redis) sends the same post: the platform refuses it.
    const postsBefore = posts();
    const c = await run(() => {}, {}, true);
    try {
      await until(() => c.events('completed').length === 1);
      const entry = await c.ref();
      if (fake().scenarios.duplicate === 'same-post') {
        // The platform answers the second send with the post it has (an idempotency key): the same post, once.
        expect(c.events('completed')[0]).toMatchObject({ outcome: 'posted', attempt: 1 });
        expect(entry).toMatchObject({ state: 'posted' });
      } else {
        expect(c.events('completed')[0]).toMatchObject({ outcome: 'duplicate', attempt: 1 });
        expect(entry).toMatchObject({ state: 'posted', duplicate: true });
      }
      expect(entry?.postId).toBe(original?.postId);
      expect(posts()).toBe(postsBefore);
      expect(c.events('retrying')).toHaveLength(0);
    } finally {
      await c.done();
    }
  });

  it("invalid: failed at once with the platform's message, one attempt", async () => {
    const c = await run(() => fake().scenarios.rejectNextAsInvalid());
    try {
      await until(() => c.events('failed').length === 1);
      expect(c.events('failed')[0]).toMatchObject({ errorKind: 'invalid', attempt: 1 });
      expect(c.events('retrying')).toHaveLength(0);
      const job = await c.job();
      expect(await job?.getState()).toBe('failed');
      expect(job?.attemptsMade).toBe(1);
      expect(await c.ref()).toMatchObject({ state: 'failed', kind: 'invalid' });
      // The platform's own words, not a bare status.
      expect((await c.ref())?.error).toMatch(/\p{L}{4,}.*\p{L}{4,}/u);
      expect((await c.ref())?.error).not.toMatch(/^HTTP \d+$/);
    } finally {
      await c.done();
    }
  });

  it('transient: retried with backoff a bounded number of times, then failed', async () => {
    const closed = platformOf(p).api.env;
    const c = await run(() => {}, { [closed]: 'https://127.0.0.1:1' }); // connection refused: nothing was sent
    try {
      await until(() => c.events('failed').length === 1);
      expect(c.events('retrying')).toHaveLength(1);
      expect(c.events('retrying')[0]).toMatchObject({ errorKind: 'transient', attempt: 1 });
      expect(c.events('failed')[0]).toMatchObject({ errorKind: 'transient', attempt: 2 });
      expect(await c.ref()).toMatchObject({ state: 'failed', kind: 'transient' });
    } finally {
      await c.done();
    }
  });

  it('unconfirmed: the retry finds the stored post instead of posting again', async () => {
    const c = await run(() => fake().scenarios.failNextAfterStore());
    try {
      await until(() => c.events('completed').length === 1);
      expect(c.events('retrying')[0]).toMatchObject({ errorKind: 'unconfirmed', attempt: 1 });
      expect(c.events('completed')[0]).toMatchObject({ outcome: 'reconciled', attempt: 2 });
      expect(posts()).toBe(1);
      expect(await c.ref()).toMatchObject({ state: 'posted', postId: fake().posts()[0]?.id });
    } finally {
      await c.done();
    }
  });
});
