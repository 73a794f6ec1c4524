import type { CredentialsRead, EnvVariable } from '../descriptor.js';
import { type Env, optionalVariable, pickVariables } from '../env.js';

export interface FacebookCredentials {
  pageId: string;
  pageToken: string;
  /** Graph API version, e.g. "v26.0". */
  graphVersion: string;
}

export const DEFAULT_GRAPH_VERSION = 'v26.0';

export const FACEBOOK_VARIABLES: readonly EnvVariable[] = [
  { name: 'FACEBOOK_PAGE_ID', meaning: 'the Page id', required: true },
  { name: 'FACEBOOK_PAGE_TOKEN', meaning: 'a long-lived Page access token', required: true, secret: true },
  { name: 'FACEBOOK_GRAPH_VERSION', meaning: `Graph API version (default ${DEFAULT_GRAPH_VERSION})` },
];

/** A Facebook Page from FACEBOOK_PAGE_ID, FACEBOOK_PAGE_TOKEN and FACEBOOK_GRAPH_VERSION (with the account's prefix). */
export function readFacebookCredentials(env: Env, p: string): CredentialsRead<FacebookCredentials> {
  const r = pickVariables(env, p, ['FACEBOOK_PAGE_ID', 'FACEBOOK_PAGE_TOKEN']);
  if (r.missing.length) return { ok: false, missing: r.missing };
  const graphVersion = optionalVariable(env, `${p}FACEBOOK_GRAPH_VERSION`) ?? DEFAULT_GRAPH_VERSION;
  if (!/^v\d+\.\d+$/.test(graphVersion))
    return {
      ok: false,
      missing: [],
      problem: `${p}FACEBOOK_GRAPH_VERSION is "${graphVersion}": expected vNN.0 such as v26.0`,
    };
  return {
    ok: true,
    credentials: {
      pageId: r.values.FACEBOOK_PAGE_ID!,
      pageToken: r.values.FACEBOOK_PAGE_TOKEN!,
      graphVersion,
    },
  };
}
