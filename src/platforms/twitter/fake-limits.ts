import type { FakeState } from './fake-state.js';

export type LimitedEndpoint = 'tweets' | 'me' | 'timeline' | 'media' | 'delete';

const DAY_MS = 24 * 3600_000;

function counter(s: FakeState, key: string, now: number, windowMs: number) {
  let c = s.counters.get(key);
  if (!c || now >= c.start + windowMs) {
    c = { start: now, count: 0 };
    s.counters.set(key, c);
  }
  return c;
}

/**
 * The 15-minute window of one endpoint for one user: counts this request unless the window is
 * exhausted, and gives the x-rate-limit-* headers X sends on every response.
 */
export function takeWindow(
  s: FakeState,
  endpoint: LimitedEndpoint,
  userId: string,
  now: number,
): { exceeded: boolean; headers: Record<string, string> } {
  const limit = s.limits.window[endpoint];
  const c = counter(s, `${endpoint}:${userId}`, now, s.limits.windowMs);
  const exceeded = c.count >= limit;
  if (!exceeded) c.count += 1;
  return {
    exceeded,
    headers: {
      'x-rate-limit-limit': String(limit),
      'x-rate-limit-remaining': String(Math.max(0, limit - c.count)),
      'x-rate-limit-reset': String(Math.ceil((c.start + s.limits.windowMs) / 1000)),
    },
  };
}

/** The 24-hour post caps (user and app) and their headers, sent on POST /2/tweets. */
export function dayLimits(
  s: FakeState,
  userId: string,
  now: number,
): { exceeded: boolean; headers: Record<string, string> } {
  const user = counter(s, `day:user:${userId}`, now, DAY_MS);
  const app = counter(s, 'day:app', now, DAY_MS);
  const h = (scope: string, limit: number, c: { start: number; count: number }) => ({
    [`x-${scope}-limit-24hour-limit`]: String(limit),
    [`x-${scope}-limit-24hour-remaining`]: String(Math.max(0, limit - c.count)),
    [`x-${scope}-limit-24hour-reset`]: String(Math.ceil((c.start + DAY_MS) / 1000)),
  });
  return {
    exceeded: user.count >= s.limits.userDay || app.count >= s.limits.appDay,
    headers: { ...h('app', s.limits.appDay, app), ...h('user', s.limits.userDay, user) },
  };
}

/** A post was created: it counts against both 24-hour caps. */
export function countPost(s: FakeState, userId: string, now: number): void {
  counter(s, `day:user:${userId}`, now, DAY_MS).count += 1;
  counter(s, 'day:app', now, DAY_MS).count += 1;
}
