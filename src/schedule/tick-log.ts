import type { Logger } from 'pino';
import type { SlotTrigger } from './cron-tasks.js';
import type { SlotOutcome } from './slot-actions.js';

interface Tick {
  trigger: SlotTrigger;
  outcomes: SlotOutcome[];
  timer: NodeJS.Timeout;
}

/**
 * One summary line per scheduler tick: every schedule that fired for the same slot time (and trigger) within
 * `windowMs` is reported together: what was enqueued, what was skipped and why, what failed.
 */
export class TickLog {
  private readonly ticks = new Map<string, Tick>();

  constructor(
    private readonly logger: Logger,
    private readonly windowMs = 250,
  ) {}

  record(slot: Date, trigger: SlotTrigger, outcome: SlotOutcome): void {
    const key = `${slot.toISOString()} ${trigger}`;
    let tick = this.ticks.get(key);
    if (!tick) {
      const timer = setTimeout(() => this.flush(key), this.windowMs);
      timer.unref();
      tick = { trigger, outcomes: [], timer };
      this.ticks.set(key, tick);
    }
    tick.outcomes.push(outcome);
  }

  /** Writes every pending summary now (on stop). */
  flushAll(): void {
    for (const key of [...this.ticks.keys()]) this.flush(key);
  }

  private flush(key: string): void {
    const tick = this.ticks.get(key);
    if (!tick) return;
    clearTimeout(tick.timer);
    this.ticks.delete(key);
    const enqueued = tick.outcomes.flatMap((o) =>
      o.outcome === 'enqueued' ? [{ schedule: o.schedule, jobId: o.jobId }] : [],
    );
    const skipped = tick.outcomes.flatMap((o) =>
      o.outcome === 'skipped' ? [{ schedule: o.schedule, reason: o.reason, detail: o.detail }] : [],
    );
    const failed = tick.outcomes.flatMap((o) =>
      o.outcome === 'failed' ? [{ schedule: o.schedule, error: o.error }] : [],
    );
    // A tick where another process ran every slot is routine with several schedulers: keep it at debug.
    const othersOnly =
      skipped.length === tick.outcomes.length && skipped.every((s) => s.reason === 'slot-taken');
    const level = failed.length ? 'warn' : othersOnly ? 'debug' : 'info';
    this.logger[level](
      {
        event: 'scheduler-tick',
        slot: key.split(' ')[0],
        trigger: tick.trigger,
        fired: tick.outcomes.map((o) => o.schedule),
        enqueued,
        skipped,
        failed,
      },
      `scheduler tick: ${enqueued.length} enqueued, ${skipped.length} skipped, ${failed.length} failed`,
    );
  }
}
