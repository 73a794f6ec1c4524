import type { FacebookFake } from '../../src/platforms/facebook/fake.js';
import { type AllFakes, startAllFakes } from '../../src/platforms/fake/all.js';
import type { LinkedInFake } from '../../src/platforms/linkedin/fake.js';
import type { TwitterFake } from '../../src/platforms/twitter/fake.js';
import { fakeTls } from './fake-tls.js';

/** Every platform's fake, with the three original platforms' own test APIs at hand by name. */
export interface NamedFakes extends AllFakes {
  twitter: TwitterFake;
  facebook: FacebookFake;
  linkedin: LinkedInFake;
}

export function named(all: AllFakes): NamedFakes {
  return Object.assign(all, {
    twitter: all.get('twitter').fake as TwitterFake,
    facebook: all.get('facebook').fake as FacebookFake,
    linkedin: all.get('linkedin').fake as LinkedInFake,
  });
}

/** Starts a fake of every registered platform (loopback HTTPS, the test certificate). */
export async function startFakes(tls = fakeTls()): Promise<NamedFakes> {
  return named(await startAllFakes(tls));
}
