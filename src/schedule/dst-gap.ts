import { offsetMinutes } from './zone-time.js';

const SECOND = 1000;
const MINUTE = 60_000;
/** Scan step: every zone keeps one offset for far longer than an hour, so no transition hides between steps. */
const STEP = 3_600_000;

/**
 * A spring-forward transition: wall-clock readings in [wallFrom, wallTo) never happen in the zone. In
 * Europe/Paris on 29 March 2026 the clock goes from 01:59:59 +01:00 to 03:00:00 +02:00: wallFrom is 02:00,
 * wallTo 03:00, end 01:00Z.
 */
export interface DstGap {
  /** The transition instant: the first valid instant after the gap (03:00 local). */
  end: Date;
  /** First wall-clock reading that does not exist, as the epoch ms of that reading taken as UTC. */
  wallFrom: number;
  /** First wall-clock reading after the gap (exclusive end), same form. */
  wallTo: number;
}

/**
 * The gaps of `zone` whose transition falls in (from, to], oldest first, found from the zone's UTC offsets
 * with Intl (the source node-cron reads too): an hourly scan, then a binary search to the second where the
 * offset grows. A zone whose offset shrinks (autumn) has no gap: its wall-clock times repeat instead.
 */
export function dstGaps(zone: string, from: Date, to: Date): DstGap[] {
  const gaps: DstGap[] = [];
  const stop = to.getTime();
  let t = from.getTime();
  let before = offsetMinutes(new Date(t), zone);
  while (t < stop) {
    const next = Math.min(t + STEP, stop);
    const after = offsetMinutes(new Date(next), zone);
    if (after > before) {
      const end = transition(zone, t, next, before);
      if (end > from.getTime() && end <= stop)
        gaps.push({ end: new Date(end), wallFrom: end + before * MINUTE, wallTo: end + after * MINUTE });
    }
    t = next;
    before = after;
  }
  return gaps;
}

/** The first whole second in (lo, hi] whose offset is not `before` (lo has offset `before`, hi another). */
function transition(zone: string, loMs: number, hiMs: number, before: number): number {
  let lo = Math.floor(loMs / SECOND);
  let hi = Math.ceil(hiMs / SECOND);
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (offsetMinutes(new Date(mid * SECOND), zone) === before) lo = mid;
    else hi = mid;
  }
  return hi * SECOND;
}
