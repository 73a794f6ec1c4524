/**
 * Wall-clock arithmetic in an IANA zone with nothing but Intl (the same source of truth node-cron uses), so the
 * scheduler, its lease keys and `crier status` agree on what "08:00 in Europe/Paris" means.
 */

export interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(zone, f);
  }
  return f;
}

/** The wall-clock reading of `date` in `zone`. Throws RangeError for an unknown zone. */
export function wallClock(date: Date, zone: string): WallClock {
  const parts: Record<string, number> = {};
  for (const p of formatter(zone).formatToParts(date)) {
    if (p.type !== 'literal') parts[p.type] = Number(p.value);
  }
  return {
    year: parts.year ?? 0,
    month: parts.month ?? 0,
    day: parts.day ?? 0,
    // Some ICU versions print midnight as 24 even with h23.
    hour: (parts.hour ?? 0) % 24,
    minute: parts.minute ?? 0,
    second: parts.second ?? 0,
  };
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** `2026-10-25T02:30:00`: the local reading without offset; both 02:30s of a fall-back night give the same text. */
export function wallClockText(date: Date, zone: string): string {
  const w = wallClock(date, zone);
  return `${pad(w.year, 4)}-${pad(w.month)}-${pad(w.day)}T${pad(w.hour)}:${pad(w.minute)}:${pad(w.second)}`;
}

/** Offset of `zone` from UTC at `date`, in minutes (Paris in summer: 120). */
export function offsetMinutes(date: Date, zone: string): number {
  const w = wallClock(date, zone);
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  return Math.round((asUtc - Math.floor(date.getTime() / 1000) * 1000) / 60_000);
}

/** ISO-8601 in the zone with its offset at that instant: `2026-10-25T02:30:00+01:00`. */
export function formatInZone(date: Date, zone: string): string {
  const off = offsetMinutes(date, zone);
  const sign = off < 0 ? '-' : '+';
  const abs = Math.abs(off);
  return `${wallClockText(date, zone)}${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

/** Minutes since local midnight (0..1439). */
export function minuteOfDay(date: Date, zone: string): number {
  const w = wallClock(date, zone);
  return w.hour * 60 + w.minute;
}
