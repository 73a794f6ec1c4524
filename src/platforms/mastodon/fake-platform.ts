import type { FakePlatform } from '../fake/platform.js';
import { createMastodonFake, MASTODON_ERRORS, MASTODON_FAKE_TOKEN, type MastodonFake } from './fake.js';
import { statusLength } from './length.js';

/** The Mastodon fake as the registry's generic code sees it (all fakes, the demo, the conformance suite). */
export async function startMastodonFake(
  tls: { cert: string; key: string },
  opts: { port?: number; host?: string } = {},
): Promise<FakePlatform<MastodonFake>> {
  const fake = createMastodonFake();
  await fake.start(tls, opts.port ?? 0, opts.host ?? '127.0.0.1');
  return {
    name: 'mastodon',
    fake,
    server: fake.server,
    get url() {
      return fake.url;
    },
    env: () => ({ MASTODON_URL: fake.url, MASTODON_ACCESS_TOKEN: MASTODON_FAKE_TOKEN }),
    reset: () => fake.reset(),
    close: () => fake.close(),
    posts: () =>
      fake.posts().map((s) => ({
        id: s.id,
        text: s.text,
        notes: [
          `${statusLength(s.text)}/${fake.state.config.maxCharacters} characters (links count 23)`,
          `visibility ${s.visibility}, language ${s.language}`,
          ...(s.cardUrl ? [`link card: ${s.cardUrl}`] : []),
        ],
      })),
    scenarios: {
      rateLimit: (ms) => {
        fake.rateLimitFor(ms);
      },
      revokeCredentials: () => fake.setToken(MASTODON_FAKE_TOKEN, 'revoked'),
      rejectNextAsInvalid: () =>
        fake.server.addFault({
          method: 'POST',
          pathPrefix: '/api/v1/statuses',
          action: { mode: 'respond', response: MASTODON_ERRORS.blank() },
        }),
      failNextBeforeStore: () => fake.failBeforeStore(503),
      failNextAfterStore: () => fake.failAfterStore(500),
      // A token with write:statuses only cannot read the account's statuses.
      refuseLookups: () => fake.setToken(MASTODON_FAKE_TOKEN, 'valid', ['write:statuses']),
      lookupRefused: 'auth',
      duplicate: 'same-post',
    },
  };
}
