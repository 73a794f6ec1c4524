import type { CredentialsRead, EnvVariable } from '../descriptor.js';
import { type Env, optionalVariable, pickVariables } from '../env.js';

/** Credentials are read from the environment only, never from config files. */
export interface TwitterOAuth1Credentials {
  kind: 'oauth1';
  apiKey: string;
  apiSecret: string;
  accessToken: string;
  accessSecret: string;
}

export interface TwitterOAuth2Credentials {
  kind: 'oauth2';
  clientId: string;
  clientSecret?: string;
  /** Initial tokens; the rotating refresh token is then kept in Redis. */
  accessToken?: string;
  refreshToken: string;
}

export type TwitterCredentials = TwitterOAuth1Credentials | TwitterOAuth2Credentials;

export const TWITTER_VARIABLES: readonly EnvVariable[] = [
  { name: 'TWITTER_API_KEY', meaning: 'OAuth 1.0a consumer key', required: true, secret: true },
  { name: 'TWITTER_API_SECRET', meaning: 'OAuth 1.0a consumer secret', required: true, secret: true },
  { name: 'TWITTER_ACCESS_TOKEN', meaning: 'OAuth 1.0a user access token', required: true, secret: true },
  { name: 'TWITTER_ACCESS_SECRET', meaning: 'OAuth 1.0a user access secret', required: true, secret: true },
  { name: 'TWITTER_CLIENT_ID', meaning: 'OAuth 2.0 client id (instead of OAuth 1.0a)' },
  { name: 'TWITTER_CLIENT_SECRET', meaning: 'OAuth 2.0 client secret (confidential clients)', secret: true },
  {
    name: 'TWITTER_REFRESH_TOKEN',
    meaning: 'OAuth 2.0 refresh token (the rotating chain is then kept in Redis)',
    secret: true,
  },
  { name: 'TWITTER_OAUTH2_ACCESS_TOKEN', meaning: 'OAuth 2.0 access token to start with', secret: true },
];

/**
 * X credentials: OAuth 2.0 when TWITTER_CLIENT_ID and TWITTER_REFRESH_TOKEN are set, else the four OAuth 1.0a
 * variables (with the account's prefix).
 */
export function readTwitterCredentials(env: Env, p: string): CredentialsRead<TwitterCredentials> {
  const o2 = pickVariables(env, p, ['TWITTER_CLIENT_ID', 'TWITTER_REFRESH_TOKEN']);
  if (o2.missing.length === 0) {
    return {
      ok: true,
      credentials: {
        kind: 'oauth2',
        clientId: o2.values.TWITTER_CLIENT_ID!,
        refreshToken: o2.values.TWITTER_REFRESH_TOKEN!,
        clientSecret: optionalVariable(env, `${p}TWITTER_CLIENT_SECRET`),
        accessToken: optionalVariable(env, `${p}TWITTER_OAUTH2_ACCESS_TOKEN`),
      },
    };
  }
  const o1 = pickVariables(env, p, [
    'TWITTER_API_KEY',
    'TWITTER_API_SECRET',
    'TWITTER_ACCESS_TOKEN',
    'TWITTER_ACCESS_SECRET',
  ]);
  if (o1.missing.length) return { ok: false, missing: o1.missing };
  return {
    ok: true,
    credentials: {
      kind: 'oauth1',
      apiKey: o1.values.TWITTER_API_KEY!,
      apiSecret: o1.values.TWITTER_API_SECRET!,
      accessToken: o1.values.TWITTER_ACCESS_TOKEN!,
      accessSecret: o1.values.TWITTER_ACCESS_SECRET!,
    },
  };
}
