import { setImmediate as tick } from 'node:timers/promises';
import { Redis } from 'ioredis';
import type { ScheduledTask } from 'node-cron';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createLogger } from '../../src/logging/logger.js';
import { createSlotTasks, type SlotTrigger } from '../../src/schedule/cron-tasks.js';
import { SlotLease } from '../../src/schedule/lease.js';
import { previousOccurrence } from '../../src/schedule/occurrences.js';
import { formatInZone } from '../../src/schedule/zone-time.js';
import { deletePrefix, redisUrl, uniquePrefix, usePrivateRedis } from '../helpers/redis.js';

const ZONE = 'Europe/Paris';
const logger = createLogger({ level: 'silent', destination: { write: () => {} } });

/**
 * Runs the scheduler's own node-cron tasks (createSlotTasks, real Redis lease) under fake Date/setTimeout from
 * `from` to `to`, and returns the slots that ran here. Redis replies are I/O, not timers: after each simulated
 * hour the test yields to the real event loop until the lease round trips in flight have come back.
 */
async function firesBetween(
  redis: Redis,
  prefix: string,
  expression: string,
  from: string,
  to: string,
): Promise<{ slot: string; trigger: SlotTrigger }[]> {
  const runs: { slot: string; trigger: SlotTrigger }[] = [];
  let pending = 0;
  vi.useFakeTimers({ now: new Date(from), toFake: ['Date', 'setTimeout', 'clearTimeout'] });
  const name = `post-dst-${expression.replace(/\D+/g, '-')}`;
  const lease = new SlotLease(redis, prefix, 'only', name, ZONE);
  const [task] = createSlotTasks(
    name,
    [expression],
    lease,
    {
      async run(slot, trigger) {
        runs.push({ slot: slot.toISOString(), trigger });
      },
      skipped() {},
    },
    logger,
  ) as [ScheduledTask];
  // Count lease round trips in flight, so the test can wait for them on the real event loop.
  const claim = lease.claim.bind(lease);
  lease.claim = async (slot: Date) => {
    pending += 1;
    try {
      return await claim(slot);
    } finally {
      pending -= 1;
    }
  };
  await task.start();
  try {
    for (let t = Date.parse(from); t < Date.parse(to); t += 3_600_000) {
      await vi.advanceTimersByTimeAsync(3_600_000);
      for (let i = 0; i < 1000 && pending > 0; i++) await tick();
      await tick();
    }
  } finally {
    await task.destroy();
    vi.useRealTimers();
  }
  return runs;
}

describe('daylight saving time, Europe/Paris 2026 (node-cron tasks of the scheduler, fake clock)', () => {
  const prefix = uniquePrefix();
  let redis: Redis;
  beforeAll(() => {
    redis = new Redis(redisUrl());
  });
  afterEach(() => {
    vi.useRealTimers();
  });
  afterAll(async () => {
    await deletePrefix(prefix);
    redis.disconnect();
  });

  it('spring forward (29 March): 02:30 does not exist and is skipped, never run twice', async () => {
    const runs = await firesBetween(
      redis,
      prefix,
      '30 2 * * *',
      '2026-03-28T00:00:00Z',
      '2026-03-31T00:00:00Z',
    );
    expect(runs.map((r) => formatInZone(new Date(r.slot), ZONE))).toEqual([
      '2026-03-28T02:30:00+01:00',
      '2026-03-30T02:30:00+02:00',
    ]);
  });

  it('spring forward: 08:00 fires once a day at 08:00 local (07:00Z, then 06:00Z)', async () => {
    const runs = await firesBetween(
      redis,
      prefix,
      '0 8 * * *',
      '2026-03-28T00:00:00Z',
      '2026-03-31T00:00:00Z',
    );
    expect(runs.map((r) => r.slot)).toEqual([
      '2026-03-28T07:00:00.000Z',
      '2026-03-29T06:00:00.000Z',
      '2026-03-30T06:00:00.000Z',
    ]);
  });

  it('fall back (25 October): 02:30 happens twice and runs once', async () => {
    const runs = await firesBetween(
      redis,
      prefix,
      '30 2 * * *',
      '2026-10-24T00:00:00Z',
      '2026-10-27T00:00:00Z',
    );
    const local = runs.map((r) => formatInZone(new Date(r.slot), ZONE));
    expect(local.filter((l) => l.startsWith('2026-10-25'))).toHaveLength(1);
    expect(local).toEqual([
      '2026-10-24T02:30:00+02:00',
      '2026-10-25T02:30:00+01:00',
      '2026-10-26T02:30:00+01:00',
    ]);
  });

  it('fall back: 08:00 fires once a day at 08:00 local (06:00Z, then 07:00Z)', async () => {
    const runs = await firesBetween(
      redis,
      prefix,
      '0 8 * * *',
      '2026-10-24T00:00:00Z',
      '2026-10-27T00:00:00Z',
    );
    expect(runs.map((r) => r.slot)).toEqual([
      '2026-10-24T06:00:00.000Z',
      '2026-10-25T07:00:00.000Z',
      '2026-10-26T07:00:00.000Z',
    ]);
  });
});

describe('daylight saving time in catch-up (the occurrence scan the scheduler uses at start)', () => {
  const fx = usePrivateRedis();

  /** previousOccurrence with the matcher of a real node-cron task, as startScheduler does. */
  async function previous(expression: string, now: string, lookbackMs?: number): Promise<string | null> {
    const lease = new SlotLease(fx.redis, fx.prefix, 'x', 'probe', ZONE);
    const [task] = createSlotTasks(
      'probe',
      [expression],
      lease,
      { run: async () => {}, skipped() {} },
      logger,
    );
    try {
      return (
        previousOccurrence(expression, (d) => task!.match(d), new Date(now), lookbackMs)?.toISOString() ??
        null
      );
    } finally {
      await task!.destroy();
    }
  }

  it('finds no 02:30 on 29 March (it does not exist) and the right 08:00 around both transitions', async () => {
    expect(await previous('30 2 * * *', '2026-03-29T12:00:00Z')).toBeNull();
    expect(await previous('30 2 * * *', '2026-03-29T12:00:00Z', 36 * 3_600_000)).toBe(
      '2026-03-28T01:30:00.000Z',
    );
    expect(await previous('0 8 * * *', '2026-03-29T12:00:00Z')).toBe('2026-03-29T06:00:00.000Z');
    expect(await previous('0 8 * * *', '2026-03-29T05:59:59Z')).toBe('2026-03-28T07:00:00.000Z');
    expect(await previous('0 8 * * *', '2026-10-25T12:00:00Z')).toBe('2026-10-25T07:00:00.000Z');
    expect(await previous('0 8 * * *', '2026-10-25T05:59:00Z')).toBe('2026-10-24T06:00:00.000Z');
    // 25 October has 25 hours: at 07:30 local the previous 08:00 is 24.5 h back, beyond a 24 h look-back.
    expect(await previous('0 8 * * *', '2026-10-25T06:30:00Z')).toBeNull();
    expect(await previous('*/15 * * * * *', '2026-06-01T08:00:07.500Z')).toBe('2026-06-01T08:00:00.000Z');
  });

  it('a catch-up between the two 02:30s of 25 October and node-cron afterwards run the slot once', async () => {
    // A scheduler starts at 02:45 CEST: the first 02:30 (00:30Z) was missed, catch-up runs it.
    const slot = await previous('30 2 * * *', '2026-10-25T00:45:00Z');
    expect(slot).toBe('2026-10-25T00:30:00.000Z');
    const lease = new SlotLease(fx.redis, fx.prefix, 'a', 'post-dst', ZONE);
    expect(await lease.claim(new Date(slot!))).toBe(true);
    // One hour later node-cron reaches 02:30 CET (01:30Z): same wall-clock slot, not run again.
    const other = new SlotLease(fx.redis, fx.prefix, 'b', 'post-dst', ZONE);
    expect(await other.shouldRun('post-dst:2026-10-25T01:30:00.000Z', 30_000)).toBe(false);
  });
});
