import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Job } from 'bullmq';
import { describe, expect, it } from 'vitest';
import { startWorkers } from '../../jobs/workers.js';
import { parseConfig } from '../../src/config/load.js';
import { createContext } from '../../src/context.js';
import { enqueueIngest } from '../../src/queue/enqueue.js';
import { SlotQueue } from '../../src/schedule/slot-queue.js';
import { type Harness, startHarness, until } from '../helpers/pipeline.js';
import { exited, useCrierProcesses } from '../helpers/processes.js';
import { scaled } from '../helpers/wait.js';

// Each child is killed before its harness deletes the keys (Harness.beforeClose), and after each test whatever
// happened (a failed assertion must not leave processes behind).
const procs = useCrierProcesses();
const dir = procs.dir;
const crier = (h: Harness, yamlPath: string, args: string[]) => procs.spawn(h, yamlPath, args);

function feed(n: number): string {
  const items = Array.from({ length: n }, (_, i) => {
    const d = new Date(Date.UTC(2026, 10, 1 + i, 9)).toUTCString();
    return `<item><title>Council story ${i + 1}</title><link>https://example.org/council-${i + 1}</link>
      <guid>https://example.org/council-${i + 1}</guid><pubDate>${d}</pubDate>
      <description>The council approved plan number ${i + 1} on Monday. Residents will see the first changes next spring.</description></item>`;
  });
  return `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Wire</title>
    <link>https://example.org</link><description>d</description>${items.join('')}</channel></rss>`;
}

describe('several scheduler and worker processes', () => {
  it(
    'per-second slots each post exactly once, including while one scheduler is killed',
    async () => {
      const yaml = `
site: { name: Test, url: https://example.org }
accounts:
  - id: x-main
    platform: twitter
    schedule: { mode: slots, slots: ["* * * * * *"], timezone: Europe/Paris }
publishing: { attempts: 3, backoffMs: 200, requestTimeoutMs: 5000, retentionDays: 1, lockDurationMs: 5000 }
`;
      const yamlPath = join(dir, 'slots.yaml');
      writeFileSync(yamlPath, yaml);
      writeFileSync(join(dir, 'feed.xml'), feed(10));
      const h = await startHarness({ yaml });
      const composeWorkers = startWorkers(h.ctx, ['ingest', 'compose']);
      try {
        await enqueueIngest(h.ctx, {
          location: join(dir, 'feed.xml'),
          kind: 'auto',
          correlationId: randomUUID(),
        });
        const slots = new SlotQueue(h.ctx.redis, h.prefix);
        await until(async () => (await slots.list('x-main')).length === 10);

        const schedulerA = crier(h, yamlPath, ['scheduler']);
        crier(h, yamlPath, ['scheduler']);
        crier(h, yamlPath, ['worker', '--queues', 'twitter']);
        crier(h, yamlPath, ['worker', '--queues', 'twitter']);

        await until(() => h.fakes.twitter.posts().length >= 3, 45_000);
        schedulerA.kill('SIGKILL');
        await until(() => h.fakes.twitter.posts().length === 10, 45_000);

        const posts = h.fakes.twitter.posts();
        expect(new Set(posts.map((p) => p.urls[0]?.expanded_url?.split('?')[0])).size).toBe(10); // ten different articles
        // The fake holds the tenth post a moment before its job is recorded as completed.
        const completed = async () => (await h.ctx.queues.publish.twitter.getJobs(['completed'])) as Job[];
        await until(async () => (await completed()).length >= 10);
        // Each slot queued at most one post: the publish jobs were added in ten different seconds.
        const jobs = await completed();
        expect(jobs).toHaveLength(10);
        // Each slot sent at most one post, whichever scheduler ran it: ten posts, ten different slots.
        const slotsUsed = jobs.map((j) => j.data.slot);
        expect(slotsUsed.every((x) => typeof x === 'string')).toBe(true);
        expect(new Set(slotsUsed).size).toBe(10);
        // A few more slots run with nothing waiting (each slot leaves its lease key): still ten posts.
        const slotKeys = async () => (await h.ctx.redis.keys(`${h.prefix}:schedule:slot:*`)).length;
        const ran = await slotKeys();
        await until(async () => (await slotKeys()) >= ran + 2);
        expect(h.fakes.twitter.posts()).toHaveLength(10);
      } finally {
        await composeWorkers.close();
        await h.close();
      }
    },
    scaled(120_000),
  );

  it('SIGTERM lets the active job finish within the bound and loses nothing', async () => {
    const yaml = `
site: { name: Test, url: https://example.org }
accounts:
  - { id: x-main, platform: twitter }
publishing: { attempts: 3, backoffMs: 300, requestTimeoutMs: 2500, retentionDays: 1 }
`;
    const yamlPath = join(dir, 'term.yaml');
    writeFileSync(yamlPath, yaml);
    const h = await startHarness({ yaml });
    try {
      const worker = crier(h, yamlPath, ['worker']);
      h.fakes.twitter.hang(); // X never answers the first create: the job is active when SIGTERM comes
      await enqueueIngest(h.ctx, {
        location: resolve('tests/fixtures/articles/furnished.txt'),
        kind: 'auto',
        url: 'https://example.org/macron-putin',
        correlationId: randomUUID(),
      });
      await until(() => h.fakes.twitter.requestsTo('POST', '/2/tweets').length === 1, 20_000);
      const stoppedAt = Date.now();
      worker.kill('SIGTERM');
      expect(await exited(worker)).toBe(0);
      expect(Date.now() - stoppedAt).toBeLessThan(12_000);
      expect(h.fakes.twitter.posts()).toHaveLength(0);
      const [entry] = await h.ctx.ledger.recent(1);
      expect(entry?.state).toMatch(/unconfirmed|pending|sending/); // not lost, not failed

      // Another worker takes it from there and posts it once.
      const ctx2 = await createContext({
        config: parseConfig(yaml, yamlPath),
        env: { ...h.fakes.env(), REDIS_URL: h.ctx.settings.redisUrl, CRIER_PREFIX: h.prefix },
        logger: h.ctx.logger,
      });
      const w2 = startWorkers(ctx2, ['twitter']);
      try {
        await until(() => h.fakes.twitter.posts().length === 1, 20_000);
        await until(async () => (await h.ctx.ledger.recent(1))[0]?.state === 'posted');
      } finally {
        await w2.close();
        await ctx2.close();
      }
    } finally {
      await h.close();
    }
  });
});
