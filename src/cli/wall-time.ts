/**
 * Times typed on the command line (`--at`): checked to exist on the calendar (no 30 February, no 24:00), with
 * an offset or read in a named zone, where a time that the clocks skip is refused and one they pass twice
 * must carry its offset. Intl only: nothing heavy to load.
 */
import { UsageError } from '../core/errors.js';
import { offsetMinutes, type WallClock, wallClock } from '../schedule/zone-time.js';

export interface WallTime extends WallClock {
  /** As typed. */
  text: string;
  millisecond: number;
  /** Minutes east of UTC when the text carries an offset (`Z` is 0). */
  offset?: number;
}

const PATTERN =
  /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(?:(Z)|([+-])(\d{2}):?(\d{2}))?$/i;

const EXAMPLE = 'such as 2026-12-01T08:00:00+01:00, or 2026-12-01T08:00 in site.timezone';

function daysIn(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** The time, or a sentence saying what is wrong with it. */
export function checkWallTime(text: string): WallTime | string {
  const m = PATTERN.exec(text.trim());
  if (!m) return `expected an ISO-8601 date and time, ${EXAMPLE}`;
  const [year, month, day, hour, minute] = [m[1], m[2], m[3], m[4], m[5]].map(Number) as number[];
  const second = m[6] ? Number(m[6]) : 0;
  const millisecond = m[7] ? Math.floor(Number(`0.${m[7]}`) * 1000) : 0;
  if (month! < 1 || month! > 12) return `there is no month ${month}: expected a date that exists`;
  if (day! < 1 || day! > daysIn(year!, month!))
    return `${year}-${m[2]} has no day ${day} (it has ${daysIn(year!, month!)} days): expected a date that exists`;
  if (hour! > 23 || minute! > 59 || second > 59)
    return `${m[4]}:${m[5]}${m[6] ? `:${m[6]}` : ''} is not a time of day: expected 00:00 to 23:59:59`;
  let offset: number | undefined;
  if (m[8]) offset = 0;
  else if (m[9]) {
    const oh = Number(m[10]);
    const om = Number(m[11]);
    if (oh > 14 || om > 59) return `${m[9]}${m[10]}:${m[11]} is not a UTC offset: expected -12:00 to +14:00`;
    offset = (m[9] === '-' ? -1 : 1) * (oh * 60 + om);
  }
  return {
    text,
    year: year!,
    month: month!,
    day: day!,
    hour: hour!,
    minute: minute!,
    second,
    millisecond,
    offset,
  };
}

/**
 * The instant a wall time names: its own offset if it has one, else read in `zone`. Without either, or when
 * the clocks skip that time in `zone` (spring forward) or pass it twice (fall back), a UsageError says so.
 */
export function resolveWallTime(w: WallTime, zone: string | undefined, option = '--at'): Date {
  const utc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second, w.millisecond);
  if (w.offset !== undefined) return new Date(utc - w.offset * 60_000);
  if (!zone)
    throw new UsageError(
      `${option} "${w.text}" has no UTC offset and no site.timezone is configured: add the offset (such as +01:00 or Z) or set site.timezone`,
    );
  const candidates = new Set<number>();
  for (const probe of [utc - 86_400_000, utc, utc + 86_400_000]) {
    const t = utc - offsetMinutes(new Date(probe), zone) * 60_000;
    const c = wallClock(new Date(t), zone);
    if (
      c.year === w.year &&
      c.month === w.month &&
      c.day === w.day &&
      c.hour === w.hour &&
      c.minute === w.minute &&
      c.second === w.second
    )
      candidates.add(t);
  }
  const found = [...candidates].sort((a, b) => a - b);
  if (found.length === 0)
    throw new UsageError(
      `${option} "${w.text}" does not exist in ${zone} (the clocks skip it): pick another time or add the offset`,
    );
  if (found.length > 1) {
    const offsets = found.map((t) => formatOffset(offsetMinutes(new Date(t), zone))).join(' or ');
    throw new UsageError(
      `${option} "${w.text}" happens twice in ${zone} (the clocks go back): add the offset (${offsets})`,
    );
  }
  return new Date(found[0]!);
}

export function formatOffset(minutes: number): string {
  const abs = Math.abs(minutes);
  return `${minutes < 0 ? '-' : '+'}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}
