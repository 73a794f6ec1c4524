import { isPlatformFailure, type PlatformFailure } from '../../src/core/failure.js';

/** Awaits `p`, expecting it to reject with a PlatformFailure, and returns that failure. */
export async function platformFailure(p: Promise<unknown>): Promise<PlatformFailure> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  if (!isPlatformFailure(e)) throw new Error(`expected a PlatformFailure, got ${String(e)}`);
  return e;
}
