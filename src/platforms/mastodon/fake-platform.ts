import { type FakeListen, type FakePlatform, type FakeTls, startFakePlatform } from '../fake/platform.js';
import { createMastodonFake, MASTODON_ERRORS, MASTODON_FAKE_TOKEN, type MastodonFake } from './fake.js';
import { statusLength } from './length.js';

/** The Mastodon fake as the registry's generic code sees it (all fakes, the demo, the conformance suite). */
export async function startMastodonFake(
  tls: FakeTls,
  opts: FakeListen = {},
): Promise<FakePlatform<MastodonFake>> {
  const fake = createMastodonFake();
  return startFakePlatform('mastodon', fake, fake.server, tls, opts, {
    env: () => ({ MASTODON_URL: fake.url, MASTODON_ACCESS_TOKEN: MASTODON_FAKE_TOKEN }),
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
  });
}
