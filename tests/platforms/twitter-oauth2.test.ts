import { Redis } from 'ioredis';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { isPlatformFailure } from '../../src/core/failure.js';
import type { Post } from '../../src/core/post.js';
import type { StoredTokens, TokenStore } from '../../src/platforms/adapter.js';
import { MemoryTokenStore, RedisTokenStore } from '../../src/platforms/token-store.js';
import { createTwitterAdapter } from '../../src/platforms/twitter/adapter.js';
import type { TwitterOAuth2Credentials } from '../../src/platforms/twitter/credentials.js';
import { createTwitterFake, TWITTER_FAKE_CREDENTIALS } from '../../src/platforms/twitter/fake.js';
import { fakeTls } from '../helpers/fake-tls.js';
import { deletePrefix, redisUrl, uniquePrefix } from '../helpers/redis.js';

const fake = createTwitterFake();
const O2: TwitterOAuth2Credentials = TWITTER_FAKE_CREDENTIALS.oauth2;
const redis = new Redis(redisUrl());
const prefixes: string[] = [];

function newStore(): RedisTokenStore {
  const p = uniquePrefix();
  prefixes.push(p);
  return new RedisTokenStore(redis, p, 'twitter');
}

let seq = 0;
function makePost(): Post {
  seq += 1;
  const url = `https://news.example.com/o2/${seq}`;
  return {
    platform: 'twitter',
    account: 'main',
    articleId: `o${seq}`,
    articleKey: url,
    text: `OAuth 2.0 story ${seq} ${url}`,
    summary: 'S.',
    link: url,
    hashtags: [],
    article: { url, title: 'T' },
  };
}

const adapter = (tokens: TokenStore, credentials: TwitterOAuth2Credentials = O2) =>
  createTwitterAdapter({
    account: 'main',
    credentials,
    options: { baseUrl: fake.url, timeoutMs: 5000 },
    tokens,
  });
const tokenCalls = () => fake.requestsTo('POST', '/2/oauth2/token');

beforeAll(async () => {
  await fake.start(fakeTls());
});
afterAll(async () => {
  await fake.close();
  for (const p of prefixes) await deletePrefix(p);
  redis.disconnect();
});
beforeEach(() => fake.reset());

describe('RedisTokenStore', () => {
  it('swaps only from the expected refresh token (nothing stored = null), atomically', async () => {
    const store = newStore();
    const t = (n: number): StoredTokens => ({
      accessToken: `a${n}`,
      refreshToken: `r${n}`,
      expiresAt: 1000 + n,
    });
    expect(await store.get('acc')).toBeNull();
    expect(await store.swap('acc', 'r0', t(1))).toBe(false);
    expect(await store.swap('acc', null, t(1))).toBe(true);
    expect(await store.swap('acc', null, t(2))).toBe(false);
    expect(await store.get('acc')).toEqual(t(1));
    const racers = await Promise.all([2, 3, 4, 5, 6, 7].map((n) => store.swap('acc', 'r1', t(n))));
    expect(racers.filter(Boolean)).toHaveLength(1);
    expect(Number((await store.get('acc'))?.refreshToken.slice(1))).toBe(racers.indexOf(true) + 2);
  });
});

describe('X adapter with OAuth 2.0 user tokens', () => {
  it('refreshes at the base URL, stores the rotated refresh token before using the new access token', async () => {
    const store = newStore();
    const order: string[] = [];
    const recording: TokenStore = {
      get: (a) => store.get(a),
      swap: async (a, e, n) => {
        order.push(`swap after ${fake.requestsTo('POST', '/2/tweets').length} posts`);
        return store.swap(a, e, n);
      },
    };
    await adapter(recording).publish(makePost());
    const [call] = tokenCalls();
    expect(call?.headers['content-type']).toMatch(/^application\/x-www-form-urlencoded/);
    expect(call?.headers.authorization).toBe(
      `Basic ${Buffer.from(`${O2.clientId}:${O2.clientSecret}`).toString('base64')}`,
    );
    expect(call?.form.get('grant_type')).toBe('refresh_token');
    expect(order).toEqual(['swap after 0 posts']);
    const stored = await store.get('main');
    expect(stored?.refreshToken).not.toBe(O2.refreshToken);
    expect(fake.requestsTo('POST', '/2/tweets')[0]?.headers.authorization).toBe(
      `Bearer ${stored?.accessToken}`,
    );
    expect(fake.posts()[0]?.auth).toBe('oauth2');
  });

  it('on a 401 (access token expired at X) refreshes once and retries; never refreshes on a duplicate 403', async () => {
    const store = newStore();
    const a = adapter(store);
    const post = makePost();
    await a.publish(post);
    fake.server.clock.offsetMs = 2 * 3600_000;
    await a.publish(makePost());
    expect(tokenCalls()).toHaveLength(2);
    const dup = await a.publish(post).catch((e: unknown) => e);
    expect(isPlatformFailure(dup) && dup.kind).toBe('duplicate');
    expect(tokenCalls()).toHaveLength(2);
  });

  it('a refresh token already used elsewhere is auth with an action to re-authorize', async () => {
    await adapter(newStore()).publish(makePost());
    const f = await adapter(new MemoryTokenStore())
      .publish(makePost())
      .catch((e: unknown) => e);
    expect(isPlatformFailure(f) && [f.kind, f.code, f.status]).toEqual(['auth', 'invalid_request', 400]);
    expect(isPlatformFailure(f) && f.action).toMatch(/authorize the account again/);
    expect(fake.posts()).toHaveLength(1);
  });

  it('a token store that fails (Redis down) is a transient failure before anything is posted', async () => {
    const broken: TokenStore = {
      get: () => Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:6379')),
      swap: () => Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:6379')),
    };
    const f = await adapter(broken)
      .publish(makePost())
      .catch((e: unknown) => e);
    expect(isPlatformFailure(f) && f.kind).toBe('transient');
    expect(fake.requestsTo('POST', '/2/tweets')).toHaveLength(0);
  });

  it('two workers sharing the store after expiry both publish, and one refresh chain survives', async () => {
    const store = newStore();
    await store.swap('main', null, { accessToken: 'stale', refreshToken: O2.refreshToken, expiresAt: 0 });
    const results = await Promise.all([
      adapter(store).publish(makePost()),
      adapter(store).publish(makePost()),
    ]);
    expect(results.map((r) => r.postId)).toHaveLength(2);
    const stored = await store.get('main');
    expect(fake.tokenState(stored?.refreshToken ?? '')).toBe('valid');
    expect(fake.tokenState(stored?.accessToken ?? '')).toBe('valid');
  });

  it('a new refresh token in the configuration (re-authorised) starts a new chain instead of the stored one', async () => {
    const store = newStore();
    await adapter(store).publish(makePost()); // chain 1 is stored
    const spent = await store.get('main');
    fake.setTokenState(spent!.refreshToken, 'revoked'); // the operator revoked the app, then re-authorised
    await store.swap('main', spent!.refreshToken, { ...spent!, expiresAt: 0 });
    const fresh = fake.issueOAuth2Tokens();
    const reauthorised = { ...O2, refreshToken: fresh.refreshToken };
    const r = await adapter(store, reauthorised).publish(makePost());
    expect(r.postId).toBeTruthy();
    const body = tokenCalls().at(-1)?.form;
    expect(body?.get('refresh_token')).toBe(fresh.refreshToken);
    expect((await store.get('main'))?.refreshToken).not.toBe(spent!.refreshToken);
  });
});
