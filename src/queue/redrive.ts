import type { Job } from 'bullmq';
import type { AppContext } from '../context.js';
import { redisKeys } from './keys.js';

/**
 * Runs a failed job again with a fresh set of attempts (and its count of dead workers cleared, so a job
 * Crier stopped for stalling runs again when the operator or the reconciler asks).
 */
export async function redriveFailed(ctx: AppContext, job: Job, queue: string): Promise<void> {
  await ctx.redis.hdel(redisKeys(ctx.settings.prefix).queue(queue, String(job.id)), 'stc');
  await job.retry('failed', { resetAttemptsMade: true, resetAttemptsStarted: true });
}
