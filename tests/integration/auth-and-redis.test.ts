import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWorkers } from '../../jobs/workers.js';
import { parseConfig } from '../../src/config/load.js';
import { createContext } from '../../src/context.js';
import { RedisUnavailableError } from '../../src/queue/connection.js';
import { enqueueIngest } from '../../src/queue/enqueue.js';
import { collectStatus } from '../../src/status/status.js';
import { type NamedFakes, startFakes } from '../helpers/fakes.js';
import { startHarness, TEST_CONFIG, until } from '../helpers/pipeline.js';

const SEED = resolve('tests/fixtures/articles/furnished.txt');

describe('wrong credentials', () => {
  let fakes: NamedFakes;
  beforeAll(async () => {
    fakes = await startFakes();
  });
  afterAll(() => fakes.close());

  it('holds the post with the auth problem in logs and status, then posts once the credentials are fixed', async () => {
    const bad = await startHarness({ fakes, env: { TWITTER_ACCESS_SECRET: 'not-the-secret' } });
    const workers = startWorkers(bad.ctx, ['ingest', 'compose', 'twitter']);
    try {
      await enqueueIngest(bad.ctx, {
        location: SEED,
        kind: 'auto',
        url: 'https://example.org/macron-putin',
        platforms: ['twitter'],
        correlationId: randomUUID(),
      });
      await until(async () => (await bad.ctx.accountStates.get('x-main')).health === 'needs-attention');
      expect(fakes.twitter.posts()).toHaveLength(0);

      const status = await collectStatus(bad.ctx);
      const account = status.accounts.find((a) => a.account === 'x-main');
      expect(account).toMatchObject({ health: 'needs-attention' });
      expect(account?.action).toMatch(/TWITTER_/);
      const failure = status.failures.find((f) => f.account === 'x-main');
      expect(failure).toMatchObject({ state: 'held', kind: 'auth' });
      expect(failure?.reason).toMatch(/401|unauthori[sz]ed|auth/i);

      const attention = bad.log.lines.filter(
        (l) => l.msg === 'account needs attention: its posts are held until the credentials change',
      );
      expect(attention).toHaveLength(1);
      expect(attention[0]).toMatchObject({ kind: 'auth', account: 'x-main' });
      expect(bad.log.events('delayed').some((l) => String(l.reason).startsWith('held (auth)'))).toBe(true);
      expect(bad.log.events('failed')).toHaveLength(0); // held, not failed
      expect(JSON.stringify(bad.log.lines)).not.toContain('not-the-secret');
    } finally {
      await workers.close();
    }

    // The operator fixes the secret and restarts the worker: the held job goes out, once.
    const good = await createContext({
      config: parseConfig(TEST_CONFIG, '/test/crier.yaml'),
      env: { ...fakes.env(), REDIS_URL: bad.ctx.settings.redisUrl, CRIER_PREFIX: bad.prefix },
      logger: bad.ctx.logger,
    });
    const resumed = startWorkers(good, ['twitter']);
    try {
      await until(() => fakes.twitter.posts().length === 1);
      await until(async () => (await good.accountStates.get('x-main')).health === 'ok');
    } finally {
      await resumed.close();
      await bad.close();
      await good.close();
    }
  });
});

describe('Redis down', () => {
  it('fails fast with a clear error instead of hanging', async () => {
    const started = Date.now();
    const err = await createContext({
      config: parseConfig(TEST_CONFIG, '/test/crier.yaml'),
      env: { REDIS_URL: 'redis://127.0.0.1:1' },
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RedisUnavailableError);
    expect((err as Error).message).toMatch(
      /Redis at redis:\/\/127\.0\.0\.1:1 is not answering \(ECONNREFUSED\)/,
    );
    expect(Date.now() - started).toBeLessThan(10_000);
  });
});
