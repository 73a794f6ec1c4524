import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { accountSchema } from '../../src/config/schema.js';
import type { Post } from '../../src/core/post.js';
import { buildAccounts } from '../../src/platforms/accounts.js';
import { FakeServer } from '../../src/platforms/fake/server.js';
import { createLinkedInAdapter } from '../../src/platforms/linkedin/adapter.js';
import { LINKEDIN_FAKE_CREDENTIALS as CREDS, createLinkedInFake } from '../../src/platforms/linkedin/fake.js';
import { platformFailure } from '../helpers/failure.js';
import { fakeTls } from '../helpers/fake-tls.js';

/** Article thumbnails: og:image → Images API (initializeUpload, PUT) → content.article.thumbnail. */

const fake = createLinkedInFake();
// Text bytes: FakeServer passes request bodies on as UTF-8 text, so these arrive byte for byte.
const IMAGE = 'PNG-ish bytes for the fake: the fake does not decode images. '.repeat(20);
const images = new FakeServer('images', (req) => {
  if (req.path === '/photo.png' || req.path === '/slow.png')
    return { status: 200, headers: { 'content-type': 'image/png' }, body: IMAGE };
  if (req.path === '/photo.gif')
    return { status: 200, headers: { 'content-type': 'image/gif; charset=binary' }, body: IMAGE };
  if (req.path === '/photo.webp')
    return { status: 200, headers: { 'content-type': 'image/webp' }, body: IMAGE };
  if (req.path === '/page.html')
    return { status: 200, headers: { 'content-type': 'text/html' }, body: '<html></html>' };
  if (req.path === '/huge.jpg')
    return { status: 200, headers: { 'content-type': 'image/jpeg' }, body: 'x'.repeat(6 * 1024 * 1024) };
  return { status: 404, body: 'no' };
});

// A real 1×1 PNG (bytes that are not UTF-8), served over plain HTTP.
const PNG = Buffer.from(
  '89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cfc0f01f0005000201ff0b0e2a4d0000000049454e44ae426082',
  'hex',
);
let binary: Server;
let binaryUrl = '';

let seq = 0;
function makePost(image?: string, over: Partial<Post> = {}): Post {
  seq += 1;
  const url = `https://news.example/2030/story-${seq}`;
  return {
    platform: 'linkedin',
    account: 'li-main',
    articleId: `a${String(seq).padStart(16, '0')}`,
    articleKey: url,
    text: `Story ${seq}: the council voted. ${url}`,
    summary: 'The council voted.',
    link: url,
    hashtags: [],
    article: { url, title: `Story ${seq}`, description: 'What was decided.', ...(image ? { image } : {}) },
    ...over,
  };
}

function adapter(timeoutMs = 5000) {
  const skipped: string[] = [];
  const a = createLinkedInAdapter({
    account: 'li-main',
    credentials: CREDS,
    options: { baseUrl: fake.url, timeoutMs },
    onImageSkipped: (reason) => skipped.push(reason),
  });
  return Object.assign(a, { skipped });
}

const failure = platformFailure;

const requests = (method: string, prefix: string) =>
  fake.server.requests.filter((r) => r.method === method && r.path.startsWith(prefix));

beforeAll(async () => {
  // The local servers are let through the fetch policy's allow-list, as an operator would.
  vi.stubEnv('CRIER_FETCH_ALLOW', '127.0.0.1');
  await fake.start(fakeTls());
  await images.start(fakeTls());
  binary = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'image/png', 'content-length': PNG.length });
    res.end(PNG);
  });
  await new Promise<void>((resolve) => binary.listen(0, '127.0.0.1', resolve));
  binaryUrl = `http://127.0.0.1:${(binary.address() as AddressInfo).port}/pixel.png`;
});
afterAll(async () => {
  vi.unstubAllEnvs();
  await fake.close();
  await images.close();
  await new Promise((resolve) => binary.close(resolve));
});
beforeEach(() => {
  fake.reset();
  images.reset();
});

describe('LinkedIn adapter: article thumbnail through the Images API', () => {
  it('initializes an upload, PUTs the bytes and sends the image URN as content.article.thumbnail', async () => {
    const a = adapter();
    const post = makePost(`${images.url}/photo.png`);
    const ref = await a.publish(post);

    const [init] = requests('POST', '/rest/images');
    expect(init?.query.get('action')).toBe('initializeUpload');
    expect(init?.headers).toMatchObject({
      authorization: `Bearer ${CREDS.accessToken}`,
      'linkedin-version': CREDS.version,
      'x-restli-protocol-version': '2.0.0',
    });
    expect(init?.json).toEqual({ initializeUploadRequest: { owner: CREDS.author } });

    const [image] = fake.images();
    expect(image).toMatchObject({ owner: CREDS.author, status: 'AVAILABLE', mediaType: 'image/png' });
    expect(image?.urn).toMatch(/^urn:li:image:/);
    expect(image?.bytes?.equals(Buffer.from(IMAGE))).toBe(true);
    expect(image?.size).toBe(IMAGE.length);

    const [put] = requests('PUT', '/dms-uploads/');
    expect(put?.path).toBe(`/dms-uploads/${image?.id}`);
    expect(put?.headers.authorization).toBe(`Bearer ${CREDS.accessToken}`);
    expect(put?.headers['content-type']).toBe('image/png');
    // The upload URL is not a versioned resource: no Rest.li headers go with the bytes.
    expect(put?.headers['linkedin-version']).toBeUndefined();

    const stored = fake.posts()[0]!;
    expect(stored).toMatchObject({ id: ref.postId, thumbnail: image?.urn });
    expect(stored.body.content?.article).toEqual({
      source: post.link,
      title: post.article.title,
      description: 'What was decided.',
      thumbnail: image?.urn,
    });
    expect(fake.server.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      'POST /rest/images',
      `PUT /dms-uploads/${image?.id}`,
      'POST /rest/posts',
    ]);
    expect(a.skipped).toEqual([]);
  });

  it('takes GIFs (type parameters ignored) and binary bytes over plain HTTP, every byte counted', async () => {
    const a = adapter();
    await a.publish(makePost(`${images.url}/photo.gif`));
    await a.publish(makePost(binaryUrl));
    const [gif, png] = fake.images();
    expect([gif?.mediaType, png?.mediaType]).toEqual(['image/gif', 'image/png']);
    expect(png).toMatchObject({ status: 'AVAILABLE', size: PNG.length });
    expect(png?.bytes?.equals(PNG)).toBe(true); // binary bytes kept exactly
    expect(fake.posts().map((p) => p.thumbnail)).toEqual([gif?.urn, png?.urn]);
    expect(a.skipped).toEqual([]);
  });

  it('an image that cannot be had (404, WebP, HTML, over 5 MB): no thumbnail, the skip is reported, the post goes out', async () => {
    const a = adapter();
    for (const path of ['/missing.png', '/photo.webp', '/page.html', '/huge.jpg'])
      await a.publish(makePost(`${images.url}${path}`));
    expect(fake.posts()).toHaveLength(4);
    for (const p of fake.posts()) {
      expect(p.thumbnail).toBeUndefined();
      expect(p.body.content?.article).not.toHaveProperty('thumbnail');
    }
    expect(a.skipped).toHaveLength(4);
    expect(a.skipped[0]).toContain('404');
    expect(a.skipped[1]).toContain('image/webp');
    expect(a.skipped[2]).toContain('text/html');
    expect(a.skipped[3]).toContain(String(5 * 1024 * 1024));
    expect(requests('POST', '/rest/images')).toHaveLength(0);
  });

  it('the Images API failing (404 of a LinkedIn without it, 500, a dropped connection): post without thumbnail', async () => {
    const a = adapter();
    const respond = (status: number) =>
      fake.server.addFault({
        pathPrefix: '/rest/images',
        action: { mode: 'respond', response: { status, body: { status, message: `scripted ${status}` } } },
      });
    respond(404);
    await a.publish(makePost(`${images.url}/photo.png`));
    respond(500);
    await a.publish(makePost(`${images.url}/photo.png`));
    fake.server.addFault({ pathPrefix: '/rest/images', action: { mode: 'drop' } });
    await a.publish(makePost(`${images.url}/photo.png`));

    expect(fake.posts()).toHaveLength(3);
    expect(fake.posts().map((p) => p.thumbnail)).toEqual([undefined, undefined, undefined]);
    expect(a.skipped).toHaveLength(3);
    expect(a.skipped[0]).toMatch(/^image upload failed: .*404/);
    expect(a.skipped[1]).toMatch(/^image upload failed: .*500/);
    expect(a.skipped[2]).toMatch(/^image upload failed: .*ECONNRESET/);
    expect(requests('PUT', '/dms-uploads/')).toHaveLength(0);
  });

  it('a failed upload PUT leaves the thumbnail out; the image stays WAITING_UPLOAD', async () => {
    const a = adapter();
    fake.server.addFault({
      pathPrefix: '/dms-uploads/',
      action: { mode: 'respond', response: { status: 503 } },
    });
    await a.publish(makePost(`${images.url}/photo.png`));
    expect(fake.images().map((i) => i.status)).toEqual(['WAITING_UPLOAD']);
    expect(fake.posts()[0]?.thumbnail).toBeUndefined();
    expect(a.skipped).toHaveLength(1);
    expect(a.skipped[0]).toMatch(/^image upload failed: .*503/);
  });

  it('each step has the wall-clock deadline: a trickling download and a hanging initializeUpload are cut off', async () => {
    const a = adapter(600);
    images.addFault({ pathPrefix: '/slow.png', action: { mode: 'trickle', everyMs: 100 } });
    let started = Date.now();
    await a.publish(makePost(`${images.url}/slow.png`));
    expect(Date.now() - started).toBeLessThan(3000);
    expect(a.skipped[0]).toContain('ETIMEDOUT');

    fake.server.addFault({ pathPrefix: '/rest/images', action: { mode: 'hang' } });
    started = Date.now();
    await a.publish(makePost(`${images.url}/photo.png`));
    expect(Date.now() - started).toBeLessThan(3000);
    expect(a.skipped[1]).toMatch(/^image upload failed: .*ETIMEDOUT/);
    expect(fake.posts().map((p) => p.thumbnail)).toEqual([undefined, undefined]);
  });

  it('an expired token: the thumbnail is skipped and the post itself fails as auth', async () => {
    const a = adapter();
    fake.setToken(CREDS.accessToken, 'expired');
    const f = await failure(a.publish(makePost(`${images.url}/photo.png`)));
    expect(f).toMatchObject({ kind: 'auth', status: 401, code: 'EXPIRED_ACCESS_TOKEN' });
    expect(a.skipped).toHaveLength(1);
    expect(a.skipped[0]).toMatch(/^image upload failed: LinkedIn 401 EXPIRED_ACCESS_TOKEN/);
    expect(requests('POST', '/rest/posts')).toHaveLength(1);
    expect(fake.posts()).toHaveLength(0);
  });

  it('no image: no Images API call at all', async () => {
    const a = adapter();
    await a.publish(makePost());
    expect(fake.server.requests.map((r) => r.path)).toEqual(['/rest/posts']);
    expect(fake.posts()[0]?.body.content?.article).not.toHaveProperty('thumbnail');
  });
});

describe('registry: a LinkedIn account reports a skipped image as a log line', () => {
  it('logs event image-skipped with the account, article and reason', async () => {
    const lines: Array<Record<string, unknown>> = [];
    const logger = { warn: (obj: Record<string, unknown>) => lines.push(obj) };
    const accounts = buildAccounts(
      {
        accounts: [accountSchema.parse({ id: 'li-main', platform: 'linkedin' })],
        publishing: {
          attempts: 1,
          backoffMs: 1000,
          requestTimeoutMs: 5000,
          retentionDays: 1,
          keepFinishedJobs: 1000,
          holdRecheckMs: 60_000,
          lockDurationMs: 30_000,
          maxStalls: 10,
          reconcileIntervalMs: 60_000,
        },
      },
      {
        LINKEDIN_API_URL: fake.url,
        LINKEDIN_ACCESS_TOKEN: CREDS.accessToken,
        LINKEDIN_AUTHOR: CREDS.author,
        LINKEDIN_VERSION: CREDS.version,
      },
      { logger: logger as never },
    );
    const post = makePost(`${images.url}/missing.png`);
    await accounts.get('li-main')!.adapter!.publish(post);
    expect(fake.posts()).toHaveLength(1);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      event: 'image-skipped',
      platform: 'linkedin',
      account: 'li-main',
      articleId: post.articleId,
      image: post.article.image,
    });
    expect(String(lines[0]?.reason)).toContain('404');
  });
});
