import { Redis } from 'ioredis';
import { type PrivateRedis, startRedisServer } from '../../src/queue/redis-server.js';
import { waitFor } from './wait.js';

/** A master, a replica and a Sentinel that watches them, each a private redis-server on a free port. */
export interface SentinelSet {
  master: PrivateRedis;
  replica: PrivateRedis;
  sentinel: PrivateRedis;
  /** REDIS_URL for Crier: redis+sentinel://127.0.0.1:<sentinel>/crier-master */
  url: string;
  stop(): void;
}

export const MASTER_NAME = 'crier-master';

export async function startSentinelSet(): Promise<SentinelSet> {
  const master = await startRedisServer({ args: ['--repl-diskless-sync-delay', '0'] });
  const replica = await startRedisServer({ args: ['--replicaof', '127.0.0.1', String(master.port)] });
  // The replica has synced and the master counts it (what a claim waits for).
  const probe = new Redis(master.url);
  try {
    await waitFor(
      async () => {
        const role = (await probe.call('ROLE')) as [string, number, unknown[]];
        return Array.isArray(role[2]) && role[2].length === 1;
      },
      { what: 'the replica in sync' },
    );
  } finally {
    probe.disconnect();
  }
  const sentinel = await startRedisServer({
    sentinelConfig: [
      `sentinel monitor ${MASTER_NAME} 127.0.0.1 ${master.port} 1`,
      `sentinel down-after-milliseconds ${MASTER_NAME} 1000`,
      `sentinel failover-timeout ${MASTER_NAME} 10000`,
      `sentinel parallel-syncs ${MASTER_NAME} 1`,
    ].join('\n'),
  });
  return {
    master,
    replica,
    sentinel,
    url: `redis+sentinel://127.0.0.1:${sentinel.port}/${MASTER_NAME}`,
    stop() {
      for (const r of [sentinel, replica, master]) r.stop();
    },
  };
}
