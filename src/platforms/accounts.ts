import { createHash } from 'node:crypto';
import type { Logger } from 'pino';
import { apiBaseUrl, type CredentialsResult, readCredentials } from '../config/credentials.js';
import type { AccountConfig, CrierConfig } from '../config/schema.js';
import { createLogger } from '../core/logger.js';
import type { PlatformName } from '../core/platform.js';
import type { Post } from '../core/post.js';
import type { FetchPolicy } from '../fetch/policy.js';
import type { PlatformAdapter, TokenStore } from './adapter.js';
import { platformOf } from './descriptors.js';
import type { Env } from './env.js';

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
 * Builds one adapter per enabled account whose credentials are in the environment, through its platform's
 * descriptor. Accounts without credentials are reported as disabled (with the variables to set), never a crash.
 */
export function buildAccounts(
  config: Pick<CrierConfig, 'accounts' | 'publishing'>,
  env: Env = process.env,
  opts: {
    /** Where each platform's adapters keep rotating tokens and sessions (one store, or one per platform). */
    tokens?: TokenStore | ((platform: PlatformName) => TokenStore);
    logger?: Pick<Logger, 'warn'>;
    /** Address rules for the content adapters read (article images). */
    fetchPolicy?: FetchPolicy;
  } = {},
): Map<string, AccountRuntime> {
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
    const platform = platformOf(account.platform);
    const adapter = platform.createAdapter({
      account: account.id,
      credentials: creds.credentials.value,
      settings: account,
      options: {
        timeoutMs: config.publishing.requestTimeoutMs,
        baseUrl: apiBaseUrl(platform, env),
        fetchPolicy: opts.fetchPolicy,
      },
      tokens: typeof opts.tokens === 'function' ? opts.tokens(account.platform) : opts.tokens,
      onImageSkipped: imageSkipped(logger, account.platform, account.id),
    });
    out.set(account.id, { config: account, adapter, fingerprint: fp });
  }
  return out;
}
