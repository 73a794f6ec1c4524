/**
 * Waiting in tests: for a condition, with a deadline, never a fixed sleep. Every deadline is multiplied by
 * `CRIER_TEST_SLOWDOWN` (default 1), so a loaded or slow machine can run the suite with, say, 3: the tests
 * wait longer, they do not change what they check.
 */
export const SLOWDOWN = Math.max(1, Number(process.env.CRIER_TEST_SLOWDOWN) || 1);

/** A deadline or timeout of the tests, scaled by CRIER_TEST_SLOWDOWN. */
export function scaled(ms: number): number {
  return Math.round(ms * SLOWDOWN);
}

export interface WaitOptions {
  /** Unscaled deadline (default 15 s); CRIER_TEST_SLOWDOWN multiplies it. */
  timeoutMs?: number;
  /** How often the condition is checked (default 50 ms). */
  stepMs?: number;
  /** What is waited for, for the error message. */
  what?: string;
}

/** Resolves once `check` is true; throws when the (scaled) deadline passes first. */
export async function waitFor(
  check: () => Promise<boolean> | boolean,
  opts: WaitOptions = {},
): Promise<void> {
  const timeoutMs = scaled(opts.timeoutMs ?? 15_000);
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`${opts.what ?? 'condition'} not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, opts.stepMs ?? 50));
  }
}

/**
 * Resolves with `check`'s value once it is neither undefined nor null; throws when the deadline passes.
 */
export async function waitForValue<T>(
  check: () => Promise<T | undefined | null> | T | undefined | null,
  opts: WaitOptions = {},
): Promise<T> {
  let value: T | undefined | null;
  await waitFor(async () => {
    value = await check();
    return value !== undefined && value !== null;
  }, opts);
  return value as T;
}
