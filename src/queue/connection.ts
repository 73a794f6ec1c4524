import { Redis, type RedisOptions } from 'ioredis';
import type { Logger } from 'pino';
import { DEFAULT_REDIS_TIMEOUT_MS } from '../config/runtime.js';
import { CrierError } from '../core/errors.js';
import { isConnectionError, type RedisTarget, redisTarget } from './redis-target.js';

export {
  describeRedisFailure,
  isConnectionError,
  type RedisTarget,
  redactUrl,
  redisTarget,
} from './redis-target.js';

export class RedisUnavailableError extends CrierError {
  constructor(where: string, cause: unknown) {
    const why = (cause as NodeJS.ErrnoException)?.code ?? (cause as Error)?.message ?? String(cause);
    super(
      'redis-unavailable',
      `Redis at ${where} is not answering (${why}). Start it (redis-server, or "apt-get install redis-server") or set REDIS_URL.`,
      { cause },
    );
    this.name = 'RedisUnavailableError';
  }
}

/** A demoted master answers writes with READONLY: reconnect (to the new master) and send the command again. */
const reconnectOnReadonly = (err: Error) => (err.message.startsWith('READONLY') ? 2 : false);

export interface ConnectOptions {
  /** Workers need a connection that never gives up on a request (BullMQ blocking calls). */
  forWorker?: boolean;
  /**
   * How long to wait for an answer: to connect, and (one-off commands) for each command, before giving up
   * with a clear message (CRIER_REDIS_TIMEOUT_MS).
   */
  timeoutMs?: number;
  /** Long-running processes: wait for Redis at start (logging that they wait) instead of giving up. */
  wait?: boolean;
  /** One-off commands: each command fails after `timeoutMs` without an answer (CRIER_REDIS_TIMEOUT_MS). */
  boundedCommands?: boolean;
  /**
   * Commands issued in the same event-loop turn go out as one pipeline (ioredis auto-pipelining): a worker's
   * concurrent jobs share round trips. Blocking commands are sent alone.
   */
  autoPipelining?: boolean;
  /** Another connection of this process to the same Redis: its outage and this one's are logged as one. */
  outageOf?: Redis;
  name?: string;
  logger?: Pick<Logger, 'warn' | 'error' | 'info'>;
}

/** Commands that may block their connection: never held back in an auto-pipeline. */
const BLOCKING = [
  'wait',
  'bzpopmin',
  'bzpopmax',
  'blpop',
  'brpop',
  'brpoplpush',
  'blmove',
  'xread',
  'xreadgroup',
];

function newClient(target: RedisTarget, options: RedisOptions): Redis {
  return target.url ? new Redis(target.url, options) : new Redis({ ...target.options, ...options });
}

/** Asks Redis for PONG within `timeoutMs`; throws RedisUnavailableError with the reason otherwise. */
async function probe(target: RedisTarget, timeoutMs: number): Promise<void> {
  const client = newClient(target, {
    lazyConnect: true,
    connectTimeout: timeoutMs,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    sentinelRetryStrategy: () => null,
  });
  // ioredis rejects connect() with "Connection is closed"; the socket error it emitted says why.
  let socketError: unknown;
  client.on('error', (e) => {
    socketError ??= e;
  });
  let timer: NodeJS.Timeout | undefined;
  const answer = client.connect().then(() => client.ping());
  answer.catch(() => {}); // when the deadline wins, its later rejection is expected, not unhandled
  try {
    await Promise.race([
      answer,
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
  } catch (e) {
    throw new RedisUnavailableError(target.label, socketError ?? e);
  } finally {
    clearTimeout(timer);
    client.disconnect();
  }
}

/**
 * Opens a Redis connection and proves it answers within `timeoutMs`, so a Redis that is down gives a clear
 * error instead of a hang (or, with `wait`, a logged wait until it answers). One-off commands then wait at
 * most `timeoutMs` for each command; workers wait as long as it takes (reconnecting after a restart).
 */
export async function connectRedis(target: RedisTarget | string, opts: ConnectOptions = {}): Promise<Redis> {
  const t = typeof target === 'string' ? redisTarget({ REDIS_URL: target }) : target;
  const timeoutMs = opts.timeoutMs ?? DEFAULT_REDIS_TIMEOUT_MS;
  for (let waited = false; ; waited = true) {
    try {
      await probe(t, timeoutMs);
      if (waited) opts.logger?.info({ event: 'redis-up', redis: t.label }, 'Redis answers: starting');
      break;
    } catch (err) {
      if (!opts.wait) throw err;
      if (!waited)
        opts.logger?.warn(
          { event: 'redis-down', redis: t.label, error: (err as Error).message },
          'Redis is not answering: waiting for it',
        );
      await new Promise((r) => setTimeout(r, 1000));
    }
  }
  const redis = newClient(t, {
    lazyConnect: true,
    connectTimeout: timeoutMs,
    maxRetriesPerRequest: opts.forWorker ? null : 3,
    commandTimeout: opts.boundedCommands && !opts.forWorker ? timeoutMs : undefined,
    connectionName: opts.name,
    reconnectOnError: reconnectOnReadonly,
    enableAutoPipelining: opts.autoPipelining ?? false,
    autoPipeliningIgnoredCommands: BLOCKING,
  });
  if (opts.logger) watchConnection(redis, t.label, opts.logger, opts.outageOf && outageLogOf(opts.outageOf));
  await redis.connect();
  return redis;
}

/**
 * Logs a connection's outage once, as structured lines (`redis-down`, then `redis-up`), rather than one raw
 * error per reconnect attempt. Every emitter of Redis errors in a process can report through `report`.
 */
export function redisOutageLog(label: string, logger: Pick<Logger, 'warn' | 'error' | 'info'>) {
  let down = false;
  return {
    report(err: unknown, component = 'redis') {
      if (!isConnectionError(err)) {
        logger.error({ component, error: (err as Error)?.message ?? String(err) }, 'Redis error');
        return;
      }
      if (down) return;
      down = true;
      logger.error(
        { event: 'redis-down', component, redis: label, error: (err as Error)?.message },
        'Redis is not answering: work waits and goes on when it is back',
      );
    },
    up() {
      if (!down) return;
      down = false;
      logger.info({ event: 'redis-up', redis: label }, 'Redis answers again');
    },
  };
}

const outages = new WeakMap<Redis, ReturnType<typeof redisOutageLog>>();

function watchConnection(
  redis: Redis,
  label: string,
  logger: Pick<Logger, 'warn' | 'error' | 'info'>,
  outage = redisOutageLog(label, logger),
) {
  outages.set(redis, outage);
  redis.on('error', (err) => outage.report(err));
  redis.on('ready', () => outage.up());
  // ioredis gives up on a connection only when told to (quit/disconnect) or when a reconnect attempt itself
  // fails in a way it does not retry: then connect again, rather than leave every later command failing.
  let closing = false;
  const close = redis.disconnect.bind(redis);
  redis.disconnect = (reconnect?: boolean) => {
    if (!reconnect) closing = true;
    close(reconnect);
  };
  const quit = redis.quit.bind(redis);
  redis.quit = ((...args: Parameters<Redis['quit']>) => {
    closing = true;
    return quit(...args);
  }) as Redis['quit'];
  redis.on('end', () => {
    if (closing) return;
    logger.warn({ event: 'redis-reconnect', redis: label }, 'Redis connection ended: connecting again');
    setTimeout(() => void redis.connect().catch((err: unknown) => outage.report(err)), 1000).unref();
  });
}

/** The outage log of a connection made by `connectRedis` with a logger (for other emitters of its errors). */
export function outageLogOf(redis: Redis): ReturnType<typeof redisOutageLog> | undefined {
  return outages.get(redis);
}
