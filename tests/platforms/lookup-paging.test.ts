import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PlatformName } from '../../src/core/platform.js';
import type { Post } from '../../src/core/post.js';
import type { PlatformAdapter } from '../../src/platforms/adapter.js';
import { createFacebookAdapter } from '../../src/platforms/facebook/adapter.js';
import { createFacebookFake, FACEBOOK_FAKE_CREDENTIALS } from '../../src/platforms/facebook/fake.js';
import type { FakeServer } from '../../src/platforms/fake/server.js';
import { createLinkedInAdapter } from '../../src/platforms/linkedin/adapter.js';
import { createLinkedInFake, LINKEDIN_FAKE_CREDENTIALS } from '../../src/platforms/linkedin/fake.js';
import { createTwitterAdapter } from '../../src/platforms/twitter/adapter.js';
import { createTwitterFake, TWITTER_FAKE_CREDENTIALS } from '../../src/platforms/twitter/fake.js';
import { fakeTls } from '../helpers/fake-tls.js';

/**
 * The look-up contract (src/platforms/adapter.ts): with `since`, `find` covers every post made since, however
 * many; it reads back only until the posts are older than that. The same test for each platform.
 */
function post(platform: PlatformName, n: number | string): Post {
  const url = `https://news.example.org/2026/story-${n}`;
  return {
    platform,
    account: 'main',
    articleId: 'a0123456789abcdef',
    articleKey: url,
    text: `Story ${n} of the day, told in a sentence. ${url}`,
    summary: `Story ${n} of the day, told in a sentence.`,
    link: url,
    hashtags: [],
    article: { url, title: `Story ${n}` },
  };
}

interface Subject {
  platform: PlatformName;
  server: FakeServer;
  /** The path of the listing `find` reads. */
  listing: string;
  adapter(): PlatformAdapter;
  start(): Promise<void>;
  close(): Promise<void>;
}

const twitter = createTwitterFake({
  limits: {
    userDay: 10_000,
    appDay: 10_000,
    window: { tweets: 10_000, timeline: 10_000, me: 10_000, media: 10_000, delete: 10_000 },
  },
});
const facebook = createFacebookFake();
const linkedin = createLinkedInFake({ config: { memberDailyLimit: 10_000, appDailyLimit: 100_000 } });
const opts = (baseUrl: string) => ({ baseUrl, timeoutMs: 5000 });
const SUBJECTS: Subject[] = [
  {
    platform: 'twitter',
    server: twitter.server,
    listing: `/2/users/`,
    adapter: () =>
      createTwitterAdapter({
        account: 'main',
        credentials: TWITTER_FAKE_CREDENTIALS.oauth1,
        options: opts(twitter.url),
      }),
    start: async () => void (await twitter.start(fakeTls())),
    close: () => twitter.close(),
  },
  {
    platform: 'facebook',
    server: facebook,
    listing: `/${FACEBOOK_FAKE_CREDENTIALS.graphVersion}/${FACEBOOK_FAKE_CREDENTIALS.pageId}/feed`,
    adapter: () =>
      createFacebookAdapter({
        account: 'main',
        credentials: FACEBOOK_FAKE_CREDENTIALS,
        options: opts(facebook.url),
      }),
    start: async () => void (await facebook.start(fakeTls())),
    close: () => facebook.close(),
  },
  {
    platform: 'linkedin',
    server: linkedin.server,
    listing: '/rest/posts',
    adapter: () =>
      createLinkedInAdapter({
        account: 'main',
        credentials: LINKEDIN_FAKE_CREDENTIALS,
        options: opts(linkedin.url),
      }),
    start: async () => void (await linkedin.start(fakeTls())),
    close: () => linkedin.close(),
  },
];

describe.each(SUBJECTS)('look-up paging: $platform', (s) => {
  beforeAll(() => s.start());
  afterAll(() => s.close());

  it('finds a post with 110 posted after it, reads back only to the claim, and says "absent" having read it all', async () => {
    const a = s.adapter();
    // 40 posts an hour before the claim: older than what any look-up of this attempt must read.
    s.server.clock.offsetMs = -3_600_000;
    for (let i = 0; i < 40; i++) await a.publish(post(s.platform, `old-${i}`));
    s.server.clock.offsetMs = 0;
    const since = new Date(Date.now() - 1000);
    const target = await a.publish(post(s.platform, 'target'));
    for (let i = 0; i < 110; i++) await a.publish(post(s.platform, `burst-${i}`));

    expect((await a.find(post(s.platform, 'target'), { since }))?.postId).toBe(target.postId);
    // The newest page alone (no claim given) does not reach it: the paging is what finds it.
    expect(await a.find(post(s.platform, 'target'))).toBeNull();

    const reads = () =>
      s.server.requests.filter((r) => r.method === 'GET' && r.path.startsWith(s.listing)).length;
    const before = reads();
    expect(await a.find(post(s.platform, 'never-posted'), { since })).toBeNull();
    // 111 posts since the claim: two pages of 100, and not a third (the second ends among older posts, or the
    // platform itself filters by time).
    expect(reads() - before).toBe(2);
  });
});
