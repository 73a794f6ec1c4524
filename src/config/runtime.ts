/** Process-level settings from the environment (everything else is in crier.yaml). */
export interface RuntimeSettings {
  redisUrl: string;
  /** Every Redis key Crier writes starts with this. */
  prefix: string;
  dryRun: boolean;
  logLevel: string;
}

export function runtimeSettings(env: Record<string, string | undefined> = process.env): RuntimeSettings {
  const prefix = env.CRIER_PREFIX || 'crier';
  if (!/^[A-Za-z0-9_{}.-]+$/.test(prefix)) {
    throw new Error(
      `CRIER_PREFIX is "${prefix}": expected letters, digits, "-", "_", "." or a {hash-tag} (no ":" or spaces)`,
    );
  }
  return {
    redisUrl: env.REDIS_URL || 'redis://127.0.0.1:6379',
    prefix,
    dryRun: env.CRIER_DRY_RUN === '1' || env.CRIER_DRY_RUN === 'true',
    logLevel: env.LOG_LEVEL || 'info',
  };
}
