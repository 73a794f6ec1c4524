import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { articleFromText } from '../../src/articles/text.js';
import { apiBaseUrl } from '../../src/config/credentials.js';
import { accountSchema } from '../../src/config/schema.js';
import { isPlatformFailure, type PlatformFailure } from '../../src/core/failure.js';
import type { Post } from '../../src/core/post.js';
import type { PlatformAdapter } from '../../src/platforms/adapter.js';
import type { AnyPlatform } from '../../src/platforms/descriptor.js';
import { PLATFORM_DESCRIPTORS } from '../../src/platforms/descriptors.js';
import type { FakePlatform } from '../../src/platforms/fake/platform.js';
import { platformLabel } from '../../src/platforms/registry.js';
import { composePostsOffline } from '../../src/summaries/compose.js';
import { platformFailure } from '../helpers/failure.js';
import { fakeTls } from '../helpers/fake-tls.js';

/**
 * One conformance suite, run against every registered platform's adapter and its fake (as BullMQ runs one suite
 * against every Redis client): a new platform gets it by its registry line. What each platform does differently
 * (a refused look-up that cannot be told from "not there", an idempotency key instead of a duplicate error) is
 * declared by its fake's scenarios, and the suite checks the declared behaviour.
 */
const TEXT = readFileSync(resolve('tests/fixtures/articles/harbour-ferry.txt'), 'utf8');
let slug = 0;

function composed(platform: AnyPlatform): Post {
  slug += 1;
  const article = articleFromText(TEXT, {
    url: `https://news.example.org/2026/harbour-ferry-${slug}`,
    source: 'harbour-ferry.txt',
  });
  const account = accountSchema.parse({ id: `${platform.name}-conformance`, platform: platform.name });
  const [post] = composePostsOffline(article, [account], {
    site: { name: 'Harbour News', url: 'https://news.example.org' },
    templates: {},
    summaries: { engine: 'offline' },
  });
  if (!post) throw new Error(`no ${platform.name} post composed`);
  return post;
}

async function closedPort(): Promise<string> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address() as { port: number };
  await new Promise<void>((r) => s.close(() => r()));
  return `https://127.0.0.1:${port}`;
}

describe.each(PLATFORM_DESCRIPTORS.map((d) => [d.name, d as AnyPlatform] as const))(
  '%s conforms to the adapter contract',
  (_name, platform) => {
    let fake: FakePlatform;
    const env = () => fake.env();
    /** The adapter of an account set up as an operator would: the fake's variables (`env` overrides some). */
    function adapter(over: { env?: Record<string, string> } = {}): PlatformAdapter {
      const vars = { ...env(), ...over.env };
      const settings = z.strictObject(platform.settings).parse({});
      const creds = platform.credentials.read(vars, '', settings);
      if (!creds.ok) throw new Error(`the fake's credentials are refused: ${JSON.stringify(creds)}`);
      return platform.createAdapter({
        account: `${platform.name}-conformance`,
        credentials: creds.credentials,
        settings,
        options: { baseUrl: apiBaseUrl(platform, vars), timeoutMs: 3000 },
      });
    }
    /** Every failure is a PlatformFailure of this platform, and never carries a secret. */
    function checked(f: PlatformFailure): PlatformFailure {
      expect(f.platform).toBe(platform.name);
      const text = JSON.stringify({ ...f.toJSON(), cause: f.cause });
      for (const v of platform.credentials.variables.filter((x) => x.secret)) {
        const value = env()[v.name];
        if (value) expect(text).not.toContain(value);
      }
      return f;
    }
    const fails = async (p: Promise<unknown>) => checked(await platformFailure(p));

    beforeAll(async () => {
      fake = await platform.startFake(fakeTls());
    });
    afterAll(() => fake.close());
    beforeEach(() => fake.reset());

    it('declares itself completely (name, label, API variable, credentials, rules, settings with defaults)', () => {
      expect(platform.name).toMatch(/^[a-z][a-z0-9-]*$/);
      expect(platformLabel(platform.name)).toBeTruthy();
      if (platform.api.default !== undefined) expect(platform.api.default).toMatch(/^https:\/\//);
      expect(env()[platform.api.env]).toBe(fake.url);
      expect(platform.credentials.variables.some((v) => v.required)).toBe(true);
      expect(platform.rules.platform).toBe(platform.name);
      expect(platform.rules.maxLength).toBeGreaterThan(0);
      const missing = platform.credentials.read({}, '', z.strictObject(platform.settings).parse({}));
      expect(missing.ok).toBe(false);
    });

    it('publish: the post is on the platform once, with the id and URL the adapter returned', async () => {
      const post = composed(platform);
      const ref = await adapter().publish(post);
      expect(ref.postId).toBeTruthy();
      expect(ref.url).toMatch(/^https:\/\//);
      expect(fake.posts().map((p) => p.id)).toEqual([ref.postId]);
      expect(fake.posts()[0]?.text).toContain(post.summary.slice(0, 40));
      expect(await adapter().find(post)).toMatchObject({ postId: ref.postId });
    });

    it('duplicate: the same post sent again never makes a second post', async () => {
      const post = composed(platform);
      const first = await adapter().publish(post);
      const again = await adapter()
        .publish(post)
        .catch((e: unknown) => e);
      if (fake.scenarios.duplicate === 'refused') {
        expect(isPlatformFailure(again) && checked(again).kind).toBe('duplicate');
        expect(isPlatformFailure(again) && again.existing?.postId).toBe(first.postId);
      } else {
        expect(again).toMatchObject({ postId: first.postId });
      }
      expect(fake.posts()).toHaveLength(1);
    });

    it('auth: refused credentials are `auth` with what the operator should do; nothing is posted', async () => {
      fake.scenarios.revokeCredentials();
      const f = await fails(adapter().publish(composed(platform)));
      expect(f.kind).toBe('auth');
      expect(f.action).toBeTruthy();
      expect(fake.posts()).toHaveLength(0);
    });

    it('rate limit: `rate-limited` until the time the platform gave; nothing is posted', async () => {
      const before = Date.now();
      fake.scenarios.rateLimit(60_000);
      const f = await fails(adapter().publish(composed(platform)));
      expect(f.kind).toBe('rate-limited');
      const until = f.until?.getTime() ?? 0;
      expect(until).toBeGreaterThanOrEqual(before + 55_000);
      expect(until).toBeLessThanOrEqual(Date.now() + 65_000);
      expect(fake.posts()).toHaveLength(0);
    });

    it("invalid: the platform's refusal of the request is `invalid` with its own message", async () => {
      fake.scenarios.rejectNextAsInvalid();
      const f = await fails(adapter().publish(composed(platform)));
      expect(f.kind).toBe('invalid');
      expect(f.message.length).toBeGreaterThan(5);
      expect(fake.posts()).toHaveLength(0);
    });

    it('transient: a platform that cannot be reached is `transient` (nothing was sent)', async () => {
      const f = await fails(
        adapter({ env: { [platform.api.env]: await closedPort() } }).publish(composed(platform)),
      );
      expect(f.kind).toBe('transient');
    });

    it('a server error before storing: `unconfirmed`; the look-up finds nothing, the next send posts once', async () => {
      const post = composed(platform);
      fake.scenarios.failNextBeforeStore();
      expect((await fails(adapter().publish(post))).kind).toBe('unconfirmed');
      expect(await adapter().find(post)).toBeNull();
      const ref = await adapter().publish(post);
      expect(fake.posts().map((p) => p.id)).toEqual([ref.postId]);
    });

    it('post stored, then 500: `unconfirmed`, and the look-up finds the stored post', async () => {
      const post = composed(platform);
      fake.scenarios.failNextAfterStore();
      expect((await fails(adapter().publish(post))).kind).toBe('unconfirmed');
      expect(fake.posts()).toHaveLength(1);
      expect(await adapter().find(post)).toMatchObject({ postId: fake.posts()[0]?.id });
    });

    it('look-up refused: find says what the platform allows (null, or a classified failure), never a crash', async () => {
      const post = composed(platform);
      await adapter().publish(post);
      fake.scenarios.refuseLookups();
      const found = adapter()
        .find(post)
        .catch((e: unknown) => e);
      if (fake.scenarios.lookupRefused === 'null') expect(await found).toBeNull();
      else {
        const f = await found;
        expect(isPlatformFailure(f) && checked(f).kind).toBe(fake.scenarios.lookupRefused);
      }
    });

    it('delete: the post leaves the platform; deleting it again is `already-gone`', async () => {
      const post = composed(platform);
      const ref = await adapter().publish(post);
      expect(await adapter().delete(ref.postId)).toEqual({ postId: ref.postId, outcome: 'deleted' });
      expect(fake.posts()).toHaveLength(0);
      expect(await adapter().find(post)).toBeNull();
      const again = await adapter().delete(ref.postId);
      expect(again.postId).toBe(ref.postId);
      // LinkedIn answers 204 to every delete of a post it had: it cannot tell "already gone" from "deleted".
      expect(['already-gone', 'deleted']).toContain(again.outcome);
    });

    it('delete with refused credentials is `auth`, never `unconfirmed`', async () => {
      const ref = await adapter().publish(composed(platform));
      fake.scenarios.revokeCredentials();
      expect((await fails(adapter().delete(ref.postId))).kind).toBe('auth');
      expect(fake.posts()).toHaveLength(1);
    });
  },
);
