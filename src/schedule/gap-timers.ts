import type { Logger } from 'pino';
import type { GapSlot, GapSlots } from './gap-slots.js';

/** How far ahead gap slots are looked for. */
export const GAP_LOOKAHEAD_MS = 48 * 3_600_000;
/** How often the look-ahead is redone (also after each gap fire): every gap is armed a day or more ahead. */
export const GAP_REPLAN_MS = 12 * 3_600_000;

export interface GapWatch {
  /** The schedule's name (task name and lease-key part). */
  name: string;
  slots: GapSlots;
}

/**
 * Timers for the slots node-cron cannot fire: those whose wall-clock time falls in a daylight-saving gap
 * (gap-slots.ts). Each is armed at its run instant (the end of the gap) and handed to `fire`, which claims the
 * slot's lease and runs it like any other slot. Timers are unref'd: they never keep the process alive.
 */
export class GapTimers<W extends GapWatch = GapWatch> {
  /** Every gap slot armed (and, once fired, remembered until it is out of the look-ahead), by schedule and wall
   * time: a plan never arms one twice, even if a timer fired a hair before its instant. */
  private readonly armed = new Map<string, { at: number; timer: NodeJS.Timeout }>();
  private readonly inflight = new Set<Promise<void>>();
  private replan: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(
    private readonly watches: readonly W[],
    private readonly fire: (watch: W, slot: GapSlot) => Promise<void>,
    private readonly logger: Logger,
    private readonly lookaheadMs = GAP_LOOKAHEAD_MS,
    private readonly replanMs = GAP_REPLAN_MS,
  ) {}

  /** Arms the gap slots of the next `lookaheadMs`, and plans again every `replanMs`. */
  plan(): void {
    if (this.stopped) return;
    const now = Date.now();
    for (const [key, { at }] of this.armed) if (at < now - this.lookaheadMs) this.armed.delete(key);
    for (const watch of this.watches) {
      for (const slot of watch.slots.between(new Date(now), new Date(now + this.lookaheadMs))) {
        const key = `${watch.name} ${slot.wall}`;
        if (this.armed.has(key)) continue;
        const timer = setTimeout(() => this.run(watch, slot), slot.at.getTime() - now);
        timer.unref();
        this.armed.set(key, { at: slot.at.getTime(), timer });
        this.logger.info(
          {
            event: 'dst-gap-armed',
            schedule: watch.name,
            wall: slot.wall,
            at: slot.at.toISOString(),
            collapsed: slot.count,
          },
          `slot ${slot.wall} (${watch.slots.zone}) does not exist: it runs at the end of the gap`,
        );
      }
    }
    clearTimeout(this.replan);
    this.replan = setTimeout(() => this.plan(), this.replanMs);
    this.replan.unref();
  }

  /** Clears every timer and waits for the gap slots being run. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.replan);
    for (const { timer } of this.armed.values()) clearTimeout(timer);
    await Promise.allSettled([...this.inflight]);
  }

  private run(watch: W, slot: GapSlot): void {
    const p = this.fire(watch, slot)
      .catch((err: unknown) =>
        this.logger.error({ err, schedule: watch.name, wall: slot.wall }, 'gap slot failed'),
      )
      .finally(() => this.inflight.delete(p));
    this.inflight.add(p);
    this.plan();
  }
}
