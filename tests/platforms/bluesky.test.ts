import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import axios from 'axios';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { articleFromText } from '../../src/articles/text.js';
import { readCredentials } from '../../src/config/credentials.js';
import { accountSchema } from '../../src/config/schema.js';
import type { Post } from '../../src/core/post.js';
import { createBlueskyAdapter } from '../../src/platforms/bluesky/adapter.js';
import { jwtExpiry, tid } from '../../src/platforms/bluesky/api.js';
import {
  BLUESKY_FAKE_ACCOUNT,
  BLUESKY_FAKE_OTHER_ACCOUNT,
  createBlueskyFake,
} from '../../src/platforms/bluesky/fake.js';
import { detectFacets, sliceBytes } from '../../src/platforms/bluesky/richtext.js';
import { FakeServer } from '../../src/platforms/fake/server.js';
import { MemoryTokenStore } from '../../src/platforms/token-store.js';
import { composePostsOffline } from '../../src/summaries/compose.js';
import { graphemeLength } from '../../src/summaries/length.js';
import { platformFailure } from '../helpers/failure.js';
import { fakeTls } from '../helpers/fake-tls.js';

const fake = createBlueskyFake();
const A = BLUESKY_FAKE_ACCOUNT;
const TEXT = readFileSync(resolve('tests/fixtures/articles/harbour-ferry.txt'), 'utf8');
// A real 1×1 PNG, and a JPEG-looking file over the 1,000,000-byte thumbnail limit.
const PNG = Buffer.from(
  '89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cfc0f01f0005000201ff0b0e2a4d0000000049454e44ae426082',
  'hex',
);
const images = new FakeServer('images', (req) => {
  if (req.path === '/photo.png') return { status: 200, headers: { 'content-type': 'image/png' }, body: PNG };
  if (req.path === '/huge.jpg')
    return {
      status: 200,
      headers: { 'content-type': 'image/jpeg' },
      body: Buffer.concat([Buffer.from([0xff, 0xd8, 0xff]), Buffer.alloc(1_100_000)]),
    };
  return { status: 404, body: 'no' };
});

let seq = 0;
function post(text?: string, image?: string): Post {
  seq += 1;
  const url = `https://news.example.org/2026/story-${seq}?utm_source=bluesky`;
  return {
    platform: 'bluesky',
    account: 'bsky-main',
    articleId: `a${seq}`,
    articleKey: url,
    text: text ?? `Café reopens — read more: ${url} #news`,
    summary: 'Café reopens.',
    link: url,
    hashtags: ['#news'],
    article: {
      url,
      title: `Story ${seq}`,
      description: 'The café is open again.',
      ...(image ? { image } : {}),
    },
  };
}

function adapter(over: { tokens?: MemoryTokenStore; password?: string; langs?: string[] } = {}) {
  const skipped: string[] = [];
  const a = createBlueskyAdapter({
    account: 'bsky-main',
    credentials: { identifier: A.handle, appPassword: over.password ?? A.appPassword, serviceUrl: fake.url },
    settings: { langs: over.langs },
    options: { timeoutMs: 3000 },
    tokens: over.tokens,
    onImageSkipped: (reason) => skipped.push(reason),
  });
  return Object.assign(a, { skipped });
}

const xrpc = (
  method: string,
  nsid: string,
  data?: unknown,
  headers: Record<string, string> = {},
  params = {},
) =>
  axios.request({
    method,
    url: `${fake.url}/xrpc/${nsid}`,
    data,
    params,
    headers,
    validateStatus: () => true,
  });
const login = async (account = A) =>
  (
    await xrpc('POST', 'com.atproto.server.createSession', {
      identifier: account.handle,
      password: account.appPassword,
    })
  ).data as { accessJwt: string; refreshJwt: string; did: string };
const requests = (nsid: string) => fake.server.requests.filter((r) => r.path.endsWith(`/xrpc/${nsid}`));

beforeAll(async () => {
  await fake.start(fakeTls());
  await images.start(fakeTls());
});
afterAll(async () => {
  await fake.close();
  await images.close();
});
beforeEach(() => fake.reset());

describe('facets: links and hashtags with UTF-8 byte offsets', () => {
  it('the facts sheet example: é is 2 bytes, — 3, so the link is 29–45 and the tag 46–51', () => {
    const text = 'Café reopens — read more: https://ex.com/a #news';
    expect(text.indexOf('https')).toBe(26);
    expect(detectFacets(text)).toEqual([
      {
        index: { byteStart: 29, byteEnd: 45 },
        features: [{ $type: 'app.bsky.richtext.facet#link', uri: 'https://ex.com/a' }],
      },
      {
        index: { byteStart: 46, byteEnd: 51 },
        features: [{ $type: 'app.bsky.richtext.facet#tag', tag: 'news' }],
      },
    ]);
  });

  it('every facet slices to exactly its link or #tag, whatever the emoji and accents before it', () => {
    const text = '👨‍👩‍👧 Zoë’s café 🇫🇷 — #Été2026 https://x.org/a?b=1#frag and #tag. #123 x#no (#paren)';
    const facets = detectFacets(text);
    for (const f of facets) {
      const s = sliceBytes(text, f.index.byteStart, f.index.byteEnd);
      const feat = f.features[0]!;
      expect(s).toBe(feat.uri ?? `#${feat.tag}`);
    }
    expect(facets.map((f) => f.features[0]!.tag ?? f.features[0]!.uri)).toEqual([
      'Été2026',
      'https://x.org/a?b=1#frag',
      'tag',
    ]);
  });
});

describe('Bluesky fake', () => {
  it('sessions: bad password 401, no token 401 AuthMissing, malformed 400 InvalidToken, expired 400 ExpiredToken', async () => {
    const bad = await xrpc('POST', 'com.atproto.server.createSession', {
      identifier: A.handle,
      password: 'nope',
    });
    expect(bad.status).toBe(401);
    expect(bad.data).toEqual({ error: 'AuthenticationRequired', message: 'Invalid identifier or password' });
    expect((await xrpc('GET', 'com.atproto.server.getSession')).data).toEqual({
      error: 'AuthMissing',
      message: 'Authentication Required',
    });
    const malformed = await xrpc('GET', 'com.atproto.server.getSession', undefined, {
      Authorization: 'Bearer x',
    });
    expect([malformed.status, malformed.data.error]).toEqual([400, 'InvalidToken']);
    const s = await login();
    expect(jwtExpiry(s.accessJwt)).toBeGreaterThan(Date.now() + 3_500_000);
    fake.expireTokens();
    const expired = await xrpc('GET', 'com.atproto.server.getSession', undefined, {
      Authorization: `Bearer ${s.accessJwt}`,
    });
    expect([expired.status, expired.data]).toEqual([
      400,
      { error: 'ExpiredToken', message: 'Token has expired' },
    ]);
  });

  it('the DID document names the PDS (a second base URL); refresh tokens rotate with a grace period', async () => {
    const s = (
      await xrpc('POST', 'com.atproto.server.createSession', {
        identifier: A.handle,
        password: A.appPassword,
      })
    ).data;
    expect(s.didDoc.service[0]).toEqual({
      id: '#atproto_pds',
      type: 'AtprotoPersonalDataServer',
      serviceEndpoint: `${fake.url}/pds`,
    });
    const refresh = (jwt: string) =>
      xrpc('POST', 'com.atproto.server.refreshSession', undefined, { Authorization: `Bearer ${jwt}` });
    const r1 = await refresh(s.refreshJwt);
    expect(r1.data.refreshJwt).not.toBe(s.refreshJwt);
    expect((await refresh(s.accessJwt)).data.error).toBe('InvalidToken');
    fake.server.clock.offsetMs = 3_600_000; // within the 2 h grace, the old one still works
    expect((await refresh(s.refreshJwt)).status).toBe(200);
    fake.server.clock.offsetMs = 3 * 3_600_000;
    expect((await refresh(s.refreshJwt)).data).toEqual({
      error: 'ExpiredToken',
      message: 'Token has been revoked',
    });
  });

  it('createSession is limited per identifier (30 per 5 minutes) with RateLimit-* headers', async () => {
    fake.setConfig({ sessionsPer5Min: 2 });
    await login();
    await login();
    const third = await xrpc('POST', 'com.atproto.server.createSession', {
      identifier: A.handle,
      password: A.appPassword,
    });
    expect(third.status).toBe(429);
    expect(third.data).toEqual({ error: 'RateLimitExceeded', message: 'Rate Limit Exceeded' });
    expect(Number(third.headers['ratelimit-reset'])).toBeGreaterThan(Date.now() / 1000);
  });

  it('the post lexicon: 300 graphemes, 3000 bytes, a datetime; the record is stored as sent', async () => {
    const s = await login();
    const auth = { Authorization: `Bearer ${s.accessJwt}` };
    const create = (record: Record<string, unknown>) =>
      xrpc(
        'POST',
        'com.atproto.repo.createRecord',
        { repo: s.did, collection: 'app.bsky.feed.post', record },
        auth,
      );
    const base = { $type: 'app.bsky.feed.post', createdAt: new Date().toISOString() };
    const long = await create({ ...base, text: '👍'.repeat(301) });
    expect(long.status).toBe(400);
    expect(long.data).toEqual({
      error: 'InvalidRequest',
      message: 'Invalid app.bsky.feed.post record: grapheme too big (maximum 300, got 301) at $.record.text',
    });
    // 300 graphemes but 3600 bytes: each family emoji is one grapheme of 18 bytes.
    expect((await create({ ...base, text: '👨‍👩‍👧'.repeat(200) })).data.message).toMatch(
      /maximum 3000, got 3600/,
    );
    expect((await create({ text: 'no type or date' })).status).toBe(400);
    const ok = await create({ ...base, text: 'Hello #news', facets: detectFacets('Hello #news') });
    expect(ok.status).toBe(200);
    expect(ok.data.uri).toMatch(new RegExp(`^at://${s.did}/app.bsky.feed.post/[2-7a-z]{13}$`));
    expect(fake.posts()[0]!.value.facets).toEqual(detectFacets('Hello #news'));
    // Another repo: the PDS answers AuthenticationRequired.
    const other = await xrpc(
      'POST',
      'com.atproto.repo.createRecord',
      {
        repo: BLUESKY_FAKE_OTHER_ACCOUNT.did,
        collection: 'app.bsky.feed.post',
        record: { ...base, text: 'x' },
      },
      auth,
    );
    expect(other.status).toBe(401);
  });

  it('a record key is a TID; an existing one is a 500 (not a conflict); swapCommit mismatch is InvalidSwap', async () => {
    const s = await login();
    const auth = { Authorization: `Bearer ${s.accessJwt}` };
    const rkey = tid(BigInt(Date.now()) * 1000n);
    const record = { $type: 'app.bsky.feed.post', text: 'once', createdAt: new Date().toISOString() };
    const call = (extra: Record<string, unknown>) =>
      xrpc(
        'POST',
        'com.atproto.repo.createRecord',
        { repo: s.did, collection: 'app.bsky.feed.post', record, ...extra },
        auth,
      );
    expect((await call({ rkey })).status).toBe(200);
    const again = await call({ rkey });
    expect([again.status, again.data.error]).toEqual([500, 'InternalServerError']);
    expect((await call({ rkey: 'not-a-tid' })).status).toBe(400);
    expect((await call({ swapCommit: 'bafywrong' })).data.error).toBe('InvalidSwap');
  });

  it('blobs: sniffed, and checked at createRecord (unknown, not an image, over 1,000,000 bytes, wrong size)', async () => {
    const s = await login();
    const auth = { Authorization: `Bearer ${s.accessJwt}` };
    const upload = async (bytes: Buffer, type: string) =>
      (await xrpc('POST', 'com.atproto.repo.uploadBlob', bytes, { ...auth, 'Content-Type': type })).data.blob;
    const png = await upload(PNG, 'application/octet-stream');
    expect(png).toMatchObject({ $type: 'blob', mimeType: 'image/png', size: PNG.length });
    const text = await upload(Buffer.from('hello'), 'text/plain');
    const big = await upload(
      Buffer.concat([Buffer.from([0xff, 0xd8, 0xff]), Buffer.alloc(1_000_000)]),
      'image/jpeg',
    );
    const card = (thumb: unknown) =>
      xrpc(
        'POST',
        'com.atproto.repo.createRecord',
        {
          repo: s.did,
          collection: 'app.bsky.feed.post',
          record: {
            $type: 'app.bsky.feed.post',
            text: '',
            createdAt: new Date().toISOString(),
            embed: {
              $type: 'app.bsky.embed.external',
              external: { uri: 'https://a.org/', title: 't', description: '', thumb },
            },
          },
        },
        auth,
      );
    expect((await card(png)).status).toBe(200);
    expect((await card({ ...png, ref: { $link: 'bafyunknown' } })).data.error).toBe('BlobNotFound');
    expect((await card({ ...png, size: 1 })).data.error).toBe('InvalidSize');
    expect((await card(text)).data.message).toMatch(/mimeType \(text\/plain\) not accepted/);
    expect((await card(big)).data.message).toMatch(/too large/);
  });

  it('listRecords is newest first with a cursor; deleteRecord of a missing record is no error; the AppView lags', async () => {
    const s = await login();
    const auth = { Authorization: `Bearer ${s.accessJwt}` };
    for (let i = 0; i < 3; i++)
      await xrpc(
        'POST',
        'com.atproto.repo.createRecord',
        {
          repo: s.did,
          collection: 'app.bsky.feed.post',
          record: { $type: 'app.bsky.feed.post', text: `p${i}`, createdAt: new Date().toISOString() },
        },
        auth,
      );
    const list = (params: Record<string, unknown>) =>
      xrpc(
        'GET',
        'com.atproto.repo.listRecords',
        undefined,
        {},
        { repo: A.handle, collection: 'app.bsky.feed.post', ...params },
      );
    const first = (await list({ limit: 2 })).data;
    expect(first.records.map((r: { value: { text: string } }) => r.value.text)).toEqual(['p2', 'p1']);
    const rest = (await list({ limit: 2, cursor: first.cursor })).data;
    expect(rest.records.map((r: { value: { text: string } }) => r.value.text)).toEqual(['p0']);
    expect(rest.cursor).toBeUndefined();
    const rkey = first.records[0].uri.split('/').pop();
    const del = () =>
      xrpc(
        'POST',
        'com.atproto.repo.deleteRecord',
        { repo: s.did, collection: 'app.bsky.feed.post', rkey },
        auth,
      );
    expect((await del()).status).toBe(200);
    expect((await del()).status).toBe(200);
    fake.setConfig({ appViewLagMs: 60_000 });
    const feed = await xrpc('GET', 'app.bsky.feed.getAuthorFeed', undefined, {}, { actor: A.did });
    expect(feed.data.feed).toHaveLength(0);
  });

  it('write points (create 3) with RateLimit-* headers; over the hour budget: 429 RateLimitExceeded', async () => {
    fake.setConfig({ pointsPerHour: 7 });
    const s = await login();
    const auth = { Authorization: `Bearer ${s.accessJwt}` };
    const create = () =>
      xrpc(
        'POST',
        'com.atproto.repo.createRecord',
        {
          repo: s.did,
          collection: 'app.bsky.feed.post',
          record: { $type: 'app.bsky.feed.post', text: 'x', createdAt: new Date().toISOString() },
        },
        auth,
      );
    const one = await create();
    expect(one.headers).toMatchObject({
      'ratelimit-limit': '7',
      'ratelimit-remaining': '4',
      'ratelimit-policy': '7;w=3600',
    });
    await create();
    const three = await create();
    expect([three.status, three.data.error]).toEqual([429, 'RateLimitExceeded']);
  });
});

describe('Bluesky adapter', () => {
  it('logs in once, sends repo calls to the PDS, and posts the record with facets, langs and the link card', async () => {
    const p = post();
    const ref = await adapter({ langs: ['fr'] }).publish(p);
    expect(requests('com.atproto.server.createSession')).toHaveLength(1);
    const create = requests('com.atproto.repo.createRecord')[0]!;
    expect(create.path).toBe('/pds/xrpc/com.atproto.repo.createRecord');
    const record = fake.posts()[0]!.value;
    expect(record).toMatchObject({ $type: 'app.bsky.feed.post', text: p.text, langs: ['fr'] });
    expect(record.facets).toEqual(detectFacets(p.text));
    for (const f of record.facets ?? [])
      expect(sliceBytes(record.text, f.index.byteStart, f.index.byteEnd)).toBe(
        f.features[0]!.uri ?? `#${f.features[0]!.tag}`,
      );
    expect(record.embed).toEqual({
      $type: 'app.bsky.embed.external',
      external: { uri: p.link, title: p.article.title, description: 'The café is open again.' },
    });
    expect(ref.postId).toBe(fake.posts()[0]!.uri);
    expect(ref.url).toBe(`https://bsky.app/profile/${A.handle}/post/${ref.postId.split('/').pop()}`);
  });

  it('the article image becomes the card thumbnail (uploadBlob); an image over 1,000,000 bytes is left out', async () => {
    // The local image server is let through the fetch policy's allow-list, as an operator would.
    vi.stubEnv('CRIER_FETCH_ALLOW', '127.0.0.1');
    const a = adapter();
    await a.publish(post(undefined, `${images.url}/photo.png`));
    const thumb = fake.posts()[0]!.value.embed?.external.thumb;
    expect(thumb).toMatchObject({ $type: 'blob', mimeType: 'image/png', size: PNG.length });
    expect(fake.state.blobs.get(thumb!.ref.$link)?.bytes.equals(PNG)).toBe(true);
    await a.publish(post(undefined, `${images.url}/huge.jpg`));
    expect(fake.posts()[1]!.value.embed?.external.thumb).toBeUndefined();
    expect(a.skipped).toEqual([expect.stringMatching(/over 1000000 bytes/)]);
    vi.unstubAllEnvs();
    // Without it, a private address is refused: the post goes out without the image, and says why.
    await a.publish(post(undefined, `${images.url}/photo.png`));
    expect(fake.posts()[2]!.value.embed?.external.thumb).toBeUndefined();
    expect(a.skipped[1]).toMatch(/127\.0\.0\.1|address|refused|not allowed/i);
  });

  it('keeps the session in the token store: another worker restores it (getSession) instead of logging in', async () => {
    const tokens = new MemoryTokenStore();
    await adapter({ tokens }).publish(post());
    await adapter({ tokens }).publish(post());
    expect(requests('com.atproto.server.createSession')).toHaveLength(1);
    expect(requests('com.atproto.server.getSession')).toHaveLength(1);
    // A new app password in the environment is a new session, not the stored one.
    fake.setAccount(A.did, { appPassword: 'new-app-password' });
    await adapter({ tokens, password: 'new-app-password' }).publish(post());
    expect(requests('com.atproto.server.createSession')).toHaveLength(2);
  });

  it('an expired access token is refreshed (refreshSession); a refused refresh token means logging in again', async () => {
    const a = adapter();
    await a.publish(post());
    fake.expireTokens();
    await a.publish(post());
    expect(requests('com.atproto.server.refreshSession')).toHaveLength(1);
    expect(requests('com.atproto.server.createSession')).toHaveLength(1);
    fake.expireTokens({ refresh: true });
    await a.publish(post());
    expect(requests('com.atproto.server.createSession')).toHaveLength(2);
    expect(fake.posts()).toHaveLength(3);
  });

  it('a token refused mid-call (expired early on the server) is renewed and the call sent once more', async () => {
    const a = adapter();
    await a.publish(post());
    fake.server.addFault({
      pathPrefix: '/pds/xrpc/com.atproto.repo.createRecord',
      action: {
        mode: 'respond',
        response: { status: 400, body: { error: 'ExpiredToken', message: 'Token has expired' } },
      },
    });
    await a.publish(post());
    expect(fake.posts()).toHaveLength(2);
    expect(requests('com.atproto.server.refreshSession')).toHaveLength(1);
  });

  it('a wrong app password is `auth` telling to set an app password; the password never shows', async () => {
    const f = await platformFailure(adapter({ password: 'wrong-password-1234' }).publish(post()));
    expect(f).toMatchObject({ kind: 'auth', status: 401, code: 'AuthenticationRequired' });
    expect(f.action).toContain('BLUESKY_APP_PASSWORD');
    expect(JSON.stringify({ ...f.toJSON(), cause: f.cause })).not.toContain('wrong-password-1234');
  });

  it('rate limits: `rate-limited` until RateLimit-Reset, and the quota for status', async () => {
    const a = adapter();
    await a.publish(post());
    expect(a.quota?.()).toMatchObject({ usedPercent: 0, detail: expect.stringContaining('4997/5000') });
    const reset = fake.rateLimitFor(120_000);
    const f = await platformFailure(a.publish(post()));
    expect(f).toMatchObject({ kind: 'rate-limited', status: 429, code: 'RateLimitExceeded' });
    expect(f.until?.getTime()).toBe(reset.getTime());
    expect(a.quota?.()).toMatchObject({ usedPercent: 100, exhaustedUntil: reset.toISOString() });
  });

  it('never a second copy: a post whose link the account already has is `duplicate` with the existing one', async () => {
    const p = post();
    const first = await adapter().publish(p);
    const f = await platformFailure(adapter().publish({ ...p, text: `${p.text} (again)` }));
    expect(f).toMatchObject({ kind: 'duplicate', existing: { postId: first.postId } });
    expect(fake.posts()).toHaveLength(1);
  });

  it('find pages back through listRecords to `since`; without it, the newest page only', async () => {
    const claim = new Date(Date.now() - 1000);
    const target = post();
    const ref = await adapter().publish(target);
    const s = await login();
    for (let i = 0; i < 150; i++)
      await xrpc(
        'POST',
        'com.atproto.repo.createRecord',
        {
          repo: s.did,
          collection: 'app.bsky.feed.post',
          record: { $type: 'app.bsky.feed.post', text: `filler ${i}`, createdAt: new Date().toISOString() },
        },
        { Authorization: `Bearer ${s.accessJwt}` },
      );
    const lists = () => requests('com.atproto.repo.listRecords').length;
    const before = lists();
    expect(await adapter().find(target)).toBeNull();
    expect(lists() - before).toBe(1);
    expect(await adapter().find(target, { since: claim })).toMatchObject({ postId: ref.postId });
    expect(lists() - before).toBe(3);
  });

  it("delete: another account's post is refused before any call; a record already gone says so", async () => {
    const ref = await adapter().publish(post());
    expect(await adapter().delete(ref.postId)).toEqual({ postId: ref.postId, outcome: 'deleted' });
    expect(await adapter().delete(ref.postId)).toEqual({ postId: ref.postId, outcome: 'already-gone' });
    const theirs = `at://${BLUESKY_FAKE_OTHER_ACCOUNT.did}/app.bsky.feed.post/${tid(1n)}`;
    expect(await platformFailure(adapter().delete(theirs))).toMatchObject({
      kind: 'invalid',
      code: 'not-author',
    });
  });
});

describe('Bluesky accounts and composing', () => {
  it('reads BLUESKY_IDENTIFIER and BLUESKY_APP_PASSWORD; BLUESKY_SERVICE_URL defaults to https://bsky.social', () => {
    const account = accountSchema.parse({ id: 'b', platform: 'bluesky' });
    expect(readCredentials(account, {})).toEqual({
      ok: false,
      missing: ['BLUESKY_IDENTIFIER', 'BLUESKY_APP_PASSWORD'],
    });
    expect(
      readCredentials(account, { BLUESKY_IDENTIFIER: '@news.example', BLUESKY_APP_PASSWORD: 'p' }),
    ).toEqual({
      ok: true,
      credentials: {
        platform: 'bluesky',
        value: { identifier: 'news.example', appPassword: 'p', serviceUrl: 'https://bsky.social' },
      },
    });
    expect(accountSchema.parse({ id: 'b', platform: 'bluesky', langs: ['en', 'pt-BR'] })).toMatchObject({
      langs: ['en', 'pt-BR'],
    });
    expect(() =>
      accountSchema.parse({ id: 'b', platform: 'bluesky', langs: ['en', 'fr', 'de', 'it'] }),
    ).toThrow();
  });

  it('composes at most 300 graphemes with the link in the text and facets whose bytes are the link and tags', () => {
    const article = articleFromText(TEXT, {
      url: 'https://news.example.org/2026/harbour-ferry-returns-after-winter-repairs',
      source: 'harbour-ferry.txt',
    });
    const [p] = composePostsOffline(article, [accountSchema.parse({ id: 'b', platform: 'bluesky' })], {
      site: { name: 'Harbour News', url: 'https://news.example.org' },
      templates: {},
      summaries: { engine: 'offline' },
    });
    expect(graphemeLength(p!.text)).toBeLessThanOrEqual(300);
    expect(p!.text).toContain(p!.link);
    expect(p!.facets?.some((f) => f.features[0]?.uri === p!.link)).toBe(true);
    for (const f of p!.facets ?? [])
      expect(sliceBytes(p!.text, f.index.byteStart, f.index.byteEnd)).toBe(
        f.features[0]!.uri ?? `#${f.features[0]!.tag}`,
      );
  });
});
