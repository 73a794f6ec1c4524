import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { redisKeys } from './keys.js';

/** This process, as the ledger names the sender of a post (`<host>-<pid>-<random>`). */
export const PROCESS_ID = `${hostname().replace(/[^A-Za-z0-9_.-]/g, '-')}-${process.pid}-${randomBytes(3).toString('hex')}`;

/** A worker process beats this often; a beat lives three periods, so a killed process is gone within 15 s. */
export const PROCESS_BEAT_MS = 5_000;
const BEAT_TTL_MS = 3 * PROCESS_BEAT_MS;

/**
 * Each worker process writes `<prefix>:process:<id>` every 5 s. A post left `sending` by a process whose beat
 * is gone was abandoned (killed, stopped); one whose process still beats may still be on its way (its lock
 * lapsed on a slow machine), and is looked for only once its calls must have ended.
 */
export function startProcessBeat(
  redis: Redis,
  prefix: string,
  logger: Pick<Logger, 'warn'>,
  id = PROCESS_ID,
): { stop(): Promise<void> } {
  const key = redisKeys(prefix).process(id);
  const beat = () =>
    redis.set(key, String(Date.now()), 'PX', BEAT_TTL_MS).catch((err: unknown) => {
      logger.warn({ err: (err as Error).message, process: id }, 'worker heartbeat not written');
    });
  void beat();
  const timer = setInterval(() => void beat(), PROCESS_BEAT_MS);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await redis.del(key).catch(() => {});
    },
  };
}

/** How long the process's last beat still lives (ms); 0 when the process is gone. */
export async function beatLeft(redis: Redis, prefix: string, id: string): Promise<number> {
  return Math.max(0, await redis.pttl(redisKeys(prefix).process(id)));
}
