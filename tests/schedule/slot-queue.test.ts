import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SlotQueue } from '../../src/schedule/slot-queue.js';
import { deletePrefix, redisUrl, uniquePrefix } from '../helpers/redis.js';
import { waitingItem as item } from './context.js';

describe('slot queue (real Redis)', () => {
  const prefix = uniquePrefix();
  let redis: Redis;
  let queue: SlotQueue;
  beforeAll(() => {
    redis = new Redis(redisUrl());
    queue = new SlotQueue(redis, prefix);
  });
  afterAll(async () => {
    await deletePrefix(prefix);
    redis.disconnect();
  });

  it('gives the oldest post first and keeps the first place of an article added twice', async () => {
    expect(await queue.oldest('fb-news')).toBeNull();
    expect(await queue.add(item('a1'), 1000)).toBe(true);
    expect(await queue.add(item('a2'), 2000)).toBe(true);
    expect(await queue.add(item('a3'), 3000)).toBe(true);
    // Re-composed later (new correlation id): ignored, keeps its place and its first data.
    expect(await queue.add(item('a1', 'fb-news', 'c-again'), 4000)).toBe(false);
    expect(await queue.oldest('fb-news')).toEqual(item('a1'));
    expect((await queue.list('fb-news')).map((w) => [w.item.articleId, w.addedAt])).toEqual([
      ['a1', 1000],
      ['a2', 2000],
      ['a3', 3000],
    ]);
    expect(await queue.count('fb-news')).toBe(3);
  });

  it('removes a cancelled article and lists every account', async () => {
    await queue.add(item('b1', 'fb-sport'), 500);
    expect(await queue.remove('fb-news', 'a2')).toBe(true);
    expect(await queue.remove('fb-news', 'a2')).toBe(false);
    const all = await queue.list();
    expect(all.map((w) => `${w.item.account}/${w.item.articleId}`)).toEqual([
      'fb-news/a1',
      'fb-news/a3',
      'fb-sport/b1',
    ]);
  });

  it('takes the oldest per slot, honours the minimum gap and can undo a take', async () => {
    const gap = 30 * 60_000;
    const t0 = Date.UTC(2026, 5, 1, 8);
    const first = await queue.take('fb-news', t0, gap);
    expect(first).toMatchObject({
      status: 'taken',
      item: { articleId: 'a1' },
      addedAt: 1000,
      previousPostAt: null,
    });
    // 20 minutes later: too close to the previous post.
    expect(await queue.take('fb-news', t0 + 20 * 60_000, gap)).toEqual({ status: 'min-gap', lastPostAt: t0 });
    // The same slot may take again (a finished post was dropped).
    expect(await queue.take('fb-news', t0, gap)).toMatchObject({
      status: 'taken',
      item: { articleId: 'a3' },
    });
    expect(await queue.take('fb-news', t0 + gap, gap)).toEqual({ status: 'empty' });
    // Undo: the slot posted nothing after all.
    await queue.restoreLastPost('fb-news', t0, null);
    expect(await queue.lastPostAt('fb-news')).toBeNull();
    await queue.putBack(item('a3'), 3000);
    expect(await queue.take('fb-news', t0 + 5 * 60_000, gap)).toMatchObject({
      status: 'taken',
      item: { articleId: 'a3' },
    });
    expect(await queue.lastPostAt('fb-news')).toBe(t0 + 5 * 60_000);
  });

  it('gives each waiting post to one slot only when slots race', async () => {
    for (let i = 0; i < 10; i++) await queue.add(item(`r${i}`, 'fb-race'), i);
    const takes = await Promise.all(
      Array.from({ length: 14 }, (_, i) => queue.take('fb-race', Date.UTC(2026, 0, 1, 0, i), 0)),
    );
    const taken = takes.flatMap((t) => (t.status === 'taken' ? [t.item.articleId] : []));
    expect(taken.sort()).toEqual(Array.from({ length: 10 }, (_, i) => `r${i}`).sort());
    expect(takes.filter((t) => t.status === 'empty')).toHaveLength(4);
  });
});
