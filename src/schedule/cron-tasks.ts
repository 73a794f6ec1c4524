import cron, { type Logger as CronLogger, type ScheduledTask, type TaskContext } from 'node-cron';
import type { Logger } from 'pino';
import type { SlotLease } from './lease.js';

/** How a slot came to run: at its time, at start-up for a slot missed while every scheduler was down, late
 * because this process was too busy at the slot time (node-cron reports it as "missed"), or at the end of a
 * daylight-saving gap because its wall-clock time did not exist that day (gap-slots.ts). */
export type SlotTrigger = 'scheduled' | 'catch-up' | 'missed' | 'dst-gap';

export interface SlotHandlers {
  /** Called only once this process holds the slot's lease. Must not throw. */
  run(slot: Date, trigger: SlotTrigger): Promise<void>;
  /** The slot was not run here: another process (or another cron of the same schedule) took it, or the lease
   * could not be asked (Redis down: node-cron skips, fail-closed). `trigger` defaults to "scheduled". */
  skipped(slot: Date, reason: 'slot-taken' | 'lease-error', trigger?: SlotTrigger): void;
}

/**
 * Runs a slot that node-cron does not coordinate: claims its lease (keyed by `wall`, default the wall-clock
 * reading of `slot`), then runs it here or reports it skipped. A lease that cannot be asked skips (fail-closed).
 */
export async function claimAndRun(
  lease: SlotLease,
  handlers: SlotHandlers,
  logger: Logger,
  slot: Date,
  trigger: SlotTrigger,
  wall?: string,
): Promise<void> {
  let mine: boolean;
  try {
    mine = await lease.claim(slot, wall);
  } catch (err) {
    logger.error({ err, schedule: lease.name, slot: slot.toISOString(), wall }, 'slot lease not reachable');
    handlers.skipped(slot, 'lease-error', trigger);
    return;
  }
  if (mine) await handlers.run(slot, trigger);
  else handlers.skipped(slot, 'slot-taken', trigger);
}

/** node-cron logs to the console unless given a logger: route it to pino. */
export function cronLogger(logger: Logger): CronLogger {
  return {
    info: (message) => logger.debug({ source: 'node-cron' }, message),
    warn: (message) => logger.warn({ source: 'node-cron' }, message),
    error: (message, err) => logger.error({ source: 'node-cron', err: err ?? message }, String(message)),
    debug: (message, err) => logger.debug({ source: 'node-cron', err }, String(message)),
  };
}

/**
 * One stopped node-cron task per cron of a schedule, all named after the schedule and coordinated by its
 * lease: node-cron asks `lease.shouldRun("<name>:<slotISO>")` before each run, so one process runs each slot.
 *
 * Runs that node-cron does not coordinate go through `lease.claim` here: node-cron skips a slot it reaches
 * more than `missedExecutionTolerance` late (event loop blocked) and only reports it as missed; this runs it
 * anyway, once, under the same lease.
 */
export function createSlotTasks(
  name: string,
  crons: string[],
  lease: SlotLease,
  handlers: SlotHandlers,
  logger: Logger,
): ScheduledTask[] {
  return crons.map((expression) => {
    const task = cron.createTask(expression, (ctx: TaskContext) => handlers.run(ctx.date, 'scheduled'), {
      name,
      timezone: lease.zone,
      distributed: true,
      runCoordinator: lease,
      logger: cronLogger(logger),
      // We listen to "execution:missed" ourselves.
      suppressMissedWarning: true,
    });
    task.on('execution:skipped', (ctx) =>
      handlers.skipped(ctx.date, ctx.reason === 'coordinator-error' ? 'lease-error' : 'slot-taken'),
    );
    task.on('execution:missed', (ctx) => claimAndRun(lease, handlers, logger, ctx.date, 'missed'));
    return task;
  });
}
