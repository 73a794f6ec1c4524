import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import axios from 'axios';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { articleFromText } from '../../src/articles/text.js';
import { readCredentials } from '../../src/config/credentials.js';
import { accountSchema } from '../../src/config/schema.js';
import type { Post } from '../../src/core/post.js';
import { createMastodonAdapter, idempotencyKey } from '../../src/platforms/mastodon/adapter.js';
import { contentLinks } from '../../src/platforms/mastodon/api.js';
import {
  createMastodonFake,
  MASTODON_FAKE_ACCOUNT,
  MASTODON_FAKE_OTHER_TOKEN,
  MASTODON_FAKE_TOKEN,
} from '../../src/platforms/mastodon/fake.js';
import { htmlText } from '../../src/platforms/mastodon/fake-html.js';
import { forgetInstances, instanceMaxCharacters } from '../../src/platforms/mastodon/instance.js';
import { statusLength } from '../../src/platforms/mastodon/length.js';
import { composePosts, composePostsOffline } from '../../src/summaries/compose.js';
import { platformFailure } from '../helpers/failure.js';
import { fakeTls } from '../helpers/fake-tls.js';

const fake = createMastodonFake();
const TEXT = readFileSync(resolve('tests/fixtures/articles/harbour-ferry.txt'), 'utf8');
const CONFIG = {
  site: { name: 'Harbour News', url: 'https://news.example.org' },
  templates: {},
  summaries: { engine: 'offline' as const },
};

function post(
  slug: string,
  text = `The ferry is back. https://news.example.org/2026/${slug} #Harbour`,
): Post {
  const url = `https://news.example.org/2026/${slug}`;
  return {
    platform: 'mastodon',
    account: 'masto-main',
    articleId: `a${slug}`,
    articleKey: url,
    text,
    summary: 'The ferry is back.',
    link: url,
    hashtags: ['#Harbour'],
    article: { url, title: 'Ferry' },
  };
}

function adapter(over: { token?: string; visibility?: 'public' | 'unlisted'; language?: string } = {}) {
  return createMastodonAdapter({
    account: 'masto-main',
    credentials: { instanceUrl: fake.url, accessToken: over.token ?? MASTODON_FAKE_TOKEN },
    settings: { visibility: over.visibility ?? 'public', language: over.language },
    options: { timeoutMs: 3000 },
  });
}

const api = (method: string, path: string, data?: unknown, headers: Record<string, string> = {}) =>
  axios.request({
    method,
    url: `${fake.url}${path}`,
    data,
    headers: { Authorization: `Bearer ${MASTODON_FAKE_TOKEN}`, ...headers },
    validateStatus: () => true,
  });

beforeAll(async () => {
  await fake.start(fakeTls());
});
afterAll(() => fake.close());
beforeEach(() => {
  fake.reset();
  forgetInstances();
});

describe("Mastodon's length rule", () => {
  it('counts graphemes, every link with a scheme as 23, a remote mention as its local part', () => {
    const long = `https://news.example.org/${'x'.repeat(200)}?utm_source=mastodon`;
    expect(statusLength(`Read ${long} now`)).toBe(5 + 23 + 4);
    expect(statusLength('Read https://a.io now')).toBe(5 + 23 + 4);
    // Bare domains are not links for Mastodon's counter: counted as written.
    expect(statusLength('example.com')).toBe(11);
    expect(statusLength('hi @alice@mastodon.social')).toBe('hi @alice'.length);
    // A family emoji (ZWJ sequence) and a flag are one grapheme each; é as e + combining accent is one.
    expect(statusLength('👨‍👩‍👧🇫🇷e\u0301')).toBe(3);
    expect(statusLength('text', 'CW: ')).toBe(8);
  });
});

describe('Mastodon fake', () => {
  it('serves the instance limit and enforces it with the real 422 wording', async () => {
    fake.setConfig({ maxCharacters: 120 });
    const inst = await axios.get(`${fake.url}/api/v2/instance`);
    expect(inst.data.configuration.statuses).toMatchObject({
      max_characters: 120,
      characters_reserved_per_url: 23,
    });
    const tooLong = await api('POST', '/api/v1/statuses', { status: 'x'.repeat(121) });
    expect(tooLong.status).toBe(422);
    expect(tooLong.data).toEqual({ error: 'Validation failed: Text character limit of 120 exceeded' });
    const fits = await api('POST', '/api/v1/statuses', {
      status: `${'x'.repeat(96)} https://news.example.org/${'y'.repeat(300)}`,
    });
    expect(fits.status).toBe(200);
    const blank = await api('POST', '/api/v1/statuses', { status: '  ' });
    expect(blank.data).toEqual({ error: "Validation failed: Text can't be blank" });
  });

  it('401 bodies for an unknown, revoked or expired token; 403 outside the scopes', async () => {
    const res = async (token: string) =>
      (
        await api('GET', '/api/v1/accounts/verify_credentials', undefined, {
          Authorization: `Bearer ${token}`,
        })
      ).data;
    expect(await res('nope')).toEqual({ error: 'The access token is invalid' });
    fake.setToken(MASTODON_FAKE_TOKEN, 'revoked');
    expect(await res(MASTODON_FAKE_TOKEN)).toEqual({ error: 'The access token was revoked' });
    fake.setToken(MASTODON_FAKE_TOKEN, 'expired');
    expect(await res(MASTODON_FAKE_TOKEN)).toEqual({ error: 'The access token expired' });
    fake.setToken(MASTODON_FAKE_TOKEN, 'valid', ['read']);
    const write = await api('POST', '/api/v1/statuses', { status: 'hello' });
    expect(write.status).toBe(403);
    expect(write.data).toEqual({ error: 'This action is outside the authorized scopes' });
  });

  it('takes form bodies too; answers HTML content with links and hashtags, increasing string ids, card null', async () => {
    const form = new URLSearchParams({ status: 'Ferry back https://news.example.org/a?x=1&y=2 #Harbour' });
    const a = await api('POST', '/api/v1/statuses', form);
    const b = await api('POST', '/api/v1/statuses', { status: 'Second' });
    expect(a.status).toBe(200);
    expect(a.data.content).toMatch(/^<p>Ferry back <a href="https:\/\/news\.example\.org\/a\?x=1&amp;y=2"/);
    expect(a.data.content).toContain('class="mention hashtag" rel="tag">#<span>Harbour</span></a>');
    expect(contentLinks(a.data.content)).toContain('https://news.example.org/a?x=1&y=2');
    expect(htmlText(a.data.content)).toBe('Ferry back https://news.example.org/a?x=1&y=2 #Harbour');
    expect(a.data.card).toBeNull();
    expect(BigInt(b.data.id) > BigInt(a.data.id)).toBe(true);
    expect(a.data.url).toBe(`${fake.url}/@crier/${a.data.id}`);
    // The card comes later (the instance fetches the page in the background).
    fake.server.clock.offsetMs = 5000;
    const later = await api('GET', `/api/v1/statuses/${a.data.id}`);
    expect(later.data.card).toMatchObject({ url: 'https://news.example.org/a?x=1&y=2', type: 'link' });
  });

  it('Idempotency-Key: a repeat within the hour returns the original, even with another body; a failure stores nothing', async () => {
    const key = { 'Idempotency-Key': 'k-1' };
    const failed = await api('POST', '/api/v1/statuses', { status: '' }, key);
    expect(failed.status).toBe(422);
    const first = await api('POST', '/api/v1/statuses', { status: 'First words' }, key);
    const again = await api('POST', '/api/v1/statuses', { status: 'Other words' }, key);
    expect(again.status).toBe(200);
    expect(again.data.id).toBe(first.data.id);
    expect(fake.posts()).toHaveLength(1);
    // Per account: the other account's same key is its own.
    const other = await api(
      'POST',
      '/api/v1/statuses',
      { status: 'First words' },
      {
        ...key,
        Authorization: `Bearer ${MASTODON_FAKE_OTHER_TOKEN}`,
      },
    );
    expect(other.data.id).not.toBe(first.data.id);
    fake.server.clock.offsetMs = 3_600_001;
    const afterTtl = await api('POST', '/api/v1/statuses', { status: 'Other words' }, key);
    expect(afterTtl.data.id).not.toBe(first.data.id);
  });

  it('DELETE answers the status with its source text; 404 for an unknown or another account’s status', async () => {
    const mine = await api('POST', '/api/v1/statuses', { status: 'Mine' });
    const theirs = await api(
      'POST',
      '/api/v1/statuses',
      { status: 'Theirs' },
      {
        Authorization: `Bearer ${MASTODON_FAKE_OTHER_TOKEN}`,
      },
    );
    const del = await api('DELETE', `/api/v1/statuses/${mine.data.id}`);
    expect(del.status).toBe(200);
    expect(del.data).toMatchObject({ id: mine.data.id, text: 'Mine' });
    expect((await api('DELETE', `/api/v1/statuses/${mine.data.id}`)).data).toEqual({
      error: 'Record not found',
    });
    const other = await api('DELETE', `/api/v1/statuses/${theirs.data.id}`);
    expect(other.status).toBe(404);
    expect(fake.posts().map((s) => s.text)).toEqual(['Theirs']);
  });

  it('timelines are newest first and paged with Link headers; X-RateLimit-* carry an ISO reset', async () => {
    for (let i = 0; i < 5; i++) await api('POST', '/api/v1/statuses', { status: `Post ${i}` });
    const page = await api('GET', `/api/v1/accounts/${MASTODON_FAKE_ACCOUNT.id}/statuses?limit=2`);
    expect(page.data.map((s: { content: string }) => htmlText(s.content))).toEqual(['Post 4', 'Post 3']);
    const next = /<([^>]+)>; rel="next"/.exec(page.headers.link)?.[1];
    const second = await axios.get(next!, { headers: { Authorization: `Bearer ${MASTODON_FAKE_TOKEN}` } });
    expect(second.data.map((s: { content: string }) => htmlText(s.content))).toEqual(['Post 2', 'Post 1']);
    expect(page.headers['x-ratelimit-limit']).toBe('300');
    expect(new Date(page.headers['x-ratelimit-reset']).toISOString()).toBe(page.headers['x-ratelimit-reset']);
  });

  it('300 statuses per 3 hours per account, then 429 {"error":"Too many requests"} until the reset', async () => {
    fake.setConfig({ statusesPer3Hours: 2 });
    await api('POST', '/api/v1/statuses', { status: 'a' });
    await api('POST', '/api/v1/statuses', { status: 'b' });
    const refused = await api('POST', '/api/v1/statuses', { status: 'c' });
    expect(refused.status).toBe(429);
    expect(refused.data).toEqual({ error: 'Too many requests' });
    expect(refused.headers['x-ratelimit-remaining']).toBe('0');
    expect(Date.parse(refused.headers['x-ratelimit-reset'])).toBeGreaterThan(
      fake.now() + 3 * 3_600_000 - 60_000,
    );
  });
});

describe('Mastodon adapter', () => {
  it('publishes with the Idempotency-Key of the ledger key, the account’s visibility and language', async () => {
    const p = post('tram');
    const ref = await adapter({ visibility: 'unlisted', language: 'fr' }).publish(p);
    const req = fake.server.requests.find((r) => r.method === 'POST')!;
    expect(req.headers['idempotency-key']).toBe(idempotencyKey(p));
    expect(req.headers.authorization).toBe(`Bearer ${MASTODON_FAKE_TOKEN}`);
    expect(req.json).toEqual({ status: p.text, visibility: 'unlisted', language: 'fr' });
    expect(ref).toEqual({ postId: fake.posts()[0]!.id, url: `${fake.url}/@crier/${fake.posts()[0]!.id}` });
    const corrected: Post = { ...p, text: 'corrected text' };
    expect(idempotencyKey(p)).toBe(idempotencyKey(corrected));
    expect(idempotencyKey(p)).not.toBe(idempotencyKey({ ...p, account: 'masto-other' }));
  });

  it('a retry after "stored, then 500" cannot double: the instance answers with the status it created', async () => {
    const p = post('bridge');
    fake.failAfterStore(500);
    expect((await platformFailure(adapter().publish(p))).kind).toBe('unconfirmed');
    const ref = await adapter().publish(p);
    expect(fake.posts().map((s) => s.id)).toEqual([ref.postId]);
  });

  it('reports the quota from X-RateLimit-* and waits until the ISO reset on 429', async () => {
    const a = adapter();
    await a.publish(post('one'));
    expect(a.quota?.()).toMatchObject({ usedPercent: 0, detail: expect.stringContaining('299/300') });
    const until = fake.rateLimitFor(90_000);
    const f = await platformFailure(a.publish(post('two')));
    expect(f).toMatchObject({ kind: 'rate-limited', status: 429 });
    expect(f.until?.toISOString()).toBe(until.toISOString());
    expect(a.quota?.()).toMatchObject({ usedPercent: 100, exhaustedUntil: until.toISOString() });
  });

  it('find pages back through the account’s statuses to `since`; without it, the newest page only', async () => {
    const claim = new Date(Date.now() - 1000);
    const target = post('old-story');
    await adapter().publish(target);
    for (let i = 0; i < 85; i++) await api('POST', '/api/v1/statuses', { status: `Filler ${i}` });
    const gets = () => fake.server.requests.filter((r) => r.path.endsWith('/statuses') && r.method === 'GET');
    expect(await adapter().find(target)).toBeNull();
    expect(gets()).toHaveLength(1);
    const found = await adapter().find(target, { since: claim });
    expect(found?.postId).toBe(fake.posts()[0]!.id);
    expect(gets()).toHaveLength(4);
    // Nothing posted since (allowing for clock skew) is older than the newest page: one page, not found.
    expect(await adapter().find(post('never'), { since: new Date(Date.now() + 3_600_000) })).toBeNull();
    expect(gets()).toHaveLength(5);
  });

  it('classifies: 422 invalid with the instance’s words, 401 auth with what to do, 503 unconfirmed on a create', async () => {
    fake.setConfig({ maxCharacters: 100 });
    const inv = await platformFailure(adapter().publish(post('long', 'x'.repeat(101))));
    expect(inv).toMatchObject({ kind: 'invalid', status: 422 });
    expect(inv.message).toContain('Text character limit of 100 exceeded');
    const auth = await platformFailure(adapter({ token: 'revoked-or-unknown' }).publish(post('a')));
    expect(auth).toMatchObject({ kind: 'auth', status: 401 });
    expect(auth.action).toContain('MASTODON_ACCESS_TOKEN');
    fake.failBeforeStore(503);
    expect(await platformFailure(adapter().publish(post('b')))).toMatchObject({
      kind: 'unconfirmed',
      status: 503,
    });
  });

  it('delete: 200 deleted; 404 already gone (Mastodon says the same of another account’s status)', async () => {
    const ref = await adapter().publish(post('del'));
    expect(await adapter().delete(ref.postId)).toEqual({ postId: ref.postId, outcome: 'deleted' });
    expect(await adapter().delete(ref.postId)).toEqual({ postId: ref.postId, outcome: 'already-gone' });
  });
});

describe('Mastodon accounts and composing', () => {
  it('reads MASTODON_URL and MASTODON_ACCESS_TOKEN (with the prefix); a URL that is not https is named', () => {
    const account = accountSchema.parse({ id: 'm', platform: 'mastodon', envPrefix: 'LOCAL_' });
    expect(readCredentials(account, {})).toEqual({
      ok: false,
      missing: ['LOCAL_MASTODON_URL', 'LOCAL_MASTODON_ACCESS_TOKEN'],
    });
    expect(
      readCredentials(account, {
        LOCAL_MASTODON_URL: 'https://social.example/',
        LOCAL_MASTODON_ACCESS_TOKEN: 't',
      }),
    ).toEqual({
      ok: true,
      credentials: {
        platform: 'mastodon',
        value: { instanceUrl: 'https://social.example', accessToken: 't' },
      },
    });
    const bad = readCredentials(account, {
      LOCAL_MASTODON_URL: 'social.example',
      LOCAL_MASTODON_ACCESS_TOKEN: 't',
    });
    expect(bad).toMatchObject({
      ok: false,
      problem: expect.stringContaining('LOCAL_MASTODON_URL is "social.example"'),
    });
  });

  it('settings: visibility and language are checked; LinkedIn’s visibility values are not Mastodon’s', () => {
    expect(accountSchema.parse({ id: 'm', platform: 'mastodon' })).toMatchObject({ visibility: 'public' });
    expect(() => accountSchema.parse({ id: 'm', platform: 'mastodon', visibility: 'PUBLIC' })).toThrow();
    expect(() => accountSchema.parse({ id: 'm', platform: 'mastodon', language: 'english' })).toThrow();
    expect(() => accountSchema.parse({ id: 'm', platform: 'mastodon', thread: { maxReplies: 1 } })).toThrow();
  });

  it('composes within the instance’s own limit (asked once), the link in the text counted as 23', async () => {
    fake.setConfig({ maxCharacters: 180 });
    const article = articleFromText(TEXT, {
      url: `https://news.example.org/2026/${'long-slug-'.repeat(12)}harbour-ferry`,
      source: 'harbour-ferry.txt',
    });
    const account = accountSchema.parse({ id: 'masto-main', platform: 'mastodon' });
    const env = { MASTODON_URL: fake.url, MASTODON_ACCESS_TOKEN: MASTODON_FAKE_TOKEN };
    const [p] = await composePosts(article, [account], CONFIG, { env });
    expect(statusLength(p!.text)).toBeLessThanOrEqual(180);
    expect(p!.text.length).toBeGreaterThan(180); // the long link counts 23, not its length
    expect(p!.text).toContain(p!.link);
    expect(fake.server.requests.filter((r) => r.path === '/api/v2/instance')).toHaveLength(1);
    await composePosts(article, [account], CONFIG, { env });
    expect(fake.server.requests.filter((r) => r.path === '/api/v2/instance')).toHaveLength(1);
    // Offline (preview): the pinned limit, else 500.
    const pinned = accountSchema.parse({ id: 'masto-main', platform: 'mastodon', maxCharacters: 150 });
    const [q] = composePostsOffline(article, [pinned], CONFIG);
    expect(statusLength(q!.text)).toBeLessThanOrEqual(150);
    const [r] = composePostsOffline(article, [account], CONFIG);
    expect(statusLength(r!.text)).toBeGreaterThan(180);
    expect(statusLength(r!.text)).toBeLessThanOrEqual(500);
  });

  it('an instance that did not answer is not asked again for a minute (no wait on it for every post or page)', async () => {
    const asked = () => fake.server.requests.filter((r) => r.path === '/api/v2/instance').length;
    fake.setConfig({ maxCharacters: 900 });
    fake.server.addFault({
      pathPrefix: '/api/v2/instance',
      action: { mode: 'respond', response: { status: 503, body: { error: 'Service Unavailable' } } },
    });
    const t0 = Date.now();
    await expect(instanceMaxCharacters(fake.url, { now: t0 })).rejects.toThrow();
    await expect(instanceMaxCharacters(fake.url, { now: t0 + 59_000 })).rejects.toThrow();
    expect(asked()).toBe(1);
    // A minute on, it is asked again, and what it says is kept.
    expect(await instanceMaxCharacters(fake.url, { now: t0 + 61_000 })).toBe(900);
    expect(await instanceMaxCharacters(fake.url, { now: t0 + 62_000 })).toBe(900);
    expect(asked()).toBe(2);
  });

  it('an instance that cannot be asked leaves the default 500', async () => {
    const article = articleFromText(TEXT, { url: 'https://news.example.org/2026/ferry', source: 'x.txt' });
    const account = accountSchema.parse({ id: 'masto-main', platform: 'mastodon' });
    const env = { MASTODON_URL: 'https://127.0.0.1:1', MASTODON_ACCESS_TOKEN: 't' };
    const [p] = await composePosts(article, [account], CONFIG, { env });
    expect(statusLength(p!.text)).toBeLessThanOrEqual(500);
    expect(statusLength(p!.text)).toBeGreaterThan(100);
  });
});
