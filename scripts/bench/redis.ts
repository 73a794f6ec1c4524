/**
 * A private redis-server for the bench (never the shared 6379: its statistics are everyone's), and readers of
 * INFO sections: command counts (commandstats), read events (stats) and memory.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { sleep } from './proc.js';

export interface PrivateRedis {
  url: string;
  port: number;
  pid: number;
  client: Redis;
  stop(): Promise<void>;
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

/** Starts redis-server on a free loopback port: no persistence, noeviction (as Crier asks in production). */
export async function startPrivateRedis(): Promise<PrivateRedis> {
  if (spawnSync('redis-server', ['--version']).status !== 0) {
    throw new Error('the bench needs redis-server (apt-get install redis-server) to run a private Redis');
  }
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'crier-bench-redis-'));
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir],
    { stdio: 'ignore' },
  );
  child.once('error', () => {});
  const url = `redis://127.0.0.1:${port}`;
  const client = new Redis(url, { maxRetriesPerRequest: null, lazyConnect: true });
  client.on('error', () => {});
  for (let i = 0; i < 100; i++) {
    try {
      await client.connect();
      break;
    } catch {
      await sleep(100);
    }
  }
  await client.config('SET', 'maxmemory-policy', 'noeviction');
  return {
    url,
    port,
    pid: child.pid!,
    client,
    async stop() {
      client.disconnect();
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function fields(info: string): Map<string, string> {
  const m = new Map<string, string>();
  for (const line of info.split('\r\n')) {
    const i = line.indexOf(':');
    if (i > 0 && !line.startsWith('#')) m.set(line.slice(0, i), line.slice(i + 1));
  }
  return m;
}

export interface RedisCounters {
  /** Commands executed, by command (INFO commandstats calls). */
  commands: Map<string, number>;
  /** Read events on client sockets: one per request burst a client sends (a pipeline is one). */
  reads: number;
  usedMemory: number;
}

export async function counters(r: Redis): Promise<RedisCounters> {
  const [stats, cmd, mem] = await Promise.all([r.info('stats'), r.info('commandstats'), r.info('memory')]);
  const commands = new Map<string, number>();
  for (const [k, v] of fields(cmd)) {
    const calls = /calls=(\d+)/.exec(v);
    if (k.startsWith('cmdstat_') && calls) commands.set(k.slice('cmdstat_'.length), Number(calls[1]));
  }
  return {
    commands,
    reads: Number(fields(stats).get('total_reads_processed') ?? Number.NaN),
    usedMemory: Number(fields(mem).get('used_memory') ?? 0),
  };
}

/** Commands run between two snapshots, by command, without the bench's own INFO calls. */
export function commandDelta(a: RedisCounters, b: RedisCounters): Map<string, number> {
  const out = new Map<string, number>();
  for (const [k, v] of b.commands) {
    if (k === 'info') continue;
    const d = v - (a.commands.get(k) ?? 0);
    if (d > 0) out.set(k, d);
  }
  return out;
}

export const total = (m: Map<string, number>) => [...m.values()].reduce((s, v) => s + v, 0);
