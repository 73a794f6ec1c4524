import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import { createContext } from '../../src/context.js';
import { describeRedisFailure, RedisUnavailableError } from '../../src/queue/connection.js';
import { enqueueIngest } from '../../src/queue/enqueue.js';
import { type PrivateRedis, startRedisServer } from '../../src/queue/redis-server.js';
import { collectStatus } from '../../src/status/status.js';
import { type Harness, startHarness, TEST_CONFIG } from '../helpers/pipeline.js';
import { exited, feedOfLinks, feedXml, useCrierProcesses } from '../helpers/processes.js';
import { deletePrefix, redisUrl, uniquePrefix } from '../helpers/redis.js';
import { redisProxy } from '../helpers/redis-proxy.js';
import { scaled, waitFor } from '../helpers/wait.js';

const YAML = `
site: { name: Test, url: https://example.org }
accounts:
  - { id: x-main, platform: twitter }
publishing: { attempts: 3, backoffMs: 200, requestTimeoutMs: 5000, retentionDays: 1, lockDurationMs: 2000, reconcileIntervalMs: 1000 }
`;

/** Every line a process wrote is a pino JSON line (no raw error dump). */
function structured(path: string): Record<string, unknown>[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => {
      try {
        return JSON.parse(l) as Record<string, unknown>;
      } catch {
        throw new Error(`not a JSON log line: ${l.slice(0, 200)}`);
      }
    });
}

describe('Redis restarted, slow or hung', { timeout: scaled(180_000) }, () => {
  const procs = useCrierProcesses();
  let h: Harness | undefined;
  let redis: PrivateRedis | undefined;
  const closers: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const c of closers.splice(0)) await c();
    await h?.close();
    h = undefined;
    redis?.stop();
    redis = undefined;
  });

  it('a worker and a scheduler survive a Redis restart: what was queued before and after is posted, once; the log stays JSON', async () => {
    redis = await startRedisServer({ appendOnly: true });
    h = await startHarness({ yaml: YAML, env: { REDIS_URL: redis.url } });
    const hh = h;
    const feed = join(procs.dir, 'restart-feed.xml');
    writeFileSync(feed, feedXml(1, 'https://example.org/before'));
    const yaml = `${YAML}sources:\n  - { id: wire, location: ${feed}, schedule: { cron: "* * * * * *" } }\n`;
    const child = procs.spawn(h, procs.config('restart.yaml', yaml), ['start']);
    await waitFor(() => hh.fakes.twitter.posts().length === 1, { timeoutMs: 60_000, what: 'the first post' });

    await redis.kill();
    // While Redis is down: the feed gets a new article, the process stays up.
    writeFileSync(feed, feedOfLinks(['https://example.org/before-1', 'https://example.org/after-1']));
    await waitFor(() => structured(join(procs.dir, 'start-0.log')).some((l) => l.event === 'redis-down'), {
      what: 'the outage logged',
    });
    expect(child.exitCode).toBeNull();
    await redis.restart();
    await waitFor(() => hh.fakes.twitter.posts().length === 2, {
      timeoutMs: 60_000,
      what: 'the post queued after the restart',
    });
    // Published once each, and a one-off publish after the restart goes through too.
    await enqueueIngest(h.ctx, {
      location: join(procs.dir, 'restart-feed.xml'),
      kind: 'auto',
      correlationId: randomUUID(),
      force: true,
    });
    await waitFor(async () => ((await hh.ctx.queues.compose.getJobCounts('completed')).completed ?? 0) >= 3);
    const links = h.fakes.twitter.posts().map((p) => p.urls[0]?.expanded_url?.split('?')[0]);
    expect(links.sort()).toEqual(['https://example.org/after-1', 'https://example.org/before-1']);
    const lines = structured(join(procs.dir, 'start-0.log'));
    expect(lines.filter((l) => l.event === 'redis-down').length).toBeGreaterThanOrEqual(1);
    expect(lines.some((l) => l.event === 'redis-up')).toBe(true);
  });

  it('a worker on a slow Redis posts, once', async () => {
    const proxy = await redisProxy(redisUrl());
    closers.push(() => proxy.close());
    h = await startHarness({ yaml: YAML });
    const hh = h;
    proxy.set({ mode: 'slow', ms: 150 });
    procs.spawn(h, procs.config('slow.yaml', YAML), ['worker'], { REDIS_URL: proxy.url });
    const feed = join(procs.dir, 'slow-feed.xml');
    writeFileSync(feed, feedXml(2, 'https://example.org/slow'));
    await enqueueIngest(h.ctx, { location: feed, kind: 'auto', correlationId: randomUUID() });
    await waitFor(() => hh.fakes.twitter.posts().length === 2, { timeoutMs: 90_000, what: 'two posts' });
    expect(new Set(h.fakes.twitter.posts().map((p) => p.urls[0]?.expanded_url)).size).toBe(2);
  });

  it('a one-off command waits the time CRIER_REDIS_TIMEOUT_MS allows, then says so in one line', async () => {
    const proxy = await redisProxy(redisUrl());
    closers.push(() => proxy.close());
    const config = parseConfig(TEST_CONFIG, '/test/crier.yaml');
    const env = { REDIS_URL: proxy.url, CRIER_PREFIX: uniquePrefix(), CRIER_REDIS_TIMEOUT_MS: '800' };
    // Slow but within the bound: the command answers.
    proxy.set({ mode: 'slow', ms: 60 });
    const ctx = await createContext({ config, env, forWorker: false, boundedCommands: true });
    closers.push(() => ctx.close());
    // Last, past the proxy: the queues' own writes (their meta hashes) went through it.
    closers.push(() => deletePrefix(env.CRIER_PREFIX));
    expect((await collectStatus(ctx)).prefix).toBe(env.CRIER_PREFIX);
    // Hung: each command gives up after the bound, with a line that says what and how to wait longer.
    proxy.set({ mode: 'hang' });
    const started = Date.now();
    const err = await collectStatus(ctx).catch((e: unknown) => e);
    expect(Date.now() - started).toBeLessThan(scaled(5000));
    expect(describeRedisFailure(err, proxy.url, 800)).toMatch(
      /did not answer within 800 ms .*CRIER_REDIS_TIMEOUT_MS/,
    );
    // Connecting to a hung Redis: the same bound.
    const connecting = Date.now();
    expect(
      await createContext({ config, env, forWorker: false, boundedCommands: true }).catch((e: unknown) => e),
    ).toBeInstanceOf(RedisUnavailableError);
    expect(Date.now() - connecting).toBeLessThan(scaled(5000));

    // The CLI: one line, exit code 2, no stack trace.
    const cli = spawn(process.execPath, [resolve('bin/crier.js'), 'status'], {
      env: { ...process.env, ...env, CRIER_CONFIG: procs.config('cli.yaml', TEST_CONFIG) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    cli.stderr.on('data', (d) => {
      stderr += d;
    });
    expect(await exited(cli)).toBe(2);
    expect(stderr.trim().split('\n')).toEqual([
      expect.stringMatching(
        /^crier: Redis at redis:\/\/127\.0\.0\.1:\d+\/? is not answering \(no answer within 800 ms\)/,
      ),
    ]);
  });
});
