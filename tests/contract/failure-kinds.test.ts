import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWorkers } from '../../jobs/workers.js';
import type { PlatformName } from '../../src/core/platform.js';
import { type AllFakes, startAllFakes } from '../../src/platforms/fake/all.js';
import type { FakeResponse } from '../../src/platforms/fake/server.js';
import { enqueueIngest } from '../../src/queue/enqueue.js';
import { fakeTls } from '../helpers/fake-tls.js';
import { startHarness, until } from '../helpers/pipeline.js';

/**
 * The failure taxonomy end to end: for every platform and every failure kind, a scripted answer from the
 * platform's fake gives the expected job outcome, attempts used, ledger and account state, and log line.
 */
const ACCOUNT: Record<PlatformName, string> = { twitter: 'x-main', facebook: 'fb-page', linkedin: 'li-page' };
const yaml = (p: PlatformName) => `
site: { name: Test, url: https://example.org }
accounts:
  - { id: ${ACCOUNT[p]}, platform: ${p} }
publishing: { attempts: 2, backoffMs: 100, requestTimeoutMs: 2000, retentionDays: 1, holdRecheckMs: 60000 }
`;

const INVALID: Record<PlatformName, FakeResponse> = {
  twitter: {
    status: 400,
    body: {
      errors: [{ parameters: { text: ['x'] }, message: 'The `text` field is invalid.' }],
      title: 'Invalid Request',
      detail: 'One or more parameters to your request was invalid.',
      type: 'https://api.twitter.com/2/problems/invalid-request',
    },
  },
  facebook: {
    status: 400,
    body: {
      error: { message: '(#100) Invalid parameter', type: 'OAuthException', code: 100, fbtrace_id: 'Ab1' },
    },
  },
  linkedin: {
    status: 422,
    body: {
      message: 'ERROR :: /author :: field is required but not found and has no default value',
      status: 422,
    },
  },
};

function script(fakes: AllFakes, p: PlatformName, response: FakeResponse) {
  const server = p === 'facebook' ? fakes.facebook : fakes[p].server;
  server.addFault({ method: 'POST', action: { mode: 'respond', response } });
}

function rateLimit(fakes: AllFakes, p: PlatformName) {
  if (p === 'twitter') fakes.twitter.rateLimitFor(1500);
  if (p === 'facebook') fakes.facebook.rateLimitFor(1500, { code: 613, regainMinutes: 0.025 });
  if (p === 'linkedin') {
    const now = Date.now();
    fakes.linkedin.server.clock.offsetMs = Math.ceil((now + 1) / 86_400_000) * 86_400_000 - 1500 - now;
    fakes.linkedin.rateLimitFor(1500);
  }
}

function expireToken(fakes: AllFakes, p: PlatformName) {
  const env = fakes.env();
  if (p === 'twitter') fakes.twitter.setTokenState(env.TWITTER_ACCESS_TOKEN!, 'revoked');
  if (p === 'facebook') fakes.facebook.setToken('expired');
  if (p === 'linkedin') fakes.linkedin.setToken(env.LINKEDIN_ACCESS_TOKEN!, 'expired');
}

function failAfterStore(fakes: AllFakes, p: PlatformName) {
  if (p === 'twitter') fakes.twitter.failAfterStore(500);
  if (p === 'facebook') fakes.facebook.failAfterStore(2);
  if (p === 'linkedin') fakes.linkedin.failAfterStore(504);
}

const posts = (fakes: AllFakes, p: PlatformName) => fakes[p].posts().length;

describe.each(['twitter', 'facebook', 'linkedin'] as const)('%s: platform answer → queue outcome', (p) => {
  let fakes: AllFakes;
  beforeAll(async () => {
    fakes = await startAllFakes(fakeTls());
  });
  afterAll(() => fakes.close());

  /** A fresh Crier (own prefix) publishes the seed on `p`; `keepFakes` keeps what the platforms already hold. */
  async function run(prepare: () => void, env: Record<string, string> = {}, keepFakes = false) {
    if (!keepFakes) {
      fakes.twitter.reset();
      fakes.facebook.reset();
      fakes.linkedin.reset();
    }
    prepare();
    const h = await startHarness({ yaml: yaml(p), fakes, env });
    const workers = startWorkers(h.ctx, ['ingest', 'compose', p]);
    await enqueueIngest(h.ctx, {
      location: resolve('tests/fixtures/articles/furnished.txt'),
      kind: 'auto',
      url: 'https://example.org/macron-putin',
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
    const c = await run(() => rateLimit(fakes, p));
    try {
      await until(() => c.events('delayed').some((l) => String(l.reason).startsWith('rate-limited')));
      expect((await c.h.ctx.accountStates.get(ACCOUNT[p])).health).toBe('rate-limited');
      await until(() => posts(fakes, p) === 1, 15_000);
      await until(async () => (await c.ref())?.state === 'posted');
      await until(() => c.events('completed').length === 1);
      expect(c.events('completed')[0]).toMatchObject({ outcome: 'posted', attempt: 1 });
      expect(c.events('failed')).toHaveLength(0);
    } finally {
      await c.done();
    }
  });

  it('auth: held (not failed, not lost), account needs attention with what to do, logged once', async () => {
    const c = await run(() => expireToken(fakes, p));
    try {
      await until(async () => (await c.h.ctx.accountStates.get(ACCOUNT[p])).health === 'needs-attention');
      const state = await c.h.ctx.accountStates.get(ACCOUNT[p]);
      expect(state.action).toBeTruthy();
      await until(async () => (await c.job())?.getState().then((s) => s === 'delayed') ?? false);
      expect(await c.ref()).toMatchObject({ state: 'pending', kind: 'auth' });
      expect(c.events('failed')).toHaveLength(0);
      expect(c.h.log.lines.filter((l) => String(l.msg).startsWith('account needs attention'))).toHaveLength(
        1,
      );
      expect(posts(fakes, p)).toBe(0);
    } finally {
      await c.done();
    }
  });

  it('duplicate: recorded as posted with the existing post, never retried', async () => {
    const first = await run(() => {});
    await until(() => posts(fakes, p) === 1);
    await until(async () => (await first.ref())?.state === 'posted');
    const original = await first.ref();
    await first.done();
    // A second Crier with an empty ledger (say, a restored Redis) sends the same post: the platform refuses it.
    const postsBefore = fakes[p].posts().length;
    const c = await run(() => {}, {}, true);
    try {
      await until(() => c.events('completed').length === 1);
      expect(c.events('completed')[0]).toMatchObject({ outcome: 'duplicate', attempt: 1 });
      const entry = await c.ref();
      expect(entry).toMatchObject({ state: 'posted', duplicate: true });
      expect(entry?.postId).toBe(original?.postId);
      expect(fakes[p].posts()).toHaveLength(postsBefore);
      expect(c.events('retrying')).toHaveLength(0);
    } finally {
      await c.done();
    }
  });

  it("invalid: failed at once with the platform's message, one attempt", async () => {
    const c = await run(() => script(fakes, p, INVALID[p]));
    try {
      await until(() => c.events('failed').length === 1);
      expect(c.events('failed')[0]).toMatchObject({ errorKind: 'invalid', attempt: 1 });
      expect(c.events('retrying')).toHaveLength(0);
      const job = await c.job();
      expect(await job?.getState()).toBe('failed');
      expect(job?.attemptsMade).toBe(1);
      expect(await c.ref()).toMatchObject({ state: 'failed', kind: 'invalid' });
      expect((await c.ref())?.error).toMatch(/invalid|required/i);
    } finally {
      await c.done();
    }
  });

  it('transient: retried with backoff a bounded number of times, then failed', async () => {
    const closed = {
      twitter: 'TWITTER_API_URL',
      facebook: 'FACEBOOK_GRAPH_URL',
      linkedin: 'LINKEDIN_API_URL',
    }[p];
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
    const c = await run(() => failAfterStore(fakes, p));
    try {
      await until(() => c.events('completed').length === 1);
      expect(c.events('retrying')[0]).toMatchObject({ errorKind: 'unconfirmed', attempt: 1 });
      expect(c.events('completed')[0]).toMatchObject({ outcome: 'reconciled', attempt: 2 });
      expect(posts(fakes, p)).toBe(1);
      expect(await c.ref()).toMatchObject({ state: 'posted', postId: fakes[p].posts()[0]?.id });
    } finally {
      await c.done();
    }
  });
});
