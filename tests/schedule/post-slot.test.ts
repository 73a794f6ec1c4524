import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppContext } from '../../src/context.js';
import type { Post } from '../../src/core/post.js';
import { type PostSchedule, schedulesOf } from '../../src/schedule/plan.js';
import { isQuiet } from '../../src/schedule/quiet-hours.js';
import { runPostSlot } from '../../src/schedule/slot-actions.js';
import { SlotQueue } from '../../src/schedule/slot-queue.js';
import { deletePrefix, uniquePrefix } from '../helpers/redis.js';
import { waitingItem as item, testApp } from './context.js';

const CONFIG = `
site: { name: Test, url: https://example.org }
accounts:
  - id: fb-news
    platform: facebook
    schedule:
      mode: slots
      slots: ["0 8,12,18,22 * * *", "30 12 * * *"]
      timezone: Europe/Paris
      quietHours: { from: "22:00", to: "07:00" }
      minGapMinutes: 45
  - id: fb-off
    platform: facebook
    envPrefix: OFF_
    schedule: { mode: slots, slots: ["0 8 * * *"], timezone: UTC }
`;

/** A summer day in Paris (UTC+2): local HH:MM → Date. */
const paris = (hhmm: string, day = 15) => new Date(`2026-06-${day}T${hhmm}:00+02:00`);

describe('quiet hours', () => {
  const night = { from: '22:00', to: '07:00' };
  it('wraps midnight, is half-open and reads the wall clock of the zone', () => {
    expect(isQuiet(paris('21:59'), 'Europe/Paris', night)).toBe(false);
    expect(isQuiet(paris('22:00'), 'Europe/Paris', night)).toBe(true);
    expect(isQuiet(paris('03:00'), 'Europe/Paris', night)).toBe(true);
    expect(isQuiet(paris('06:59'), 'Europe/Paris', night)).toBe(true);
    expect(isQuiet(paris('07:00'), 'Europe/Paris', night)).toBe(false);
    // 23:00 in Paris is 21:00 UTC: not quiet for a UTC schedule.
    expect(isQuiet(paris('23:00'), 'UTC', night)).toBe(false);
    expect(isQuiet(paris('13:00'), 'Europe/Paris', { from: '12:00', to: '14:00' })).toBe(true);
    expect(isQuiet(paris('13:00'), 'Europe/Paris', { from: '12:00', to: '12:00' })).toBe(false);
    expect(isQuiet(paris('13:00'), 'Europe/Paris', undefined)).toBe(false);
  });
});

describe('posting slots (real Redis, real queues)', () => {
  const prefix = uniquePrefix();
  let ctx: AppContext;
  let queue: SlotQueue;
  let schedule: PostSchedule;

  const publishJob = (articleId: string) => ctx.queues.publish.facebook.getJob(`post-${articleId}-fb-news`);

  beforeAll(async () => {
    ({ ctx } = await testApp(prefix, CONFIG));
    queue = new SlotQueue(ctx.redis, prefix);
    schedule = schedulesOf(ctx.config).find((s): s is PostSchedule => s.name === 'post-fb-news')!;
    for (const [i, id] of ['old', 'mid', 'new'].entries()) await queue.add(item(id), 1000 + i);
  });
  afterAll(async () => {
    await ctx.close();
    await deletePrefix(prefix);
  });

  it('merges the crons of an account into one schedule and skips disabled or immediate accounts', () => {
    expect(schedule).toMatchObject({ crons: ['0 8,12,18,22 * * *', '30 12 * * *'], minGapMs: 45 * 60_000 });
  });

  it('posts nothing in quiet hours and keeps the queue intact', async () => {
    const out = await runPostSlot(ctx, queue, schedule, paris('22:00'), paris('22:00'));
    expect(out).toMatchObject({ outcome: 'skipped', reason: 'quiet-hours' });
    expect(await queue.count('fb-news')).toBe(3);
  });

  it('sends the oldest waiting post at a slot, as its publish job', async () => {
    const out = await runPostSlot(ctx, queue, schedule, paris('08:00'), paris('08:00'));
    expect(out).toEqual({
      schedule: 'post-fb-news',
      outcome: 'enqueued',
      jobId: 'post-old-fb-news',
      articleId: 'old',
    });
    expect((await publishJob('old'))?.data).toEqual({ ...item('old'), slot: paris('08:00').toISOString() });
    expect(await queue.count('fb-news')).toBe(2);
  });

  it('skips a slot too close to the previous post, then posts at the next one', async () => {
    await runPostSlot(ctx, queue, schedule, paris('12:00'), paris('12:00'));
    const close = await runPostSlot(ctx, queue, schedule, paris('12:30'), paris('12:30'));
    expect(close).toMatchObject({ outcome: 'skipped', reason: 'min-gap' });
    expect(await publishJob('new')).toBeUndefined();
    const next = await runPostSlot(ctx, queue, schedule, paris('18:00'), paris('18:00'));
    expect(next).toMatchObject({ outcome: 'enqueued', articleId: 'new' });
    const empty = await runPostSlot(ctx, queue, schedule, paris('08:00', 16), paris('08:00', 16));
    expect(empty).toMatchObject({ outcome: 'skipped', reason: 'nothing-waiting' });
  });

  it('drops posts that are already finished in the ledger and posts the next one', async () => {
    const posted: Post = {
      platform: 'facebook',
      account: 'fb-news',
      articleId: 'done',
      articleKey: 'https://example.org/done',
      text: 'Done.',
      summary: 'Done.',
      link: 'https://example.org/done',
      hashtags: [],
      article: { url: 'https://example.org/done', title: 'Done' },
    };
    await ctx.ledger.createPending(posted);
    await ctx.ledger.markPosted(posted, { postId: '1', url: 'https://facebook.com/1' });
    await queue.add(item('done'), 5000);
    await queue.add(item('fresh'), 6000);
    const out = await runPostSlot(ctx, queue, schedule, paris('08:00', 17), paris('08:00', 17));
    expect(out).toMatchObject({ outcome: 'enqueued', articleId: 'fresh', dropped: 1 });
    expect(await publishJob('done')).toBeUndefined();
  });

  it('runs late (catch-up) by the real clock: no post when the real time is in quiet hours', async () => {
    await queue.add(item('late'), 7000);
    const out = await runPostSlot(ctx, queue, schedule, paris('18:00', 18), paris('23:30', 18));
    expect(out).toMatchObject({ outcome: 'skipped', reason: 'quiet-hours' });
    expect(await queue.count('fb-news')).toBe(1);
  });

  it('keeps the posts of an account that cannot post (credentials missing)', async () => {
    const off = schedulesOf(ctx.config).find((s): s is PostSchedule => s.name === 'post-fb-off')!;
    await queue.add(item('kept', 'fb-off'), 1);
    const out = await runPostSlot(
      ctx,
      queue,
      off,
      new Date('2026-06-15T08:00:00Z'),
      new Date('2026-06-15T08:00:00Z'),
    );
    expect(out).toMatchObject({ outcome: 'skipped', reason: 'account-unavailable' });
    expect(await queue.count('fb-off')).toBe(1);
  });
});
