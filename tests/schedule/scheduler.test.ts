import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppContext } from '../../src/context.js';
import {
  HEARTBEAT_INTERVAL_MS,
  HEARTBEAT_TTL_MS,
  listSchedulerHeartbeats,
} from '../../src/schedule/heartbeat.js';
import { ScheduleConfigError } from '../../src/schedule/plan.js';
import { nextSlots, startScheduler } from '../../src/schedule/scheduler.js';
import { SlotQueue } from '../../src/schedule/slot-queue.js';
import { deletePrefix, uniquePrefix } from '../helpers/redis.js';
import { waitFor } from '../helpers/wait.js';
import { waitingItem as item, type LogLine, linesOf, testApp } from './context.js';

const CONFIG = `
site: { name: Test, url: https://example.org }
sources:
  - id: news
    kind: text
    location: news.txt
    url: https://example.org/n
    schedule: { cron: "0 0 * * *", timezone: UTC }
accounts:
  - id: fb-news
    platform: facebook
    schedule: { mode: slots, slots: ["0 0 * * *"], timezone: UTC }
  - id: fb-paris
    platform: facebook
    schedule:
      mode: slots
      slots: ["0 8,12 * * *"]
      timezone: Europe/Paris
      quietHours: { from: "11:00", to: "13:00" }
`;

const lastMidnightUtc = () => {
  const d = new Date();
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
};

const enqueuedBy = (lines: LogLine[]) =>
  linesOf(lines, 'scheduler-tick').flatMap((l) => (l.enqueued as { jobId: string }[]).map((e) => e.jobId));

describe('scheduler start-up: catch-up once, heartbeats, refusals (real Redis)', () => {
  const prefix = uniquePrefix();
  const apps: { ctx: AppContext; lines: LogLine[] }[] = [];
  beforeAll(async () => {
    apps.push(await testApp(prefix, CONFIG), await testApp(prefix, CONFIG));
    const queue = new SlotQueue(apps[0]!.ctx.redis, prefix);
    await queue.add(item('a1'), 1);
    await queue.add(item('a2'), 2);
  });
  afterAll(async () => {
    for (const a of apps) await a.ctx.close();
    await deletePrefix(prefix);
  });

  it('runs the slot missed while no scheduler was up, once, and not again at the next start', async () => {
    const [first, second] = apps as [(typeof apps)[0], (typeof apps)[0]];
    const midnight = lastMidnightUtc();
    const a = await startScheduler(first.ctx, { instanceId: 'sched-a' });
    expect(a.instanceId).toBe('sched-a');
    await a.stop();

    const ingest = await first.ctx.queues.ingest.getJobs(['waiting', 'delayed', 'prioritized']);
    expect(ingest.map((j) => j.id)).toEqual([`poll-news-${midnight}`]);
    expect(ingest[0]!.data).toMatchObject({
      location: '/srv/crier/config/news.txt',
      kind: 'text',
      url: 'https://example.org/n',
      sourceId: 'news',
    });
    const publish = await first.ctx.queues.publish.facebook.getJobs(['waiting', 'delayed', 'prioritized']);
    expect(publish.map((j) => j.id)).toEqual(['post-a1-fb-news']);
    const tick = linesOf(first.lines, 'scheduler-tick').find((l) => l.trigger === 'catch-up');
    expect(tick).toMatchObject({ slot: new Date(midnight).toISOString() });
    expect(enqueuedBy(first.lines).sort()).toEqual([`poll-news-${midnight}`, 'post-a1-fb-news']);

    // Another process starts later: the slot is known as run, nothing is queued twice.
    const b = await startScheduler(second.ctx, { instanceId: 'sched-b' });
    await b.stop();
    expect(await second.ctx.queues.ingest.getJobCounts('waiting')).toEqual({ waiting: 1 });
    expect(await second.ctx.queues.publish.facebook.getJobCounts('waiting')).toEqual({ waiting: 1 });
    expect(await new SlotQueue(second.ctx.redis, prefix).oldest('fb-news')).toEqual(item('a2'));
    expect(enqueuedBy(second.lines)).toEqual([]);
  });

  it('writes a heartbeat per running scheduler and removes it on stop', async () => {
    const s = await startScheduler(apps[0]!.ctx, { instanceId: 'beat-1', heartbeatMs: 100 });
    const t = await startScheduler(apps[1]!.ctx, { instanceId: 'beat-2', heartbeatMs: 100 });
    const beats = await listSchedulerHeartbeats(apps[0]!.ctx.redis, prefix);
    expect(beats.map((b) => b.instanceId).sort()).toEqual(['beat-1', 'beat-2']);
    expect(beats[0]).toMatchObject({ pid: process.pid, host: expect.any(String) });
    const started = Date.parse(beats[0]!.started);
    // It beats again (every 100 ms here).
    await waitFor(async () => {
      const later = (await listSchedulerHeartbeats(apps[0]!.ctx.redis, prefix)).find(
        (b) => b.instanceId === 'beat-1',
      );
      return Date.parse(later?.lastBeat ?? '') > started;
    });
    // A beat outlives the 2-minute window of /healthz, however short the beat period.
    expect(await apps[0]!.ctx.redis.pttl(`${prefix}:scheduler:beat-1`)).toBeGreaterThan(120_000);
    expect(HEARTBEAT_TTL_MS).toBeGreaterThanOrEqual(150_000);
    expect(HEARTBEAT_INTERVAL_MS).toBe(20_000);
    await s.stop();
    expect((await listSchedulerHeartbeats(apps[0]!.ctx.redis, prefix)).map((b) => b.instanceId)).toEqual([
      'beat-2',
    ]);
    await t.stop();
    expect(await listSchedulerHeartbeats(apps[0]!.ctx.redis, prefix)).toEqual([]);
  });

  it('refuses an unknown zone or a bad cron before starting anything', async () => {
    const ctx = apps[0]!.ctx;
    const badZone = {
      ...ctx,
      config: {
        ...ctx.config,
        sources: [{ ...ctx.config.sources[0]!, schedule: { cron: '0 * * * *', timezone: 'Mars/Olympus' } }],
      },
    };
    await expect(startScheduler(badZone, { instanceId: 'bad' })).rejects.toThrow(ScheduleConfigError);
    await expect(startScheduler(badZone, { instanceId: 'bad' })).rejects.toThrow(
      /poll-news: time zone "Mars\/Olympus" is unknown/,
    );
    const badCron = {
      ...ctx,
      config: {
        ...ctx.config,
        sources: [{ ...ctx.config.sources[0]!, schedule: { cron: '61 * * * *', timezone: 'UTC' } }],
      },
    };
    await expect(startScheduler(badCron, { instanceId: 'bad' })).rejects.toThrow(
      /poll-news: cron "61 \* \* \* \*"/,
    );
    expect(await listSchedulerHeartbeats(ctx.redis, prefix)).toEqual([]);
  });

  it('lists the next slots of each slots-mode account in its zone, with quiet ones marked', async () => {
    await new SlotQueue(apps[0]!.ctx.redis, prefix).add(item('p1', 'fb-paris'), 1);
    const all = await nextSlots(apps[0]!.ctx, 4);
    expect(all.map((a) => a.account)).toEqual(['fb-news', 'fb-paris']);
    const paris = all[1]!;
    expect(paris).toMatchObject({ timezone: 'Europe/Paris', waiting: 1, minGapMinutes: 0 });
    expect(paris.slots).toHaveLength(4);
    for (const s of paris.slots) {
      expect(s.local).toMatch(/T(08|12):00:00\+0[12]:00$/);
      expect(s.quiet).toBe(s.local.includes('T12:00'));
      expect(Date.parse(s.at)).toBeGreaterThan(Date.now());
    }
    const times = paris.slots.map((s) => Date.parse(s.at));
    expect([...times].sort((x, y) => x - y)).toEqual(times);
    expect(all[0]!.slots[0]!.local).toMatch(/T00:00:00\+00:00$/);
  });
});
