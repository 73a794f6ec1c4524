import { randomUUID } from 'node:crypto';
import { inject } from 'vitest';
import { deleteKeysWithPrefix } from '../../src/util/redis-server.js';

export const redisUrl = (): string => inject('redisUrl');

/** A key prefix no other test (or user) shares. */
export function uniquePrefix(): string {
  return `crier-test-${randomUUID().slice(0, 8)}`;
}

/** Deletes only the keys under `prefix:`. */
export async function deletePrefix(prefix: string): Promise<void> {
  await deleteKeysWithPrefix(redisUrl(), prefix);
}
