import type { AccountConfig } from './schema.js';

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

export interface FacebookCredentials {
  pageId: string;
  pageToken: string;
  /** Graph API version, e.g. "v26.0". */
  graphVersion: string;
}

export interface LinkedInCredentials {
  accessToken: string;
  /** urn:li:person:… or urn:li:organization:… */
  author: string;
  /** LinkedIn-Version header, YYYYMM. */
  version: string;
}

export type Credentials =
  | { platform: 'twitter'; value: TwitterCredentials }
  | { platform: 'facebook'; value: FacebookCredentials }
  | { platform: 'linkedin'; value: LinkedInCredentials };

export type CredentialsResult =
  | { ok: true; credentials: Credentials }
  | { ok: false; missing: string[]; problem?: string };

type Env = Record<string, string | undefined>;

function pick(
  env: Env,
  prefix: string,
  names: string[],
): { values: Record<string, string>; missing: string[] } {
  const values: Record<string, string> = {};
  const missing: string[] = [];
  for (const n of names) {
    const v = env[prefix + n]?.trim();
    if (v) values[n] = v;
    else missing.push(prefix + n);
  }
  return { values, missing };
}

/** Reads one account's credentials from the environment; reports what is missing instead of throwing. */
export function readCredentials(account: AccountConfig, env: Env = process.env): CredentialsResult {
  const p = account.envPrefix;
  switch (account.platform) {
    case 'twitter': {
      const o2 = pick(env, p, ['TWITTER_CLIENT_ID', 'TWITTER_REFRESH_TOKEN']);
      if (o2.missing.length === 0) {
        return {
          ok: true,
          credentials: {
            platform: 'twitter',
            value: {
              kind: 'oauth2',
              clientId: o2.values.TWITTER_CLIENT_ID!,
              refreshToken: o2.values.TWITTER_REFRESH_TOKEN!,
              clientSecret: env[`${p}TWITTER_CLIENT_SECRET`]?.trim() || undefined,
              accessToken: env[`${p}TWITTER_OAUTH2_ACCESS_TOKEN`]?.trim() || undefined,
            },
          },
        };
      }
      const o1 = pick(env, p, [
        'TWITTER_API_KEY',
        'TWITTER_API_SECRET',
        'TWITTER_ACCESS_TOKEN',
        'TWITTER_ACCESS_SECRET',
      ]);
      if (o1.missing.length) return { ok: false, missing: o1.missing };
      return {
        ok: true,
        credentials: {
          platform: 'twitter',
          value: {
            kind: 'oauth1',
            apiKey: o1.values.TWITTER_API_KEY!,
            apiSecret: o1.values.TWITTER_API_SECRET!,
            accessToken: o1.values.TWITTER_ACCESS_TOKEN!,
            accessSecret: o1.values.TWITTER_ACCESS_SECRET!,
          },
        },
      };
    }
    case 'facebook': {
      const r = pick(env, p, ['FACEBOOK_PAGE_ID', 'FACEBOOK_PAGE_TOKEN']);
      if (r.missing.length) return { ok: false, missing: r.missing };
      const graphVersion = env[`${p}FACEBOOK_GRAPH_VERSION`]?.trim() || 'v26.0';
      if (!/^v\d+\.\d+$/.test(graphVersion))
        return {
          ok: false,
          missing: [],
          problem: `${p}FACEBOOK_GRAPH_VERSION is "${graphVersion}": expected vNN.0 such as v26.0`,
        };
      return {
        ok: true,
        credentials: {
          platform: 'facebook',
          value: {
            pageId: r.values.FACEBOOK_PAGE_ID!,
            pageToken: r.values.FACEBOOK_PAGE_TOKEN!,
            graphVersion,
          },
        },
      };
    }
    case 'linkedin': {
      const r = pick(env, p, ['LINKEDIN_ACCESS_TOKEN', 'LINKEDIN_AUTHOR']);
      if (r.missing.length) return { ok: false, missing: r.missing };
      const author = r.values.LINKEDIN_AUTHOR!;
      if (!/^urn:li:(person|organization):[A-Za-z0-9_-]+$/.test(author))
        return {
          ok: false,
          missing: [],
          problem: `${p}LINKEDIN_AUTHOR is "${author}": expected urn:li:person:<id> or urn:li:organization:<id>`,
        };
      const version =
        env[`${p}LINKEDIN_VERSION`]?.trim() || account.linkedinVersion || defaultLinkedInVersion();
      if (!/^\d{6}$/.test(version))
        return {
          ok: false,
          missing: [],
          problem: `${p}LINKEDIN_VERSION is "${version}": expected YYYYMM such as 202611`,
        };
      return {
        ok: true,
        credentials: {
          platform: 'linkedin',
          value: { accessToken: r.values.LINKEDIN_ACCESS_TOKEN!, author, version },
        },
      };
    }
  }
}

/** LinkedIn keeps each monthly version live for about a year: default to two months back. */
export function defaultLinkedInVersion(now = new Date()): string {
  const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 2, 1));
  return `${d.getUTCFullYear()}${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
}

/** Base URLs of the platform APIs; the fakes are reached by pointing these at 127.0.0.1. */
export function apiBaseUrls(env: Env = process.env) {
  return {
    twitter: (env.TWITTER_API_URL || 'https://api.x.com').replace(/\/+$/, ''),
    facebook: (env.FACEBOOK_GRAPH_URL || 'https://graph.facebook.com').replace(/\/+$/, ''),
    linkedin: (env.LINKEDIN_API_URL || 'https://api.linkedin.com').replace(/\/+$/, ''),
  };
}
