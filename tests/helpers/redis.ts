import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, inject } from 'vitest';
import { deleteKeysWithPrefix } from '../../src/queue/redis-server.js';

export const redisUrl = (): string => inject('redisUrl');

/**
 * A key prefix no other test (or user) shares. It carries this run's id (tests/helpers/global-setup.ts), so that
 * whatever a test leaves behind is found and deleted when the run ends.
 */
export function uniquePrefix(): string {
  return `crier-test-${inject('testRun')}-${randomUUID().slice(0, 8)}`;
}

/** Deletes only the keys under `prefix:`. */
export async function deletePrefix(prefix: string): Promise<void> {
  await deleteKeysWithPrefix(redisUrl(), prefix);
}

/**
 * A Redis connection and a private key prefix for one describe block: connects before its tests, then
 * deletes only the prefix's keys and disconnects after them.
 */
export function usePrivateRedis(): { readonly redis: Redis; readonly prefix: string } {
  const prefix = uniquePrefix();
  let redis: Redis | undefined;
  beforeAll(() => {
    redis = new Redis(redisUrl());
  });
  afterAll(async () => {
    await deletePrefix(prefix);
    redis?.disconnect();
  });
  return {
    prefix,
    get redis() {
      if (!redis) throw new Error('usePrivateRedis: the connection exists only inside tests');
      return redis;
    },
  };
}
