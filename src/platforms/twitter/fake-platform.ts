import { ListIndex } from '../fake/list-index.js';
import { type FakeListen, type FakePlatform, type FakeTls, startFakePlatform } from '../fake/platform.js';
import { createTwitterFake, TWITTER_FAKE_CREDENTIALS, type TwitterFake } from './fake.js';
import { clientNotEnrolled, invalidRequest } from './fake-http.js';

/** The X fake as the registry's generic code sees it (all fakes, the demo, the conformance suite). */
export async function startTwitterFake(
  tls: FakeTls,
  opts: FakeListen = {},
): Promise<FakePlatform<TwitterFake>> {
  const fake = createTwitterFake();
  const t = TWITTER_FAKE_CREDENTIALS.oauth1;
  return startFakePlatform('twitter', fake, fake.server, tls, opts, {
    env: () => ({
      TWITTER_API_URL: fake.url,
      TWITTER_API_KEY: t.apiKey,
      TWITTER_API_SECRET: t.apiSecret,
      TWITTER_ACCESS_TOKEN: t.accessToken,
      TWITTER_ACCESS_SECRET: t.accessSecret,
    }),
    posts: () => {
      const all = fake.posts();
      // A thread's replies by its head's id, in the order they were posted (one pass: the bench asks often).
      const repliesTo = new ListIndex<(typeof all)[number]>();
      for (const p of all) if (p.conversationId !== p.id) repliesTo.add(p.conversationId, p);
      return all
        .filter((p) => !p.inReplyTo)
        .map((head) => {
          const replies = repliesTo.get(head.id);
          return {
            id: head.id,
            text: head.text,
            notes: [
              `${head.weightedLength}/280 weighted characters`,
              ...replies.map((r, i) => `reply ${i + 1}: ${r.text}`),
              ...(head.mediaIds.length ? [`image: media ${head.mediaIds.join(', ')}`] : []),
            ],
          };
        });
    },
    scenarios: {
      rateLimit: (ms) => {
        fake.rateLimitFor(ms);
      },
      revokeCredentials: () => fake.setTokenState(t.accessToken, 'revoked'),
      rejectNextAsInvalid: () =>
        fake.server.addFault({
          method: 'POST',
          pathPrefix: '/2/tweets',
          action: {
            mode: 'respond',
            response: invalidRequest('api.twitter.com', [
              { parameters: { text: ['x'] }, message: 'The `text` field is invalid.' },
            ]),
          },
        }),
      failNextBeforeStore: () => fake.failBeforeStore(503),
      failNextAfterStore: () => fake.failAfterStore(500),
      // Reading timelines needs a paid access level: X answers 403 client-not-enrolled.
      refuseLookups: () =>
        fake.server.addFault({
          method: 'GET',
          pathPrefix: '/2/users/',
          untilMs: fake.now() + 3_600_000,
          action: { mode: 'respond', response: clientNotEnrolled('api.twitter.com', 'fake-client-id') },
        }),
      lookupRefused: 'auth',
      duplicate: 'refused',
    },
  });
}
