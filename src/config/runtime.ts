import { UsageError } from '../core/errors.js';
import { parseListenAddress } from '../http/address.js';

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
  /** CRIER_METRICS_ADDR: where `--http` also serves /metrics alone, without credentials. */
  metricsAddr?: string;
  /**
   * CRIER_AUTO_PIPELINING (default on): a worker's own Redis commands (ledger, articles, accounts) go on a
   * connection of their own whose commands, issued by concurrent jobs at once, share round trips.
   */
  autoPipelining: boolean;
}

/** CRIER_REDIS_TIMEOUT_MS when unset. */
export const DEFAULT_REDIS_TIMEOUT_MS = 10_000;

type Env = Record<string, string | undefined>;

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export const LOG_FORMATS = ['json', 'pretty'] as const;

function envError(name: string, value: string, expected: string): UsageError {
  const shown = value.length > 60 ? `${value.slice(0, 57)}...` : value;
  return new UsageError(`${name} is ${JSON.stringify(shown)}: expected ${expected}`, 'env');
}

/** LOG_LEVEL and LOG_FORMAT, checked (every command logs, so every command checks them first). */
export function logSettings(env: Env = process.env): { level: string; format?: 'json' | 'pretty' } {
  const level = env.LOG_LEVEL?.trim().toLowerCase() || 'info';
  if (!(LOG_LEVELS as readonly string[]).includes(level))
    throw envError('LOG_LEVEL', env.LOG_LEVEL ?? '', `one of ${LOG_LEVELS.join(', ')}`);
  const format = env.LOG_FORMAT?.trim().toLowerCase() || undefined;
  if (format !== undefined && !(LOG_FORMATS as readonly string[]).includes(format))
    throw envError(
      'LOG_FORMAT',
      env.LOG_FORMAT ?? '',
      `${LOG_FORMATS.join(' or ')} (or unset: pretty on a terminal)`,
    );
  return { level, format: format as 'json' | 'pretty' | undefined };
}

function flag(name: string, env: Env): boolean {
  const v = env[name]?.trim().toLowerCase() ?? '';
  if (v === '' || v === '0' || v === 'false' || v === 'no') return false;
  if (v === '1' || v === 'true' || v === 'yes') return true;
  throw envError(
    name,
    env[name] ?? '',
    '1, true or yes to turn it on; 0, false, no or unset to leave it off',
  );
}

const isSentinel = (env: Env) =>
  (env.REDIS_URL ?? '').trim().startsWith('redis+sentinel://') || Boolean(env.REDIS_SENTINELS?.trim());

function redisUrl(env: Env): string {
  const url = env.REDIS_URL?.trim() || 'redis://127.0.0.1:6379';
  // Sentinel: redis+sentinel://[:password@]host:port[,host:port…]/master (checked where it is read, src/queue/connection.ts).
  if (url.startsWith('redis+sentinel://')) {
    if (!/^redis\+sentinel:\/\/(?:[^@/]*@)?[^/?@]+(?:\/[^?]*)?(?:\?.*)?$/.test(url))
      throw envError(
        'REDIS_URL',
        url.replace(/\/\/([^@/]*)@/, '//***@'),
        'redis+sentinel://[:password@]host:port[,host:port…]/master-name',
      );
    return url;
  }
  let u: URL | undefined;
  try {
    u = new URL(url);
  } catch {
    u = undefined;
  }
  if (!u || (u.protocol !== 'redis:' && u.protocol !== 'rediss:') || !u.hostname)
    throw envError(
      'REDIS_URL',
      url.replace(/\/\/([^@/]*)@/, '//***@'),
      'redis://[user:password@]host[:port][/db] or rediss://…',
    );
  if (u.pathname.length > 1 && !/^\/\d{1,2}$/.test(u.pathname))
    throw envError(
      'REDIS_URL',
      url.replace(/\/\/([^@/]*)@/, '//***@'),
      'a database number after the port, such as /0',
    );
  return url;
}

/** Everything the environment sets, checked: a bad value names the variable, the value and what is expected. */
export function runtimeSettings(env: Env = process.env): RuntimeSettings {
  const prefix = env.CRIER_PREFIX?.trim() || 'crier';
  if (!/^[A-Za-z0-9_{}.-]{1,64}$/.test(prefix))
    throw envError(
      'CRIER_PREFIX',
      prefix,
      'up to 64 letters, digits, "-", "_", "." or a {hash-tag} (no ":" or spaces)',
    );
  return {
    redisUrl: redisUrl(env),
    prefix,
    dryRun: flag('CRIER_DRY_RUN', env),
    logLevel: logSettings(env).level,
    redisTimeoutMs: wholeNumber('CRIER_REDIS_TIMEOUT_MS', env, DEFAULT_REDIS_TIMEOUT_MS, 100),
    redisReplicas: wholeNumber('CRIER_REDIS_REPLICAS', env, isSentinel(env) ? 1 : 0, 0),
    metricsAddr: metricsAddr(env),
    autoPipelining: env.CRIER_AUTO_PIPELINING?.trim() ? flag('CRIER_AUTO_PIPELINING', env) : true,
  };
}

function wholeNumber(name: string, env: Env, fallback: number, min: number): number {
  const raw = env[name]?.trim();
  if (!raw) return fallback;
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || n < min)
    throw envError(name, raw, `a whole number${min ? ` of at least ${min}` : ''}`);
  return n;
}

function metricsAddr(env: Env): string | undefined {
  const addr = env.CRIER_METRICS_ADDR?.trim() || undefined;
  if (addr === undefined) return undefined;
  try {
    parseListenAddress(addr);
  } catch (e) {
    throw envError(
      'CRIER_METRICS_ADDR',
      addr,
      (e as Error).message.replace(/^HTTP address "[^"]*": (?:expected )?/, ''),
    );
  }
  return addr;
}
