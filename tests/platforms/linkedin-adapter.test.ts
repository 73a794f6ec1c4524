import { createServer } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Post } from '../../src/core/post.js';
import { createLinkedInAdapter } from '../../src/platforms/linkedin/adapter.js';
import { nextMidnightUtc } from '../../src/platforms/linkedin/classify.js';
import type { LinkedInCredentials } from '../../src/platforms/linkedin/credentials.js';
import {
  LINKEDIN_FAKE_CREDENTIALS as CREDS,
  createLinkedInFake,
  LINKEDIN_FAKE_ORG,
} from '../../src/platforms/linkedin/fake.js';
import { platformFailure } from '../helpers/failure.js';
import { fakeTls } from '../helpers/fake-tls.js';

const fake = createLinkedInFake();
const ARTICLE_URL = 'https://news.example/2030/tram-line';

function samplePost(over: Partial<Post> = {}): Post {
  return {
    platform: 'linkedin',
    account: 'li-main',
    articleId: 'a0123456789abcdef',
    articleKey: ARTICLE_URL,
    text: `Council approves the tram line \\(phase 2\\). ${ARTICLE_URL}?utm\\_source=linkedin #transport`,
    summary: 'Council approves the tram line (phase 2).',
    link: `${ARTICLE_URL}?utm_source=linkedin`,
    hashtags: ['transport'],
    article: { url: ARTICLE_URL, title: 'Tram line approved', description: 'Phase 2 is funded.' },
    ...over,
  };
}

function adapter(credentials: Partial<LinkedInCredentials> = {}, timeoutMs = 5000, baseUrl = fake.url) {
  return createLinkedInAdapter({
    account: 'li-main',
    credentials: { ...CREDS, ...credentials },
    options: { baseUrl, timeoutMs },
  });
}

const failure = platformFailure;

describe('LinkedIn adapter against the fake (HTTPS loopback)', () => {
  beforeAll(async () => {
    await fake.start(fakeTls());
  });
  afterAll(() => fake.close());
  beforeEach(() => fake.reset());

  it('publishes: URN from x-restli-id, public URL, a well-formed request', async () => {
    const ref = await adapter().publish(samplePost());
    expect(ref.postId).toMatch(/^urn:li:share:\d+$/);
    expect(ref.url).toBe(`https://www.linkedin.com/feed/update/${ref.postId}`);
    const req = fake.server.requests.at(-1)!;
    expect(req.method).toBe('POST');
    expect(req.path).toBe('/rest/posts');
    expect(req.headers).toMatchObject({
      authorization: `Bearer ${CREDS.accessToken}`,
      'linkedin-version': CREDS.version,
      'x-restli-protocol-version': '2.0.0',
    });
    expect(req.json).toEqual({
      author: CREDS.author,
      commentary: samplePost().text,
      visibility: 'PUBLIC',
      distribution: { feedDistribution: 'MAIN_FEED', targetEntities: [], thirdPartyDistributionChannels: [] },
      lifecycleState: 'PUBLISHED',
      isReshareDisabledByAuthor: false,
      content: {
        article: {
          source: samplePost().link,
          title: 'Tram line approved',
          description: 'Phase 2 is funded.',
        },
      },
    });
    expect(fake.posts()[0]).toMatchObject({ id: ref.postId, cutAt: -1 });
  });

  it('omits the article description when there is none', async () => {
    await adapter().publish(samplePost({ article: { url: ARTICLE_URL, title: 'Tram line approved' } }));
    expect(fake.posts()[0]!.body.content?.article).toEqual({
      source: samplePost().link,
      title: 'Tram line approved',
    });
  });

  it('find: the post carrying the link or the article URL, else null; a refusal when reading is not permitted', async () => {
    const a = adapter();
    expect(await a.find(samplePost())).toBeNull();
    const ref = await a.publish(samplePost());
    await a.publish(
      samplePost({
        text: 'Another story',
        link: 'https://news.example/other',
        article: { url: 'https://news.example/other', title: 'Other' },
      }),
    );
    expect(await a.find(samplePost())).toEqual(ref);
    expect(await a.find(samplePost({ link: 'https://news.example/short-link' }))).toEqual(ref);
    expect(await a.find(samplePost({ link: `${ARTICLE_URL}?utm_source=newsletter` }))).toEqual(ref);
    const req = fake.server.requests.at(-1)!;
    expect(req.headers['x-restli-method']).toBe('FINDER');
    expect(req.url).toContain(`author=${encodeURIComponent(CREDS.author)}`);
    // Without r_member_social nothing can be looked up: that is not "absent" (null), it is a refusal.
    fake.setToken(CREDS.accessToken, 'valid', ['w_member_social']);
    expect(await failure(a.find(samplePost()))).toMatchObject({ status: 403, platform: 'linkedin' });
  });

  it('rate-limited until the next midnight UTC (scripted 429 and the daily member counter)', async () => {
    fake.rateLimitFor(60_000);
    const before = Date.now();
    const f = await failure(adapter().publish(samplePost()));
    expect(f).toMatchObject({ kind: 'rate-limited', status: 429, platform: 'linkedin' });
    // The wait is what the server has left of its UTC day (its Date header has whole seconds).
    const left = nextMidnightUtc(new Date(fake.now())).getTime() - fake.now();
    expect(Math.abs(f.until!.getTime() - (before + left))).toBeLessThan(2500);

    fake.reset();
    fake.server.clock.offsetMs = Date.UTC(2030, 5, 1, 23, 59) - Date.now();
    fake.setToken(CREDS.accessToken, 'valid');
    fake.setState({ config: { memberDailyLimit: 1 } });
    const a = adapter({ version: '203005' });
    await a.publish(samplePost());
    const sent = Date.now();
    const daily = await failure(a.publish(samplePost({ text: 'second' })));
    expect(daily.kind).toBe('rate-limited');
    // The fake's day (2030-06-01 23:59 UTC) has one minute left: that is how long the account waits.
    expect(Math.abs(daily.until!.getTime() - (sent + 60_000))).toBeLessThan(2500);
  });

  it('auth: expired and revoked tokens, with what to do', async () => {
    fake.setToken(CREDS.accessToken, 'expired');
    const expired = await failure(adapter().publish(samplePost()));
    expect(expired).toMatchObject({ kind: 'auth', status: 401, code: 'EXPIRED_ACCESS_TOKEN' });
    expect(expired.action).toContain('60 days');
    expect(expired.action).toContain('LINKEDIN_ACCESS_TOKEN');
    fake.setToken(CREDS.accessToken, 'revoked');
    expect(await failure(adapter().publish(samplePost()))).toMatchObject({
      kind: 'auth',
      code: 'REVOKED_ACCESS_TOKEN',
    });
    expect(fake.posts()).toHaveLength(0);
  });

  it('auth: an organization without a poster role (403 ACCESS_DENIED)', async () => {
    const org = 'urn:li:organization:30003';
    const f = await failure(adapter({ author: org }).publish(samplePost()));
    expect(f).toMatchObject({ kind: 'auth', status: 403, code: 'ACCESS_DENIED' });
    expect(f.action).toContain('w_organization_social');
    expect(f.action).toContain('CONTENT_ADMINISTRATOR');
    await expect(adapter({ author: LINKEDIN_FAKE_ORG }).publish(samplePost())).resolves.toMatchObject({
      postId: expect.stringMatching(/^urn:li:share:/),
    });
  });

  it('auth: a retired LinkedIn-Version (426 NONEXISTENT_VERSION) asks for a live version', async () => {
    fake.setState({ config: { retiredVersions: [CREDS.version] } });
    const f = await failure(adapter().publish(samplePost()));
    expect(f).toMatchObject({ kind: 'auth', status: 426, code: 'NONEXISTENT_VERSION' });
    expect(f.action).toMatch(/set LINKEDIN_VERSION to a live YYYYMM version/i);
  });

  it('duplicate: existing post from the message, else looked up with find', async () => {
    const first = await adapter().publish(samplePost());
    const again = await failure(adapter().publish(samplePost()));
    expect(again).toMatchObject({ kind: 'duplicate', status: 422, code: 'DUPLICATE_POST', existing: first });
    fake.setState({ config: { duplicateMessageHasUrn: false } });
    const looked = await failure(adapter().publish(samplePost()));
    expect(looked).toMatchObject({ kind: 'duplicate', existing: first });
    expect(fake.server.requests.at(-1)!.method).toBe('GET');
  });

  it('invalid: keeps LinkedIn message (422 over 3000 characters)', async () => {
    const f = await failure(adapter().publish(samplePost({ text: 'x'.repeat(3001) })));
    expect(f).toMatchObject({ kind: 'invalid', status: 422 });
    expect(f.message).toContain('ERROR :: /commentary ::');
  });

  it('transient: connection refused, and 5xx on a read', async () => {
    const port = await closedPort();
    const refused = await failure(adapter({}, 2000, `https://127.0.0.1:${port}`).publish(samplePost()));
    expect(refused).toMatchObject({ kind: 'transient', code: 'ECONNREFUSED' });
    fake.server.addFault({ method: 'GET', action: { mode: 'respond', response: { status: 503 } } });
    expect(await failure(adapter().find(samplePost()))).toMatchObject({ kind: 'transient', status: 503 });
  });

  it('unconfirmed: 5xx after storing, dropped connection, timeout; find then sees the post', async () => {
    const a = adapter({}, 400);
    fake.failAfterStore();
    expect(await failure(a.publish(samplePost()))).toMatchObject({ kind: 'unconfirmed', status: 500 });
    expect(await a.find(samplePost())).toMatchObject({ postId: fake.posts()[0]!.id });

    fake.dropConnection({ afterStore: true });
    expect(await failure(a.publish(samplePost({ text: 'two' })))).toMatchObject({
      kind: 'unconfirmed',
      code: 'ECONNRESET',
    });
    fake.hang({ afterStore: true });
    expect(await failure(a.publish(samplePost({ text: 'three' })))).toMatchObject({
      kind: 'unconfirmed',
      code: expect.stringMatching(/^(ETIMEDOUT|ECONNABORTED)$/),
    });
    expect(fake.posts()).toHaveLength(3);
  });

  it('a 201 without x-restli-id is resolved through find', async () => {
    fake.server.addFault({
      method: 'POST',
      action: { mode: 'respond-after-handling', response: { status: 201 } },
    });
    const ref = await adapter().publish(samplePost());
    expect(ref.postId).toBe(fake.posts()[0]!.id);
  });
});

function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}
