import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PostingBudget } from '../../src/accounts/budget.js';
import { AccountStates } from '../../src/accounts/state.js';
import type { Post } from '../../src/core/post.js';
import { Ledger } from '../../src/ledger/ledger.js';
import { deletePrefix, redisUrl, uniquePrefix, usePrivateRedis } from '../helpers/redis.js';

const post = (account = 'x-main'): Post => ({
  platform: 'twitter',
  account,
  articleId: 'a0123456789abcdef',
  articleKey: 'https://example.org/a',
  text: 'Hello. https://example.org/a',
  summary: 'Hello.',
  link: 'https://example.org/a',
  hashtags: [],
  article: { url: 'https://example.org/a', title: 'A' },
});
const ref = (account = 'x-main') => ({
  articleId: 'a0123456789abcdef',
  platform: 'twitter' as const,
  account,
});

describe('ledger (real Redis)', () => {
  const prefix = uniquePrefix();
  let redis: Redis;
  let ledger: Ledger;
  beforeAll(() => {
    redis = new Redis(redisUrl());
    ledger = new Ledger(redis, prefix, 3600);
  });
  afterAll(async () => {
    await deletePrefix(prefix);
    redis.disconnect();
  });

  it('creates one pending entry per (article, platform, account) and returns the existing one after', async () => {
    expect(await ledger.createPending(post())).toBeNull();
    const again = await ledger.createPending({ ...post(), text: 'other' });
    expect(again).toMatchObject({ state: 'pending', post: { text: 'Hello. https://example.org/a' } });
    expect(await redis.ttl(ledger.key(ref()))).toBeGreaterThan(3500);
  });

  it('lets exactly one claim through and refuses a posted entry', async () => {
    const [a, b] = await Promise.all([ledger.claim(ref()), ledger.claim(ref())]);
    // The second claim sees "sending": a crashed attempt would look the same, so it must reconcile first.
    expect([a, b].map((c) => (c.ok ? c.previous : c.state)).sort()).toEqual(['pending', 'sending']);
    await ledger.markPosted(ref(), { postId: '42', url: 'https://x.com/i/web/status/42' });
    expect(await ledger.claim(ref())).toMatchObject({ ok: false, state: 'posted' });
    expect((await ledger.recent(5))[0]).toMatchObject({ state: 'posted', postId: '42' });
  });

  it('updates a pending post (corrected article) but never a posted one', async () => {
    await ledger.createPending(post('other'));
    expect(await ledger.updatePendingPost({ ...post('other'), text: 'Corrected.' })).toBe(true);
    expect((await ledger.get(ref('other')))?.post.text).toBe('Corrected.');
    expect(await ledger.updatePendingPost({ ...post(), text: 'Too late.' })).toBe(false);
  });
});

describe('posting budget and account state (real Redis)', () => {
  const fx = usePrivateRedis();

  it('allows N posts per sliding window, then says when the next one fits', async () => {
    const budget = new PostingBudget(fx.redis, fx.prefix);
    const t0 = 1_700_000_000_000;
    expect(await budget.reserve('x', 'j1', 2, 60_000, t0)).toBeNull();
    expect(await budget.reserve('x', 'j1', 2, 60_000, t0 + 1)).toBeNull(); // idempotent per job
    expect(await budget.reserve('x', 'j2', 2, 60_000, t0 + 10)).toBeNull();
    expect(await budget.reserve('x', 'j3', 2, 60_000, t0 + 20)).toBe(t0 + 60_000);
    await budget.release('x', 'j2');
    expect(await budget.reserve('x', 'j3', 2, 60_000, t0 + 30)).toBeNull();
  });

  it('tracks health: rate-limited until T, needs attention once per credential set, paused', async () => {
    const states = new AccountStates(fx.redis, fx.prefix);
    const now = Date.now();
    await states.setRateLimited('fb', now + 60_000, '(#32) Page request limit reached');
    expect(await states.get('fb', now)).toMatchObject({ health: 'rate-limited', until: now + 60_000 });
    expect((await states.get('fb', now + 61_000)).health).toBe('ok');

    expect(await states.setNeedsAttention('li', 'token expired', 're-authorise', 'fp1')).toBe(true);
    expect(await states.setNeedsAttention('li', 'token expired', 're-authorise', 'fp1')).toBe(false);
    expect(await states.get('li')).toMatchObject({
      health: 'needs-attention',
      reason: 'token expired',
      action: 're-authorise',
    });
    await states.clearAttention('li');
    expect((await states.get('li')).health).toBe('ok');

    await states.setPaused('li', true);
    expect((await states.get('li')).health).toBe('paused');
  });
});

describe('settling an attempt: ledger, budget and account in one step (real Redis)', () => {
  const fx = usePrivateRedis();

  it('records the outcome, gives the budget back, marks the account; an auth failure older than a resume is stale', async () => {
    const ledger = new Ledger(fx.redis, fx.prefix, 3600);
    const budget = new PostingBudget(fx.redis, fx.prefix);
    const states = new AccountStates(fx.redis, fx.prefix);
    await ledger.createPending(post());
    await budget.reserve('x-main', 'job-1', 5, 60_000);
    const started = Date.now();
    const auth = { health: 'needs-attention' as const, reason: '401', action: 'renew', fingerprint: 'fp' };
    expect(
      await ledger.settle(ref(), {
        state: 'pending',
        kind: 'auth',
        error: '401',
        releaseBudget: 'job-1',
        account: auth,
        attemptStartedAt: started,
      }),
    ).toEqual({ firstAttention: true, gone: false });
    expect(await ledger.get(ref())).toMatchObject({ state: 'pending', kind: 'auth', error: '401' });
    expect(await budget.used('x-main', 60_000)).toBe(0);
    expect((await states.get('x-main')).health).toBe('needs-attention');

    // The operator resumes; a failure of an attempt that started before that does not hold the account again.
    await states.clearAttention('x-main');
    await ledger.settle(ref(), {
      state: 'pending',
      kind: 'auth',
      error: '401',
      account: auth,
      attemptStartedAt: started,
    });
    expect((await states.get('x-main')).health).toBe('ok');
    await ledger.settle(ref(), {
      state: 'pending',
      kind: 'auth',
      error: '401',
      account: auth,
      attemptStartedAt: Date.now() + 1,
    });
    expect((await states.get('x-main')).health).toBe('needs-attention');

    expect(await ledger.settle(ref('gone'), { state: 'failed' })).toEqual({
      firstAttention: false,
      gone: true,
    });
  });
});
