import axios, { type AxiosResponse } from 'axios';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  FACEBOOK_FAKE_CREDENTIALS as CREDS,
  createFacebookFake,
  FACEBOOK_FAKE_APP,
} from '../../src/platforms/facebook/fake.js';
import { fakeTls } from '../helpers/fake-tls.js';

const fake = createFacebookFake();
const FEED = `/${CREDS.graphVersion}/${CREDS.pageId}/feed`;

function post(params: Record<string, string>, path = FEED): Promise<AxiosResponse> {
  return axios.post(`${fake.url}${path}`, new URLSearchParams(params), { validateStatus: () => true });
}
function get(path: string, params: Record<string, string | number>): Promise<AxiosResponse> {
  return axios.get(`${fake.url}${path}`, { params, validateStatus: () => true });
}
const withToken = (p: Record<string, string>) => ({ access_token: CREDS.pageToken, ...p });
const control = (body: unknown) => axios.post(`${fake.url}/__control/state`, body);

/** Every Graph error has this shape, with a fresh fbtrace_id. */
function expectGraphError(res: AxiosResponse, status: number, code: number, subcode?: number) {
  expect(res.status).toBe(status);
  expect(res.data.error).toMatchObject({ type: 'OAuthException', code, fbtrace_id: expect.any(String) });
  expect(typeof res.data.error.message).toBe('string');
  expect(res.data.error.error_subcode).toBe(subcode);
  expect(res.headers['x-fb-trace-id']).toBe(res.data.error.fbtrace_id);
}

describe('Facebook fake Graph API', () => {
  beforeAll(async () => {
    await fake.start(fakeTls());
  });
  afterAll(() => fake.close());
  beforeEach(() => fake.reset());

  it('publishes a form-encoded post and answers {id: "<page>_<post>"} with usage and trace headers', async () => {
    const res = await post(
      withToken({ message: 'Hello readers', link: 'https://news.example/a?utm_source=fb' }),
    );
    expect(res.status).toBe(200);
    expect(res.data).toEqual({ id: expect.stringMatching(new RegExp(`^${CREDS.pageId}_\\d+$`)) });
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.headers['facebook-api-version']).toBe(CREDS.graphVersion);
    const buc = JSON.parse(res.headers['x-business-use-case-usage']);
    expect(buc[CREDS.pageId][0]).toMatchObject({ type: 'pages', estimated_time_to_regain_access: 0 });
    expect(buc[CREDS.pageId][0].call_count).toBeLessThan(100);
    const [stored] = fake.posts();
    expect(stored).toMatchObject({
      id: res.data.id,
      message: 'Hello readers',
      link: 'https://news.example/a?utm_source=fb',
      published: true,
      request: {
        graphVersion: 'v26.0',
        tokenIn: 'body',
        contentType: expect.stringMatching(/^application\/x-www-form-urlencoded/),
      },
    });
    expect(stored?.createdTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+0000$/);
  });

  it('accepts the parameters in the query string too', async () => {
    const res = await axios.post(`${fake.url}${FEED}`, undefined, {
      params: withToken({ message: 'From the query' }),
    });
    expect(res.status).toBe(200);
    expect(fake.posts()[0]).toMatchObject({ message: 'From the query', request: { tokenIn: 'query' } });
  });

  it('answers 190 for a missing token (code configurable) and an unknown one, with WWW-Authenticate', async () => {
    const missing = await post({ message: 'x' });
    expectGraphError(missing, 400, 190);
    expect(missing.headers['www-authenticate']).toMatch(/^OAuth "Facebook Platform" "invalid_request"/);
    await control({ limits: { missingTokenCode: 104 } });
    expectGraphError(await post({ message: 'x' }), 400, 104);
    const bad = await post({ message: 'x', access_token: 'EAAnotAToken' });
    expectGraphError(bad, 400, 190);
    expect(bad.headers['www-authenticate']).toMatch(/"invalid_token"/);
    expect(fake.posts()).toHaveLength(0);
  });

  it('answers 190/463 for an expired token and 190/467 for a revoked one, set over /__control/state', async () => {
    await control({ token: 'expired' });
    const expired = await post(withToken({ message: 'x' }));
    expectGraphError(expired, 400, 190, 463);
    expect(expired.data.error.message).toMatch(/^Error validating access token: Session has expired on /);
    expect(expired.headers['www-authenticate']).toMatch(/"invalid_token"/);
    fake.setToken('revoked');
    const revoked = await post(withToken({ message: 'x' }));
    expectGraphError(revoked, 400, 190, 467);
    expect(revoked.headers['www-authenticate']).toMatch(/^OAuth "Facebook Platform" "invalid_token"/);
    const state = (await axios.get(`${fake.url}/__control/state`)).data;
    expect(state.token.state).toBe('revoked');
  });

  it('answers (#200) for a user token or a token without pages_manage_posts, and (#10) for reads without pages_read_engagement', async () => {
    fake.setToken('valid', 'user');
    expectGraphError(await post(withToken({ message: 'x' })), 403, 200);
    fake.setState({ tokenKind: 'page', scopes: ['pages_read_engagement'] });
    const missingScope = await post(withToken({ message: 'x' }));
    expectGraphError(missingScope, 403, 200);
    expect(missingScope.data.error.message).toContain('pages_manage_posts');
    fake.setState({ scopes: ['pages_manage_posts'] });
    expectGraphError(await get(FEED, { access_token: CREDS.pageToken }), 403, 10);
  });

  it('validates the post: message or link, message length, link format, published flag', async () => {
    expectGraphError(await post(withToken({})), 400, 100);
    fake.setState({ limits: { messageLimit: 5 } });
    expectGraphError(await post(withToken({ message: '123456' })), 400, 100);
    expect((await post(withToken({ message: '12345' }))).status).toBe(200);
    expectGraphError(await post(withToken({ link: 'not a url' })), 400, 100);
    expectGraphError(await post(withToken({ message: 'y', published: 'maybe' })), 400, 100);
    expectGraphError(await post(withToken({ message: 'z' }), `/v26.0/999/feed`), 400, 100, 33);
  });

  it('answers (#506) for the same message again', async () => {
    expect((await post(withToken({ message: 'Same words' }))).status).toBe(200);
    const again = await post(withToken({ message: 'Same words' }));
    expectGraphError(again, 400, 506);
    expect(fake.posts()).toHaveLength(1);
  });

  it('checks scheduled_publish_time: published=false required, at least 10 minutes ahead', async () => {
    const now = Math.floor(Date.now() / 1000);
    expectGraphError(
      await post(withToken({ message: 'a', scheduled_publish_time: String(now + 3600) })),
      400,
      100,
    );
    expectGraphError(
      await post(withToken({ message: 'a', published: 'false', scheduled_publish_time: String(now + 300) })),
      400,
      100,
    );
    const iso = new Date((now + 3600) * 1000).toISOString();
    const ok = await post(withToken({ message: 'a', published: 'false', scheduled_publish_time: iso }));
    expect(ok.status).toBe(200);
    expect(fake.posts()[0]).toMatchObject({ published: false, scheduledPublishTime: now + 3600 });
    const feed = await get(FEED, { access_token: CREDS.pageToken });
    expect(feed.data.data).toEqual([]);
  });

  it('lists the feed newest first with the requested fields and cursor paging', async () => {
    for (const n of [1, 2, 3])
      await post(withToken({ message: `Post ${n}`, link: `https://news.example/${n}` }));
    const fields = 'id,message,link,permalink_url,created_time';
    const first = await get(FEED, { access_token: CREDS.pageToken, fields, limit: 2 });
    expect(first.status).toBe(200);
    expect(first.data.data.map((p: { message: string }) => p.message)).toEqual(['Post 3', 'Post 2']);
    expect(first.data.data[0]).toMatchObject({
      link: 'https://news.example/3',
      permalink_url: expect.stringMatching(
        new RegExp(`^https://www.facebook.com/${CREDS.pageId}/posts/\\d+$`),
      ),
    });
    const next = new URL(first.data.paging.next);
    const second = await get(FEED, {
      access_token: CREDS.pageToken,
      fields,
      after: next.searchParams.get('after')!,
    });
    expect(second.data.data.map((p: { message: string }) => p.message)).toEqual(['Post 1']);
    const plain = await get(FEED, { access_token: CREDS.pageToken });
    expect(Object.keys(plain.data.data[0]).sort()).toEqual(['created_time', 'id', 'message']);
    expectGraphError(await get(FEED, { access_token: CREDS.pageToken, fields: 'id,bogus' }), 400, 100);
  });

  it('scripts throttles with usage at 100 and the regain time, until the fake clock passes', async () => {
    for (const code of [4, 17, 32, 613, 80001] as const) {
      fake.clearFaults();
      fake.rateLimitFor(5 * 60_000, { code });
      const res = await post(withToken({ message: `throttled ${code}` }));
      expectGraphError(res, 400, code);
      expect(res.data.error.is_transient).toBe(true);
      const entry = JSON.parse(res.headers['x-business-use-case-usage'])[CREDS.pageId][0];
      expect(entry).toMatchObject({ call_count: 100, estimated_time_to_regain_access: 5 });
    }
    fake.clock.offsetMs = 5 * 60_000 + 1;
    expect((await post(withToken({ message: 'after the throttle' }))).status).toBe(200);
  });

  it('throttles on its own once the hourly call quota is used (#32, regain minutes)', async () => {
    fake.setState({ limits: { callsPerHour: 2 } });
    await post(withToken({ message: 'one' }));
    await post(withToken({ message: 'two' }));
    const third = await post(withToken({ message: 'three' }));
    expectGraphError(third, 400, 32);
    const entry = JSON.parse(third.headers['x-business-use-case-usage'])[CREDS.pageId][0];
    expect(entry.call_count).toBe(100);
    expect(entry.estimated_time_to_regain_access).toBe(60);
  });

  it('answers 500 code 1/2 is_transient before or after storing the post, and 368', async () => {
    fake.failBeforeStore(1);
    const before = await post(withToken({ message: 'first try' }));
    expectGraphError(before, 500, 1);
    expect(before.data.error.is_transient).toBe(true);
    expect(fake.posts()).toHaveLength(0);
    fake.failAfterStore();
    expectGraphError(await post(withToken({ message: 'second try' })), 500, 2);
    expect(fake.posts().map((p) => p.message)).toEqual(['second try']);
    fake.blockTemporarily();
    expectGraphError(await post(withToken({ message: 'third try' })), 400, 368);
  });

  it('exchanges a user token for a long-lived one and lists the Page tokens in /me/accounts', async () => {
    const query = {
      grant_type: 'fb_exchange_token',
      client_id: FACEBOOK_FAKE_APP.appId,
      client_secret: FACEBOOK_FAKE_APP.appSecret,
      fb_exchange_token: FACEBOOK_FAKE_APP.userToken,
    };
    const exchanged = await get('/v26.0/oauth/access_token', query);
    expect(exchanged.data).toEqual({
      access_token: expect.any(String),
      token_type: 'bearer',
      expires_in: expect.any(Number),
    });
    expect(exchanged.data.expires_in).toBeGreaterThan(5_000_000);
    expectGraphError(await get('/oauth/access_token', { ...query, client_secret: 'wrong' }), 400, 1);
    const accounts = await get('/v26.0/me/accounts', { access_token: exchanged.data.access_token });
    expect(accounts.data.data[0]).toMatchObject({
      id: CREDS.pageId,
      access_token: CREDS.pageToken,
      tasks: expect.arrayContaining(['CREATE_CONTENT']),
    });
    expect(accounts.headers['x-app-usage']).toBeDefined();
    expectGraphError(await get('/v26.0/me/accounts', { access_token: CREDS.pageToken }), 400, 100);
  });

  it('answers unknown paths with a Graph error', async () => {
    expectGraphError(await get('/v26.0/nothing/here/at/all', { access_token: CREDS.pageToken }), 400, 2500);
  });
});
