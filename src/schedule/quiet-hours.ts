import { minuteOfDay } from './zone-time.js';

export interface QuietHours {
  /** HH:MM, local time of the schedule's zone: the first quiet minute. */
  from: string;
  /** HH:MM: the first minute that is no longer quiet. */
  to: string;
}

function minutes(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
}

/**
 * Is `date` inside the quiet hours, read on the wall clock of `zone`? The interval is [from, to): "22:00"-"07:00"
 * wraps midnight (22:00..06:59 quiet); from == to is an empty interval (never quiet), not a whole day.
 */
export function isQuiet(date: Date, zone: string, quiet: QuietHours | undefined): boolean {
  if (!quiet) return false;
  const from = minutes(quiet.from);
  const to = minutes(quiet.to);
  if (from === to) return false;
  const m = minuteOfDay(date, zone);
  return from < to ? m >= from && m < to : m >= from || m < to;
}
