import { describe, expect, it } from 'vitest';
import { SLOT_KEY_RETENTION_MS, SlotLease } from '../../src/schedule/lease.js';
import { CATCH_UP_LOOKBACK_MS } from '../../src/schedule/occurrences.js';
import { usePrivateRedis } from '../helpers/redis.js';

describe('slot lease (node-cron run coordinator on real Redis)', () => {
  const fx = usePrivateRedis();

  const lease = (owner: string, name = 'poll-news', zone = 'Europe/Paris') =>
    new SlotLease(fx.redis, fx.prefix, owner, name, zone);

  it('lets exactly one of two coordinators run each slot key', async () => {
    const a = lease('a');
    const b = lease('b');
    const slots = Array.from(
      { length: 20 },
      (_, i) => `poll-news:${new Date(Date.UTC(2026, 5, 1, 8, i)).toISOString()}`,
    );
    const results = await Promise.all(slots.flatMap((k) => [a.shouldRun(k, 30_000), b.shouldRun(k, 30_000)]));
    for (let i = 0; i < slots.length; i++) {
      expect([results[2 * i], results[2 * i + 1]].filter(Boolean)).toHaveLength(1);
    }
    const holder = await a.holder(new Date(Date.UTC(2026, 5, 1, 8, 0)));
    expect(holder).toMatch(/^(a|b) 2026-06-01T08:00:00\.000Z$/);
  });

  it('keeps the key after completion, long enough for the catch-up look-back', async () => {
    const a = lease('a');
    const key = 'poll-news:2026-06-02T08:00:00.000Z';
    expect(await a.shouldRun(key, 30_000)).toBe(true);
    a.onComplete(key);
    // A late instance (or a restart) must still see the slot as taken.
    expect(await lease('late').shouldRun(key, 30_000)).toBe(false);
    const ttl = await fx.redis.pttl(a.key(new Date('2026-06-02T08:00:00Z')));
    expect(ttl).toBeGreaterThan(CATCH_UP_LOOKBACK_MS);
    expect(ttl).toBeLessThanOrEqual(SLOT_KEY_RETENTION_MS);
  });

  it('keys a slot by its wall-clock time: both 02:30 of the autumn DST night are one slot', async () => {
    const a = lease('a', 'post-x');
    const first = new Date('2026-10-25T00:30:00Z'); // 02:30 CEST
    const second = new Date('2026-10-25T01:30:00Z'); // 02:30 CET, one hour later
    expect(a.key(first)).toBe(a.key(second));
    expect(a.key(first)).toBe(`${fx.prefix}:schedule:slot:post-x:2026-10-25T02:30:00`);
    expect(await a.claim(first)).toBe(true);
    expect(await lease('b', 'post-x').shouldRun(`post-x:${second.toISOString()}`, 30_000)).toBe(false);
  });

  it('keeps schedules apart and refuses a key that is not its own (node-cron then skips)', async () => {
    const slot = '2026-06-03T08:00:00.000Z';
    expect(await lease('a', 'post-x').shouldRun(`post-x:${slot}`, 30_000)).toBe(true);
    expect(await lease('a', 'post-y').shouldRun(`post-y:${slot}`, 30_000)).toBe(true);
    expect(() => lease('a', 'post-x').shouldRun(`post-y:${slot}`, 30_000)).toThrow(/not "post-x:<ISO time>"/);
    expect(await lease('a', 'post-x').taken(new Date(slot))).toBe(true);
  });
});

describe('slot lease of a stopping scheduler', () => {
  const fx = usePrivateRedis();

  it('takes no slot once closed, and closing waits for a claim already asked', async () => {
    const a = new SlotLease(fx.redis, fx.prefix, 'a', 'post-x', 'Europe/Paris');
    const slot = new Date('2026-06-03T08:00:00Z');
    const asked = a.claim(slot);
    let settled = false;
    void asked.then(() => (settled = true));
    await a.close();
    expect(settled).toBe(true); // close() returned only after the claim in flight settled
    expect(await asked).toBe(true); // and that slot is this process's to run

    const later = new Date('2026-06-03T09:00:00Z');
    expect(await a.claim(later)).toBe(false);
    expect(await a.shouldRun(`post-x:${later.toISOString()}`, 30_000)).toBe(false);
    // Left to the other schedulers: nobody holds it.
    expect(await a.holder(later)).toBeNull();
    expect(await new SlotLease(fx.redis, fx.prefix, 'b', 'post-x', 'Europe/Paris').claim(later)).toBe(true);
  });
});
