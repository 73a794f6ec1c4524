import { Worker } from 'bullmq';
import { describe, expect, it } from 'vitest';
import { configSchema } from '../../src/config/schema.js';
import { CrierQueues, EVENTS_KEPT } from '../../src/queue/queues.js';
import { usePrivateRedis } from '../helpers/redis.js';
import { waitFor } from '../helpers/wait.js';

/** Finished jobs are trimmed by policy: the newest `keepFinishedJobs` of each queue, the events stream capped. */
describe('finished jobs kept by policy (real Redis)', () => {
  const fx = usePrivateRedis();

  it('keeps the newest keepFinishedJobs completed jobs of a queue, and caps its events stream', async () => {
    const publishing = configSchema.shape.publishing.parse({ keepFinishedJobs: 2, retentionDays: 1 });
    expect(configSchema.shape.publishing.parse({}).keepFinishedJobs).toBe(1000);
    const queues = new CrierQueues(fx.redis, fx.prefix, publishing);
    expect(queues.compose.defaultJobOptions.removeOnComplete).toEqual({ age: 86_400, count: 2 });
    const connection = fx.redis.duplicate({ maxRetriesPerRequest: null });
    const worker = new Worker('compose', async () => ({ outcome: 'composed' }), {
      connection,
      prefix: fx.prefix,
    });
    try {
      for (let i = 0; i < 5; i++)
        await queues.compose.add(
          'compose',
          { articleId: `a${i}`, correlationId: `c${i}` },
          { jobId: `j${i}` },
        );
      await waitFor(async () => (await queues.compose.getJobCounts('wait', 'active')).wait === 0, {
        what: 'the five jobs to run',
      });
      await waitFor(async () => (await queues.compose.getJobCounts('active')).active === 0);
      const completed = await queues.compose.getCompleted();
      expect(completed.map((j) => j.id).sort()).toEqual(['j3', 'j4']);
      expect(await fx.redis.hget(`${fx.prefix}:compose:meta`, 'opts.maxLenEvents')).toBe(String(EVENTS_KEPT));
    } finally {
      await worker.close();
      await queues.close();
      connection.disconnect();
    }
  });
});
