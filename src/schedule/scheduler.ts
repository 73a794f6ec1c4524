import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import cron, { type ScheduledTask } from 'node-cron';
import type { AppContext } from '../context.js';
import type { PlatformName } from '../core/platform.js';
import { claimAndRun, createSlotTasks, type SlotHandlers, type SlotTrigger } from './cron-tasks.js';
import { GapSlots } from './gap-slots.js';
import { GapTimers } from './gap-timers.js';
import { HEARTBEAT_INTERVAL_MS, startHeartbeat } from './heartbeat.js';
import { SlotLease } from './lease.js';
import { CATCH_UP_LOOKBACK_MS, previousOccurrence } from './occurrences.js';
import { assertValidSchedules, type PostSchedule, type Schedule, schedulesOf } from './plan.js';
import { isQuiet, type QuietHours } from './quiet-hours.js';
import { runPollSlot, runPostSlot, type SlotOutcome } from './slot-actions.js';
import { SlotQueue } from './slot-queue.js';
import { TickLog } from './tick-log.js';
import { formatInZone, wallClockText } from './zone-time.js';

export interface SchedulerOptions {
  /** Names this process in heartbeats and slot leases; default `<host>-<pid>-<random>`. */
  instanceId?: string;
  /** How far back start-up looks for a slot missed while every scheduler was down (default 24 h). */
  lookbackMs?: number;
  /** Heartbeat period (default 20 s; a beat lives 150 s, or three periods if longer). */
  heartbeatMs?: number;
}

export interface RunningScheduler {
  instanceId: string;
  /** Stops the cron tasks, waits for slots being run, removes the heartbeat. */
  stop(): Promise<void>;
}

function defaultInstanceId(): string {
  const host = hostname().replace(/[^A-Za-z0-9_.-]/g, '-');
  return `${host}-${process.pid}-${randomBytes(3).toString('hex')}`;
}

interface Entry {
  schedule: Schedule;
  lease: SlotLease;
  tasks: ScheduledTask[];
  /** The slots of the schedule whose wall-clock time falls in a daylight-saving gap. */
  gaps: GapSlots;
}

/** Real slots (node-cron's own matcher) of a schedule's tasks. */
const matchesAny = (tasks: ScheduledTask[]) => (date: Date) => tasks.some((t) => t.match(date));

/**
 * Runs the schedules of the config in this process: source polls (an ingest job per slot) and posting slots of
 * `slots`-mode accounts (the oldest waiting post per slot). Any number of scheduler processes may run; each slot
 * is run by exactly one of them (Redis lease per slot, plus a job id per slot).
 *
 * Start-up: the schedules are checked (a bad cron or zone throws `ScheduleConfigError` before anything
 * starts), the heartbeat is written, the node-cron tasks start, then the catch-up pass runs the most recent
 * slot of each schedule within the look-back if no process has run it. Catch-up comes right AFTER the tasks
 * start so that no slot can fall between the two; a slot both would run is run once thanks to the lease.
 *
 * Daylight saving: a wall-clock slot time that happens twice (autumn) runs once, the lease being keyed by
 * wall-clock time. One that does not exist (spring, e.g. 02:30 in Paris on 29 March 2026) runs once at the end
 * of the gap (03:00 local), trigger "dst-gap", under the lease key of 02:30 (gap-slots.ts, gap-timers.ts);
 * catch-up treats it as any other slot.
 */
export async function startScheduler(
  ctx: AppContext,
  opts: SchedulerOptions = {},
): Promise<RunningScheduler> {
  const schedules = schedulesOf(ctx.config);
  assertValidSchedules(schedules);
  const instanceId = opts.instanceId ?? defaultInstanceId();
  const prefix = ctx.settings.prefix;
  const logger = ctx.logger.child({ component: 'scheduler', instanceId });
  const queue = new SlotQueue(ctx.redis, prefix);
  const ticks = new TickLog(logger);
  const inflight = new Set<Promise<void>>();

  const heartbeat = startHeartbeat(
    ctx.redis,
    prefix,
    instanceId,
    logger,
    opts.heartbeatMs ?? HEARTBEAT_INTERVAL_MS,
  );
  await heartbeat.first;

  const runSlot = async (schedule: Schedule, slot: Date, trigger: SlotTrigger): Promise<void> => {
    let outcome: SlotOutcome;
    try {
      outcome =
        schedule.kind === 'poll'
          ? await runPollSlot(ctx, schedule, slot)
          : await runPostSlot(ctx, queue, schedule, slot);
    } catch (err) {
      logger.error({ err, schedule: schedule.name, slot: slot.toISOString(), trigger }, 'slot failed');
      outcome = {
        schedule: schedule.name,
        outcome: 'failed',
        error: err instanceof Error ? err.message : String(err),
      };
    }
    ticks.record(slot, trigger, outcome);
  };

  const handlersFor = (schedule: Schedule): SlotHandlers => ({
    run(slot, trigger) {
      const p = runSlot(schedule, slot, trigger);
      inflight.add(p);
      return p.finally(() => inflight.delete(p));
    },
    skipped(slot, reason, trigger = 'scheduled') {
      ticks.record(slot, trigger, { schedule: schedule.name, outcome: 'skipped', reason });
    },
  });

  const entries: Entry[] = schedules.map((schedule) => {
    const lease = new SlotLease(ctx.redis, prefix, instanceId, schedule.name, schedule.zone);
    const tasks = createSlotTasks(schedule.name, schedule.crons, lease, handlersFor(schedule), logger);
    return {
      schedule,
      lease,
      tasks,
      gaps: GapSlots.create(schedule.crons, schedule.zone, matchesAny(tasks)),
    };
  });
  const tasks = entries.flatMap((e) => e.tasks);
  const gapTimers = new GapTimers(
    entries.map((entry) => ({ name: entry.schedule.name, slots: entry.gaps, entry })),
    async ({ entry }, slot) => {
      if (slot.count > 1)
        logger.info(
          { schedule: entry.schedule.name, wall: slot.wall, collapsed: slot.count },
          'several slot times fell in the daylight-saving gap: they run as one slot',
        );
      await claimAndRun(entry.lease, handlersFor(entry.schedule), logger, slot.at, 'dst-gap', slot.wall);
    },
    logger,
  );

  const stop = async () => {
    // No new slot is taken here; a slot claimed a moment ago still runs, and is waited for below.
    for (const e of entries) await e.lease.close();
    await gapTimers.stop();
    for (const t of tasks) await t.destroy();
    // node-cron starts a run right after its claim resolves: let that happen before collecting the runs.
    await new Promise((r) => setImmediate(r));
    await Promise.allSettled([...inflight]);
    for (const e of entries) await e.gaps.dispose();
    ticks.flushAll();
    await heartbeat.stop();
  };

  for (const t of tasks) await t.start();
  gapTimers.plan();
  try {
    await catchUp(entries, handlersFor, opts.lookbackMs ?? CATCH_UP_LOOKBACK_MS, logger);
  } catch (err) {
    await stop();
    throw err;
  }
  logger.info(
    {
      event: 'scheduler-started',
      schedules: entries.map((e) => ({
        name: e.schedule.name,
        crons: e.schedule.crons,
        zone: e.schedule.zone,
        next: nextOf(e.tasks, e.gaps, 1)[0]?.local,
      })),
    },
    `scheduler started with ${entries.length} schedule(s)`,
  );
  return { instanceId, stop };
}

/**
 * For each schedule, the most recent slot within the look-back runs now if no process has run it. A gap slot
 * (wall-clock time that did not exist) counts as a slot at the end of its gap, under its own wall-clock key,
 * so that a gap slot a running scheduler fired is not run again, and one fired by nobody is run once.
 */
async function catchUp(
  entries: Entry[],
  handlersFor: (s: Schedule) => SlotHandlers,
  lookbackMs: number,
  logger: AppContext['logger'],
): Promise<void> {
  const now = new Date();
  for (const { schedule, lease, tasks, gaps } of entries) {
    let latest: { at: Date; wall?: string } | null = null;
    schedule.crons.forEach((expression, i) => {
      const task = tasks[i]!;
      const prev = previousOccurrence(expression, (d) => task.match(d), now, lookbackMs);
      if (prev && (!latest || prev > latest.at)) latest = { at: prev };
    });
    for (const gap of gaps.between(new Date(now.getTime() - lookbackMs), now)) {
      if (!latest || gap.at > latest.at) latest = { at: gap.at, wall: gap.wall };
    }
    if (!latest) continue;
    const { at, wall }: { at: Date; wall?: string } = latest;
    if (await lease.claim(at, wall)) {
      logger.info({ schedule: schedule.name, slot: at.toISOString(), wall }, 'catching up a missed slot');
      await handlersFor(schedule).run(at, 'catch-up');
    }
  }
}

interface SlotTime {
  /** UTC ISO. */
  at: string;
  /** In the schedule's zone with its offset: `2026-10-25T02:30:00+01:00`. */
  local: string;
}

/** How far `nextOf` looks for gap slots when the schedule has fewer real slots ahead than asked for. */
const GAP_LISTING_HORIZON_MS = 48 * 3_600_000;
/** And at most (a yearly cron listed five times would otherwise scan five years). */
const GAP_LISTING_MAX_MS = 366 * 24 * 3_600_000;

/**
 * The next `limit` slot times of a schedule's tasks, merged; one per wall-clock time, as the lease runs them.
 * A slot whose wall-clock time falls in a daylight-saving gap is listed at the time it runs (end of the gap).
 */
function nextOf(tasks: ScheduledTask[], gaps: GapSlots, limit: number): SlotTime[] {
  const zone = gaps.zone;
  const byWall = new Map<string, Date>();
  for (const t of tasks) {
    for (const d of t.getNextRuns(limit)) {
      const wall = wallClockText(d, zone);
      if (!byWall.has(wall)) byWall.set(wall, d);
    }
  }
  const now = Date.now();
  const real = [...byWall.values()].sort((a, b) => a.getTime() - b.getTime());
  const horizon = Math.min(
    real.length >= limit ? real[limit - 1]!.getTime() : now + GAP_LISTING_HORIZON_MS,
    now + GAP_LISTING_MAX_MS,
  );
  for (const g of gaps.between(new Date(now), new Date(horizon))) byWall.set(g.wall, g.at);
  return [...byWall.values()]
    .sort((a, b) => a.getTime() - b.getTime())
    .slice(0, limit)
    .map((d) => ({ at: d.toISOString(), local: formatInZone(d, zone) }));
}

export interface UpcomingSlot extends SlotTime {
  /** The slot falls in quiet hours: it will post nothing. */
  quiet: boolean;
}

export interface AccountSlots {
  account: string;
  platform: PlatformName;
  timezone: string;
  /** Posts waiting in the account's slot queue. */
  waiting: number;
  quietHours?: QuietHours;
  minGapMinutes: number;
  slots: UpcomingSlot[];
}

/** Upcoming posting slots of each enabled `slots`-mode account, for `crier status` and `crier schedule list`. */
export async function nextSlots(ctx: AppContext, limit = 5): Promise<AccountSlots[]> {
  const schedules = schedulesOf(ctx.config).filter((s): s is PostSchedule => s.kind === 'post');
  assertValidSchedules(schedules);
  const queue = new SlotQueue(ctx.redis, ctx.settings.prefix);
  const out: AccountSlots[] = [];
  for (const s of schedules) {
    // Stopped tasks only compute times; destroyed at once so they leave node-cron's registry.
    const tasks = s.crons.map((c) => cron.createTask(c, () => undefined, { timezone: s.zone }));
    const gaps = GapSlots.create(s.crons, s.zone, matchesAny(tasks));
    try {
      out.push({
        account: s.account.id,
        platform: s.account.platform,
        timezone: s.zone,
        waiting: await queue.count(s.account.id),
        quietHours: s.quietHours,
        minGapMinutes: s.minGapMs / 60_000,
        slots: nextOf(tasks, gaps, limit).map((t) => ({
          ...t,
          quiet: isQuiet(new Date(t.at), s.zone, s.quietHours),
        })),
      });
    } finally {
      for (const t of tasks) await t.destroy();
      await gaps.dispose();
    }
  }
  return out;
}
