import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isPlatformFailure } from '../../src/core/failure.js';
import type { PlatformName } from '../../src/core/platform.js';
import type { Post } from '../../src/core/post.js';
import { createFacebookAdapter } from '../../src/platforms/facebook/adapter.js';
import { FACEBOOK_FAKE_CREDENTIALS } from '../../src/platforms/facebook/fake.js';
import { createLinkedInAdapter } from '../../src/platforms/linkedin/adapter.js';
import { LINKEDIN_FAKE_CREDENTIALS } from '../../src/platforms/linkedin/fake.js';
import { createTwitterAdapter } from '../../src/platforms/twitter/adapter.js';
import { TWITTER_FAKE_CREDENTIALS } from '../../src/platforms/twitter/fake.js';
import { type NamedFakes, startFakes } from '../helpers/fakes.js';

const post = (platform: PlatformName): Post => ({
  platform,
  account: 'a',
  articleId: 'a0000000000000001',
  articleKey: 'https://example.org/slow',
  text: 'A slow answer. https://example.org/slow',
  summary: 'A slow answer.',
  link: 'https://example.org/slow',
  hashtags: [],
  article: { url: 'https://example.org/slow', title: 'Slow' },
});

/** Nothing waits forever: a server that keeps the connection busy with a byte now and then is cut off too. */
describe('every adapter call has a wall-clock deadline', () => {
  let fakes: NamedFakes;
  beforeAll(async () => {
    fakes = await startFakes();
  });
  afterAll(() => fakes.close());

  const options = () => ({ timeoutMs: 800 });
  const adapters = {
    twitter: () =>
      createTwitterAdapter({
        account: 'a',
        credentials: TWITTER_FAKE_CREDENTIALS.oauth1,
        options: { ...options(), baseUrl: fakes.twitter.url },
      }),
    facebook: () =>
      createFacebookAdapter({
        account: 'a',
        credentials: FACEBOOK_FAKE_CREDENTIALS,
        options: { ...options(), baseUrl: fakes.facebook.url },
      }),
    linkedin: () =>
      createLinkedInAdapter({
        account: 'a',
        credentials: LINKEDIN_FAKE_CREDENTIALS,
        options: { ...options(), baseUrl: fakes.linkedin.url },
      }),
  };

  it.each(['twitter', 'facebook', 'linkedin'] as const)(
    '%s: a trickling answer to a create is unconfirmed after the deadline',
    async (p) => {
      const server = p === 'facebook' ? fakes.facebook : fakes[p].server;
      server.addFault({ method: 'POST', action: { mode: 'trickle', everyMs: 100 } });
      const started = Date.now();
      const err = await adapters[p]()
        .publish(post(p))
        .catch((e: unknown) => e);
      const took = Date.now() - started;
      expect(isPlatformFailure(err) && err.kind).toBe('unconfirmed');
      expect(took).toBeGreaterThanOrEqual(700);
      expect(took).toBeLessThan(5000);
    },
  );
});
