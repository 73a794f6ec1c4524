import type { RedisOptions } from 'ioredis';

// Where Redis is, and how to tell a Redis that does not answer, without loading ioredis (the CLI's error
// report and `--help` must not).

/**
 * Where Redis is: a URL (`redis://`, `rediss://`), or Redis Sentinel: a list of Sentinels and the name of the
 * master they watch (`redis+sentinel://[:password@]host:26379,host2:26379/mymaster`, or REDIS_SENTINELS and
 * REDIS_SENTINEL_MASTER). With Sentinel, Crier asks the Sentinels where the master is, and again after a
 * failover.
 */
export interface RedisTarget {
  /** What Crier says in messages (passwords hidden). */
  label: string;
  options: RedisOptions;
  /** Set when the target is a plain URL. */
  url?: string;
}

export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return url;
  }
}

function hostPorts(list: string): { host: string; port: number }[] {
  return list
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((hp) => {
      const m = /^\[?([^\]]+?)\]?(?::(\d+))?$/.exec(hp);
      if (!m) throw new Error(`"${hp}" is not host:port`);
      return { host: m[1]!, port: Number(m[2] ?? 26379) };
    });
}

/**
 * The Redis Crier talks to, from REDIS_URL (default redis://127.0.0.1:6379), or Sentinel from a
 * `redis+sentinel://` REDIS_URL or from REDIS_SENTINELS (`host:port,host:port`) with REDIS_SENTINEL_MASTER
 * (default `mymaster`), REDIS_PASSWORD and REDIS_SENTINEL_PASSWORD.
 */
export function redisTarget(env: Record<string, string | undefined>): RedisTarget {
  const url = env.REDIS_URL || 'redis://127.0.0.1:6379';
  if (url.startsWith('redis+sentinel://') || env.REDIS_SENTINELS) {
    // redis+sentinel://[[user]:password@]host[:port][,host[:port]…][/master][?sentinelPassword=…]
    const m = /^redis\+sentinel:\/\/(?:([^@/]*)@)?([^/?]*)(?:\/([^?]*))?(?:\?(.*))?$/.exec(url);
    const password = m?.[1] ? decodeURIComponent(m[1].split(':').pop() ?? '') : undefined;
    const query = new URLSearchParams(m?.[4] ?? '');
    const sentinels = hostPorts(m ? m[2]! : (env.REDIS_SENTINELS ?? ''));
    if (sentinels.length === 0) throw new Error('REDIS_SENTINELS: give at least one Sentinel as host:port');
    const name = (m?.[3] ? decodeURIComponent(m[3]) : '') || env.REDIS_SENTINEL_MASTER || 'mymaster';
    return {
      label: `Sentinel ${sentinels.map((s) => `${s.host}:${s.port}`).join(',')} (master "${name}")`,
      options: {
        sentinels,
        name,
        password: password || env.REDIS_PASSWORD || undefined,
        sentinelPassword: query.get('sentinelPassword') || env.REDIS_SENTINEL_PASSWORD || undefined,
        // Not ioredis' failoverDetector: in ioredis 6.0.0 its disconnect can race a reconnect and end the
        // connection for good. A dead master closes the connection, and the reconnect asks the Sentinels again;
        // a demoted one answers READONLY, which reconnects too (reconnectOnReadonly).
      },
    };
  }
  return { label: redactUrl(url), options: {}, url };
}

const CONNECTION_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EHOSTUNREACH',
]);

/** Is this the kind of error a Redis that is down, restarting or unreachable gives? */
export function isConnectionError(err: unknown): boolean {
  const e = err as NodeJS.ErrnoException & { name?: string };
  if (!e) return false;
  if (e.code && CONNECTION_CODES.has(e.code)) return true;
  return /Connection is closed|connect ETIMEDOUT|All sentinels are unreachable|Command timed out|max retries per request|Stream isn't writeable/i.test(
    e.message ?? '',
  );
}

/**
 * One line for an error a Redis that did not answer gives a one-off command (a timeout, a connection lost
 * for good), or null when the error is something else.
 */
export function describeRedisFailure(err: unknown, label: string, timeoutMs: number): string | null {
  if (!isConnectionError(err)) return null;
  return `Redis at ${label} did not answer within ${timeoutMs} ms (${(err as Error).message}); it may be restarting or overloaded: try again, or wait longer with CRIER_REDIS_TIMEOUT_MS`;
}
