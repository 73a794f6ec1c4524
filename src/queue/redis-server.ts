import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
import { Redis } from 'ioredis';
import { redisKeys } from './keys.js';

export async function redisAnswers(url: string, timeoutMs = 1000): Promise<boolean> {
  const r = new Redis(url, {
    lazyConnect: true,
    connectTimeout: timeoutMs,
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

export interface RedisHandle {
  url: string;
  /** Set when a private redis-server was started for us. */
  child?: ChildProcess;
  stop(): void;
}

/**
 * A Redis to use: `preferred` when it answers, else a private redis-server (no persistence) on a free loopback
 * port when one is installed, else an error that says in one line how to get one.
 */
export async function ensureRedis(preferred = 'redis://127.0.0.1:6379'): Promise<RedisHandle> {
  if (await redisAnswers(preferred)) return { url: preferred, stop() {} };
  if (spawnSync('redis-server', ['--version']).status !== 0) {
    throw new Error(
      `No Redis answers at ${preferred} and redis-server is not installed: run "apt-get install redis-server" (or set REDIS_URL).`,
    );
  }
  const port = await freePort();
  const child = spawn(
    'redis-server',
    [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--save',
      '',
      '--appendonly',
      'no',
      '--maxmemory-policy',
      'noeviction',
    ],
    { stdio: 'ignore' },
  );
  const url = `redis://127.0.0.1:${port}`;
  for (let i = 0; i < 50 && !(await redisAnswers(url)); i++) await new Promise((r) => setTimeout(r, 100));
  if (!(await redisAnswers(url))) {
    child.kill();
    throw new Error(`started redis-server on port ${port} but it does not answer`);
  }
  return { url, child, stop: () => child.kill() };
}

/** Deletes only the keys under `prefix:` (never FLUSHDB: the Redis may be shared). */
export async function deleteKeysWithPrefix(url: string, prefix: string): Promise<number> {
  const r = new Redis(url, { maxRetriesPerRequest: 1 });
  let n = 0;
  try {
    let cursor = '0';
    do {
      const [next, keys] = await r.scan(cursor, 'MATCH', redisKeys(prefix).all, 'COUNT', 500);
      cursor = next;
      if (keys.length) n += await r.unlink(...keys);
    } while (cursor !== '0');
  } finally {
    r.disconnect();
  }
  return n;
}
