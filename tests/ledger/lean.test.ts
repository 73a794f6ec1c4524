import { describe, expect, it } from 'vitest';
import { AccountStates } from '../../src/accounts/state.js';
import type { Article } from '../../src/articles/article.js';
import type { Post } from '../../src/core/post.js';
import { Ledger } from '../../src/ledger/ledger.js';
import { redisKeys } from '../../src/queue/keys.js';
import { LuaScript } from '../../src/queue/scripts.js';
import { ArticleStore, articleVersion } from '../../src/sources/article-store.js';
import { usePrivateRedis } from '../helpers/redis.js';

/** The lean publish path's Redis side: compact entries, the one-round-trip start of an attempt, packed articles. */
const post = (account: string, articleId = 'a00000000000000aa'): Post => ({
  platform: 'twitter',
  account,
  articleId,
  articleKey: `https://example.org/${articleId}`,
  text: 'Hello. https://example.org/a',
  summary: 'Hello.',
  link: 'https://example.org/a',
  hashtags: [],
  article: { url: 'https://example.org/a', title: 'A' },
});
const refOf = (p: Post) => ({ articleId: p.articleId, platform: p.platform, account: p.account });

describe('ledger entries kept compact (real Redis)', () => {
  const fx = usePrivateRedis();

  it('stores no empty field and nothing the post already says, and reads back whole', async () => {
    const ledger = new Ledger(fx.redis, fx.prefix, 3600);
    const p = post('x-compact');
    await ledger.createPending(p, { jobId: 'post-a00000000000000aa-x-compact', correlationId: 'c1' });
    await ledger.settle(refOf(p), { state: 'posted', existing: { postId: '42', url: 'https://x.com/i/42' } });
    const raw = await fx.redis.hgetall(ledger.key(refOf(p)));
    expect(Object.values(raw)).not.toContain('');
    for (const derived of ['articleId', 'articleKey', 'platform', 'account', 'jobId', 'kind', 'error'])
      expect(raw).not.toHaveProperty(derived);
    expect(await ledger.get(refOf(p))).toMatchObject({
      state: 'posted',
      articleId: p.articleId,
      articleKey: p.articleKey,
      platform: 'twitter',
      account: 'x-compact',
      jobId: 'post-a00000000000000aa-x-compact',
      correlationId: 'c1',
      postId: '42',
      post: { text: p.text },
    });
  });

  it('reads an entry written in the full layout of earlier versions', async () => {
    const ledger = new Ledger(fx.redis, fx.prefix, 3600);
    const p = post('x-old');
    await fx.redis.hset(ledger.key(refOf(p)), {
      state: 'failed',
      articleId: p.articleId,
      articleKey: p.articleKey,
      platform: 'twitter',
      account: 'x-old',
      post: JSON.stringify(p),
      jobId: 'custom-job',
      kind: 'invalid',
      error: 'too long',
      duplicate: '',
      createdAt: '2026-01-01T00:00:00.000Z',
      updatedAt: '2026-01-01T00:00:00.000Z',
    });
    expect(await ledger.get(refOf(p))).toMatchObject({
      state: 'failed',
      account: 'x-old',
      jobId: 'custom-job',
      kind: 'invalid',
      error: 'too long',
      duplicate: undefined,
    });
  });

  it("creates an article's entries in one step and returns the ones that existed", async () => {
    const ledger = new Ledger(fx.redis, fx.prefix, 3600);
    const [a, b] = [post('x-many-a', 'a00000000000000bb'), post('x-many-b', 'a00000000000000bb')];
    expect(await ledger.createPendingMany([{ post: a }])).toEqual([null]);
    const again = await ledger.createPendingMany([{ post: { ...a, text: 'other' } }, { post: b }]);
    expect(again[0]).toMatchObject({ state: 'pending', post: { text: a.text } });
    expect(again[1]).toBeNull();
    expect((await ledger.get(refOf(b)))?.state).toBe('pending');
  });
});

describe('the start of an attempt in one round trip (real Redis)', () => {
  const fx = usePrivateRedis();

  it('claims a pending entry of a healthy account, and only when the caller allows it', async () => {
    const ledger = new Ledger(fx.redis, fx.prefix, 3600);
    const p = post('x-begin');
    await ledger.createPending(p);
    const looked = await ledger.begin(refOf(p), { claim: false, sender: 'me' });
    expect(looked.claimed).toBeUndefined();
    expect((await ledger.get(refOf(p)))?.state).toBe('pending');

    const begun = await ledger.begin(refOf(p), { claim: true, sender: 'me' });
    expect(begun.entry?.state).toBe('pending'); // as read, before the claim
    expect(begun.claimed).toMatchObject({ previous: 'pending' });
    expect(await ledger.get(refOf(p))).toMatchObject({ state: 'sending', sender: 'me' });
    // Claimed once: a second start finds it sending and leaves the claim to the careful path.
    expect((await ledger.begin(refOf(p), { claim: true, sender: 'other' })).claimed).toBeUndefined();
    expect((await ledger.get(refOf(p)))?.sender).toBe('me');
  });

  it('does not claim for a paused, rate-limited or held-for-attention account, nor a held or planned post', async () => {
    const ledger = new Ledger(fx.redis, fx.prefix, 3600);
    const states = new AccountStates(fx.redis, fx.prefix);
    const cases: Array<[string, () => Promise<unknown>]> = [
      ['x-paused', () => states.setPaused('x-paused', true)],
      ['x-limited', () => states.setRateLimited('x-limited', Date.now() + 60_000, '429')],
      ['x-attention', () => states.setNeedsAttention('x-attention', '401', 'renew', 'fp')],
      ['x-held', () => ledger.annotate(refOf(post('x-held')), { heldAt: new Date().toISOString() })],
      ['x-planned', () => ledger.annotate(refOf(post('x-planned')), { at: '2099-01-01T00:00:00.000Z' })],
    ];
    for (const [account, setUp] of cases) {
      await ledger.createPending(post(account));
      await setUp();
      const begun = await ledger.begin(refOf(post(account)), { claim: true });
      expect(begun.claimed, account).toBeUndefined();
      expect(begun.entry?.state, account).toBe('pending');
      expect((await ledger.get(refOf(post(account))))?.state, account).toBe('pending');
    }
    const paused = await ledger.begin(refOf(post('x-paused')), { claim: true });
    expect(paused.account.paused).toBe('true'); // the account's state comes with the entry
  });

  it('records the quota reading with the outcome', async () => {
    const ledger = new Ledger(fx.redis, fx.prefix, 3600);
    const p = post('x-quota');
    await ledger.createPending(p);
    const quota = { usedPercent: 82, at: '2026-11-30T04:00:00.000Z', detail: 'app: 14 of 17 per 24 h' };
    await ledger.settle(refOf(p), {
      state: 'posted',
      existing: { postId: '1', url: 'https://x.com/i/1' },
      quota,
    });
    expect((await new AccountStates(fx.redis, fx.prefix).get('x-quota')).quota).toEqual(quota);
  });
});

describe('scripts by SHA (real Redis)', () => {
  const fx = usePrivateRedis();

  it('sends the script once per connection, then its SHA, in calls and in pipelines', async () => {
    const script = new LuaScript('lean_test_echo', 'return {KEYS[1], ARGV[1]}', 1);
    const key = `${fx.prefix}:echo`;
    expect(await script.run(fx.redis, key, 'a')).toEqual([key, 'a']);
    const sha = (await fx.redis.script('LOAD', script.lua)) as string;
    expect(await fx.redis.evalsha(sha, 1, key, 'b')).toEqual([key, 'b']);
    const pipeline = fx.redis.pipeline();
    script.queue(pipeline, key, 'c');
    expect(await pipeline.exec()).toEqual([[null, [key, 'c']]]);
  });
});

describe('articles stored packed (real Redis)', () => {
  const fx = usePrivateRedis();
  const article: Article = {
    id: 'a00000000000000cc',
    key: 'https://example.org/packed',
    url: 'https://example.org/packed',
    title: 'Packed',
    text: 'A paragraph of an article, said twice. '.repeat(60),
    tags: [],
    source: 'test',
  };
  it('keeps an article in a fraction of its JSON, and still reads one stored as plain JSON', async () => {
    const store = new ArticleStore(fx.redis, fx.prefix, 3600);
    const { verdict } = await store.put(article);
    expect(verdict).toBe('new');
    const key = redisKeys(fx.prefix).article(article.id);
    const stored = await fx.redis.getBuffer(key);
    expect(stored!.length).toBeLessThan(JSON.stringify(article).length / 2);
    expect((await store.get(article.id))?.article).toEqual(article);
    expect((await store.put(article)).verdict).toBe('unchanged');

    const plain = { ...article, id: 'a00000000000000dd', title: 'Plain' };
    const entry = { article: plain, version: articleVersion(plain), firstSeenAt: 'x', updatedAt: 'x' };
    await fx.redis.set(redisKeys(fx.prefix).article(plain.id), JSON.stringify(entry));
    expect((await store.getMany([plain.id, article.id])).get(plain.id)?.article.title).toBe('Plain');
    expect((await store.put({ ...plain, text: 'Corrected.' })).verdict).toBe('corrected');
  });
});
