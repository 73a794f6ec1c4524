import type { PlatformName } from '../core/platform.js';
import type { AnyPlatform } from '../platforms/descriptor.js';
import { platformOf } from '../platforms/descriptors.js';
import type { Env } from '../platforms/env.js';
import type { AccountConfig } from './schema.js';

/**
 * Credentials are read from the environment only, never from config files: each platform's descriptor names its
 * variables and reads them (src/platforms/<name>/credentials.ts); an account's `envPrefix` selects its own set.
 */
export type Credentials = { platform: PlatformName; value: unknown };

export type CredentialsResult =
  | { ok: true; credentials: Credentials }
  | { ok: false; missing: string[]; problem?: string };

/** Reads one account's credentials from the environment; reports what is missing instead of throwing. */
export function readCredentials(account: AccountConfig, env: Env = process.env): CredentialsResult {
  const r = platformOf(account.platform).credentials.read(env, account.envPrefix, account);
  if (!r.ok) return r;
  return { ok: true, credentials: { platform: account.platform, value: r.credentials } };
}

/** The API base URL of a platform: its variable (fakes, a proxy) or the real host ("" when accounts name theirs). */
export function apiBaseUrl(platform: AnyPlatform, env: Env = process.env): string {
  return (env[platform.api.env]?.trim() || platform.api.default || '').replace(/\/+$/, '');
}

export { defaultLinkedInVersion } from '../platforms/linkedin/credentials.js';
