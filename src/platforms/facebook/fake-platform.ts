import { type FakeListen, type FakePlatform, type FakeTls, startFakePlatform } from '../fake/platform.js';
import { createFacebookFake, FACEBOOK_FAKE_CREDENTIALS, type FacebookFake } from './fake.js';
import { GRAPH_ERRORS, graphErrorResponse } from './fake-responses.js';

/** The Facebook fake as the registry's generic code sees it (all fakes, the demo, the conformance suite). */
export async function startFacebookFake(
  tls: FakeTls,
  opts: FakeListen = {},
): Promise<FakePlatform<FacebookFake>> {
  const fake = createFacebookFake();
  const c = FACEBOOK_FAKE_CREDENTIALS;
  return startFakePlatform('facebook', fake, fake, tls, opts, {
    env: () => ({
      FACEBOOK_GRAPH_URL: fake.url,
      FACEBOOK_PAGE_ID: c.pageId,
      FACEBOOK_PAGE_TOKEN: c.pageToken,
      FACEBOOK_GRAPH_VERSION: c.graphVersion,
    }),
    posts: () =>
      fake
        .posts()
        .map((p) => ({ id: p.id, text: p.message ?? '', notes: [`link card: ${p.link ?? '(none)'}`] })),
    scenarios: {
      // Graph says how long in minutes (estimated_time_to_regain_access), fractions included.
      rateLimit: (ms) => fake.rateLimitFor(ms, { code: 613, regainMinutes: ms / 60_000 }),
      revokeCredentials: () => fake.setToken('expired'),
      rejectNextAsInvalid: () =>
        fake.addFault({
          method: 'POST',
          action: {
            mode: 'respond',
            response: graphErrorResponse(GRAPH_ERRORS.invalidParam('(#100) Invalid parameter')),
          },
        }),
      failNextBeforeStore: () => fake.failBeforeStore(1),
      failNextAfterStore: () => fake.failAfterStore(2),
      refuseLookups: () =>
        fake.addFault({
          method: 'GET',
          pathPrefix: `/${c.graphVersion}/${c.pageId}/feed`,
          untilMs: fake.now() + 3_600_000,
          action: { mode: 'respond', response: graphErrorResponse(GRAPH_ERRORS.readPermission(403)) },
        }),
      lookupRefused: 'auth',
      duplicate: 'refused',
    },
  });
}
