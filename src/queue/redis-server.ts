import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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

export function freePort(): Promise<number> {
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
  const server = await startRedisServer();
  return { url: server.url, child: server.child, stop: () => server.stop() };
}

export interface PrivateRedisOptions {
  port?: number;
  /** Working directory (append-only file, Sentinel's config); default a new temporary directory. */
  dir?: string;
  /** Keep an append-only file (fsync every write), so a restart keeps what was acknowledged. */
  appendOnly?: boolean;
  /** More arguments for redis-server (e.g. ['--replicaof', '127.0.0.1', '6380']). */
  args?: string[];
  /** Run as Sentinel (`redis-server <config> --sentinel`) with this config text. */
  sentinelConfig?: string;
}

/** A redis-server this process started and may kill, restart or slow down (tests and the demo). */
export interface PrivateRedis {
  url: string;
  port: number;
  dir: string;
  child: ChildProcess;
  /** SIGKILL: no save, no goodbye; resolves once it has exited. */
  kill(): Promise<void>;
  /** Starts it again on the same port and directory (the append-only file, if any, is read back). */
  restart(): Promise<void>;
  stop(): void;
}

/** Starts a private redis-server (or Sentinel) on a free loopback port and waits until it answers. */
export async function startRedisServer(opts: PrivateRedisOptions = {}): Promise<PrivateRedis> {
  if (spawnSync('redis-server', ['--version']).status !== 0) {
    throw new Error('redis-server is not installed: run "apt-get install redis-server" (or set REDIS_URL).');
  }
  const port = opts.port ?? (await freePort());
  const dir = opts.dir ?? mkdtempSync(join(tmpdir(), 'crier-redis-'));
  const url = `redis://127.0.0.1:${port}`;
  const args = () => {
    if (opts.sentinelConfig !== undefined) {
      const conf = join(dir, 'sentinel.conf');
      if (!existsSync(conf))
        writeFileSync(conf, `port ${port}\nbind 127.0.0.1\ndir ${dir}\n${opts.sentinelConfig}\n`);
      return [conf, '--sentinel'];
    }
    const persistence = opts.appendOnly
      ? ['--appendonly', 'yes', '--appendfsync', 'always', '--save', '']
      : ['--save', '', '--appendonly', 'no'];
    return [
      ...['--port', String(port), '--bind', '127.0.0.1', '--dir', dir],
      ...persistence,
      ...['--maxmemory-policy', 'noeviction', ...(opts.args ?? [])],
    ];
  };
  const launch = async () => {
    const child = spawn('redis-server', args(), { stdio: 'ignore' });
    for (let i = 0; i < 100 && !(await redisAnswers(url)); i++) await new Promise((r) => setTimeout(r, 100));
    if (!(await redisAnswers(url))) {
      child.kill('SIGKILL');
      throw new Error(`started redis-server on port ${port} but it does not answer`);
    }
    return child;
  };
  const handle: PrivateRedis = {
    url,
    port,
    dir,
    child: await launch(),
    async kill() {
      const c = handle.child;
      if (c.exitCode !== null || c.signalCode !== null) return;
      const gone = new Promise((r) => c.once('exit', r));
      c.kill('SIGKILL');
      await gone;
    },
    async restart() {
      await handle.kill();
      handle.child = await launch();
    },
    stop() {
      handle.child.kill('SIGKILL');
    },
  };
  return handle;
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
