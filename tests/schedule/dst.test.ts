import { setImmediate as tick } from 'node:timers/promises';
import { Redis } from 'ioredis';
import cron from 'node-cron';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createLogger } from '../../src/core/logger.js';
import {
  claimAndRun,
  createSlotTasks,
  type SlotHandlers,
  type SlotTrigger,
} from '../../src/schedule/cron-tasks.js';
import { dstGaps } from '../../src/schedule/dst-gap.js';
import { GapSlots } from '../../src/schedule/gap-slots.js';
import { GapTimers } from '../../src/schedule/gap-timers.js';
import { SlotLease } from '../../src/schedule/lease.js';
import { previousOccurrence } from '../../src/schedule/occurrences.js';
import { nextSlots, startScheduler } from '../../src/schedule/scheduler.js';
import { SlotQueue } from '../../src/schedule/slot-queue.js';
import { formatInZone } from '../../src/schedule/zone-time.js';
import { deletePrefix, redisUrl, uniquePrefix, usePrivateRedis } from '../helpers/redis.js';
import { type LogLine, linesOf, type TestApp, testApp, waitingItem } from './context.js';

const ZONE = 'Europe/Paris';
const logger = createLogger({ level: 'silent', destination: { write: () => {} } });

interface Run {
  slot: string;
  trigger: SlotTrigger;
  owner: string;
}

let harnessCalls = 0;

/**
 * Runs the scheduler's own parts for one cron (node-cron tasks from createSlotTasks, gap timers firing through
 * claimAndRun, real Redis lease), once per owner as if each were a scheduler process, under fake Date/setTimeout
 * from `from` to `to`, and returns the slots that ran. Redis replies are I/O, not timers: after each simulated
 * hour the test yields to the real event loop until the lease round trips in flight have come back.
 */
async function firesBetween(
  redis: Redis,
  prefix: string,
  expression: string,
  from: string,
  to: string,
  owners: string[] = ['only'],
): Promise<{ runs: Run[]; name: string }> {
  const runs: Run[] = [];
  let pending = 0;
  vi.useFakeTimers({ now: new Date(from), toFake: ['Date', 'setTimeout', 'clearTimeout'] });
  // One schedule name per call: the calls share a prefix and must not see each other's slot keys.
  const name = `post-dst-${++harnessCalls}`;
  const stops: (() => Promise<void>)[] = [];
  try {
    for (const owner of owners) {
      const lease = new SlotLease(redis, prefix, owner, name, ZONE);
      // Count lease round trips in flight, so the test can wait for them on the real event loop.
      const claim = lease.claim.bind(lease);
      lease.claim = async (slot: Date, wall?: string) => {
        pending += 1;
        try {
          return await claim(slot, wall);
        } finally {
          pending -= 1;
        }
      };
      const handlers: SlotHandlers = {
        async run(slot, trigger) {
          runs.push({ slot: slot.toISOString(), trigger, owner });
        },
        skipped() {},
      };
      const tasks = createSlotTasks(name, [expression], lease, handlers, logger);
      const gaps = GapSlots.create([expression], ZONE, (d) => tasks.some((t) => t.match(d)));
      const timers = new GapTimers(
        [{ name, slots: gaps }],
        (_watch, slot) => claimAndRun(lease, handlers, logger, slot.at, 'dst-gap', slot.wall),
        logger,
      );
      for (const t of tasks) await t.start();
      timers.plan();
      stops.push(async () => {
        await timers.stop();
        for (const t of tasks) await t.destroy();
        await gaps.dispose();
      });
    }
    for (let t = Date.parse(from); t < Date.parse(to); t += 3_600_000) {
      await vi.advanceTimersByTimeAsync(3_600_000);
      for (let i = 0; i < 1000 && pending > 0; i++) await tick();
      await tick();
    }
  } finally {
    for (const stop of stops) await stop();
    vi.useRealTimers();
  }
  runs.sort((a, b) => a.slot.localeCompare(b.slot));
  return { runs, name };
}

const localTimes = (runs: Run[]) => runs.map((r) => formatInZone(new Date(r.slot), ZONE));

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

  it('spring forward (29 March): 02:30 does not exist and runs once at 03:00 local (01:00Z), keyed 02:30', async () => {
    const { runs, name } = await firesBetween(
      redis,
      prefix,
      '30 2 * * *',
      '2026-03-28T00:00:00Z',
      '2026-03-31T00:00:00Z',
    );
    expect(localTimes(runs)).toEqual([
      '2026-03-28T02:30:00+01:00',
      '2026-03-29T03:00:00+02:00',
      '2026-03-30T02:30:00+02:00',
    ]);
    expect(runs.map((r) => r.trigger)).toEqual(['scheduled', 'dst-gap', 'scheduled']);
    expect(runs[1]!.slot).toBe('2026-03-29T01:00:00.000Z');
    const lease = new SlotLease(redis, prefix, 'probe', name, ZONE);
    const gapRun = new Date('2026-03-29T01:00:00Z');
    expect(await lease.holder(gapRun, '2026-03-29T02:30:00')).toBe('only 2026-03-29T01:00:00.000Z');
    // The instant's own wall-clock time (03:00) is not taken: the gap slot is 02:30's and nobody else's.
    expect(await lease.taken(gapRun)).toBe(false);
  });

  it('spring forward with two scheduler instances: every slot, the gap one included, runs once', async () => {
    const { runs } = await firesBetween(
      redis,
      prefix,
      '30 2 * * *',
      '2026-03-28T00:00:00Z',
      '2026-03-31T00:00:00Z',
      ['sched-a', 'sched-b'],
    );
    expect(localTimes(runs)).toEqual([
      '2026-03-28T02:30:00+01:00',
      '2026-03-29T03:00:00+02:00',
      '2026-03-30T02:30:00+02:00',
    ]);
    expect(runs.filter((r) => r.trigger === 'dst-gap')).toHaveLength(1);
  });

  it('spring forward: several slot times in the gap (every 15 min of 02:xx) run as one slot at 03:00', async () => {
    const { runs, name } = await firesBetween(
      redis,
      prefix,
      '*/15 2 * * *',
      '2026-03-29T00:00:00Z',
      '2026-03-29T03:00:00Z',
    );
    expect(runs).toEqual([{ slot: '2026-03-29T01:00:00.000Z', trigger: 'dst-gap', owner: 'only' }]);
    const lease = new SlotLease(redis, prefix, 'probe', name, ZONE);
    expect(await lease.taken(new Date(runs[0]!.slot), '2026-03-29T02:00:00')).toBe(true);
  });

  it('spring forward: 08:00 fires once a day at 08:00 local (07:00Z, then 06:00Z)', async () => {
    const { runs } = await firesBetween(
      redis,
      prefix,
      '0 8 * * *',
      '2026-03-28T00:00:00Z',
      '2026-03-31T00:00:00Z',
    );
    expect(runs.map((r) => [r.slot, r.trigger])).toEqual([
      ['2026-03-28T07:00:00.000Z', 'scheduled'],
      ['2026-03-29T06:00:00.000Z', 'scheduled'],
      ['2026-03-30T06:00:00.000Z', 'scheduled'],
    ]);
  });

  it('fall back (25 October): 02:30 happens twice and runs once', async () => {
    const { runs } = await firesBetween(
      redis,
      prefix,
      '30 2 * * *',
      '2026-10-24T00:00:00Z',
      '2026-10-27T00:00:00Z',
      ['sched-a', 'sched-b'],
    );
    const local = localTimes(runs);
    expect(local.filter((l) => l.startsWith('2026-10-25'))).toHaveLength(1);
    expect(local).toEqual([
      '2026-10-24T02:30:00+02:00',
      '2026-10-25T02:30:00+01:00',
      '2026-10-26T02:30:00+01:00',
    ]);
    expect(runs.every((r) => r.trigger === 'scheduled')).toBe(true);
  });

  it('fall back: 08:00 fires once a day at 08:00 local (06:00Z, then 07:00Z)', async () => {
    const { runs } = await firesBetween(
      redis,
      prefix,
      '0 8 * * *',
      '2026-10-24T00:00:00Z',
      '2026-10-27T00:00:00Z',
    );
    expect(runs.map((r) => [r.slot, r.trigger])).toEqual([
      ['2026-10-24T06:00:00.000Z', 'scheduled'],
      ['2026-10-25T07:00:00.000Z', 'scheduled'],
      ['2026-10-26T07:00:00.000Z', 'scheduled'],
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

describe('daylight-saving gaps and the slots that fall in them (Intl offsets, node-cron matchers)', () => {
  const gapsOf = (zone: string, from: string, hours = 48) =>
    dstGaps(zone, new Date(from), new Date(Date.parse(from) + hours * 3_600_000)).map((g) => ({
      end: g.end.toISOString(),
      wall: [new Date(g.wallFrom).toISOString(), new Date(g.wallTo).toISOString()],
    }));

  it('finds the spring gap of each zone to the second, and none in autumn or in UTC', () => {
    expect(gapsOf('Europe/Paris', '2026-03-28T00:00:00Z')).toEqual([
      { end: '2026-03-29T01:00:00.000Z', wall: ['2026-03-29T02:00:00.000Z', '2026-03-29T03:00:00.000Z'] },
    ]);
    expect(gapsOf('America/New_York', '2026-03-07T00:00:00Z')).toEqual([
      { end: '2026-03-08T07:00:00.000Z', wall: ['2026-03-08T02:00:00.000Z', '2026-03-08T03:00:00.000Z'] },
    ]);
    // Lord Howe Island moves by half an hour.
    expect(gapsOf('Australia/Lord_Howe', '2026-10-03T00:00:00Z')).toEqual([
      { end: '2026-10-03T15:30:00.000Z', wall: ['2026-10-04T02:00:00.000Z', '2026-10-04T02:30:00.000Z'] },
    ]);
    expect(gapsOf('Europe/Paris', '2026-10-24T00:00:00Z')).toEqual([]);
    expect(gapsOf('UTC', '2026-03-28T00:00:00Z')).toEqual([]);
    // The range is (from, to]: a gap ending exactly at `from` belongs to the range before.
    expect(gapsOf('Europe/Paris', '2026-03-29T01:00:00Z')).toEqual([]);
    expect(gapsOf('Europe/Paris', '2026-03-28T01:00:00Z', 24)).toHaveLength(1);
  });

  async function gapSlots(crons: string[], zone = ZONE, from = '2026-03-28T00:00:00Z') {
    const tasks = crons.map((c) => cron.createTask(c, () => undefined, { timezone: zone }));
    const gaps = GapSlots.create(crons, zone, (d) => tasks.some((t) => t.match(d)));
    try {
      return gaps
        .between(new Date(from), new Date(Date.parse(from) + 48 * 3_600_000))
        .map((g) => ({ ...g, at: g.at.toISOString() }));
    } finally {
      await gaps.dispose();
      for (const t of tasks) await t.destroy();
    }
  }

  it('one slot per gap keyed by the earliest time in it, none when the end of the gap is a slot itself', async () => {
    const at = '2026-03-29T01:00:00.000Z';
    expect(await gapSlots(['30 2 * * *'])).toEqual([{ wall: '2026-03-29T02:30:00', at, count: 1 }]);
    expect(await gapSlots(['45 2 * * *', '15,45 2 * * *'])).toEqual([
      { wall: '2026-03-29T02:15:00', at, count: 2 },
    ]);
    // 6-field cron: seconds count too, every 20 s of 02:xx is 180 slot times, one run.
    expect(await gapSlots(['*/20 * 2 * * *'])).toEqual([{ wall: '2026-03-29T02:00:00', at, count: 180 }]);
    // Day-of-week is the wall-clock date's: 29 March 2026 is a Sunday.
    expect(await gapSlots(['30 2 * * 0'])).toHaveLength(1);
    expect(await gapSlots(['30 2 * * 1-6'])).toEqual([]);
    // 03:00 is a real slot of the schedule: it is the one that runs at the end of the gap.
    expect(await gapSlots(['30 2 * * *', '0 3 * * *'])).toEqual([]);
    expect(await gapSlots(['*/15 * * * *'])).toEqual([]);
    expect(await gapSlots(['0 8 * * *'])).toEqual([]);
    expect(await gapSlots(['30 2 * * *'], 'America/New_York', '2026-03-07T00:00:00Z')).toEqual([
      { wall: '2026-03-08T02:30:00', at: '2026-03-08T07:00:00.000Z', count: 1 },
    ]);
  });
});

const NIGHT_CONFIG = `
site: { name: Test, url: https://example.org }
sources:
  - id: night
    kind: text
    location: night.txt
    url: https://example.org/n
    schedule: { cron: "30 2 * * *", timezone: Europe/Paris }
accounts:
  - id: fb-night
    platform: facebook
    schedule: { mode: slots, slots: ["30 2 * * *", "0 8 * * *"], timezone: Europe/Paris }
`;

/** The config needs an account; this one posts as articles come, with no slots. */
const ONE_IMMEDIATE_ACCOUNT = 'accounts:\n  - id: fb-news\n    platform: facebook\n';

const GAP_RUN = '2026-03-29T01:00:00.000Z';
const GAP_JOB = `poll-night-${Date.parse(GAP_RUN)}`;

/** The scheduler-tick lines one scheduler instance wrote. */
const ticksOf = (lines: LogLine[], instanceId: string) =>
  linesOf(lines, 'scheduler-tick').filter((l) => l.instanceId === instanceId);

describe('startScheduler on 29 March 2026 in Europe/Paris (fake clock, real Redis and queues)', () => {
  const prefix = uniquePrefix();
  const apps: TestApp[] = [];
  beforeAll(async () => {
    apps.push(await testApp(prefix, NIGHT_CONFIG), await testApp(prefix, NIGHT_CONFIG));
    await new SlotQueue(apps[0]!.ctx.redis, prefix).add(waitingItem('g1', 'fb-night'), 1);
  });
  afterEach(() => {
    vi.useRealTimers();
  });
  afterAll(async () => {
    for (const a of apps) await a.ctx.close();
    await deletePrefix(prefix);
  });

  it('two schedulers fire the 02:30 poll once at 01:00Z (trigger dst-gap); a restart does not catch it up again', async () => {
    const [a, b] = apps as [TestApp, TestApp];
    vi.useFakeTimers({
      now: new Date('2026-03-29T00:00:00Z'),
      toFake: ['Date', 'setTimeout', 'clearTimeout'],
    });
    // A 1 h look-back: the 02:30 of 28 March is not caught up, only the gap slot is in play.
    const sa = await startScheduler(a.ctx, { instanceId: 'dst-a', lookbackMs: 3_600_000 });
    const sb = await startScheduler(b.ctx, { instanceId: 'dst-b', lookbackMs: 3_600_000 });
    expect(linesOf(a.lines, 'dst-gap-armed')).toContainEqual(
      expect.objectContaining({ schedule: 'poll-night', wall: '2026-03-29T02:30:00', at: GAP_RUN }),
    );
    await vi.advanceTimersByTimeAsync(90 * 60_000);
    // stop() waits for the gap slots being claimed and run.
    await Promise.all([sa.stop(), sb.stop()]);

    const ingest = await a.ctx.queues.ingest.getJobs(['waiting', 'delayed', 'prioritized']);
    expect(ingest.map((j) => j.id)).toEqual([GAP_JOB]);
    const gapTicks = [...ticksOf(a.lines, 'dst-a'), ...ticksOf(b.lines, 'dst-b')].filter(
      (l) => l.trigger === 'dst-gap',
    );
    // Both processes reached the gap slot at 01:00Z: one ran each schedule's slot, the other found it taken.
    // (How the outcomes spread over tick lines depends on when the Redis replies came back.)
    expect(new Set(gapTicks.map((l) => l.slot))).toEqual(new Set([GAP_RUN]));
    const enqueued = gapTicks.flatMap((l) => l.enqueued as { schedule: string; jobId: string }[]);
    expect(enqueued.map((e) => e.schedule).sort()).toEqual(['poll-night', 'post-fb-night']);
    expect(enqueued.map((e) => e.jobId).sort()).toEqual([GAP_JOB, 'post-g1-fb-night']);
    const skipped = gapTicks.flatMap((l) => l.skipped as { schedule: string; reason: string }[]);
    expect(
      skipped
        .filter((s) => s.reason === 'slot-taken')
        .map((s) => s.schedule)
        .sort(),
    ).toEqual(['poll-night', 'post-fb-night']);
    const lease = new SlotLease(a.ctx.redis, prefix, 'probe', 'poll-night', ZONE);
    expect(await lease.holder(new Date(GAP_RUN), '2026-03-29T02:30:00')).toMatch(
      /^dst-[ab] 2026-03-29T01:00:00\.000Z$/,
    );

    // Restarted at 05:00 local with the default 24 h look-back: the gap slot is the latest, and it ran.
    vi.setSystemTime(new Date('2026-03-29T03:00:00Z'));
    const sc = await startScheduler(a.ctx, { instanceId: 'dst-c' });
    await sc.stop();
    expect(ticksOf(a.lines, 'dst-c')).toEqual([]);
    expect(await a.ctx.queues.ingest.getJobCounts('waiting')).toEqual({ waiting: 1 });
  });

  it('lists the gap slot at the time it runs (03:00+02:00) among the next slots', async () => {
    vi.useFakeTimers({ now: new Date('2026-03-28T12:00:00Z'), toFake: ['Date'] });
    const [paris] = await nextSlots(apps[0]!.ctx, 4);
    expect(paris!.slots.map((s) => s.local)).toEqual([
      '2026-03-29T03:00:00+02:00',
      '2026-03-29T08:00:00+02:00',
      '2026-03-30T02:30:00+02:00',
      '2026-03-30T08:00:00+02:00',
    ]);
  });
});

describe('catch-up of a gap slot no scheduler was up for', () => {
  const prefix = uniquePrefix();
  let app: TestApp;
  beforeAll(async () => {
    app = await testApp(prefix, NIGHT_CONFIG.replace(/accounts:[\s\S]*$/, ONE_IMMEDIATE_ACCOUNT));
  });
  afterEach(() => {
    vi.useRealTimers();
  });
  afterAll(async () => {
    await app.ctx.close();
    await deletePrefix(prefix);
  });

  it('runs it once at start (trigger catch-up, key 02:30), and not at the next start', async () => {
    vi.useFakeTimers({
      now: new Date('2026-03-29T03:00:00Z'),
      toFake: ['Date', 'setTimeout', 'clearTimeout'],
    });
    const first = await startScheduler(app.ctx, { instanceId: 'late-1' });
    await first.stop();
    expect(ticksOf(app.lines, 'late-1')).toEqual([
      expect.objectContaining({
        slot: GAP_RUN,
        trigger: 'catch-up',
        enqueued: [{ schedule: 'poll-night', jobId: GAP_JOB }],
      }),
    ]);
    const lease = new SlotLease(app.ctx.redis, prefix, 'probe', 'poll-night', ZONE);
    expect(await lease.holder(new Date(GAP_RUN), '2026-03-29T02:30:00')).toBe(`late-1 ${GAP_RUN}`);

    vi.setSystemTime(new Date('2026-03-29T04:00:00Z'));
    const second = await startScheduler(app.ctx, { instanceId: 'late-2' });
    await second.stop();
    expect(ticksOf(app.lines, 'late-2')).toEqual([]);
    expect((await app.ctx.queues.ingest.getJobs(['waiting'])).map((j) => j.id)).toEqual([GAP_JOB]);
  });
});
