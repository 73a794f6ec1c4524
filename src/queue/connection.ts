import { Redis, type RedisOptions } from 'ioredis';
import { CrierError } from '../core/errors.js';

export class RedisUnavailableError extends CrierError {
  constructor(url: string, cause: unknown) {
    const why = (cause as NodeJS.ErrnoException)?.code ?? (cause as Error)?.message ?? String(cause);
    super(
      'redis-unavailable',
      `Redis at ${redactUrl(url)} is not answering (${why}). Start it (redis-server, or "apt-get install redis-server") or set REDIS_URL.`,
      { cause },
    );
    this.name = 'RedisUnavailableError';
  }
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

/**
 * Opens a Redis connection and proves it answers within `timeoutMs`, so a Redis that is down gives a clear
 * error instead of a hang. Workers need `maxRetriesPerRequest: null` (BullMQ requires it for blocking calls).
 */
export async function connectRedis(
  url: string,
  opts: { forWorker?: boolean; timeoutMs?: number; name?: string } = {},
): Promise<Redis> {
  const timeoutMs = opts.timeoutMs ?? 3000;
  const options: RedisOptions = {
    lazyConnect: true,
    connectTimeout: timeoutMs,
    maxRetriesPerRequest: opts.forWorker ? null : 3,
    connectionName: opts.name,
  };
  const probe = new Redis(url, { ...options, maxRetriesPerRequest: 0, retryStrategy: () => null });
  // ioredis rejects connect() with "Connection is closed"; the socket error it emitted says why.
  let socketError: unknown;
  probe.on('error', (e) => {
    socketError ??= e;
  });
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      probe.connect().then(() => probe.ping()),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
  } catch (e) {
    throw new RedisUnavailableError(url, socketError ?? e);
  } finally {
    // A timer left running would keep a one-off command alive for `timeoutMs` after its work is done.
    clearTimeout(timer);
    probe.disconnect();
  }
  const redis = new Redis(url, options);
  await redis.connect();
  return redis;
}
