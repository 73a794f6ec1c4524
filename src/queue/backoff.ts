/**
 * Exponential backoff with full jitter for transient failures: a random delay in [base, base * 2^(n-1)],
 * capped, so that many jobs failing together do not retry together.
 */
export function backoffDelay(
  attemptsMade: number,
  baseMs: number,
  capMs = 15 * 60_000,
  random = Math.random,
): number {
  const ceiling = Math.min(capMs, baseMs * 2 ** Math.max(0, attemptsMade - 1));
  return Math.round(baseMs + random() * Math.max(0, ceiling - baseMs));
}
