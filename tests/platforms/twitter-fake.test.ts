import axios from 'axios';
import { ApiResponseError, TwitterApi } from 'twitter-api-v2';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { TwitterOAuth1Credentials } from '../../src/platforms/twitter/credentials.js';
import {
  createTwitterFake,
  TWITTER_FAKE_CREDENTIALS,
  TWITTER_FAKE_USER,
} from '../../src/platforms/twitter/fake.js';
import { fakeTls } from '../helpers/fake-tls.js';

const fake = createTwitterFake();
const C = TWITTER_FAKE_CREDENTIALS;

interface Answer {
  /** 2xx is reported as 200: twitter-api-v2 does not expose the success status (see the raw bearer test). */
  status: number;
  data: Record<string, unknown> & { data?: Record<string, unknown>; errors?: { message: string }[] };
  headers: Record<string, string | string[] | undefined>;
}

function oauth1(c: TwitterOAuth1Credentials = C.oauth1) {
  return new TwitterApi({
    appKey: c.apiKey,
    appSecret: c.apiSecret,
    accessToken: c.accessToken,
    accessSecret: c.accessSecret,
  });
}

/** One request through twitter-api-v2 (real OAuth signing), answer or error alike. */
async function send(
  client: TwitterApi,
  method: 'GET' | 'POST',
  path: string,
  body?: object,
): Promise<Answer> {
  const opts = { prefix: `${fake.url}/2/`, fullResponse: true as const };
  try {
    const r =
      method === 'GET'
        ? await client.v2.get(path, body as Record<string, string>, opts)
        : await client.v2.post(path, body, { ...opts, forceBodyMode: 'json' });
    return { status: 200, data: r.data, headers: r.headers };
  } catch (e) {
    if (!(e instanceof ApiResponseError)) throw e;
    return { status: e.code, data: e.data as Answer['data'], headers: e.headers };
  }
}

async function raw(method: string, path: string, data?: unknown, headers: Record<string, string> = {}) {
  const r = await axios.request({
    method,
    url: `${fake.url}${path}`,
    data,
    headers,
    validateStatus: () => true,
  });
  return { status: r.status, data: r.data, headers: r.headers };
}

const tweet = (text: string, client = oauth1()) => send(client, 'POST', 'tweets', { text });

beforeAll(async () => {
  await fake.start(fakeTls());
});
afterAll(() => fake.close());
beforeEach(() => fake.reset());

describe('X fake: POST /2/tweets', () => {
  it('answers 201 {data:{id,text}} with t.co links and increasing string ids, and stores the post', async () => {
    const a = await tweet('Read this https://news.example.com/story?utm_source=x and more');
    const b = await tweet('Second post');
    const first = a.data.data as { id: string; text: string };
    expect(Object.keys(a.data)).toEqual(['data']);
    expect(first.text).toMatch(/^Read this https:\/\/t\.co\/[A-Za-z0-9]{10} and more$/);
    expect(BigInt((b.data.data as { id: string }).id) > BigInt(first.id)).toBe(true);
    const [stored] = fake.posts();
    expect(stored).toMatchObject({
      id: first.id,
      authorId: TWITTER_FAKE_USER.id,
      auth: 'oauth1',
      weightedLength: 42,
    });
    expect(stored?.urls[0]?.expanded_url).toBe('https://news.example.com/story?utm_source=x');
    const { accessToken } = fake.issueOAuth2Tokens();
    const created = await raw(
      'POST',
      '/2/tweets',
      { text: 'over OAuth 2.0' },
      { authorization: `Bearer ${accessToken}` },
    );
    expect([created.status, Object.keys(created.data.data)]).toEqual([201, ['id', 'text']]);
    expect(fake.posts()[2]).toMatchObject({ auth: 'oauth2', body: { text: 'over OAuth 2.0' } });
  });

  it('sends x-rate-limit-* on every response and the 24-hour headers on POST', async () => {
    const { headers } = await tweet('hello');
    expect(headers['x-rate-limit-limit']).toBe('100');
    expect(headers['x-rate-limit-remaining']).toBe('99');
    expect(Number(headers['x-rate-limit-reset'])).toBeGreaterThan(Date.now() / 1000);
    expect(headers['x-user-limit-24hour-remaining']).toBe('99');
    expect(headers['x-app-limit-24hour-limit']).toBe('10000');
    const me = await send(oauth1(), 'GET', 'users/me');
    expect(me.data.data).toEqual(TWITTER_FAKE_USER);
    expect(me.headers['x-rate-limit-limit']).toBe('75');
    expect(me.headers['x-user-limit-24hour-limit']).toBeUndefined();
  });

  it('verifies the OAuth 1.0a signature: a wrong secret or no auth gives the 401 body', async () => {
    const wrong = await tweet('x', oauth1({ ...C.oauth1, accessSecret: 'not-the-secret' }));
    expect(wrong).toMatchObject({
      status: 401,
      data: { title: 'Unauthorized', type: 'about:blank', status: 401, detail: 'Unauthorized' },
    });
    expect((await tweet('x', oauth1({ ...C.oauth1, apiSecret: 'nope' }))).status).toBe(401);
    expect((await raw('POST', '/2/tweets', { text: 'x' })).status).toBe(401);
    expect(fake.posts()).toHaveLength(0);
  });

  it('counts weighted length (twitter-text v3): >280 is 400 too-long, exactly 280 passes', async () => {
    const family = '👨‍👩‍👧‍👦';
    expect((await tweet(family.repeat(140))).data.data).toBeDefined();
    const long = await tweet('a'.repeat(281));
    expect(long.status).toBe(400);
    expect(long.data).toMatchObject({
      title: 'Invalid Request',
      type: 'https://api.twitter.com/2/problems/invalid-request',
    });
    expect(long.data.errors?.[0]?.message).toMatch(/^Your Tweet text is too long/);
    fake.setState({ config: { tooLongStatus: 403 } });
    expect((await tweet('b'.repeat(281))).status).toBe(403);
  });

  it('refuses an empty post, a non-JSON body and unknown fields with 400 invalid-request', async () => {
    expect((await send(oauth1(), 'POST', 'tweets', {})).status).toBe(400);
    const extra = await send(oauth1(), 'POST', 'tweets', { text: 'x', colour: 'red' });
    expect(extra.data.errors?.[0]?.message).toContain('$.colour');
    const form = await oauth1()
      .v2.post('tweets', { text: 'x' }, { prefix: `${fake.url}/2/`, forceBodyMode: 'url' })
      .catch((e: ApiResponseError) => e);
    expect((form as ApiResponseError).code).toBe(400);
  });

  it('answers 403 duplicate for the same text from the same user only', async () => {
    await tweet('same words');
    const dup = await tweet('same words');
    expect(dup).toMatchObject({
      status: 403,
      data: {
        type: 'about:blank',
        title: 'Forbidden',
        status: 403,
        detail: 'You are not allowed to create a Tweet with duplicate content.',
      },
    });
    expect((await tweet('same words', oauth1(C.otherOauth1))).data.data).toBeDefined();
  });

  it('forgets a deleted post: its text may be posted again, once', async () => {
    const first = (await tweet('said twice')).data.data as { id: string };
    expect((await tweet('said twice')).status).toBe(403);
    await oauth1().v2.delete(`tweets/${first.id}`, undefined, { prefix: `${fake.url}/2/` });
    expect((await tweet('said twice')).data.data).toBeDefined();
    expect((await tweet('said twice')).status).toBe(403);
  });

  it('checks reply parents and records the chain', async () => {
    const head = (await tweet('head')).data.data as { id: string };
    const reply = await send(oauth1(), 'POST', 'tweets', {
      text: 'r1',
      reply: { in_reply_to_tweet_id: head.id },
    });
    expect(fake.posts()[1]).toMatchObject({
      inReplyTo: head.id,
      conversationId: head.id,
      id: (reply.data.data as { id: string }).id,
    });
    const orphan = await send(oauth1(), 'POST', 'tweets', {
      text: 'r2',
      reply: { in_reply_to_tweet_id: '42' },
    });
    expect(orphan).toMatchObject({ status: 403, data: { type: 'about:blank' } });
    fake.setState({ config: { replyParentMissing: 'invalid-request' } });
    expect(
      (await send(oauth1(), 'POST', 'tweets', { text: 'r3', reply: { in_reply_to_tweet_id: '42' } })).status,
    ).toBe(400);
    expect((await send(oauth1(), 'POST', 'tweets', { text: 'r4', reply: {} })).status).toBe(400);
  });
});

describe('X fake: media, users, timeline', () => {
  it('uploads media in chunks and accepts 1-4 known ids, refusing unknown ids and media with a poll', async () => {
    const client = oauth1();
    const bytes = Buffer.from('fake-png-bytes-'.repeat(10));
    const init = await send(client, 'POST', 'media/upload/initialize', {
      media_type: 'image/png',
      total_bytes: bytes.length,
      media_category: 'tweet_image',
    });
    const id = (init.data.data as { id: string; media_key: string }).id;
    expect(init.data.data).toMatchObject({ media_key: `3_${id}`, expires_after_secs: 86400 });
    await client.v2.post(
      `media/upload/${id}/append`,
      { segment_index: 0, media: bytes },
      { prefix: `${fake.url}/2/`, forceBodyMode: 'form-data' },
    );
    const fin = await send(client, 'POST', `media/upload/${id}/finalize`);
    expect(fin.data.data).toMatchObject({ id, size: bytes.length });
    const ok = await send(client, 'POST', 'tweets', { text: 'with image', media: { media_ids: [id] } });
    expect(fake.posts()[0]?.mediaIds).toEqual([id]);
    expect(ok.data.data).toBeDefined();
    expect(
      (await send(client, 'POST', 'tweets', { text: 'u', media: { media_ids: ['123'] } })).data.errors?.[0]
        ?.message,
    ).toBe('Your media IDs are invalid.');
    expect(
      (
        await send(client, 'POST', 'tweets', {
          text: 'p',
          media: { media_ids: [id] },
          poll: { options: ['a', 'b'], duration_minutes: 5 },
        })
      ).status,
    ).toBe(400);
    expect(
      (await send(client, 'POST', 'tweets', { text: 'five', media: { media_ids: [id, id, id, id, id] } }))
        .status,
    ).toBe(400);
  });

  it('lists the user timeline newest first with entities and referenced tweets, validating the query', async () => {
    const head = (await tweet('Story https://news.example.com/a #Local')).data.data as { id: string };
    await send(oauth1(), 'POST', 'tweets', { text: 'more', reply: { in_reply_to_tweet_id: head.id } });
    const list = await send(oauth1(), 'GET', `users/${TWITTER_FAKE_USER.id}/tweets`, {
      max_results: '100',
      'tweet.fields': 'entities,created_at,referenced_tweets',
    });
    const data = list.data.data as unknown as {
      id: string;
      entities?: { urls: { expanded_url: string }[]; hashtags: unknown[] };
      referenced_tweets?: unknown;
    }[];
    expect(data.map((t) => t.id)).toEqual([fake.posts()[1]?.id, head.id]);
    expect(data[0]?.referenced_tweets).toEqual([{ type: 'replied_to', id: head.id }]);
    expect(data[1]?.entities?.urls[0]?.expanded_url).toBe('https://news.example.com/a');
    expect(data[1]?.entities?.hashtags).toHaveLength(1);
    expect(list.data.meta).toMatchObject({ result_count: 2, newest_id: data[0]?.id });
    expect(
      (await send(oauth1(), 'GET', `users/${TWITTER_FAKE_USER.id}/tweets`, { 'tweet.fields': 'colour' }))
        .status,
    ).toBe(400);
    expect(
      (await send(oauth1(), 'GET', `users/${TWITTER_FAKE_USER.id}/tweets`, { max_results: '500' })).status,
    ).toBe(400);
    expect((await raw('GET', '/2/nowhere')).status).toBe(404);
  });
});

describe('X fake: limits, permissions and OAuth 2.0 tokens', () => {
  it('answers 429 with headers when the window or the 24-hour cap is spent, and on a scripted fault with remaining > 0', async () => {
    fake.setState({ limits: { window: { tweets: 1 } } });
    await tweet('one');
    const over = await tweet('two');
    expect(over).toMatchObject({
      status: 429,
      data: { title: 'Too Many Requests', type: 'about:blank', status: 429 },
    });
    expect(over.headers['x-rate-limit-remaining']).toBe('0');
    fake.reset();
    fake.setState({ limits: { userDay: 1 } });
    await tweet('one');
    const daily = await tweet('two');
    expect([
      daily.status,
      daily.headers['x-user-limit-24hour-remaining'],
      daily.headers['x-rate-limit-remaining'],
    ]).toEqual([429, '0', '98']);
    fake.reset();
    fake.rateLimitFor(60_000, { remaining: 5 });
    const scripted = await tweet('three');
    expect([scripted.status, scripted.headers['x-rate-limit-remaining']]).toEqual([429, '5']);
  });

  it('injects 403 oauth1-permissions, 403 client-not-enrolled, 402 credits-depleted and refuses app-only tokens', async () => {
    fake.setState({ app: { permission: 'read' } });
    const refused = await tweet('a');
    expect(refused.data).toMatchObject({
      status: 403,
      type: 'https://api.twitter.com/2/problems/oauth1-permissions',
    });
    // Refusals carry the rate-limit headers too, as every X answer to an authenticated caller does.
    expect(refused.headers['x-rate-limit-limit']).toMatch(/^\d+$/);
    expect(refused.headers['x-rate-limit-reset']).toMatch(/^\d+$/);
    fake.setState({ app: { permission: 'read-write', creditsDepleted: true } });
    expect((await tweet('a')).data).toMatchObject({
      status: 402,
      title: 'Payment Required',
      type: 'https://api.x.com/2/problems/credits-depleted',
    });
    fake.setState({ app: { creditsDepleted: false, enrolled: false } });
    expect((await tweet('a')).data).toMatchObject({
      reason: 'client-not-enrolled',
      title: 'Client Forbidden',
    });
    fake.reset();
    expect((await tweet('a', new TwitterApi(C.appBearer))).data).toMatchObject({
      type: 'https://api.twitter.com/2/problems/unsupported-authentication',
    });
  });

  it('refreshes OAuth 2.0 tokens: 2 h access tokens, single-use refresh tokens, 400 invalid_request on reuse', async () => {
    const form = (
      rt: string,
      auth = `Basic ${Buffer.from(`${C.oauth2.clientId}:${C.oauth2.clientSecret}`).toString('base64')}`,
    ) =>
      raw(
        'POST',
        '/2/oauth2/token',
        new URLSearchParams({ grant_type: 'refresh_token', refresh_token: rt }).toString(),
        {
          'content-type': 'application/x-www-form-urlencoded',
          authorization: auth,
        },
      );
    const first = await form(C.oauth2.refreshToken);
    expect(first.status).toBe(200);
    expect(first.data).toMatchObject({ token_type: 'bearer', expires_in: 7200 });
    expect(first.data.refresh_token).not.toBe(C.oauth2.refreshToken);
    const reused = await form(C.oauth2.refreshToken);
    expect(reused).toMatchObject({ status: 400, data: { error: 'invalid_request' } });
    expect((await form(first.data.refresh_token, 'Basic eDp5')).data.error).toBe('unauthorized_client');
    const bearer = new TwitterApi(first.data.access_token as string);
    expect((await send(bearer, 'GET', 'users/me')).data.data).toEqual(TWITTER_FAKE_USER);
    fake.server.clock.offsetMs = 7200_000;
    expect((await send(bearer, 'GET', 'users/me')).status).toBe(401);
  });

  it('lets tests set token states and read posts over /__control/state', async () => {
    await tweet('stored');
    await raw('POST', '/__control/state', { tokens: { [C.oauth1.accessToken]: 'revoked' } });
    expect((await tweet('after revoke')).status).toBe(401);
    const state = await raw('GET', '/__control/state');
    expect(state.data.posts.map((p: { text: string }) => p.text)).toEqual(['stored']);
    expect(state.data.tokens.oauth1[C.oauth1.accessToken].state).toBe('revoked');
  });
});
