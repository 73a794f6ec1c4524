import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import type { TestProject } from 'vitest/node';
import { ensureTestCertificate } from '../../src/platforms/fake/tls.js';
import { ensureRedis } from '../../src/queue/redis-server.js';

declare module 'vitest' {
  export interface ProvidedContext {
    redisUrl: string;
    /** This run's part of every test key prefix (`crier-test-<run>-…`, tests/helpers/redis.ts). */
    testRun: string;
    certPath: string;
    keyPath: string;
  }
}

/**
 * Finds a Redis for the tests: REDIS_URL, else 127.0.0.1:6379, else a private redis-server on a free port.
 * Tests never flush it: each test uses its own key prefix and deletes only those keys.
 * Also rebuilds dist/ when it is older than the sources, and makes the fake platforms' certificate and sets NODE_EXTRA_CA_CERTS so test workers (forked after this)
 * and the processes they spawn trust it.
 */
export default async function setup(project: TestProject) {
  // Tests that spawn bin/crier.js run the compiled dist/: rebuild it when a source is newer (fast when not).
  execFileSync(process.execPath, ['scripts/build.mjs', '--if-stale'], { stdio: 'inherit' });
  const dir = mkdtempSync(join(tmpdir(), 'crier-test-'));
  const tls = await ensureTestCertificate(dir);
  process.env.NODE_EXTRA_CA_CERTS = tls.certPath;
  const redis = await ensureRedis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
  project.provide('redisUrl', redis.url);
  const run = randomUUID().slice(0, 6);
  project.provide('testRun', run);
  project.provide('certPath', tls.certPath);
  project.provide('keyPath', tls.keyPath);
  return async () => {
    await sweep(redis.url, run);
    redis.stop();
    rmSync(dir, { recursive: true, force: true });
  };
}

/**
 * Every test deletes its own prefix's keys; a key of this run still there at the end is a leak (a process that
 * wrote after its test's clean-up). It is named on stderr, so the leak gets fixed, and deleted, so the Redis the
 * tests borrowed is left as they found it. Only this run's keys: another run on the same Redis keeps its own.
 */
async function sweep(url: string, run: string): Promise<void> {
  const r = new Redis(url, { maxRetriesPerRequest: 1, lazyConnect: true });
  try {
    await r.connect();
    const left: string[] = [];
    let cursor = '0';
    do {
      const [next, keys] = await r.scan(cursor, 'MATCH', `crier-test-${run}-*`, 'COUNT', 1000);
      cursor = next;
      left.push(...keys);
    } while (cursor !== '0');
    if (left.length === 0) return;
    process.stderr.write(
      `tests left ${left.length} key(s) in Redis after their clean-up (deleted now; a test's process wrote after it): ${left.slice(0, 10).join(', ')}\n`,
    );
    for (let i = 0; i < left.length; i += 500) await r.unlink(...left.slice(i, i + 500));
  } catch (e) {
    process.stderr.write(`tests: the check for keys left in Redis failed: ${(e as Error).message}\n`);
  } finally {
    r.disconnect();
  }
}
