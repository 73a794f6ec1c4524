import { formatInZone, offsetMinutes, wallClockText } from '../../schedule/zone-time.js';

/**
 * The instant a wall-clock time ("2026-12-01T08:00" from a datetime-local field) stands for in `zone`. A time
 * that does not exist (spring-forward gap) moves forward by the gap; one that exists twice takes the first.
 */
export function instantFromLocal(local: string, zone: string): Date | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(local.trim());
  if (!m) return undefined;
  const asUtc = Date.UTC(
    Number(m[1]),
    Number(m[2]) - 1,
    Number(m[3]),
    Number(m[4]),
    Number(m[5]),
    Number(m[6] ?? 0),
  );
  if (Number.isNaN(asUtc)) return undefined;
  // The zone's offsets around that time (at most two); each candidate that reads back as the same wall clock
  // is a real instant, and the earliest wins. None reads back: the time is in a gap, moved forward by it.
  const offsets = new Set([-36, 0, 36].map((h) => offsetMinutes(new Date(asUtc + h * 3_600_000), zone)));
  const wall = wallClockText(new Date(asUtc), 'UTC');
  const real = [...offsets]
    .map((off) => asUtc - off * 60_000)
    .filter((t) => wallClockText(new Date(t), zone) === wall)
    .sort((a, b) => a - b);
  if (real.length) return new Date(real[0]!);
  const before = offsetMinutes(new Date(asUtc - 36 * 3_600_000), zone);
  return new Date(asUtc - before * 60_000);
}

/** "Mon 1 Dec, 08:00" in the zone (what a table cell shows); the full ISO with offset goes in a title. */
export function shortLocal(iso: string, zone: string): string {
  const d = new Date(iso);
  return new Intl.DateTimeFormat('en-GB', {
    timeZone: zone,
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(d);
}

/** The value of a datetime-local field for an instant, read in the zone. */
export function localInputValue(iso: string | undefined, zone: string): string {
  if (!iso) return '';
  return formatInZone(new Date(iso), zone).slice(0, 16);
}

/** "YYYY-MM-DD" of an instant in the zone. */
export const dayInZone = (d: Date, zone: string): string => wallClockText(d, zone).slice(0, 10);

/** The day `n` days after a "YYYY-MM-DD" day. */
export function addDays(day: string, n: number): string {
  const [y, m, d] = day.split('-').map(Number);
  return new Date(Date.UTC(y!, m! - 1, d! + n)).toISOString().slice(0, 10);
}
