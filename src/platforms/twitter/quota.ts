import type { IncomingHttpHeaders } from 'node:http';
import type { QuotaReading } from '../adapter.js';
import { header } from './classify.js';

const COUNTERS = [
  { prefix: 'x-rate-limit', name: '15-min window' },
  { prefix: 'x-user-limit-24hour', name: 'user 24 h' },
  { prefix: 'x-app-limit-24hour', name: 'app 24 h' },
] as const;

/**
 * X's posting quota from the headers of an answer to POST /2/tweets: the 15-minute window and the
 * 24-hour user and app caps. A counter with nothing remaining is used up until its reset.
 */
export function xQuota(headers: IncomingHttpHeaders, at: number): QuotaReading | undefined {
  let usedPercent = -1;
  let exhausted = 0;
  const parts: string[] = [];
  for (const c of COUNTERS) {
    const limit = header(headers, `${c.prefix}-limit`);
    const remaining = header(headers, `${c.prefix}-remaining`);
    const reset = header(headers, `${c.prefix}-reset`);
    if (limit === undefined || remaining === undefined || limit <= 0) continue;
    usedPercent = Math.max(usedPercent, Math.round(((limit - Math.max(0, remaining)) / limit) * 100));
    parts.push(`${c.name} ${remaining}/${limit} left`);
    if (remaining <= 0 && reset !== undefined && reset * 1000 > at)
      exhausted = Math.max(exhausted, reset * 1000);
  }
  if (usedPercent < 0) return undefined;
  return {
    usedPercent: Math.min(100, usedPercent),
    at: new Date(at).toISOString(),
    ...(exhausted ? { exhaustedUntil: new Date(exhausted).toISOString() } : {}),
    detail: parts.join(', '),
  };
}
