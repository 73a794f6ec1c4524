import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { startWorkers } from '../../jobs/workers.js';
import { parseConfig } from '../../src/config/load.js';
import { createContext } from '../../src/context.js';
import { enqueueIngest } from '../../src/queue/enqueue.js';
import { LogSink, startHarness, TEST_CONFIG, until } from '../helpers/pipeline.js';

const SEED = resolve('tests/fixtures/articles/furnished.txt');
const LINK = 'https://example.org/macron-putin';

describe('dry runs', () => {
  it('publish --dry-run logs the posts and stores, queues and posts nothing', async () => {
    const h = await startHarness();
    const workers = startWorkers(h.ctx);
    try {
      await enqueueIngest(h.ctx, {
        location: SEED,
        kind: 'auto',
        url: LINK,
        correlationId: randomUUID(),
        dryRun: true,
      });
      await until(() => h.log.lines.filter((l) => l.msg === 'dry run: would post').length === 3);
      const lines = h.log.lines.filter((l) => l.msg === 'dry run: would post');
      expect(lines.map((l) => l.platform).sort()).toEqual(['facebook', 'linkedin', 'twitter']);
      expect(String(lines[0]?.text)).not.toContain('kousdas@gmail.com');
      expect(await h.ctx.ledger.recent(5)).toEqual([]);
      // Not remembered as seen: a real publish afterwards posts it.
      await enqueueIngest(h.ctx, { location: SEED, kind: 'auto', url: LINK, correlationId: randomUUID() });
      await until(() => h.fakes.twitter.posts().length === 1);
    } finally {
      await workers.close();
      await h.close();
    }
  });

  it('a dry-run worker shows what it would send and leaves real posts to a real worker', async () => {
    const h = await startHarness();
    const prep = startWorkers(h.ctx, ['ingest', 'compose']);
    const sink = new LogSink();
    const dry = await createContext({
      config: parseConfig(TEST_CONFIG, '/test/crier.yaml'),
      env: { ...h.fakes.env(), REDIS_URL: h.ctx.settings.redisUrl, CRIER_PREFIX: h.prefix },
      logger: pino(sink),
      dryRun: true,
    });
    const dryWorkers = startWorkers(dry, ['twitter']);
    try {
      await enqueueIngest(h.ctx, {
        location: SEED,
        kind: 'auto',
        url: LINK,
        platforms: ['twitter'],
        correlationId: randomUUID(),
      });
      await until(() => sink.lines.some((l) => l.msg === 'dry run: would post'));
      await until(async () => (await h.ctx.queues.publish.twitter.getDelayedCount()) === 1);
      expect(h.fakes.twitter.posts()).toHaveLength(0);
      await dryWorkers.close();
      const real = startWorkers(h.ctx, ['twitter']);
      try {
        const [job] = await h.ctx.queues.publish.twitter.getDelayed();
        await job?.promote();
        await until(() => h.fakes.twitter.posts().length === 1);
      } finally {
        await real.close();
      }
    } finally {
      await prep.close();
      await dry.close();
      await h.close();
    }
  });
});
