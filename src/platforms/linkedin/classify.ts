import type { FailureKind, PlatformFailureInit, PublishedRef } from '../../core/failure.js';
import { ambiguousKind, type HttpAnswer, networkVerdict, type Operation, type Verdict } from '../verdict.js';
import { type LinkedInErrorBody, linkedInPostUrl } from './api-types.js';
import { defaultLinkedInVersion } from './credentials.js';

/** Everything known about one failed LinkedIn call; `classifyLinkedIn` turns it into one failure kind. */
export interface LinkedInCallOutcome {
  /**
   * `create` may have had an effect (a post); `read` never does; `upload` (the article thumbnail through the
   * Images API) needs the posting permission but has no effect worth confirming: its failures only leave the
   * thumbnail out; `delete` (DELETE /rest/posts/{urn}) is idempotent, so it is never `unconfirmed`.
   */
  operation: 'create' | 'read' | 'upload' | 'delete';
  /** The post author (urn:li:person:… / urn:li:organization:…), for the operator's action text. */
  author: string;
  /** HTTP status, when a response arrived. */
  status?: number;
  /** Response body (JSON object, text, or nothing). */
  body?: unknown;
  /** The response's `Date` header: LinkedIn's own clock decides which UTC day a daily limit belongs to. */
  serverDate?: string;
  /** Node/axios error code when no response arrived (ECONNREFUSED, ECONNRESET, ETIMEDOUT, …). */
  networkCode?: string;
  /** Local clock, used when the response carries no usable Date. */
  now: Date;
  cause?: unknown;
}

const TOKEN_CODES: Record<number, string> = {
  65600: 'INVALID_ACCESS_TOKEN',
  65601: 'REVOKED_ACCESS_TOKEN',
  65602: 'EXPIRED_ACCESS_TOKEN',
};

const TOKEN_ACTION: Record<string, string> = {
  EXPIRED_ACCESS_TOKEN: 'the access token expired (LinkedIn access tokens live 60 days)',
  REVOKED_ACCESS_TOKEN: 'the member revoked the access token (app removed or password changed)',
  INVALID_ACCESS_TOKEN: 'LinkedIn does not recognise the access token',
};

/** First midnight UTC strictly after `t`: LinkedIn's daily app and member limits reset then. */
export function nextMidnightUtc(t: Date): Date {
  return new Date(Date.UTC(t.getUTCFullYear(), t.getUTCMonth(), t.getUTCDate() + 1));
}

/** LinkedIn names the existing post only inside the duplicate message ("…duplicate of urn:li:share:123"). */
export function duplicateUrnFromMessage(message: string | undefined): string | undefined {
  return /urn:li:(?:share|ugcPost):\d+/.exec(message ?? '')?.[0];
}

function errorBody(body: unknown): LinkedInErrorBody {
  return body !== null && typeof body === 'object' ? (body as LinkedInErrorBody) : {};
}

/** The platform's own error code: `code`, else the known `serviceErrorCode`, else the first input error code. */
function platformCode(b: LinkedInErrorBody): string | undefined {
  if (typeof b.code === 'string' && b.code) return b.code;
  const byNumber = typeof b.serviceErrorCode === 'number' ? TOKEN_CODES[b.serviceErrorCode] : undefined;
  if (byNumber) return byNumber;
  const input = b.errorDetails?.inputErrors?.find((e) => typeof e.code === 'string')?.code;
  return input ?? (b.serviceErrorCode !== undefined ? String(b.serviceErrorCode) : undefined);
}

function platformMessage(b: LinkedInErrorBody, body: unknown, status: number): string {
  if (typeof b.message === 'string' && b.message) return b.message;
  if (typeof body === 'string' && body.trim()) return body.trim().slice(0, 500);
  return `HTTP ${status}`;
}

function permissionAction(author: string, operation: LinkedInCallOutcome['operation']): string {
  const org = author.startsWith('urn:li:organization:');
  if (operation === 'read')
    return org
      ? `grant the app r_organization_social and re-authorise, so Crier can read ${author}'s posts`
      : `grant the app r_member_social (a restricted permission) and re-authorise, so Crier can read ${author}'s posts`;
  if (operation === 'delete')
    return `only posts of ${author} can be deleted with its token: check the post is ${author}'s, and that the app has ${org ? 'w_organization_social (and the member a posting role on the organization)' : 'w_member_social'}`;
  return org
    ? `grant the app w_organization_social, re-authorise it, and give the authorising member the ADMINISTRATOR, CONTENT_ADMINISTRATOR or DIRECT_SPONSORED_CONTENT_POSTER role on ${author}`
    : `grant the app w_member_social and re-authorise it as ${author} (a member can only post as themself)`;
}

/**
 * Decides the failure kind of one LinkedIn call from its HTTP status, LinkedIn's error codes and the network
 * error code; never from message text (the one exception reads the existing post's URN out of a duplicate
 * message, because LinkedIn puts it nowhere else).
 */
export function classifyLinkedIn(o: LinkedInCallOutcome): Verdict {
  const make = (kind: FailureKind, message: string, extra: Partial<PlatformFailureInit> = {}): Verdict => ({
    kind,
    platform: 'linkedin',
    message,
    ...extra,
  });

  // Timeout, reset or dropped connection after the request left: a create may have been applied.
  if (o.status === undefined) return networkVerdict('linkedin', o.networkCode, o.operation);

  const status = o.status;
  const b = errorBody(o.body);
  const code = platformCode(b);
  const message = platformMessage(b, o.body, status);
  const base = { status, code };
  const label = `LinkedIn ${status}${code ? ` ${code}` : ''}: ${message}`;

  if (status === 401) {
    const why = (code && TOKEN_ACTION[code]) ?? 'LinkedIn rejected the access token';
    return make('auth', label, {
      ...base,
      action: `Re-authorise ${o.author}: ${why}. Put the new token in LINKEDIN_ACCESS_TOKEN (with the account's envPrefix); access tokens live 60 days, refresh tokens (approved partners only) 365 days from the first authorisation.`,
    });
  }
  if (status === 403) {
    return make('auth', label, {
      ...base,
      action: `Missing permission: ${permissionAction(o.author, o.operation)}.`,
    });
  }
  if (status === 426 || code === 'NONEXISTENT_VERSION') {
    return make('auth', label, {
      status,
      code: code ?? 'NONEXISTENT_VERSION',
      action: `Set LINKEDIN_VERSION to a live YYYYMM version (each lives about 12 months), e.g. ${defaultLinkedInVersion(o.now)}.`,
    });
  }
  if (status === 429) {
    // LinkedIn's day ends at midnight UTC by the server's clock: wait as long as the server has left of its day,
    // measured from our clock, so a skewed local clock neither posts too early nor waits a day too long.
    const server = o.serverDate ? new Date(o.serverDate) : undefined;
    const clock = server && !Number.isNaN(server.getTime()) ? server : o.now;
    const left = nextMidnightUtc(clock).getTime() - clock.getTime();
    return make('rate-limited', label, { ...base, until: new Date(o.now.getTime() + left) });
  }
  if (status === 422 && b.errorDetails?.inputErrors?.some((e) => e.code === 'DUPLICATE_POST')) {
    const urn = duplicateUrnFromMessage(b.message);
    const existing: PublishedRef | undefined = urn ? { postId: urn, url: linkedInPostUrl(urn) } : undefined;
    return make('duplicate', message, { status, code: 'DUPLICATE_POST', existing });
  }
  if (status === 408 || status >= 500) {
    const kind = ambiguousKind(o.operation);
    return make(
      kind,
      kind === 'unconfirmed' ? `${label} (after the post was sent: it may exist)` : label,
      base,
    );
  }
  // 400 VERSION_MISSING / ILLEGAL_ARGUMENT, 422 field errors and every other answer: the request is wrong.
  return make('invalid', message, base);
}

/** LinkedIn's verdict on one answer: its own Date header says which UTC day a daily limit belongs to. */
export function classifyLinkedInAnswer(answer: HttpAnswer, operation: Operation, author: string) {
  return classifyLinkedIn({
    operation: operation === 'session' ? 'read' : operation,
    author,
    status: answer.status,
    body: answer.body,
    serverDate: answer.headers.date,
    now: answer.at,
  });
}
