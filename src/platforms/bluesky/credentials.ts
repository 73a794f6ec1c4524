import type { CredentialsRead, EnvVariable } from '../descriptor.js';
import { type Env, optionalVariable, pickVariables } from '../env.js';

export interface BlueskyCredentials {
  /** Handle (name.bsky.social) or DID. */
  identifier: string;
  /** An app password, never the account's own password. */
  appPassword: string;
  /** Where to log in (the entryway): https://bsky.social unless the account lives on another PDS. */
  serviceUrl: string;
}

export const DEFAULT_SERVICE_URL = 'https://bsky.social';

export const BLUESKY_VARIABLES: readonly EnvVariable[] = [
  { name: 'BLUESKY_IDENTIFIER', meaning: 'the handle (name.bsky.social) or DID', required: true },
  {
    name: 'BLUESKY_APP_PASSWORD',
    meaning: 'an app password (Settings › Privacy and security › App passwords)',
    required: true,
    secret: true,
  },
  { name: 'BLUESKY_SERVICE_URL', meaning: `where to log in (default ${DEFAULT_SERVICE_URL})` },
];

/** A Bluesky account from BLUESKY_IDENTIFIER, BLUESKY_APP_PASSWORD and BLUESKY_SERVICE_URL (with the prefix). */
export function readBlueskyCredentials(env: Env, p: string): CredentialsRead<BlueskyCredentials> {
  const r = pickVariables(env, p, ['BLUESKY_IDENTIFIER', 'BLUESKY_APP_PASSWORD']);
  if (r.missing.length) return { ok: false, missing: r.missing };
  const raw = optionalVariable(env, `${p}BLUESKY_SERVICE_URL`) ?? DEFAULT_SERVICE_URL;
  const url = URL.canParse(raw) ? new URL(raw) : undefined;
  if (url?.protocol !== 'https:' || url.search || url.hash)
    return {
      ok: false,
      missing: [],
      problem: `${p}BLUESKY_SERVICE_URL is "${raw}": expected an https address such as ${DEFAULT_SERVICE_URL}`,
    };
  const identifier = r.values.BLUESKY_IDENTIFIER!.replace(/^@/, '');
  return {
    ok: true,
    credentials: {
      identifier,
      appPassword: r.values.BLUESKY_APP_PASSWORD!,
      serviceUrl: url.toString().replace(/\/+$/, ''),
    },
  };
}
