import type { AccountConfig } from '../config/schema.js';
import type { PlatformName } from '../core/platform.js';
import type { Post } from '../core/post.js';
import { platformOf } from '../platforms/descriptors.js';
import { measure } from './length.js';
import type { PlatformRules } from './platforms/types.js';

/**
 * A platform's text rules, and an account's: what the composer fits posts to and what the validator checks an
 * operator's edit against, so that both apply the same limits.
 */

/** A platform's text rules and composer, from its descriptor. */
export function rulesOf(platform: PlatformName): PlatformRules {
  return platformOf(platform).rules;
}

/** The length of a text as the platform counts it (its `measure`, else its `unit`). */
export function lengthIn(rules: PlatformRules, text: string): number {
  return rules.measure ? rules.measure(text) : measure(text, rules.unit);
}

/** The account's rules: its platform's, with the limit the account pinned when it has one (offline previews). */
export function pinnedRules(account: AccountConfig): PlatformRules {
  const rules = rulesOf(account.platform);
  const limit = rules.accountLimit?.pinned(account);
  return limit ? { ...rules, maxLength: limit } : rules;
}

/**
 * The same, asking the platform for the account's limit when none is pinned (a federated instance's own limit):
 * what composing for publishing and an operator's edit are held to. A failed question keeps the platform's limit.
 */
export async function askedRules(
  account: AccountConfig,
  env: Record<string, string | undefined>,
): Promise<PlatformRules> {
  const rules = pinnedRules(account);
  if (!rules.accountLimit || rules.accountLimit.pinned(account)) return rules;
  const limit = await rules.accountLimit.ask(account, env).catch(() => undefined);
  return limit ? { ...rules, maxLength: limit } : rules;
}

/**
 * The post with what its platform derives from the final text (rich-text facets), derived again from `post.text`:
 * a composed post and an edited one get theirs the same way, and an edit never keeps the old text's.
 */
export function annotated(rules: PlatformRules, post: Post): Post {
  const { facets: _old, ...bare } = post;
  return rules.annotate ? rules.annotate(bare) : bare;
}
