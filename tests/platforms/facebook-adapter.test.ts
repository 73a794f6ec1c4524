import { createServer } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { PlatformFailure } from '../../src/core/failure.js';
import type { Post } from '../../src/core/post.js';
import { createFacebookAdapter } from '../../src/platforms/facebook/adapter.js';
import { FACEBOOK_FAKE_CREDENTIALS as CREDS, createFacebookFake } from '../../src/platforms/facebook/fake.js';
import { platformFailure } from '../helpers/failure.js';
import { fakeTls } from '../helpers/fake-tls.js';

const fake = createFacebookFake();
const FEED = `/${CREDS.graphVersion}/${CREDS.pageId}/feed`;

function adapter(over: { baseUrl?: string; timeoutMs?: number; pageToken?: string } = {}) {
  return createFacebookAdapter({
    account: 'fb-main',
    credentials: { ...CREDS, pageToken: over.pageToken ?? CREDS.pageToken },
    options: { baseUrl: over.baseUrl ?? `${fake.url}/`, timeoutMs: over.timeoutMs ?? 2000 },
  });
}

function makePost(slug: string, text = `Council approves the ${slug} budget.`): Post {
  const url = `https://news.example/2026/${slug}`;
  return {
    platform: 'facebook',
    account: 'fb-main',
    articleId: `a${slug}`,
    articleKey: url,
    text,
    summary: text,
    link: `${url}?utm_source=facebook&utm_medium=social`,
    hashtags: [],
    article: { url, title: `Story ${slug}` },
  };
}

/** Runs `fn`, expecting a PlatformFailure, and returns it. */
const failure = (fn: () => Promise<unknown>) => platformFailure(fn());

/** Neither the message nor the cause of a failure may carry the Page token. */
function expectNoToken(f: PlatformFailure) {
  expect(JSON.stringify({ ...f.toJSON(), cause: f.cause })).not.toContain(CREDS.pageToken);
}

async function closedPortUrl(): Promise<string> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address() as { port: number };
  await new Promise<void>((r) => s.close(() => r()));
  return `https://127.0.0.1:${port}`;
}

describe('Facebook adapter against the fake Graph API (HTTPS loopback)', () => {
  beforeAll(async () => {
    await fake.start(fakeTls());
  });
  afterAll(() => fake.close());
  beforeEach(() => fake.reset());

  it('publishes: POST /{version}/{page}/feed form-encoded, returns the post id and public URL', async () => {
    const fb = adapter();
    const post = makePost('roads');
    const ref = await fb.publish(post);
    expect(ref.postId).toMatch(new RegExp(`^${CREDS.pageId}_\\d+$`));
    expect(ref.url).toBe(`https://www.facebook.com/${ref.postId}`);
    const req = fake.requests.at(-1)!;
    expect(req.method).toBe('POST');
    expect(req.path).toBe(FEED);
    expect(req.headers['content-type']).toMatch(/^application\/x-www-form-urlencoded/);
    expect(Object.fromEntries(req.form)).toEqual({
      message: post.text,
      link: post.link,
      access_token: CREDS.pageToken,
    });
    expect(req.query.has('access_token')).toBe(false);
    expect(fake.posts()).toMatchObject([{ id: ref.postId, message: post.text, link: post.link }]);
    expect(fb.usage()?.business?.[CREDS.pageId]?.[0]?.call_count).toBeLessThan(100);
  });

  it('find returns the recent post carrying the link (or the article URL), else null', async () => {
    const fb = adapter();
    const roads = makePost('roads');
    await fb.publish(roads);
    await fb.publish(makePost('schools'));
    const found = await fb.find(roads);
    expect(found?.postId).toBe(fake.posts()[0]?.id);
    expect(found?.url).toBe(fake.posts()[0]?.permalinkUrl);
    const req = fake.requests.at(-1)!;
    expect(req.method).toBe('GET');
    expect(req.query.get('fields')).toBe('id,message,link,permalink_url,created_time');
    // Same article shared with other tracking parameters still matches.
    expect((await fb.find({ ...roads, link: `${roads.article.url}?utm_source=other` }))?.postId).toBe(
      found?.postId,
    );
    expect(await fb.find(makePost('parks'))).toBeNull();
  });

  it('rate-limited: a Page throttle waits for the regain minutes of the usage header', async () => {
    fake.rateLimitFor(10 * 60_000, { code: 32, regainMinutes: 10 });
    const before = Date.now();
    const f = await failure(() => adapter().publish(makePost('roads')));
    expect(f).toMatchObject({ kind: 'rate-limited', code: '32', status: 400 });
    expect(f.until!.getTime()).toBeGreaterThanOrEqual(before + 10 * 60_000);
    expect(f.until!.getTime()).toBeLessThanOrEqual(Date.now() + 10 * 60_000);
    expect(fake.posts()).toHaveLength(0);
  });

  it('rate-limited: without a regain time it waits one hour', async () => {
    fake.rateLimitFor(60_000, { code: 80001, withoutUsageHeader: true });
    const before = Date.now();
    const f = await failure(() => adapter().publish(makePost('roads')));
    expect(f).toMatchObject({ kind: 'rate-limited', code: '80001' });
    expect(f.until!.getTime()).toBeGreaterThanOrEqual(before + 3_600_000);
  });

  it('rate-limited: 368 (temporarily blocked) waits 24 hours', async () => {
    fake.blockTemporarily();
    const before = Date.now();
    const f = await failure(() => adapter().publish(makePost('roads')));
    expect(f).toMatchObject({ kind: 'rate-limited', code: '368' });
    expect(f.until!.getTime()).toBeGreaterThanOrEqual(before + 24 * 3_600_000);
  });

  it('auth: expired, revoked and wrong tokens tell the operator what to do, without leaking the token', async () => {
    fake.setToken('expired');
    const expired = await failure(() => adapter().publish(makePost('roads')));
    expect(expired).toMatchObject({ kind: 'auth', code: '190/463', status: 400 });
    expect(expired.action).toMatch(/generate a new long-lived Page token/);
    expectNoToken(expired);
    fake.setToken('revoked');
    const revoked = await failure(() => adapter().publish(makePost('roads')));
    expect(revoked).toMatchObject({ kind: 'auth', code: '190/467' });
    expect(revoked.action).toMatch(/re-authorise/);
    const findRevoked = await failure(() => adapter().find(makePost('roads')));
    expect(findRevoked).toMatchObject({ kind: 'auth', code: '190/467' });
    expectNoToken(findRevoked);
    const wrong = await failure(() => adapter({ pageToken: 'EAAwrong' }).publish(makePost('roads')));
    expect(wrong).toMatchObject({ kind: 'auth', code: '190' });
  });

  it('auth: a user token or a missing permission names the permissions', async () => {
    fake.setToken('valid', 'user');
    const f = await failure(() => adapter().publish(makePost('roads')));
    expect(f).toMatchObject({ kind: 'auth', code: '200', status: 403 });
    expect(f.action).toMatch(/pages_manage_posts and pages_read_engagement/);
  });

  it('duplicate: 506 is reported with the existing post found by link', async () => {
    const fb = adapter();
    const first = await fb.publish(makePost('roads'));
    const f = await failure(() => fb.publish(makePost('roads')));
    expect(f).toMatchObject({ kind: 'duplicate', code: '506' });
    expect(f.existing?.postId).toBe(first.postId);
    expect(f.existing?.url).toMatch(/^https:\/\/www\.facebook\.com\//);
    expect(fake.posts()).toHaveLength(1);
  });

  it("invalid: a rejected parameter keeps the platform's own message", async () => {
    fake.setState({ limits: { messageLimit: 10 } });
    const f = await failure(() => adapter().publish(makePost('roads')));
    expect(f).toMatchObject({ kind: 'invalid', code: '100', status: 400 });
    expect(f.message).toMatch(
      /^\(#100\) Param message must be at most 10 characters long \(fbtrace_id \S+\)$/,
    );
  });

  it('transient: connection refused means nothing was sent', async () => {
    const f = await failure(async () =>
      adapter({ baseUrl: await closedPortUrl() }).publish(makePost('roads')),
    );
    expect(f.kind).toBe('transient');
    expect(f.message).toContain('ECONNREFUSED');
  });

  it('unconfirmed: 500 code 2 after the post was stored; find then reconciles it', async () => {
    fake.failAfterStore(2);
    const fb = adapter();
    const post = makePost('roads');
    const f = await failure(() => fb.publish(post));
    expect(f).toMatchObject({ kind: 'unconfirmed', code: '2', status: 500 });
    expect(fake.posts()).toHaveLength(1);
    expect((await fb.find(post))?.postId).toBe(fake.posts()[0]?.id);
  });

  it('unconfirmed: 500 code 1 on the create call, even when nothing was stored', async () => {
    fake.failBeforeStore(1);
    const f = await failure(() => adapter().publish(makePost('roads')));
    expect(f).toMatchObject({ kind: 'unconfirmed', code: '1', status: 500 });
  });

  it('unconfirmed: a 200 without a post id', async () => {
    fake.addFault({
      method: 'POST',
      action: { mode: 'respond-after-handling', response: { status: 200, body: {} } },
    });
    const f = await failure(() => adapter().publish(makePost('roads')));
    expect(f).toMatchObject({ kind: 'unconfirmed', status: 200 });
  });

  it('unconfirmed: a dropped connection after sending the create', async () => {
    fake.dropNext({ afterStore: true });
    const f = await failure(() => adapter().publish(makePost('roads')));
    expect(f.kind).toBe('unconfirmed');
    expect(fake.posts()).toHaveLength(1);
  });

  it('unconfirmed: the create times out after options.timeoutMs', async () => {
    fake.hangNext({ afterStore: true });
    const f = await failure(() => adapter({ timeoutMs: 300 }).publish(makePost('roads')));
    expect(f.kind).toBe('unconfirmed');
    expect(f.message).toMatch(/in time/);
  });

  it('transient: a read that times out or answers 5xx can simply be retried', async () => {
    fake.addFault({ method: 'GET', action: { mode: 'hang' } });
    expect((await failure(() => adapter({ timeoutMs: 300 }).find(makePost('roads')))).kind).toBe('transient');
    fake.addFault({ method: 'GET', action: { mode: 'respond', response: { status: 503, body: 'busy' } } });
    const f = await failure(() => adapter().find(makePost('roads')));
    expect(f).toMatchObject({ kind: 'transient', status: 503 });
  });
});
