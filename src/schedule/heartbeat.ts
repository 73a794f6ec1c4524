import { hostname } from 'node:os';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { redisKeys } from '../queue/keys.js';

/** What each scheduler process writes to `<prefix>:scheduler:<instanceId>`. */
export interface SchedulerHeartbeat {
  instanceId: string;
  pid: number;
  host: string;
  /** ISO time the process started its scheduler. */
  started: string;
  /** ISO time of the last beat. */
  lastBeat: string;
}

export const HEARTBEAT_INTERVAL_MS = 20_000;
/**
 * How long one beat stays readable, at least. `/healthz` accepts a newest beat up to 120 s old
 * (src/http/health.ts): the key must outlive that window, with margin, or a scheduler that misses beats (Redis
 * blip, long GC pause) would look dead after one TTL instead of after the window health means to allow.
 */
export const HEARTBEAT_TTL_MS = 150_000;

const heartbeatKey = (prefix: string, instanceId: string) => redisKeys(prefix).scheduler(instanceId);
/** Index of instance ids that have beaten, so listing does not SCAN the keyspace. */
const indexKey = (prefix: string) => redisKeys(prefix).schedulers;

/**
 * Beats now and then every `intervalMs`; each beat lives HEARTBEAT_TTL_MS (150 s) or 3 intervals if longer,
 * so a dead process disappears from the list within 2.5 minutes. A beat that fails (Redis down) is logged and
 * retried at the next interval.
 */
export function startHeartbeat(
  redis: Redis,
  prefix: string,
  instanceId: string,
  logger: Logger,
  intervalMs = HEARTBEAT_INTERVAL_MS,
): { first: Promise<void>; stop(): Promise<void> } {
  const started = new Date().toISOString();
  const ttlMs = Math.max(HEARTBEAT_TTL_MS, intervalMs * 3);
  const beat = async () => {
    const now = Date.now();
    const value: SchedulerHeartbeat = {
      instanceId,
      pid: process.pid,
      host: hostname(),
      started,
      lastBeat: new Date(now).toISOString(),
    };
    try {
      await redis
        .multi()
        .set(heartbeatKey(prefix, instanceId), JSON.stringify(value), 'PX', ttlMs)
        .zadd(indexKey(prefix), now, instanceId)
        .exec();
    } catch (err) {
      logger.warn({ err, instanceId }, 'scheduler heartbeat not written');
    }
  };
  const first = beat();
  const timer = setInterval(() => void beat(), intervalMs);
  timer.unref();
  return {
    first,
    async stop() {
      clearInterval(timer);
      await first;
      // A stopped scheduler leaves the list at once rather than when its beat expires.
      await redis
        .multi()
        .del(heartbeatKey(prefix, instanceId))
        .zrem(indexKey(prefix), instanceId)
        .exec()
        .catch((err: unknown) => logger.warn({ err, instanceId }, 'scheduler heartbeat not removed'));
    },
  };
}

/** The scheduler processes alive now (their beat has not expired), oldest start first. */
export async function listSchedulerHeartbeats(redis: Redis, prefix: string): Promise<SchedulerHeartbeat[]> {
  const ids = await redis.zrange(indexKey(prefix), 0, '-1');
  if (ids.length === 0) return [];
  const values = await redis.mget(...ids.map((id) => heartbeatKey(prefix, id)));
  const alive: SchedulerHeartbeat[] = [];
  const gone: string[] = [];
  ids.forEach((id, i) => {
    const v = values[i];
    if (v) alive.push(JSON.parse(v) as SchedulerHeartbeat);
    else gone.push(id);
  });
  if (gone.length) await redis.zrem(indexKey(prefix), ...gone);
  return alive.sort((a, b) => a.started.localeCompare(b.started));
}
