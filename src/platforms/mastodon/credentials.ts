import type { CredentialsRead, EnvVariable } from '../descriptor.js';
import { type Env, pickVariables } from '../env.js';

export interface MastodonCredentials {
  /** The instance, e.g. https://mastodon.social (no trailing slash). */
  instanceUrl: string;
  /** A user access token with write:statuses, read:statuses and read:accounts (or write and read). */
  accessToken: string;
}

export const MASTODON_VARIABLES: readonly EnvVariable[] = [
  { name: 'MASTODON_URL', meaning: 'the instance, e.g. https://mastodon.social', required: true },
  {
    name: 'MASTODON_ACCESS_TOKEN',
    meaning:
      'an access token of the account (Preferences › Development; scopes write:statuses, read:statuses, read:accounts)',
    required: true,
    secret: true,
  },
];

/** A Mastodon account from MASTODON_URL and MASTODON_ACCESS_TOKEN (with the account's prefix). */
export function readMastodonCredentials(env: Env, p: string): CredentialsRead<MastodonCredentials> {
  const r = pickVariables(env, p, ['MASTODON_URL', 'MASTODON_ACCESS_TOKEN']);
  if (r.missing.length) return { ok: false, missing: r.missing };
  const raw = r.values.MASTODON_URL!;
  const url = URL.canParse(raw) ? new URL(raw) : undefined;
  if (url?.protocol !== 'https:' || url.search || url.hash)
    return {
      ok: false,
      missing: [],
      problem: `${p}MASTODON_URL is "${raw}": expected the instance's https address, such as https://mastodon.social`,
    };
  return {
    ok: true,
    credentials: {
      instanceUrl: url.toString().replace(/\/+$/, ''),
      accessToken: r.values.MASTODON_ACCESS_TOKEN!,
    },
  };
}
