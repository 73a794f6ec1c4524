import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { ensureTestCertificate } from '../../src/platforms/fake/tls.js';
import { ensureRedis } from '../../src/queue/redis-server.js';

declare module 'vitest' {
  export interface ProvidedContext {
    redisUrl: string;
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
  project.provide('certPath', tls.certPath);
  project.provide('keyPath', tls.keyPath);
  return () => {
    redis.stop();
    rmSync(dir, { recursive: true, force: true });
  };
}
