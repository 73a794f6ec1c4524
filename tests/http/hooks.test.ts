import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { articleId, canonicalKey } from '../../src/articles/article.js';
import { signHook } from '../../src/http/hooks.js';
import { type ConsoleHarness, fixture, STORM_URL, startConsoleHarness } from '../helpers/console.js';
import { until } from '../helpers/pipeline.js';

const SECRET = 'whsec-test-0123456789abcdef';
const WP_POST = readFileSync(fixture('wp-post.json'), 'utf8');
const ID = articleId(canonicalKey(STORM_URL));

const yaml = (pageUrl: string) => `
site: { name: North Sea Post, url: https://news.example.org }
# The test's article page is on loopback: let the fetch policy through to it (and to nothing else private).
fetch: { allow: [127.0.0.1] }
sources:
  - { id: news, kind: text, location: ${fixture('storm.txt')}, url: ${STORM_URL} }
  - { id: wire, kind: html, location: ${pageUrl} }
accounts:
  - { id: x-main, platform: twitter, template: "{summary}\\n\\n{link}" }
  - { id: fb-page, platform: facebook }
publishing: { attempts: 2, backoffMs: 100, requestTimeoutMs: 3000, retentionDays: 1, holdRecheckMs: 500 }
`;

/** An article page on loopback, as a CMS link would point to. */
async function articlePage(): Promise<{ url: string; close(): Promise<void> }> {
  const paragraphs = readFileSync(fixture('storm.txt'), 'utf8').split('\n\n').slice(1);
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Wire: ${'Storm Tests the North Sea Power Links'}</title>
<meta property="og:title" content="Wire: Storm Tests the North Sea Power Links">
<meta property="og:description" content="The links held, the operators said."></head>
<body><article><h1>Wire: Storm Tests the North Sea Power Links</h1>${paragraphs.map((p) => `<p>${p}</p>`).join('')}</article></body></html>`;
  const server: Server = createServer((_req, res) =>
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(html),
  );
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/2026/11/wire-storm`,
    close: () => new Promise((r) => server.close(() => r())),
  };
}

describe('POST /hooks/articles (real Redis, BullMQ, fakes)', () => {
  let page: Awaited<ReturnType<typeof articlePage>>;
  let t: ConsoleHarness;
  beforeAll(async () => {
    page = await articlePage();
  });
  afterAll(() => page?.close());
  afterEach(() => t?.close());

  const start = async (env: Record<string, string> = { CRIER_WEBHOOK_SECRET: SECRET }) => {
    t = await startConsoleHarness({ yaml: yaml(page.url), env });
    return t;
  };

  const push = (
    body: string | Buffer,
    opts: { ts?: number; secret?: string; signature?: string | null; timestamp?: string | null } = {},
  ) => {
    const ts = String(opts.ts ?? Math.floor(Date.now() / 1000));
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (opts.timestamp !== null) headers['x-crier-timestamp'] = opts.timestamp ?? ts;
    if (opts.signature !== null)
      headers['x-crier-signature'] = opts.signature ?? signHook(opts.secret ?? SECRET, ts, body);
    return fetch(`${t.server.url}/hooks/articles`, {
      method: 'POST',
      headers,
      body: new Uint8Array(Buffer.from(body)),
    });
  };

  const nothingQueued = async () => {
    expect(await t.h.ctx.queues.ingest.count()).toBe(0);
    expect(await t.h.ctx.queues.compose.count()).toBe(0);
    expect(await t.h.ctx.articles.get(ID)).toBeNull();
  };

  it('takes a signed WordPress post: 202 with the article id, and its posts go out', async () => {
    await start();
    const ts = Math.floor(Date.now() / 1000);
    const res = await push(WP_POST, { ts });
    expect(res.status).toBe(202);
    const body = (await res.json()) as { articleId: string; verdict: string };
    expect(body).toMatchObject({ articleId: ID, verdict: 'new', url: STORM_URL });
    await until(() => t.h.fakes.twitter.posts().length === 1 && t.h.fakes.facebook.posts().length === 1);
    expect(t.h.fakes.twitter.posts()[0]!.text).toContain(STORM_URL);
    // The same post pushed again (a second request, signed a second later: within the same second it would be
    // the same signature, a replay) is the same article: nothing new.
    const again = await push(WP_POST, { ts: ts + 1 });
    expect(((await again.json()) as { verdict: string }).verdict).toBe('unchanged');
    expect(t.h.fakes.twitter.posts()).toHaveLength(1);
  });

  it('refuses an unsigned push, a wrong signature and a stale timestamp with 401, queueing nothing', async () => {
    await start();
    expect((await push(WP_POST, { signature: null })).status).toBe(401);
    expect((await push(WP_POST, { timestamp: null })).status).toBe(401);
    expect((await push(WP_POST, { secret: 'not-the-secret' })).status).toBe(401);
    const ts = Math.floor(Date.now() / 1000);
    // Signed for another body, or another time: the signature covers both.
    expect((await push(WP_POST, { signature: signHook(SECRET, String(ts), '{}') })).status).toBe(401);
    expect((await push(WP_POST, { ts, timestamp: String(ts + 1) })).status).toBe(401);
    // Five minutes and more either way, counted when each request is made (not when the test began).
    const now = () => Math.floor(Date.now() / 1000);
    const stale = await push(WP_POST, { ts: now() - 310 });
    expect(stale.status).toBe(401);
    expect(((await stale.json()) as { error: string }).error).toContain('stale timestamp');
    expect((await push(WP_POST, { ts: now() + 310 })).status).toBe(401);
    await nothingQueued();
  });

  it('refuses a replayed request', async () => {
    await start();
    const ts = Math.floor(Date.now() / 1000);
    const signature = signHook(SECRET, String(ts), WP_POST);
    expect((await push(WP_POST, { ts, signature })).status).toBe(202);
    const replay = await push(WP_POST, { ts, signature });
    expect(replay.status).toBe(409);
    expect(((await replay.json()) as { error: string }).error).toContain('replayed');
  });

  it('refuses an oversized body before reading it as JSON', async () => {
    await start();
    const big = Buffer.from(JSON.stringify({ url: STORM_URL, pad: 'x'.repeat(1024 * 1024) }));
    const res = await push(big);
    expect(res.status).toBe(413);
    await nothingQueued();
  });

  it('answers 503 while CRIER_WEBHOOK_SECRET is unset', async () => {
    await start({});
    const res = await push(WP_POST, { secret: '' });
    expect(res.status).toBe(503);
    expect(((await res.json()) as { error: string }).error).toContain('CRIER_WEBHOOK_SECRET');
    await nothingQueued();
  });

  it('refuses {"url"} of a private address the fetch policy does not allow, queueing nothing', async () => {
    await start();
    const res = await push(JSON.stringify({ url: 'http://[::1]:9/2026/11/story' }));
    expect(res.status).toBe(422);
    expect(((await res.json()) as { error: string }).error).toMatch(/::1/);
    await nothingQueued();
  });

  it('reads {"url"} through the article readers, attributed to the source of that site', async () => {
    await start();
    const res = await push(JSON.stringify({ url: page.url }));
    expect(res.status).toBe(202);
    const body = (await res.json()) as { articleId: string; title: string };
    expect(body.title).toBe('Wire: Storm Tests the North Sea Power Links');
    expect((await t.h.ctx.articles.get(body.articleId))?.sourceId).toBe('wire');
    await until(() => t.h.fakes.facebook.posts().length === 1);
  });

  it('ignores a post that is private, scheduled, pending or password-protected: 200, nothing queued', async () => {
    await start();
    const wp = JSON.parse(WP_POST) as Record<string, unknown>;
    for (const status of ['private', 'future', 'pending', 'trash']) {
      const res = await push(JSON.stringify({ ...wp, status }));
      expect(res.status, status).toBe(200);
      expect(await res.json()).toMatchObject({ ignored: expect.stringContaining(status) });
    }
    // Published, but behind a password: WordPress hides its content (and says so in the excerpt).
    const protectedPost = {
      ...wp,
      content: { rendered: '', protected: true },
      excerpt: { rendered: '<p>There is no excerpt because this is a protected post.</p>', protected: true },
    };
    const res = await push(JSON.stringify(protectedPost));
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ ignored: expect.stringContaining('password') });
    await nothingQueued();
  });

  it('polls a source now for {"source"}, ignores a draft, refuses what it cannot take', async () => {
    await start();
    const polled = await push(JSON.stringify({ source: 'news' }));
    expect(polled.status).toBe(202);
    expect(await polled.json()).toMatchObject({ source: 'news' });
    await until(() => t.h.fakes.facebook.posts().length === 1);
    expect((await t.h.ctx.articles.get(ID))?.sourceId).toBe('news');

    const draft = await push(
      JSON.stringify({ ...JSON.parse(WP_POST), status: 'draft', link: 'https://news.example.org/?p=1' }),
    );
    expect(draft.status).toBe(200);
    expect(await draft.json()).toMatchObject({ ignored: expect.stringContaining('draft') });
    expect((await push(JSON.stringify({ source: 'nope' }))).status).toBe(422);
    expect((await push(JSON.stringify({ url: 'javascript:alert(1)' }))).status).toBe(422);
    expect((await push('not json')).status).toBe(400);
    expect((await push(JSON.stringify({ hello: 'world' }))).status).toBe(400);
  });
});
