import { graphemeLength } from '../../summaries/length.js';
import { type FakeListen, type FakePlatform, type FakeTls, startFakePlatform } from '../fake/platform.js';
import { BLUESKY_FAKE_ACCOUNT, type BlueskyFake, createBlueskyFake } from './fake.js';

/** The Bluesky fake as the registry's generic code sees it (all fakes, the demo, the conformance suite). */
export async function startBlueskyFake(
  tls: FakeTls,
  opts: FakeListen = {},
): Promise<FakePlatform<BlueskyFake>> {
  const fake = createBlueskyFake();
  const a = BLUESKY_FAKE_ACCOUNT;
  return startFakePlatform('bluesky', fake, fake.server, tls, opts, {
    env: () => ({
      BLUESKY_SERVICE_URL: fake.url,
      BLUESKY_IDENTIFIER: a.handle,
      BLUESKY_APP_PASSWORD: a.appPassword,
    }),
    posts: () =>
      fake.posts().map((r) => {
        const card = r.value.embed?.external;
        return {
          id: r.uri,
          text: r.value.text,
          notes: [
            `${graphemeLength(r.value.text)}/300 graphemes, ${r.value.facets?.length ?? 0} facets`,
            ...(card
              ? [`link card: ${card.title} — ${card.uri}${card.thumb ? ' (with thumbnail)' : ''}`]
              : []),
          ],
        };
      }),
    scenarios: {
      rateLimit: (ms) => {
        fake.rateLimitFor(ms);
      },
      // The app password was revoked: its sessions end and it no longer logs in.
      revokeCredentials: () => {
        fake.setAccount(a.did, { appPassword: 'revoked-app-password' });
        fake.expireTokens({ refresh: true });
      },
      rejectNextAsInvalid: () =>
        fake.server.addFault({
          method: 'POST',
          pathPrefix: fake.repoPath('com.atproto.repo.createRecord'),
          action: {
            mode: 'respond',
            response: {
              status: 400,
              body: {
                error: 'InvalidRequest',
                message:
                  'Invalid app.bsky.feed.post record: Record/createdAt must be an valid atproto datetime',
              },
            },
          },
        }),
      failNextBeforeStore: () => fake.failBeforeStore(500),
      failNextAfterStore: () => fake.failAfterStore(500),
      // listRecords is public: only a repo taken down cannot be read.
      refuseLookups: () => fake.setAccount(a.did, { takendown: true }),
      lookupRefused: 'auth',
      duplicate: 'refused',
    },
  });
}
