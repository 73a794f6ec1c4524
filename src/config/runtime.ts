/** Process-level settings from the environment (everything else is in crier.yaml). */
export interface RuntimeSettings {
  redisUrl: string;
  /** Every Redis key Crier writes starts with this. */
  prefix: string;
  dryRun: boolean;
  logLevel: string;
  /**
   * How long a one-off command waits for Redis (to connect, and for each command) before it gives up with a
   * clear message; long-running processes wait for Redis as long as it takes (CRIER_REDIS_TIMEOUT_MS).
   */
  redisTimeoutMs: number;
  /**
   * How many Redis replicas must confirm a post's claim before it is sent (CRIER_REDIS_REPLICAS; default 1
   * with Sentinel, else 0): a failover then cannot lose the claim and let a re-run send the post blind.
   */
  redisReplicas: number;
}

/** CRIER_REDIS_TIMEOUT_MS when unset. */
export const DEFAULT_REDIS_TIMEOUT_MS = 10_000;

export function runtimeSettings(env: Record<string, string | undefined> = process.env): RuntimeSettings {
  const prefix = env.CRIER_PREFIX || 'crier';
  if (!/^[A-Za-z0-9_{}.-]+$/.test(prefix)) {
    throw new Error(
      `CRIER_PREFIX is "${prefix}": expected letters, digits, "-", "_", "." or a {hash-tag} (no ":" or spaces)`,
    );
  }
  const timeout = env.CRIER_REDIS_TIMEOUT_MS;
  const redisTimeoutMs = timeout ? Number(timeout) : DEFAULT_REDIS_TIMEOUT_MS;
  if (!Number.isInteger(redisTimeoutMs) || redisTimeoutMs < 100)
    throw new Error(
      `CRIER_REDIS_TIMEOUT_MS is "${timeout}": expected a whole number of milliseconds, at least 100`,
    );
  const sentinel = (env.REDIS_URL ?? '').startsWith('redis+sentinel://') || Boolean(env.REDIS_SENTINELS);
  const redisReplicas = Number(env.CRIER_REDIS_REPLICAS ?? (sentinel ? 1 : 0));
  if (!Number.isInteger(redisReplicas) || redisReplicas < 0)
    throw new Error(
      `CRIER_REDIS_REPLICAS is "${env.CRIER_REDIS_REPLICAS}": expected a whole number, 0 or more`,
    );
  return {
    redisTimeoutMs,
    redisReplicas,
    redisUrl: env.REDIS_URL || 'redis://127.0.0.1:6379',
    prefix,
    dryRun: env.CRIER_DRY_RUN === '1' || env.CRIER_DRY_RUN === 'true',
    logLevel: env.LOG_LEVEL || 'info',
  };
}
