import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import cron, { type ScheduledTask } from 'node-cron';
import type { AppContext } from '../app/context.js';
import type { PlatformName } from '../platforms/platform.js';
import { createSlotTasks, type SlotHandlers, type SlotTrigger } from './cron-tasks.js';
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
  /** Heartbeat period (default 20 s; a beat lives three periods). */
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
}

/**
 * Runs the schedules of the config in this process: source polls (an ingest job per slot) and posting slots of
 * `slots`-mode accounts (the oldest waiting post per slot). Any number of scheduler processes may run; each slot
 * is run by exactly one of them (Redis lease per slot, plus a job id per slot).
 *
 * Start-up: the schedules are checked (a bad cron or zone throws `ScheduleConfigError` before anything
 * starts), the heartbeat is written, the node-cron tasks start, then the catch-up pass runs the most recent
 * slot of each schedule within the look-back if no process has run it. Catch-up comes right AFTER the tasks
 * start so that no slot can fall between the two; a slot both would run is run once thanks to the lease.
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
    skipped(slot, reason) {
      ticks.record(slot, 'scheduled', { schedule: schedule.name, outcome: 'skipped', reason });
    },
  });

  const entries: Entry[] = schedules.map((schedule) => {
    const lease = new SlotLease(ctx.redis, prefix, instanceId, schedule.name, schedule.zone);
    return {
      schedule,
      lease,
      tasks: createSlotTasks(schedule.name, schedule.crons, lease, handlersFor(schedule), logger),
    };
  });
  const tasks = entries.flatMap((e) => e.tasks);

  const stop = async () => {
    for (const t of tasks) await t.destroy();
    await Promise.allSettled([...inflight]);
    ticks.flushAll();
    await heartbeat.stop();
  };

  for (const t of tasks) await t.start();
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
        next: nextOf(e.tasks, e.schedule.zone, 1)[0]?.local,
      })),
    },
    `scheduler started with ${entries.length} schedule(s)`,
  );
  return { instanceId, stop };
}

/** For each schedule, the most recent slot within the look-back runs now if no process has run it. */
async function catchUp(
  entries: Entry[],
  handlersFor: (s: Schedule) => SlotHandlers,
  lookbackMs: number,
  logger: AppContext['logger'],
): Promise<void> {
  const now = new Date();
  for (const { schedule, lease, tasks } of entries) {
    let latest: Date | null = null;
    schedule.crons.forEach((expression, i) => {
      const task = tasks[i]!;
      const prev = previousOccurrence(expression, (d) => task.match(d), now, lookbackMs);
      if (prev && (!latest || prev > latest)) latest = prev;
    });
    if (!latest) continue;
    const slot: Date = latest;
    if (await lease.claim(slot)) {
      logger.info({ schedule: schedule.name, slot: slot.toISOString() }, 'catching up a missed slot');
      await handlersFor(schedule).run(slot, 'catch-up');
    }
  }
}

interface SlotTime {
  /** UTC ISO. */
  at: string;
  /** In the schedule's zone with its offset: `2026-10-25T02:30:00+01:00`. */
  local: string;
}

/** The next `limit` slot times of a schedule's tasks, merged; one per wall-clock time, as the lease runs them. */
function nextOf(tasks: ScheduledTask[], zone: string, limit: number): SlotTime[] {
  const byWall = new Map<string, Date>();
  for (const t of tasks) {
    for (const d of t.getNextRuns(limit)) {
      const wall = wallClockText(d, zone);
      if (!byWall.has(wall)) byWall.set(wall, d);
    }
  }
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
    try {
      out.push({
        account: s.account.id,
        platform: s.account.platform,
        timezone: s.zone,
        waiting: await queue.count(s.account.id),
        quietHours: s.quietHours,
        minGapMinutes: s.minGapMs / 60_000,
        slots: nextOf(tasks, s.zone, limit).map((t) => ({
          ...t,
          quiet: isQuiet(new Date(t.at), s.zone, s.quietHours),
        })),
      });
    } finally {
      for (const t of tasks) await t.destroy();
    }
  }
  return out;
}
