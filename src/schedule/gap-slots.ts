import cron, { type ScheduledTask } from 'node-cron';
import { type DstGap, dstGaps } from './dst-gap.js';

const SECOND = 1000;
const MINUTE = 60_000;

/**
 * The slot of a schedule whose wall-clock time fell in a daylight-saving gap. It runs once, at the first valid
 * instant after the gap (as Vixie cron does), under the lease key of its own wall-clock time.
 */
export interface GapSlot {
  /** The schedule's first wall-clock slot time inside the gap, in lease-key form: `2026-03-29T02:30:00`. */
  wall: string;
  /** When it runs: the end of the gap (`2026-03-29T01:00:00Z`, 03:00 local in Paris). */
  at: Date;
  /** How many wall-clock slot times of the schedule fell in the gap; all of them run as this one slot. */
  count: number;
}

interface WallCron {
  /** node-cron's matcher for the expression read in UTC, so that it tests a wall-clock reading as such. */
  task: ScheduledTask;
  /** The seconds the expression allows, ascending ([0] for a 5-field cron). */
  seconds: number[];
}

/**
 * Finds the gap slots of one schedule (its crons in its zone). node-cron never fires a wall-clock time that does
 * not exist; this is the other half: for each gap it tests every wall-clock minute of the gap against each cron
 * with node-cron's own matcher (day-of-month/day-of-week tokens included), read in UTC.
 *
 * Collapsing: all the schedule's matches inside one gap (`0,15,30,45 2 * * *` has four on a 02:00-03:00 gap,
 * a 6-field cron up to 3600) are ONE slot, keyed by the earliest: the requirement is that the slot fires once,
 * and several posts or polls in the same second would serve no one. A gap whose end instant is itself a slot
 * of the schedule (`0 3 * * *` next to `30 2 * * *`, or an every-15-minutes cron) has no gap slot: that real slot is
 * the one run at that time.
 */
export class GapSlots {
  private constructor(
    readonly zone: string,
    private readonly crons: WallCron[],
    private readonly matchesInstant: (date: Date) => boolean,
  ) {}

  /**
   * `matchesInstant` tells whether an instant is a real slot of the schedule (its node-cron tasks' `match`).
   * The matchers are stopped node-cron tasks, registered by node-cron until `dispose()`.
   */
  static create(crons: string[], zone: string, matchesInstant: (date: Date) => boolean): GapSlots {
    return new GapSlots(
      zone,
      crons.map((expression) => ({
        task: cron.createTask(expression, () => undefined, { timezone: 'UTC' }),
        seconds: [...cron.parse(expression).second].sort((a, b) => a - b),
      })),
      matchesInstant,
    );
  }

  /** The gap slots that run in (from, to], oldest first. */
  between(from: Date, to: Date): GapSlot[] {
    return dstGaps(this.zone, from, to).flatMap((gap) => {
      const slot = this.slotIn(gap);
      return slot ? [slot] : [];
    });
  }

  async dispose(): Promise<void> {
    for (const c of this.crons) await c.task.destroy();
  }

  private slotIn(gap: DstGap): GapSlot | null {
    if (this.matchesInstant(gap.end)) return null;
    let first: number | undefined;
    let count = 0;
    for (let minute = Math.floor(gap.wallFrom / MINUTE) * MINUTE; minute < gap.wallTo; minute += MINUTE) {
      // Inside one minute only the second varies: if a cron's earliest allowed second there does not match,
      // none of its seconds does. Several crons may share a time: count each time once.
      const times = new Set<number>();
      for (const { task, seconds } of this.crons) {
        const inGap = seconds
          .map((s) => minute + s * SECOND)
          .filter((t) => t >= gap.wallFrom && t < gap.wallTo);
        if (inGap.length === 0 || !task.match(new Date(inGap[0]!))) continue;
        for (const t of inGap) times.add(t);
      }
      if (times.size === 0) continue;
      count += times.size;
      first ??= Math.min(...times);
    }
    if (first === undefined) return null;
    return { wall: new Date(first).toISOString().slice(0, 19), at: gap.end, count };
  }
}
