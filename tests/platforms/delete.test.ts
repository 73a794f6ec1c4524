import axios from 'axios';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Post } from '../../src/core/post.js';
import { createFacebookAdapter } from '../../src/platforms/facebook/adapter.js';
import { createFacebookFake, FACEBOOK_FAKE_CREDENTIALS } from '../../src/platforms/facebook/fake.js';
import { createLinkedInAdapter } from '../../src/platforms/linkedin/adapter.js';
import {
  createLinkedInFake,
  LINKEDIN_FAKE_CREDENTIALS,
  LINKEDIN_FAKE_MEMBER,
} from '../../src/platforms/linkedin/fake.js';
import { createTwitterAdapter } from '../../src/platforms/twitter/adapter.js';
import { createTwitterFake, TWITTER_FAKE_CREDENTIALS } from '../../src/platforms/twitter/fake.js';
import { platformFailure } from '../helpers/failure.js';
import { fakeTls } from '../helpers/fake-tls.js';

/**
 * delete(postId) on the three platforms against their fakes: a post deleted is gone from the platform, a post
 * already gone (deleted before, or never there) is a success that says so, another account's post is refused,
 * and failures are classified like publish's (never `unconfirmed`: deleting is idempotent).
 */

function post(platform: Post['platform'], slug: string, text = `Council approves the ${slug} budget.`): Post {
  const url = `https://news.example/2026/${slug}`;
  return {
    platform,
    account: `${platform}-main`,
    articleId: `a${slug}`,
    articleKey: url,
    text: platform === 'twitter' ? `${text} ${url}` : text,
    summary: text,
    link: url,
    hashtags: [],
    article: { url, title: `Story ${slug}` },
  };
}

describe('X: DELETE /2/tweets/:id', () => {
  const fake = createTwitterFake();
  const x = (credentials = TWITTER_FAKE_CREDENTIALS.oauth1) =>
    createTwitterAdapter({
      account: 'x-main',
      credentials,
      options: { baseUrl: fake.url, timeoutMs: 3000 },
    });
  beforeAll(async () => {
    await fake.start(fakeTls());
  });
  afterAll(() => fake.close());
  beforeEach(() => fake.reset());

  it('deletes the post (200 {"data":{"deleted":true}}); it leaves the timeline and may be posted again', async () => {
    const ref = await x().publish(post('twitter', 'tram'));
    expect(await x().delete(ref.postId)).toEqual({ postId: ref.postId, outcome: 'deleted' });
    expect(fake.posts()).toHaveLength(0);
    expect(fake.deleted().map((t) => t.id)).toEqual([ref.postId]);
    const del = fake.server.requests.find((r) => r.method === 'DELETE')!;
    expect(del.path).toBe(`/2/tweets/${ref.postId}`);
    expect(String(del.headers.authorization)).toMatch(/^OAuth /);
    expect(await x().find(post('twitter', 'tram'))).toBeNull();
    // Duplicate content no longer: the same text goes out again.
    await expect(x().publish(post('twitter', 'tram'))).resolves.toMatchObject({ postId: expect.any(String) });
  });

  it('a post already deleted or never there is already gone (deleted:false, or a 404 problem)', async () => {
    const ref = await x().publish(post('twitter', 'bridge'));
    await x().delete(ref.postId);
    expect(await x().delete(ref.postId)).toEqual({ postId: ref.postId, outcome: 'already-gone' });
    expect(await x().delete('1800000000000999999')).toMatchObject({ outcome: 'already-gone' });
    fake.setState({ config: { deleteMissing: 'not-found' } });
    expect(await x().delete(ref.postId)).toMatchObject({ outcome: 'already-gone' });
  });

  it("another user's post: X's 403 (about:blank) is `invalid`, the post stays", async () => {
    const ref = await x(TWITTER_FAKE_CREDENTIALS.otherOauth1).publish(post('twitter', 'other'));
    const f = await platformFailure(x().delete(ref.postId));
    expect(f).toMatchObject({ kind: 'invalid', status: 403, code: 'not-author' });
    expect(f.message).toContain('You are not allowed to delete this Tweet.');
    expect(fake.posts().map((t) => t.id)).toEqual([ref.postId]);
  });

  it('deletes the thread replies below the post first (X keeps replies whose parent is gone)', async () => {
    const ref = await x().publish({
      ...post('twitter', 'thread'),
      thread: ['Second part of the story.', 'Third part of the story.'],
    });
    expect(fake.posts()).toHaveLength(3);
    await x().delete(ref.postId);
    expect(fake.posts()).toHaveLength(0);
    expect(fake.deleted().at(-1)?.id).toBe(ref.postId);
  });

  it('classified like publish: revoked token → auth; 429 → rate-limited until the reset; 503 → transient', async () => {
    const ref = await x().publish(post('twitter', 'limits'));
    fake.setTokenState(TWITTER_FAKE_CREDENTIALS.oauth1.accessToken, 'revoked');
    expect(await platformFailure(x().delete(ref.postId))).toMatchObject({ kind: 'auth', status: 401 });
    fake.setTokenState(TWITTER_FAKE_CREDENTIALS.oauth1.accessToken, 'valid');

    fake.setState({ limits: { window: { delete: 0 } } });
    const limited = await platformFailure(x().delete(ref.postId));
    expect(limited).toMatchObject({ kind: 'rate-limited', status: 429 });
    expect(limited.until!.getTime()).toBeGreaterThan(Date.now());
    fake.setState({ limits: { window: { delete: 50 } } });

    fake.server.addFault({
      method: 'DELETE',
      action: {
        mode: 'respond',
        response: { status: 503, body: { title: 'Service Unavailable', status: 503 } },
      },
    });
    expect(await platformFailure(x().delete(ref.postId))).toMatchObject({ kind: 'transient', status: 503 });
    // A delete whose answer was lost is sent again: never `unconfirmed`.
    fake.server.addFault({ method: 'DELETE', action: { mode: 'drop-after-handling' } });
    expect(await platformFailure(x().delete(ref.postId))).toMatchObject({ kind: 'transient' });
    expect(await x().delete(ref.postId)).toMatchObject({ outcome: 'already-gone' });
  });

  it('the fake answers as X does (status and body)', async () => {
    const ref = await x().publish(post('twitter', 'raw'));
    const other = await x(TWITTER_FAKE_CREDENTIALS.otherOauth1).publish(post('twitter', 'raw2'));
    const client = (await import('twitter-api-v2')).TwitterApi;
    const c = TWITTER_FAKE_CREDENTIALS.oauth1;
    const v2 = new client({
      appKey: c.apiKey,
      appSecret: c.apiSecret,
      accessToken: c.accessToken,
      accessSecret: c.accessSecret,
    }).v2;
    const opts = { prefix: `${fake.url}/2/`, fullResponse: true as const };
    expect((await v2.delete(`tweets/${ref.postId}`, undefined, opts)).data).toEqual({
      data: { deleted: true },
    });
    expect((await v2.delete(`tweets/${ref.postId}`, undefined, opts)).data).toEqual({
      data: { deleted: false },
    });
    const refused = await v2.delete(`tweets/${other.postId}`, undefined, opts).catch((e: unknown) => e);
    expect(refused).toMatchObject({
      code: 403,
      data: { detail: 'You are not allowed to delete this Tweet.', type: 'about:blank', title: 'Forbidden' },
    });
    fake.setState({ config: { deleteMissing: 'not-found' } });
    const missing = await v2.delete(`tweets/${ref.postId}`, undefined, opts).catch((e: unknown) => e);
    expect(missing).toMatchObject({
      code: 404,
      data: { title: 'Not Found Error', type: 'https://api.twitter.com/2/problems/resource-not-found' },
    });
  });
});

describe('Facebook: DELETE /{post-id}', () => {
  const fake = createFacebookFake();
  const CREDS = FACEBOOK_FAKE_CREDENTIALS;
  const fb = () =>
    createFacebookAdapter({
      account: 'fb-main',
      credentials: CREDS,
      options: { baseUrl: fake.url, timeoutMs: 3000 },
    });
  const raw = (path: string, token = CREDS.pageToken) =>
    axios.delete(`${fake.url}/${CREDS.graphVersion}/${path}`, {
      params: { access_token: token },
      validateStatus: () => true,
    });
  beforeAll(async () => {
    await fake.start(fakeTls());
  });
  afterAll(() => fake.close());
  beforeEach(() => fake.reset());

  it('deletes the post (200 {"success":true}); it leaves the feed', async () => {
    const ref = await fb().publish(post('facebook', 'tram'));
    expect(await fb().delete(ref.postId)).toEqual({ postId: ref.postId, outcome: 'deleted' });
    expect(fake.posts()).toHaveLength(0);
    expect(fake.deletedPosts().map((p) => p.id)).toEqual([ref.postId]);
    const del = fake.requests.find((r) => r.method === 'DELETE')!;
    expect(del.path).toBe(`/${CREDS.graphVersion}/${ref.postId}`);
    expect(await fb().find(post('facebook', 'tram'))).toBeNull();
  });

  it('a post already deleted or never there: Graph 100/33, already gone for a post of this Page', async () => {
    const ref = await fb().publish(post('facebook', 'bridge'));
    await fb().delete(ref.postId);
    const again = await raw(ref.postId);
    expect(again.status).toBe(400);
    expect(again.data.error).toMatchObject({ code: 100, error_subcode: 33, type: 'OAuthException' });
    expect(again.data.error.message).toMatch(/^Unsupported delete request\. Object with ID/);
    expect(again.data.error.fbtrace_id).toEqual(expect.any(String));
    expect(await fb().delete(ref.postId)).toEqual({ postId: ref.postId, outcome: 'already-gone' });
    expect(await fb().delete(`${CREDS.pageId}_999`)).toMatchObject({ outcome: 'already-gone' });
  });

  it("another Page's post is refused (`invalid`) before any call; Graph itself answers 100/33", async () => {
    const before = fake.requests.length;
    const f = await platformFailure(fb().delete('222333444555_777'));
    expect(f).toMatchObject({ kind: 'invalid', code: 'not-author' });
    expect(fake.requests.length).toBe(before);
    const res = await raw('222333444555_777');
    expect(res.status).toBe(400);
    expect(res.data.error).toMatchObject({ code: 100, error_subcode: 33 });
  });

  it('classified like publish: expired token → auth; no permission → auth; throttle → rate-limited; code 2 → transient', async () => {
    const ref = await fb().publish(post('facebook', 'limits'));
    fake.setToken('expired');
    expect(await platformFailure(fb().delete(ref.postId))).toMatchObject({ kind: 'auth', code: '190/463' });
    fake.setToken('valid');
    fake.setState({ scopes: ['pages_read_engagement'] });
    const perm = await raw(ref.postId);
    expect(perm.status).toBe(403);
    expect(perm.data.error.code).toBe(200);
    expect(await platformFailure(fb().delete(ref.postId))).toMatchObject({ kind: 'auth', code: '200' });
    fake.reset();
    const ref2 = await fb().publish(post('facebook', 'limits2'));
    fake.rateLimitFor(60_000, { code: 32, regainMinutes: 5 });
    const limited = await platformFailure(fb().delete(ref2.postId));
    expect(limited.kind).toBe('rate-limited');
    expect(limited.until!.getTime()).toBeGreaterThan(Date.now() + 4 * 60_000);
    fake.clearFaults();
    fake.addFault({
      method: 'DELETE',
      action: {
        mode: 'respond',
        response: {
          status: 500,
          body: { error: { message: 'An unexpected error has occurred.', code: 2, is_transient: true } },
        },
      },
    });
    expect(await platformFailure(fb().delete(ref2.postId))).toMatchObject({ kind: 'transient', status: 500 });
    expect(await fb().delete(ref2.postId)).toMatchObject({ outcome: 'deleted' });
  });
});

describe('LinkedIn: DELETE /rest/posts/{encoded urn}', () => {
  const fake = createLinkedInFake();
  const CREDS = LINKEDIN_FAKE_CREDENTIALS;
  const li = (accessToken = CREDS.accessToken) =>
    createLinkedInAdapter({
      account: 'li-main',
      credentials: { ...CREDS, accessToken },
      options: { baseUrl: fake.url, timeoutMs: 3000 },
    });
  const raw = (urn: string, token = CREDS.accessToken, encode = true) =>
    axios.delete(`${fake.url}/rest/posts/${encode ? encodeURIComponent(urn) : urn}`, {
      headers: {
        Authorization: `Bearer ${token}`,
        'LinkedIn-Version': CREDS.version,
        'X-Restli-Protocol-Version': '2.0.0',
      },
      validateStatus: () => true,
    });
  beforeAll(async () => {
    await fake.start(fakeTls());
  });
  afterAll(() => fake.close());
  beforeEach(() => fake.reset());

  it('deletes the post (204, URN encoded in the path); it leaves the author finder', async () => {
    const ref = await li().publish(post('linkedin', 'tram'));
    expect(await li().delete(ref.postId)).toEqual({ postId: ref.postId, outcome: 'deleted' });
    expect(fake.posts()).toHaveLength(0);
    expect(fake.deletedPosts().map((p) => p.id)).toEqual([ref.postId]);
    const del = fake.server.requests.find((r) => r.method === 'DELETE')!;
    expect(del.path).toBe(`/rest/posts/${encodeURIComponent(ref.postId)}`);
    expect(del.headers).toMatchObject({
      'linkedin-version': CREDS.version,
      'x-restli-protocol-version': '2.0.0',
    });
    expect(await li().find(post('linkedin', 'tram'))).toBeNull();
  });

  it('deleting again answers 204 (idempotent); a URN LinkedIn never had 404 → already gone', async () => {
    const ref = await li().publish(post('linkedin', 'bridge'));
    await li().delete(ref.postId);
    expect((await raw(ref.postId)).status).toBe(204);
    const missing = await raw('urn:li:share:999');
    expect(missing.status).toBe(404);
    expect(missing.data).toMatchObject({ status: 404, code: 'NOT_FOUND' });
    expect(await li().delete('urn:li:share:999')).toEqual({
      postId: 'urn:li:share:999',
      outcome: 'already-gone',
    });
    expect((await raw(ref.postId, CREDS.accessToken, false)).status).toBe(400);
  });

  it("another author's post: 403 ACCESS_DENIED → auth with what to check, the post stays", async () => {
    fake.setToken('li-other-token', 'valid', ['w_member_social', 'r_member_social']);
    fake.setState({ tokens: { 'li-other-token': { member: 'urn:li:person:Other02' } } });
    const theirs = await createLinkedInAdapter({
      account: 'li-other',
      credentials: { ...CREDS, accessToken: 'li-other-token', author: 'urn:li:person:Other02' },
      options: { baseUrl: fake.url, timeoutMs: 3000 },
    }).publish(post('linkedin', 'theirs'));
    const res = await raw(theirs.postId);
    expect(res.status).toBe(403);
    expect(res.data).toMatchObject({ status: 403, code: 'ACCESS_DENIED', serviceErrorCode: 100 });
    expect(res.data.message).toMatch(/partnerApiPostsExternal\.DELETE\./);
    const f = await platformFailure(li().delete(theirs.postId));
    expect(f).toMatchObject({ kind: 'auth', status: 403 });
    expect(f.action).toContain(LINKEDIN_FAKE_MEMBER);
    expect(fake.posts().map((p) => p.id)).toEqual([theirs.postId]);
  });

  it('classified like publish: expired token → auth; daily limit → rate-limited to midnight UTC; 504 → transient', async () => {
    const ref = await li().publish(post('linkedin', 'limits'));
    fake.setToken(CREDS.accessToken, 'expired');
    expect(await platformFailure(li().delete(ref.postId))).toMatchObject({
      kind: 'auth',
      code: 'EXPIRED_ACCESS_TOKEN',
    });
    fake.setToken(CREDS.accessToken, 'valid');
    fake.rateLimitFor(60_000);
    const limited = await platformFailure(li().delete(ref.postId));
    expect(limited.kind).toBe('rate-limited');
    expect(limited.until!.getUTCHours()).toBe(0);
    fake.server.clearFaults();
    fake.server.addFault({
      method: 'DELETE',
      action: {
        mode: 'respond',
        response: { status: 504, body: { status: 504, message: 'Gateway Timeout' } },
      },
    });
    expect(await platformFailure(li().delete(ref.postId))).toMatchObject({ kind: 'transient', status: 504 });
    expect(await li().delete(ref.postId)).toMatchObject({ outcome: 'deleted' });
  });
});
