import { type FakeListen, type FakePlatform, type FakeTls, startFakePlatform } from '../fake/platform.js';
import { createLinkedInFake, LINKEDIN_FAKE_CREDENTIALS, type LinkedInFake } from './fake.js';
import { fieldErrors } from './fake-responses.js';

const DAY_MS = 86_400_000;

/** The LinkedIn fake as the registry's generic code sees it (all fakes, the demo, the conformance suite). */
export async function startLinkedInFake(
  tls: FakeTls,
  opts: FakeListen = {},
): Promise<FakePlatform<LinkedInFake>> {
  const fake = createLinkedInFake();
  const c = LINKEDIN_FAKE_CREDENTIALS;
  return startFakePlatform('linkedin', fake, fake.server, tls, opts, {
    env: () => ({
      LINKEDIN_API_URL: fake.url,
      LINKEDIN_ACCESS_TOKEN: c.accessToken,
      LINKEDIN_AUTHOR: c.author,
      LINKEDIN_VERSION: c.version,
    }),
    posts: () =>
      fake.posts().map((p) => ({
        id: p.id,
        text: p.visibleText,
        notes: [
          ...(p.article ? [`article card: ${p.article.title} — ${p.article.source}`] : []),
          ...(p.thumbnail ? [`thumbnail: ${p.thumbnail}`] : []),
          ...(p.cutAt >= 0 ? [`! LinkedIn cut this post at character ${p.cutAt}`] : []),
        ],
      })),
    scenarios: {
      // LinkedIn's daily limits reset at midnight UTC by its own clock: move the fake's clock to `ms` before it.
      rateLimit: (ms) => {
        const now = Date.now();
        fake.server.clock.offsetMs = Math.ceil((now + 1) / DAY_MS) * DAY_MS - ms - now;
        fake.rateLimitFor(ms);
      },
      revokeCredentials: () => fake.setToken(c.accessToken, 'expired'),
      rejectNextAsInvalid: () =>
        fake.server.addFault({
          method: 'POST',
          pathPrefix: '/rest/posts',
          action: {
            mode: 'respond',
            response: fieldErrors([
              'ERROR :: /author :: field is required but not found and has no default value',
            ]),
          },
        }),
      failNextBeforeStore: () => fake.failBeforeStore(503),
      failNextAfterStore: () => fake.failAfterStore(504),
      // Reading a member's posts needs r_member_social, which LinkedIn rarely grants: the 403 is a refusal,
      // never "absent" (the post then stays unconfirmed rather than being sent blind).
      refuseLookups: () => fake.setToken(c.accessToken, 'valid', ['openid', 'profile', 'w_member_social']),
      lookupRefused: 'auth',
      duplicate: 'refused',
    },
  });
}
