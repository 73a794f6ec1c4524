import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningWorkers, startWorkers } from '../../jobs/workers.js';
import { parseConfig } from '../../src/config/load.js';
import { createContext } from '../../src/context.js';
import { enqueueIngest } from '../../src/queue/enqueue.js';
import { type Harness, startHarness, until } from '../helpers/pipeline.js';

const YAML = `
site: { name: Test, url: https://example.org }
accounts:
  - { id: x-main, platform: twitter }
publishing: { attempts: 3, backoffMs: 200, requestTimeoutMs: 60000, retentionDays: 1, lockDurationMs: 1500 }
`;

describe('a worker killed between the API call and the ledger write', () => {
  let h: Harness;
  let local: RunningWorkers | undefined;
  let child: ChildProcess | undefined;
  beforeAll(async () => {
    h = await startHarness({ yaml: YAML });
  });
  afterAll(async () => {
    child?.kill('SIGKILL');
    await local?.close();
    await h.close();
  });

  it('leaves "sending"; the next attempt finds the post on the platform instead of posting again', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'crier-kill-'));
    writeFileSync(join(dir, 'crier.yaml'), YAML);
    child = spawn(
      process.execPath,
      [resolve('bin/crier.js'), 'worker', '--queues', 'ingest,compose,twitter'],
      {
        env: {
          ...process.env,
          ...h.fakes.env(),
          REDIS_URL: h.ctx.settings.redisUrl,
          CRIER_PREFIX: h.prefix,
          CRIER_CONFIG: join(dir, 'crier.yaml'),
          LOG_FORMAT: 'json',
        },
        stdio: 'ignore',
      },
    );
    // X stores the tweet, then never answers: the worker is inside the API call.
    h.fakes.twitter.hang({ afterStore: true });
    await enqueueIngest(h.ctx, {
      location: resolve('tests/fixtures/articles/furnished.txt'),
      kind: 'auto',
      url: 'https://example.org/macron-putin',
      correlationId: randomUUID(),
    });
    await until(() => h.fakes.twitter.posts().length === 1, 20_000);
    child.kill('SIGKILL');
    await new Promise((r) => child!.once('exit', r));

    const [entry] = await h.ctx.ledger.recent(1);
    expect(entry).toMatchObject({ state: 'sending', platform: 'twitter' });

    // A fresh worker picks the stalled job up (lock expired) and reconciles with X.
    const ctx2 = await createContext({
      config: parseConfig(YAML, '/test/crier.yaml'),
      env: { ...h.fakes.env(), REDIS_URL: h.ctx.settings.redisUrl, CRIER_PREFIX: h.prefix },
      logger: h.ctx.logger,
    });
    local = startWorkers(ctx2, ['twitter']);
    try {
      await until(async () => (await h.ctx.ledger.recent(1))[0]?.state === 'posted', 20_000);
      const [posted] = await h.ctx.ledger.recent(1);
      expect(posted?.postId).toBe(h.fakes.twitter.posts()[0]?.id);
      expect(h.fakes.twitter.posts()).toHaveLength(1);
      expect(h.log.events('completed').find((l) => l.platform === 'twitter')).toMatchObject({
        outcome: 'reconciled',
      });
    } finally {
      await local.close();
      local = undefined;
      await ctx2.close();
    }
  });
});
