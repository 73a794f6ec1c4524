import type { Redis } from 'ioredis';
import { redisKeys } from '../queue/keys.js';

/**
 * When a delayed job will run. BullMQ keeps delayed jobs in a sorted set scored `timestamp * 0x1000 + counter`;
 * the job's own `timestamp + delay` is wrong once a job was moved to delayed again (rate limit, hold).
 */
export async function delayedUntil(
  redis: Redis,
  prefix: string,
  queue: string,
  jobId: string,
): Promise<number | null> {
  const score = await redis.zscore(redisKeys(prefix).queue(queue, 'delayed'), jobId);
  return score === null ? null : Math.floor(Number(score) / 0x1000);
}
