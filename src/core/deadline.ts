/** Raised by `withDeadline` when the work has not settled in time. */
export class DeadlineError extends Error {
  readonly code = 'ETIMEDOUT';
  constructor(what: string, ms: number) {
    super(`${what}: no answer within ${ms} ms`);
    this.name = 'DeadlineError';
  }
}

/**
 * The one timeout mechanism of the adapters and of file reads: `work` gets a signal that aborts at the
 * deadline, and the result rejects with a DeadlineError then even if the work ignores the signal (a client
 * that cannot be aborted, a file operation in libuv's thread pool; its late answer is dropped). Socket idle
 * timeouts alone never bound a call: a server trickling bytes defeats them.
 */
export async function withDeadline<T>(
  ms: number,
  what: string,
  work: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const err = new DeadlineError(what, ms);
      controller.abort(err);
      reject(err);
    }, ms);
  });
  const running = work(controller.signal);
  running.catch(() => {}); // a late failure after the deadline is not unhandled
  try {
    return await Promise.race([running, deadline]);
  } finally {
    clearTimeout(timer);
  }
}
