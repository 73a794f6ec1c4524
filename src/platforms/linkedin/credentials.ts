import type { CredentialsRead, EnvVariable } from '../descriptor.js';
import { type Env, optionalVariable, pickVariables } from '../env.js';

export interface LinkedInCredentials {
  accessToken: string;
  /** urn:li:person:… or urn:li:organization:… */
  author: string;
  /** LinkedIn-Version header, YYYYMM. */
  version: string;
}

export const LINKEDIN_VARIABLES: readonly EnvVariable[] = [
  { name: 'LINKEDIN_ACCESS_TOKEN', meaning: 'a member access token (60 days)', required: true, secret: true },
  { name: 'LINKEDIN_AUTHOR', meaning: 'urn:li:person:… or urn:li:organization:…', required: true },
  {
    name: 'LINKEDIN_VERSION',
    meaning: 'LinkedIn-Version YYYYMM (default: two months back; also `linkedinVersion` per account)',
  },
];

/** LinkedIn keeps each monthly version live for about a year: default to two months back. */
export function defaultLinkedInVersion(now = new Date()): string {
  const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 2, 1));
  return `${d.getUTCFullYear()}${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
}

/** A LinkedIn author from LINKEDIN_ACCESS_TOKEN, LINKEDIN_AUTHOR and LINKEDIN_VERSION (or the account's version). */
export function readLinkedInCredentials(
  env: Env,
  p: string,
  settings: { linkedinVersion?: string },
): CredentialsRead<LinkedInCredentials> {
  const r = pickVariables(env, p, ['LINKEDIN_ACCESS_TOKEN', 'LINKEDIN_AUTHOR']);
  if (r.missing.length) return { ok: false, missing: r.missing };
  const author = r.values.LINKEDIN_AUTHOR!;
  if (!/^urn:li:(person|organization):[A-Za-z0-9_-]+$/.test(author))
    return {
      ok: false,
      missing: [],
      problem: `${p}LINKEDIN_AUTHOR is "${author}": expected urn:li:person:<id> or urn:li:organization:<id>`,
    };
  const version =
    optionalVariable(env, `${p}LINKEDIN_VERSION`) ?? settings.linkedinVersion ?? defaultLinkedInVersion();
  if (!/^\d{6}$/.test(version))
    return {
      ok: false,
      missing: [],
      problem: `${p}LINKEDIN_VERSION is "${version}": expected YYYYMM such as 202611`,
    };
  return { ok: true, credentials: { accessToken: r.values.LINKEDIN_ACCESS_TOKEN!, author, version } };
}
