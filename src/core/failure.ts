import type { PlatformName } from './platform.js';

/**
 * Every platform failure is classified once, by the adapter, into one of these kinds.
 * The queue layer (src/queue/failure-actions.ts) turns each kind into one queue action.
 */
export const FAILURE_KINDS = [
  'rate-limited',
  'auth',
  'duplicate',
  'invalid',
  'transient',
  'unconfirmed',
] as const;
export type FailureKind = (typeof FAILURE_KINDS)[number];

export interface PublishedRef {
  postId: string;
  url: string;
}

export interface PlatformFailureInit {
  kind: FailureKind;
  platform: PlatformName;
  message: string;
  /** HTTP status, when there was a response. */
  status?: number;
  /** The platform's own error code (X problem type, Graph code/subcode, LinkedIn serviceErrorCode/code). */
  code?: string;
  /** rate-limited: when the limit lifts. */
  until?: Date;
  /** duplicate: the existing post, when the platform tells or it could be looked up. */
  existing?: PublishedRef;
  /** auth: what the operator should do. */
  action?: string;
  cause?: unknown;
}

export class PlatformFailure extends Error {
  readonly kind: FailureKind;
  readonly platform: PlatformName;
  readonly status?: number;
  readonly code?: string;
  readonly until?: Date;
  readonly existing?: PublishedRef;
  readonly action?: string;

  constructor(init: PlatformFailureInit) {
    super(init.message, { cause: init.cause });
    this.name = 'PlatformFailure';
    this.kind = init.kind;
    this.platform = init.platform;
    this.status = init.status;
    this.code = init.code;
    this.until = init.until;
    this.existing = init.existing;
    this.action = init.action;
  }

  /** What it was made of: `new PlatformFailure({ ...f.toInit(), existing })` is the same failure plus a field. */
  toInit(): PlatformFailureInit {
    const { kind, platform, message, status, code, until, existing, action, cause } = this;
    return { kind, platform, message, status, code, until, existing, action, cause };
  }

  toJSON() {
    return {
      kind: this.kind,
      platform: this.platform,
      message: this.message,
      status: this.status,
      code: this.code,
      until: this.until?.toISOString(),
      existing: this.existing,
      action: this.action,
    };
  }
}

export function isPlatformFailure(e: unknown): e is PlatformFailure {
  return e instanceof PlatformFailure || (e instanceof Error && e.name === 'PlatformFailure');
}
