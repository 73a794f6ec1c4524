import type { QuotaReading } from './adapter.js';

/** What the rate-limit headers of one answer say: how many calls (or points) a window allows, how many are left. */
export interface RateLimitHeaders {
  limit: number;
  remaining: number;
  /** When the window starts again. */
  reset?: Date;
}

/** Until when a 429 holds: the reset its headers give when that is still ahead of the answer, else `fallbackMs` on. */
export function rateLimitedUntil(reset: Date | undefined, at: Date, fallbackMs: number): Date {
  return reset && reset.getTime() > at.getTime() ? reset : new Date(at.getTime() + fallbackMs);
}

/**
 * The account's quota as one answer's headers report it: the share of the window used, exhausted until the
 * reset when nothing is left; the detail reads "<remaining>/<limit> <unit> left (<note>) until <reset>".
 */
export function headerQuota(rl: RateLimitHeaders, at: Date, unit: string, note?: string): QuotaReading {
  const used = Math.max(0, Math.min(100, Math.round(((rl.limit - rl.remaining) * 100) / rl.limit)));
  return {
    usedPercent: used,
    at: at.toISOString(),
    ...(rl.remaining <= 0 && rl.reset ? { exhaustedUntil: rl.reset.toISOString() } : {}),
    detail: `${rl.remaining}/${rl.limit} ${unit} left${note ? ` (${note})` : ''}${rl.reset ? ` until ${rl.reset.toISOString()}` : ''}`,
  };
}
