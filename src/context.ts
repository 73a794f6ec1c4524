import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { PostingBudget } from './accounts/budget.js';
import { AccountStates } from './accounts/state.js';
import { type LoadedConfig, loadConfig } from './config/load.js';
import { type RuntimeSettings, runtimeSettings } from './config/runtime.js';
import { createLogger } from './core/logger.js';
import { type FetchPolicy, fetchPolicy } from './fetch/policy.js';
import { Ledger } from './ledger/ledger.js';
import { type AccountRuntime, buildAccounts } from './platforms/accounts.js';
import { RedisTokenStore } from './platforms/token-store.js';
import { connectRedis, outageLogOf, redisTarget } from './queue/connection.js';
import { CrierQueues } from './queue/queues.js';
import { ArticleStore } from './sources/article-store.js';

/** Everything a command or worker needs, built once from config + environment. */
export interface AppContext {
  config: LoadedConfig;
  settings: RuntimeSettings;
  env: Record<string, string | undefined>;
  redis: Redis;
  /**
   * The connection of Crier's own state (ledger, articles, accounts): `redis` itself, or in workers a second
   * connection whose commands share round trips (auto-pipelining; BullMQ's many scripts stay off it, so its
   * pipelines cost little to build).
   */
  state: Redis;
  logger: Logger;
  queues: CrierQueues;
  ledger: Ledger;
  accountStates: AccountStates;
  budget: PostingBudget;
  articles: ArticleStore;
  accounts: Map<string, AccountRuntime>;
  /** Address rules of every read of content (config `fetch.allow` + CRIER_FETCH_ALLOW). */
  fetchPolicy: FetchPolicy;
  close(): Promise<void>;
}

export interface ContextOptions {
  config?: LoadedConfig;
  env?: Record<string, string | undefined>;
  logger?: Logger;
  /** Workers need a connection that never gives up on a request (BullMQ blocking calls). */
  forWorker?: boolean;
  /** Long-running processes: wait for Redis at start (logging that they wait) rather than give up. */
  waitForRedis?: boolean;
  /** One-off commands: each Redis command waits at most CRIER_REDIS_TIMEOUT_MS, then fails (one clear line). */
  boundedCommands?: boolean;
  dryRun?: boolean;
  /**
   * Crier's own state (ledger, articles, accounts, budgets) on a second connection whose commands, issued by
   * concurrent jobs in the same event-loop turn, share round trips (ioredis auto-pipelining; workers). BullMQ
   * keeps its own plain connection.
   */
  autoPipelining?: boolean;
}

export async function createContext(opts: ContextOptions = {}): Promise<AppContext> {
  const env = opts.env ?? process.env;
  const config = opts.config ?? loadConfig();
  const settings = runtimeSettings(env);
  const policy = fetchPolicy({ allow: config.fetch.allow, env });
  if (opts.dryRun) settings.dryRun = true;
  const logger = opts.logger ?? createLogger({ level: settings.logLevel });
  const target = redisTarget(env);
  const connect = (name: string, more: { autoPipelining?: boolean; outageOf?: Redis } = {}) =>
    connectRedis(target, {
      forWorker: opts.forWorker ?? true,
      name,
      timeoutMs: settings.redisTimeoutMs,
      wait: opts.waitForRedis,
      boundedCommands: opts.boundedCommands,
      logger,
      ...more,
    });
  const redis = await connect('crier');
  const state =
    opts.autoPipelining && settings.autoPipelining
      ? await connect('crier-state', { autoPipelining: true, outageOf: redis })
      : redis;
  const retention = Math.round(config.publishing.retentionDays * 86_400);
  const queues = new CrierQueues(redis, settings.prefix, config.publishing);
  // Queues re-emit their connection's errors: one structured line per outage, never a raw dump on stderr.
  for (const q of queues.all()) q.on('error', (err) => outageLogOf(redis)?.report(err, `queue ${q.name}`));
  const accounts = buildAccounts(config, env, {
    tokens: (platform) => new RedisTokenStore(redis, settings.prefix, platform),
    logger,
    fetchPolicy: policy,
  });
  return {
    config,
    settings,
    env,
    redis,
    state,
    logger,
    queues,
    ledger: new Ledger(state, settings.prefix, retention),
    accountStates: new AccountStates(state, settings.prefix),
    budget: new PostingBudget(state, settings.prefix),
    articles: new ArticleStore(state, settings.prefix, retention),
    accounts,
    fetchPolicy: policy,
    async close() {
      await queues.close();
      redis.disconnect();
      if (state !== redis) state.disconnect();
    },
  };
}
