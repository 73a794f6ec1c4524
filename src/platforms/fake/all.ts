import { createFacebookFake, FACEBOOK_FAKE_CREDENTIALS, type FacebookFake } from '../facebook/fake.js';
import { createLinkedInFake, LINKEDIN_FAKE_CREDENTIALS, type LinkedInFake } from '../linkedin/fake.js';
import { createTwitterFake, TWITTER_FAKE_CREDENTIALS, type TwitterFake } from '../twitter/fake.js';

export interface AllFakes {
  twitter: TwitterFake;
  facebook: FacebookFake;
  linkedin: LinkedInFake;
  /** Environment that points Crier at the fakes with credentials they accept (add NODE_EXTRA_CA_CERTS). */
  env(): Record<string, string>;
  close(): Promise<void>;
}

/** Starts the three fake platforms on loopback HTTPS (ports: 0 = any free port). */
export async function startAllFakes(
  tls: { cert: string; key: string },
  ports: { twitter?: number; facebook?: number; linkedin?: number } = {},
  host = '127.0.0.1',
): Promise<AllFakes> {
  const twitter = createTwitterFake();
  const facebook = createFacebookFake();
  const linkedin = createLinkedInFake();
  await twitter.start(tls, ports.twitter ?? 0, host);
  await facebook.start(tls, ports.facebook ?? 0, host);
  await linkedin.start(tls, ports.linkedin ?? 0, host);
  const t = TWITTER_FAKE_CREDENTIALS.oauth1;
  return {
    twitter,
    facebook,
    linkedin,
    env: () => ({
      TWITTER_API_URL: twitter.url,
      FACEBOOK_GRAPH_URL: facebook.url,
      LINKEDIN_API_URL: linkedin.url,
      TWITTER_API_KEY: t.apiKey,
      TWITTER_API_SECRET: t.apiSecret,
      TWITTER_ACCESS_TOKEN: t.accessToken,
      TWITTER_ACCESS_SECRET: t.accessSecret,
      FACEBOOK_PAGE_ID: FACEBOOK_FAKE_CREDENTIALS.pageId,
      FACEBOOK_PAGE_TOKEN: FACEBOOK_FAKE_CREDENTIALS.pageToken,
      FACEBOOK_GRAPH_VERSION: FACEBOOK_FAKE_CREDENTIALS.graphVersion,
      LINKEDIN_ACCESS_TOKEN: LINKEDIN_FAKE_CREDENTIALS.accessToken,
      LINKEDIN_AUTHOR: LINKEDIN_FAKE_CREDENTIALS.author,
      LINKEDIN_VERSION: LINKEDIN_FAKE_CREDENTIALS.version,
    }),
    async close() {
      await Promise.all([twitter.close(), facebook.close(), linkedin.close()]);
    },
  };
}
