import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { inject } from 'vitest';

export const redisUrl = (): string => inject('redisUrl');

/** A key prefix no other test (or user) shares. */
export function uniquePrefix(): string {
  return `crier-test-${randomUUID().slice(0, 8)}`;
}

/** Deletes only the keys under `prefix:`. */
export async function deletePrefix(prefix: string): Promise<void> {
  const r = new Redis(redisUrl(), { maxRetriesPerRequest: 1 });
  try {
    let cursor = '0';
    do {
      const [next, keys] = await r.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 500);
      cursor = next;
      if (keys.length) await r.unlink(...keys);
    } while (cursor !== '0');
  } finally {
    r.disconnect();
  }
}
