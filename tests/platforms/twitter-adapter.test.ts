import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { accountSchema, configSchema } from '../../src/config/schema.js';
import type { Post } from '../../src/core/post.js';
import { buildAccounts } from '../../src/platforms/accounts.js';
import { FakeServer } from '../../src/platforms/fake/server.js';
import { createTwitterAdapter } from '../../src/platforms/twitter/adapter.js';
import type { TwitterCredentials } from '../../src/platforms/twitter/credentials.js';
import { createTwitterFake, TWITTER_FAKE_CREDENTIALS } from '../../src/platforms/twitter/fake.js';
import { platformFailure } from '../helpers/failure.js';
import { fakeTls } from '../helpers/fake-tls.js';

const fake = createTwitterFake();
const IMAGE = 'PNG-ish bytes for the fake: the fake does not decode images. '.repeat(20);
const images = new FakeServer('images', (req) => {
  if (req.path === '/photo.png')
    return { status: 200, headers: { 'content-type': 'image/png' }, body: IMAGE };
  if (req.path === '/page.html')
    return { status: 200, headers: { 'content-type': 'text/html' }, body: '<html></html>' };
  if (req.path === '/huge.jpg')
    return { status: 200, headers: { 'content-type': 'image/jpeg' }, body: 'x'.repeat(6 * 1024 * 1024) };
  return { status: 404, body: 'no' };
});

let seq = 0;
function makePost(over: Partial<Post> = {}): Post {
  seq += 1;
  const url = `https://news.example.com/2026/story-${seq}`;
  const link = `${url}?utm_source=x&utm_medium=social`;
  return {
    platform: 'twitter',
    account: 'main',
    articleId: `a${seq}`,
    articleKey: url,
    text: `Story ${seq}: the council voted. ${link} #News`,
    summary: 'The council voted.',
    link,
    hashtags: ['News'],
    article: { url, title: `Story ${seq}` },
    ...over,
  };
}

function adapter(
  credentials: TwitterCredentials = TWITTER_FAKE_CREDENTIALS.oauth1,
  timeoutMs = 5000,
  baseUrl = fake.url,
) {
  const skipped: string[] = [];
  const a = createTwitterAdapter({
    account: 'main',
    credentials,
    options: { baseUrl, timeoutMs },
    onImageSkipped: (r) => skipped.push(r),
  });
  return Object.assign(a, { skipped });
}

const failure = platformFailure;

beforeAll(async () => {
  // The local servers are let through the fetch policy's allow-list, as an operator would.
  vi.stubEnv('CRIER_FETCH_ALLOW', '127.0.0.1');
  await fake.start(fakeTls());
  await images.start(fakeTls());
});
afterAll(async () => {
  vi.unstubAllEnvs();
  await fake.close();
  await images.close();
});
beforeEach(() => fake.reset());

describe('X adapter: publish and find', () => {
  it('publishes and returns the id and public URL; the fake received a well-formed signed JSON request', async () => {
    const post = makePost();
    const ref = await adapter().publish(post);
    expect(ref.postId).toMatch(/^\d+$/);
    expect(ref.url).toBe(`https://x.com/i/web/status/${ref.postId}`);
    const [req] = fake.requestsTo('POST', '/2/tweets');
    expect(req?.headers['content-type']).toMatch(/^application\/json/);
    expect(req?.headers.authorization).toMatch(/^OAuth .*oauth_signature_method="HMAC-SHA1"/);
    expect(req?.headers.authorization).toContain(
      `oauth_token="${encodeURIComponent(TWITTER_FAKE_CREDENTIALS.oauth1.accessToken)}"`,
    );
    expect(req?.json).toEqual({ text: post.text });
    expect(fake.posts()).toMatchObject([{ id: ref.postId, text: post.text, mediaIds: [], auth: 'oauth1' }]);
    expect(fake.posts()[0]?.weightedLength).toBeLessThanOrEqual(280);
  });

  it('posts the thread as a reply chain after the head and returns the head', async () => {
    const post = makePost({ thread: ['Second part.', 'Third part.'] });
    const ref = await adapter().publish(post);
    const [head, r1, r2] = fake.posts();
    expect(head?.id).toBe(ref.postId);
    expect([r1?.text, r1?.inReplyTo, r2?.text, r2?.inReplyTo]).toEqual([
      'Second part.',
      head?.id,
      'Third part.',
      r1?.id,
    ]);
    expect(r2?.conversationId).toBe(head?.id);
  });

  it('uploads the article image (initialize, append, finalize) and attaches media_ids', async () => {
    const a = adapter();
    await a.publish(
      makePost({
        article: { url: 'https://news.example.com/i', title: 'I', image: `${images.url}/photo.png` },
      }),
    );
    const init = fake.requestsTo('POST', '/2/media/upload/initialize')[0];
    expect(init?.json).toEqual({
      media_type: 'image/png',
      total_bytes: IMAGE.length,
      media_category: 'tweet_image',
    });
    const mediaId = fake.posts()[0]?.mediaIds[0];
    expect(mediaId).toMatch(/^\d+$/);
    expect(fake.requestsTo('POST', `/2/media/upload/${mediaId}/append`)[0]?.headers['content-type']).toMatch(
      /^multipart\/form-data/,
    );
    expect(fake.requestsTo('POST', '/2/tweets')[0]?.json).toMatchObject({ media: { media_ids: [mediaId] } });
    expect(a.skipped).toEqual([]);
  });

  it('posts without the image when it cannot be downloaded, is not an image or is over 5 MB', async () => {
    const a = adapter();
    for (const path of ['/missing.png', '/page.html', '/huge.jpg'])
      await a.publish(
        makePost({
          article: { url: `https://news.example.com${path}`, title: 'T', image: `${images.url}${path}` },
        }),
      );
    expect(fake.posts().map((p) => p.mediaIds)).toEqual([[], [], []]);
    expect(a.skipped).toHaveLength(3);
    expect(fake.requestsTo('POST', '/2/media/upload/initialize')).toHaveLength(0);
  });

  it('find returns the account post carrying the link (with or without UTM), else null', async () => {
    const a = adapter();
    const post = makePost({ thread: ['More.'] });
    const ref = await a.publish(post);
    expect(await a.find(post)).toEqual(ref);
    expect(await a.find({ ...post, link: post.article.url })).toEqual(ref);
    expect(await a.find(makePost())).toBeNull();
    const list = fake.requestsTo('GET', '/2/users/1700000000000000001/tweets')[0];
    expect(list?.query.get('tweet.fields')).toContain('entities');
    expect(list?.query.get('tweet.fields')).toContain('created_at');
  });
});

describe('X adapter: one contract test per failure kind', () => {
  it('rate-limited: until = x-rate-limit-reset', async () => {
    const until = fake.rateLimitFor(10 * 60_000);
    const f = await failure(adapter().publish(makePost()));
    expect([f.kind, f.status, f.until?.getTime()]).toEqual(['rate-limited', 429, until.getTime()]);
  });

  it('rate-limited: the 24-hour user cap (429 with window room left) waits for its reset', async () => {
    const until = fake.dailyLimitFor(6 * 3600_000);
    const f = await failure(adapter().publish(makePost()));
    expect([f.kind, f.code, f.until?.getTime()]).toEqual([
      'rate-limited',
      'x-user-limit-24hour',
      until.getTime(),
    ]);
  });

  it('auth: a wrong OAuth 1.0a secret (signature check), a read-only app, depleted credits', async () => {
    const wrong = await failure(
      adapter({ ...TWITTER_FAKE_CREDENTIALS.oauth1, accessSecret: 'wrong' }).publish(makePost()),
    );
    expect([wrong.kind, wrong.status]).toEqual(['auth', 401]);
    expect(wrong.action).toContain('TWITTER_ACCESS_SECRET');
    fake.setState({ app: { permission: 'read' } });
    const perm = await failure(adapter().publish(makePost()));
    expect([perm.kind, perm.code]).toEqual(['auth', 'oauth1-permissions']);
    fake.setState({ app: { permission: 'read-write', creditsDepleted: true } });
    const paid = await failure(adapter().publish(makePost()));
    expect([paid.kind, paid.status, paid.code]).toEqual(['auth', 402, 'credits-depleted']);
    expect(fake.posts()).toHaveLength(0);
  });

  it('duplicate: the same text again, with existing filled by find', async () => {
    const post = makePost();
    const ref = await adapter().publish(post);
    const f = await failure(adapter().publish(post));
    expect([f.kind, f.status]).toEqual(['duplicate', 403]);
    expect(f.existing).toEqual(ref);
  });

  it('invalid: text over 280 weighted characters keeps X’s message', async () => {
    const f = await failure(adapter().publish(makePost({ text: 'é'.repeat(200) + '中'.repeat(50) })));
    expect([f.kind, f.status, f.code]).toEqual(['invalid', 400, 'invalid-request']);
    expect(f.message).toContain('Your Tweet text is too long.');
  });

  it('transient: connection refused (nothing sent), and a 503 while looking the post up', async () => {
    const closed = new FakeServer('closed', () => ({ status: 200 }));
    const url = await closed.start(fakeTls());
    await closed.close();
    const refused = await failure(adapter(undefined, 5000, url).publish(makePost()));
    expect([refused.kind, refused.code]).toEqual(['transient', 'ECONNREFUSED']);
    fake.failBeforeStore(503, '/2/users/me');
    expect((await failure(adapter().find(makePost()))).kind).toBe('transient');
  });

  it('unconfirmed: 500 after the post was stored; find then reconciles it', async () => {
    const a = adapter();
    const post = makePost();
    fake.failAfterStore(500);
    const f = await failure(a.publish(post));
    expect([f.kind, f.status]).toEqual(['unconfirmed', 500]);
    expect(await a.find(post)).toEqual({
      postId: fake.posts()[0]?.id,
      url: `https://x.com/i/web/status/${fake.posts()[0]?.id}`,
    });
  });

  it('unconfirmed: dropped connection after storing, and a request that never answers (timeout)', async () => {
    fake.dropConnection({ afterStore: true });
    expect((await failure(adapter().publish(makePost()))).kind).toBe('unconfirmed');
    fake.hang({ afterStore: true });
    const timedOut = await failure(adapter(undefined, 300).publish(makePost()));
    expect([timedOut.kind, timedOut.code]).toEqual(['unconfirmed', 'ETIMEDOUT']);
    expect(fake.posts()).toHaveLength(2);
  });
});

describe('X adapter: a thread that failed half-way', () => {
  it('reports the head, and on retry posts only the missing replies without re-posting the head', async () => {
    fake.setState({ limits: { userDay: 2 } });
    const post = makePost({ thread: ['Two.', 'Three.'] });
    const first = await failure(adapter().publish(post));
    expect([first.kind, first.code]).toEqual(['rate-limited', 'x-user-limit-24hour']);
    const [head, r1] = fake.posts();
    expect(first.existing?.postId).toBe(head?.id);
    fake.setState({ limits: { userDay: 100 } });
    const retry = await failure(adapter().publish(post));
    expect([retry.kind, retry.existing?.postId]).toEqual(['duplicate', head?.id]);
    const texts = fake.posts().map((p) => [p.text, p.inReplyTo]);
    expect(texts).toEqual([
      [post.text, undefined],
      ['Two.', head?.id],
      ['Three.', r1?.id],
    ]);
  });
});

describe('registry: an X account reports a skipped image as a log line', () => {
  it('logs event image-skipped with the account, article and reason; the post goes out', async () => {
    const lines: Array<Record<string, unknown>> = [];
    const c = TWITTER_FAKE_CREDENTIALS.oauth1;
    const accounts = buildAccounts(
      {
        accounts: [accountSchema.parse({ id: 'x-main', platform: 'twitter' })],
        publishing: configSchema.shape.publishing.parse({}),
      },
      {
        TWITTER_API_URL: fake.url,
        TWITTER_API_KEY: c.apiKey,
        TWITTER_API_SECRET: c.apiSecret,
        TWITTER_ACCESS_TOKEN: c.accessToken,
        TWITTER_ACCESS_SECRET: c.accessSecret,
      },
      { logger: { warn: (obj: Record<string, unknown>) => void lines.push(obj) } as never },
    );
    const post = makePost({
      article: { url: 'https://news.example.com/m', title: 'M', image: `${images.url}/missing.png` },
    });
    await accounts.get('x-main')!.adapter!.publish(post);
    expect(fake.posts()).toHaveLength(1);
    expect(lines).toEqual([
      expect.objectContaining({
        event: 'image-skipped',
        platform: 'twitter',
        account: 'x-main',
        articleId: post.articleId,
        image: post.article.image,
      }),
    ]);
  });
});
