import type { FailureKind, PlatformFailureInit } from '../core/failure.js';
import type { PlatformName } from '../core/platform.js';
import { platformLabel } from './registry.js';

/**
 * What an answer of a platform means, without the HTTP client: the `Verdict` every classifier returns and the
 * "may have posted" rule (see ./http.ts, the one HTTP path of the adapters, which applies it). The classifiers and
 * the descriptors import this module, not ./http.ts, so that reading a descriptor loads no HTTP client: only
 * publishing does (the adapters load on their first call, ./lazy-adapter.ts).
 */

/** What a call does on the platform; it decides what an ambiguous outcome means. */
export type Operation = 'create' | 'read' | 'delete' | 'upload' | 'session';

/** Whether an ambiguous outcome of `operation` may have left a post behind. */
export function mayHavePosted(operation: Operation | string): boolean {
  return operation === 'create';
}

/** The kind of a failure that leaves open whether the call took effect. */
export function ambiguousKind(operation: Operation | string): 'unconfirmed' | 'transient' {
  return mayHavePosted(operation) ? 'unconfirmed' : 'transient';
}

/**
 * Socket and TLS errors raised before any byte of a request could reach the platform: a call that failed
 * this way certainly applied nothing, so it is `transient`, never `unconfirmed`.
 */
const NOT_SENT_CODES: ReadonlySet<string> = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ERR_INVALID_URL',
  'CERT_HAS_EXPIRED',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

export function neverSent(code: string | undefined): boolean {
  return code !== undefined && NOT_SENT_CODES.has(code);
}

/** The kind of a call that got no answer (the socket error code, ETIMEDOUT when the deadline fired). */
export function networkFailureKind(code: string | undefined, operation: Operation | string): FailureKind {
  return neverSent(code) ? 'transient' : ambiguousKind(operation);
}

/** The one result type of every platform classifier: what a PlatformFailure will say. */
export type Verdict = Omit<PlatformFailureInit, 'cause'>;

/** The verdict for a call that got no answer (its message names the platform by its label: "LinkedIn"). */
export function networkVerdict(
  platform: PlatformName,
  code: string | undefined,
  operation: Operation | string,
): Verdict {
  const label = platformLabel(platform);
  const what = code ?? 'no answer';
  const kind = networkFailureKind(code, operation);
  if (neverSent(code)) return { kind, platform, code, message: `${label} not reached (${what})` };
  const happened =
    code === 'ETIMEDOUT' || code === 'ECONNABORTED'
      ? `${label} did not answer the ${operation} request in time (${code})`
      : `the connection dropped after the ${operation} request was sent to ${label} (${what})`;
  return {
    kind,
    platform,
    code,
    message: kind === 'unconfirmed' ? `${happened}: the post may exist` : happened,
  };
}

/** One answer of the platform, whatever its status. Header names are lower case. */
export interface HttpAnswer {
  status: number;
  headers: Record<string, string>;
  body: unknown;
  /** When it arrived (local clock). */
  at: Date;
}
