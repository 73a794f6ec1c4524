/**
 * Every Redis key Crier writes, named in one place (as BullMQ's queue-keys.ts names a queue's keys). Each
 * key starts with `<prefix>:` (CRIER_PREFIX, default `crier`), so one Redis can hold several Crier sites and
 * `deleteKeysWithPrefix` removes exactly one of them.
 *
 * | key                                              | type   | what                                     |
 * |--------------------------------------------------|--------|------------------------------------------|
 * | `<p>:<queue>:<suffix>`                           | (BullMQ) | BullMQ's own keys of a queue            |
 * | `<p>:ledger:<articleId>:<platform>:<account>`    | hash   | the exactly-once record of one post      |
 * | `<p>:ledger-index`                               | zset   | ledger entry keys by last change         |
 * | `<p>:article:<id>`                               | string | an article seen (JSON)                   |
 * | `<p>:article-alias:<hash>`                       | string | article id of a GUID/alias               |
 * | `<p>:source-items:<sourceId>`                    | string | what a source listed at its last look    |
 * | `<p>:account:<account>`                          | hash   | account health, pause, quota             |
 * | `<p>:budget:<account>`                           | zset   | posting budget reservations              |
 * | `<p>:held`                                       | zset   | post ids an operator holds               |
 * | `<p>:awaiting-approval`                          | zset   | post ids waiting for an operator's approval |
 * | `<p>:console:secret`                             | string | key the console signs its cookies with   |
 * | `<p>:console:session:<id>` (`:flash`)            | string | a console session (JSON)                |
 * | `<p>:console:login-failures:<ip|user>:<x>`       | string | failed console log-ins (lock-out)        |
 * | `<p>:hooks:seen:<signature>`                     | string | a webhook request already taken (replay) |
 * | `<p>:slots:<account>` (`:items`, `:last-post`)   | zset…  | posts waiting for a posting slot         |
 * | `<p>:slots-accounts`                             | set    | accounts that have a slot queue          |
 * | `<p>:schedule:slot:<schedule>:<wall time>`       | string | lease of one schedule slot               |
 * | `<p>:scheduler:<instanceId>`                     | string | a scheduler's heartbeat                  |
 * | `<p>:schedulers`                                 | zset   | scheduler instance ids                   |
 * | `<p>:<platform>:tokens:<account>`                | hash   | rotating OAuth tokens of an account      |
 */
export class RedisKeys {
  constructor(readonly prefix: string) {}

  private k(...parts: string[]): string {
    return [this.prefix, ...parts].join(':');
  }

  /** Pattern matching every key of this prefix (SCAN MATCH). */
  get all(): string {
    return `${this.prefix}:*`;
  }

  /** A key BullMQ keeps for a queue (e.g. `delayed`, `wait`, `failed`, or a job id). */
  queue(queue: string, suffix: string): string {
    return this.k(queue, suffix);
  }

  ledger(articleId: string, platform: string, account: string): string {
    return this.k('ledger', articleId, platform, account);
  }
  get ledgerIndex(): string {
    return this.k('ledger-index');
  }

  article(id: string): string {
    return this.k('article', id);
  }
  /** `hash` is a digest of the alias (a GUID may hold any character). */
  articleAlias(hash: string): string {
    return this.k('article-alias', hash);
  }
  sourceItems(sourceId: string): string {
    return this.k('source-items', sourceId);
  }

  account(account: string): string {
    return this.k('account', account);
  }
  budget(account: string): string {
    return this.k('budget', account);
  }
  /** Rotating OAuth tokens of one account (X OAuth 2.0 today). */
  platformTokens(platform: string, account: string): string {
    return this.k(platform, 'tokens', account);
  }

  get held(): string {
    return this.k('held');
  }
  get awaitingApproval(): string {
    return this.k('awaiting-approval');
  }

  get consoleSecret(): string {
    return this.k('console', 'secret');
  }
  consoleSession(id: string): string {
    return this.k('console', 'session', id);
  }
  /** `kind` is "ip" or "user"; `who` the address or a digest of the user name. */
  consoleLoginFailures(kind: 'ip' | 'user', who: string): string {
    return this.k('console', 'login-failures', kind, who);
  }
  hookSeen(signature: string): string {
    return this.k('hooks', 'seen', signature);
  }

  slots(account: string): string {
    return this.k('slots', account);
  }
  slotItems(account: string): string {
    return this.k('slots', account, 'items');
  }
  slotLastPost(account: string): string {
    return this.k('slots', account, 'last-post');
  }
  get slotAccounts(): string {
    return this.k('slots-accounts');
  }

  scheduleSlot(schedule: string, wall: string): string {
    return this.k('schedule', 'slot', schedule, wall);
  }
  scheduler(instanceId: string): string {
    return this.k('scheduler', instanceId);
  }
  /** Pattern of every scheduler heartbeat key. */
  get schedulerPattern(): string {
    return this.k('scheduler', '*');
  }
  get schedulers(): string {
    return this.k('schedulers');
  }
}

/** The keys of one prefix. */
export function redisKeys(prefix: string): RedisKeys {
  return new RedisKeys(prefix);
}
