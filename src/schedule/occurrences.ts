import cron from 'node-cron';

const MINUTE = 60_000;

/** Default catch-up look-back: a slot older than this when a scheduler starts is not run any more. */
export const CATCH_UP_LOOKBACK_MS = 24 * 3_600_000;

/**
 * The most recent time at or before `now`, and no older than `now - lookbackMs`, that `matches` accepts, or
 * null.
 *
 * `matches` is node-cron's own matcher for the task (`ScheduledTask.match`), so catch-up agrees with what
 * node-cron fires, daylight-saving nights included: a wall-clock time that does not exist (02:30 on a spring-
 * forward night) matches no instant, so it is not found here (the scheduler's catch-up adds such gap slots
 * itself, see gap-slots.ts); one that exists twice matches both instants (the lease key is the wall-clock time,
 * so only one runs).
 *
 * node-cron only exposes "next" runs counted from the real clock, hence this backward scan: minute by minute
 * (at most 1440 steps for 24 h), trying the latest allowed second first. Zone offsets are whole minutes, so
 * inside one minute every field but the second is fixed: if the latest allowed second does not match, no
 * second of that minute does.
 */
export function previousOccurrence(
  expression: string,
  matches: (date: Date) => boolean,
  now: Date,
  lookbackMs = CATCH_UP_LOOKBACK_MS,
): Date | null {
  const seconds = [...cron.parse(expression).second].sort((a, b) => b - a);
  const latest = now.getTime();
  const earliest = latest - lookbackMs;
  for (let minute = Math.floor(latest / MINUTE) * MINUTE; minute + MINUTE > earliest; minute -= MINUTE) {
    const candidate = seconds.map((s) => minute + s * 1000).find((t) => t <= latest && t >= earliest);
    if (candidate === undefined) continue;
    if (matches(new Date(candidate))) return new Date(candidate);
  }
  return null;
}
