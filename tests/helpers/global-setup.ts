import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import type { TestProject } from 'vitest/node';
import { ensureTestCertificate } from '../../src/platforms/fake/tls.js';

declare module 'vitest' {
  export interface ProvidedContext {
    redisUrl: string;
    certPath: string;
    keyPath: string;
  }
}

async function ping(url: string): Promise<boolean> {
  const r = new Redis(url, {
    lazyConnect: true,
    connectTimeout: 1000,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  r.on('error', () => {});
  try {
    await r.connect();
    return (await r.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    r.disconnect();
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

/**
 * Finds a Redis for the tests: REDIS_URL, else 127.0.0.1:6379, else a private redis-server on a free port.
 * Tests never flush it: each test uses its own key prefix and deletes only those keys.
 * Also makes the fake platforms' certificate and sets NODE_EXTRA_CA_CERTS so test workers trust it.
 */
export default async function setup(project: TestProject) {
  const dir = mkdtempSync(join(tmpdir(), 'crier-test-'));
  const tls = await ensureTestCertificate(dir);
  process.env.NODE_EXTRA_CA_CERTS = tls.certPath;

  let redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  let child: ChildProcess | undefined;
  if (!(await ping(redisUrl))) {
    if (spawnSync('redis-server', ['--version']).status !== 0) {
      throw new Error(
        `No Redis answers at ${redisUrl} and redis-server is not installed: run "apt-get install redis-server" or set REDIS_URL.`,
      );
    }
    const port = await freePort();
    child = spawn(
      'redis-server',
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      {
        stdio: 'ignore',
      },
    );
    redisUrl = `redis://127.0.0.1:${port}`;
    for (let i = 0; i < 50 && !(await ping(redisUrl)); i++) await new Promise((r) => setTimeout(r, 100));
  }
  project.provide('redisUrl', redisUrl);
  project.provide('certPath', tls.certPath);
  project.provide('keyPath', tls.keyPath);

  return () => {
    child?.kill();
    rmSync(dir, { recursive: true, force: true });
  };
}
