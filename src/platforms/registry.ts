import { createHash } from 'node:crypto';
import type { Logger } from 'pino';
import type { CredentialsResult } from '../config/credentials.js';
import { apiBaseUrls, readCredentials } from '../config/credentials.js';
import type { AccountConfig, CrierConfig } from '../config/schema.js';
import { createLogger } from '../core/logger.js';
import type { Post } from '../core/post.js';
import type { FetchPolicy } from '../fetch/policy.js';
import type { PlatformAdapter, TokenStore } from './adapter.js';
import { createFacebookAdapter } from './facebook/adapter.js';
import { createLinkedInAdapter } from './linkedin/adapter.js';
import { createTwitterAdapter } from './twitter/adapter.js';

export interface AccountRuntime {
  config: AccountConfig;
  adapter?: PlatformAdapter;
  /** Why the account cannot post (disabled in config, credentials missing or malformed). */
  disabled?: string;
  /** Hash of the credentials in use: a held account resumes when it changes. Never the secrets themselves. */
  fingerprint: string;
}

function fingerprint(c: CredentialsResult): string {
  return createHash('sha256').update(JSON.stringify(c)).digest('hex').slice(0, 16);
}

/** The log line of an article image an adapter left out: the post went out without it. */
function imageSkipped(logger: () => Pick<Logger, 'warn'>, platform: string, account: string) {
  return (reason: string, post: Post) => {
    logger().warn(
      {
        event: 'image-skipped',
        platform,
        account,
        articleId: post.articleId,
        image: post.article.image,
        reason,
      },
      'article image left out of the post',
    );
  };
}

/**
 * Builds one adapter per enabled account whose credentials are in the environment. Accounts without
 * credentials are reported as disabled (with the variables to set), never a crash.
 */
export function buildAccounts(
  config: Pick<CrierConfig, 'accounts' | 'publishing'>,
  env: Record<string, string | undefined> = process.env,
  opts: { tokens?: TokenStore; logger?: Pick<Logger, 'warn'>; fetchPolicy?: FetchPolicy } = {},
): Map<string, AccountRuntime> {
  const urls = apiBaseUrls(env);
  // Created only when a line has to be written, so building accounts stays free of side effects.
  let fallback: Pick<Logger, 'warn'> | undefined;
  const logger = () => {
    if (opts.logger) return opts.logger;
    fallback ??= createLogger();
    return fallback;
  };
  const out = new Map<string, AccountRuntime>();
  for (const account of config.accounts) {
    const creds = readCredentials(account, env);
    const fp = fingerprint(creds);
    if (!account.enabled) {
      out.set(account.id, { config: account, disabled: 'disabled in config', fingerprint: fp });
      continue;
    }
    if (!creds.ok) {
      const why = creds.problem ?? `credentials missing: set ${creds.missing.join(', ')}`;
      out.set(account.id, { config: account, disabled: why, fingerprint: fp });
      continue;
    }
    const options = {
      timeoutMs: config.publishing.requestTimeoutMs,
      baseUrl: '',
      fetchPolicy: opts.fetchPolicy,
    };
    const c = creds.credentials;
    let adapter: PlatformAdapter;
    switch (c.platform) {
      case 'twitter':
        adapter = createTwitterAdapter({
          account: account.id,
          credentials: c.value,
          options: { ...options, baseUrl: urls.twitter },
          tokens: opts.tokens,
          onImageSkipped: imageSkipped(logger, 'twitter', account.id),
        });
        break;
      case 'facebook':
        adapter = createFacebookAdapter({
          account: account.id,
          credentials: c.value,
          options: { ...options, baseUrl: urls.facebook },
        });
        break;
      case 'linkedin':
        adapter = createLinkedInAdapter({
          account: account.id,
          credentials: c.value,
          options: { ...options, baseUrl: urls.linkedin },
          visibility: account.visibility,
          onImageSkipped: imageSkipped(logger, 'linkedin', account.id),
        });
        break;
    }
    out.set(account.id, { config: account, adapter, fingerprint: fp });
  }
  return out;
}
