import { ApiPartialResponseError, ApiRequestError, ApiResponseError } from 'twitter-api-v2';
import { isPlatformFailure, PlatformFailure } from '../../core/failure.js';
import {
  classifyTwitterError,
  type TwitterAuthKind,
  type TwitterErrorInfo,
  type TwitterOperation,
} from './classify.js';

export interface CallContext {
  operation: TwitterOperation;
  authKind: TwitterAuthKind;
  now: number;
  /** Our timeout fired (the client library reports it as a socket error without a code). */
  timedOut: boolean;
}

/**
 * The socket error under an ApiRequestError. twitter-api-v2 1.29's `requestError` getter reads
 * `_options.requestError` while the constructor stores `_options.error`, so it is always undefined.
 */
function socketError(err: ApiRequestError): NodeJS.ErrnoException | undefined {
  const hidden = (err as unknown as { _options?: { error?: NodeJS.ErrnoException } })._options;
  return (err.requestError as NodeJS.ErrnoException | undefined) ?? hidden?.error;
}

/** Takes status, headers, body or the socket error code out of twitter-api-v2's error classes. */
export function errorInfoFrom(err: unknown, ctx: CallContext): TwitterErrorInfo {
  const base = { operation: ctx.operation, authKind: ctx.authKind, now: ctx.now, cause: err };
  if (err instanceof ApiResponseError) {
    return { ...base, status: err.code, headers: err.headers, body: err.data };
  }
  if (err instanceof ApiPartialResponseError) {
    return { ...base, status: err.response.statusCode, headers: err.response.headers, partial: true };
  }
  if (err instanceof ApiRequestError) {
    const code = socketError(err)?.code;
    return { ...base, network: { code, timedOut: ctx.timedOut && !code } };
  }
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  return { ...base, network: { code: typeof code === 'string' ? code : undefined, timedOut: ctx.timedOut } };
}

/** The PlatformFailure for any error thrown while talking to X (a PlatformFailure passes through). */
export function toFailure(err: unknown, ctx: CallContext): PlatformFailure {
  if (isPlatformFailure(err)) return err;
  return new PlatformFailure({ ...classifyTwitterError(errorInfoFrom(err, ctx)), cause: err });
}

/**
 * Whether a request started at `startedAt` (performance.now()) ran into its timeout. twitter-api-v2
 * reports its own timeout as a socket error without a code; the elapsed time tells it apart.
 */
export function timedOut(startedAt: number, timeoutMs: number): boolean {
  // Node's timers may fire a millisecond early.
  return performance.now() - startedAt >= timeoutMs - 5;
}
