import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { startWorkers } from '../../jobs/workers.js';
import { redisTarget } from '../../src/queue/connection.js';
import { enqueueIngest } from '../../src/queue/enqueue.js';
import { type Harness, startHarness } from '../helpers/pipeline.js';
import { ARTICLE, ARTICLE_URL, feedXml, useCrierProcesses } from '../helpers/processes.js';
import { MASTER_NAME, type SentinelSet, startSentinelSet } from '../helpers/sentinel.js';
import { scaled, waitFor } from '../helpers/wait.js';

const YAML = `
site: { name: Test, url: https://example.org }
accounts:
  - { id: x-main, platform: twitter }
publishing: { attempts: 5, backoffMs: 200, requestTimeoutMs: 5000, retentionDays: 1, lockDurationMs: 2000, reconcileIntervalMs: 1000 }
`;

describe('Redis Sentinel', { timeout: scaled(180_000) }, () => {
  const procs = useCrierProcesses();
  let set: SentinelSet | undefined;
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
    set?.stop();
    set = undefined;
  });

  it('reads the Sentinels and master name from REDIS_URL or REDIS_SENTINELS', () => {
    expect(redisTarget({ REDIS_URL: 'redis+sentinel://:s3cret@10.0.0.1:26379,10.0.0.2/news' })).toMatchObject(
      {
        label: 'Sentinel 10.0.0.1:26379,10.0.0.2:26379 (master "news")',
        options: {
          sentinels: [
            { host: '10.0.0.1', port: 26379 },
            { host: '10.0.0.2', port: 26379 },
          ],
          name: 'news',
          password: 's3cret',
        },
      },
    );
    expect(
      redisTarget({ REDIS_SENTINELS: 'a:1,b:2', REDIS_SENTINEL_MASTER: 'm', REDIS_SENTINEL_PASSWORD: 'p' })
        .options,
    ).toMatchObject({
      sentinels: [
        { host: 'a', port: 1 },
        { host: 'b', port: 2 },
      ],
      name: 'm',
      sentinelPassword: 'p',
    });
  });

  it('a claim the replica has not confirmed is undone: nothing is sent until it can be', async () => {
    set = await startSentinelSet();
    h = await startHarness({ yaml: YAML, env: { REDIS_URL: set.url } });
    const hh = h;
    const workers = startWorkers(h.ctx);
    try {
      set.replica.child.kill('SIGSTOP'); // connected, but it confirms nothing
      await enqueueIngest(h.ctx, {
        location: ARTICLE,
        kind: 'auto',
        url: ARTICLE_URL,
        correlationId: randomUUID(),
      });
      await waitFor(
        () =>
          hh.log.events('delayed').some((l) => String(l.reason).includes('0 of 1 Redis replicas confirmed')),
        {
          what: 'the unconfirmed claim',
        },
      );
      expect(h.fakes.twitter.posts()).toHaveLength(0);
      expect((await h.ctx.ledger.recent(1))[0]?.state).toBe('pending');
      set.replica.child.kill('SIGCONT');
      await waitFor(async () => (await hh.ctx.ledger.recent(1))[0]?.state === 'posted', { what: 'posted' });
      expect(h.fakes.twitter.posts()).toHaveLength(1);
    } finally {
      set.replica.child.kill('SIGCONT');
      await workers.close();
    }
  });

  it('the master is killed mid-run: Sentinel promotes the replica, and every post goes out once', async () => {
    set = await startSentinelSet();
    h = await startHarness({ yaml: YAML, env: { REDIS_URL: set.url } });
    const hh = h;
    h.fakes.twitter.setState({ config: { duplicateWindowMs: 0 } }); // only Crier stands between a failover and a copy
    const yamlPath = procs.config('sentinel.yaml', YAML);
    procs.spawn(h, yamlPath, ['worker']);
    procs.spawn(h, yamlPath, ['worker']);
    const feed = join(procs.dir, 'sentinel-feed.xml');
    writeFileSync(feed, feedXml(12, 'https://example.org/failover'));
    await enqueueIngest(h.ctx, { location: feed, kind: 'auto', correlationId: randomUUID() });
    await waitFor(() => hh.fakes.twitter.posts().length >= 3, { timeoutMs: 60_000, what: 'the first posts' });

    await set.master.kill();
    const sentinel = new Redis({ port: set.sentinel.port, host: '127.0.0.1' });
    try {
      await waitFor(
        async () => {
          const [, port] = (await sentinel.call('SENTINEL', 'get-master-addr-by-name', MASTER_NAME)) as [
            string,
            string,
          ];
          return Number(port) === set!.replica.port;
        },
        { timeoutMs: 30_000, what: 'the replica promoted' },
      );
    } finally {
      sentinel.disconnect();
    }
    await waitFor(() => hh.fakes.twitter.posts().length >= 12, { timeoutMs: 40_000, what: 'twelve posts' });
    await waitFor(
      async () => (await hh.ctx.ledger.recent(20)).filter((e) => e.state === 'posted').length === 12,
      {
        what: 'every post recorded as posted on the new master',
      },
    );
    const links = h.fakes.twitter.posts().map((p) => p.urls[0]?.expanded_url?.split('?')[0]);
    expect(links).toHaveLength(12);
    expect(new Set(links).size).toBe(12);
  });
});
