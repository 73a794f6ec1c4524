import cron, { type Logger as CronLogger, type ScheduledTask, type TaskContext } from 'node-cron';
import type { Logger } from 'pino';
import type { SlotLease } from './lease.js';

/** How a slot came to run: at its time, at start-up for a slot missed while every scheduler was down, or late
 * because this process was too busy at the slot time (node-cron reports it as "missed"). */
export type SlotTrigger = 'scheduled' | 'catch-up' | 'missed';

export interface SlotHandlers {
  /** Called only once this process holds the slot's lease. Must not throw. */
  run(slot: Date, trigger: SlotTrigger): Promise<void>;
  /** The slot was not run here: another process (or another cron of the same schedule) took it, or the lease
   * could not be asked (Redis down: node-cron skips, fail-closed). */
  skipped(slot: Date, reason: 'slot-taken' | 'lease-error'): void;
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
    task.on('execution:missed', async (ctx) => {
      let mine: boolean;
      try {
        mine = await lease.claim(ctx.date);
      } catch (err) {
        logger.error({ err, schedule: name, slot: ctx.date.toISOString() }, 'slot lease not reachable');
        handlers.skipped(ctx.date, 'lease-error');
        return;
      }
      if (mine) await handlers.run(ctx.date, 'missed');
      else handlers.skipped(ctx.date, 'slot-taken');
    });
    return task;
  });
}
