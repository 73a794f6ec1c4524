import { ambiguousKind, type HttpAnswer, networkVerdict, type Operation, type Verdict } from '../verdict.js';
import { type GraphError, parseGraphError, REQUIRED_PERMISSIONS } from './graph.js';
import { type FacebookUsage, parseUsageHeaders, regainMinutes } from './usage.js';

/**
 * The one place that decides the failure kind of a Graph API call, from HTTP status, Graph
 * `error.code` / `error_subcode`, the usage headers and network error codes. Never from message text.
 */

/**
 * `create` is the side-effecting POST /{page}/feed; `delete` (DELETE /{post-id}) is idempotent and `read` has no
 * effect: both can be retried freely, so their ambiguous failures are `transient`.
 */
export type GraphOperation = 'create' | 'read' | 'delete';

export type ClassifyInput =
  | {
      operation: GraphOperation;
      now: Date;
      /** HTTP status of the response. */
      status: number;
      /** The body's `error` object, when it had one. */
      error?: GraphError;
      usage?: FacebookUsage;
    }
  | {
      operation: GraphOperation;
      now: Date;
      /** No response: the Node/axios error code (ECONNREFUSED, ECONNRESET, ETIMEDOUT, ERR_CANCELED...). */
      network: string | undefined;
    };

export type Classification = Verdict;

const HOUR_MS = 3_600_000;
/** Used when a throttle carries no positive regain time: Graph's windows are a rolling hour. */
export const THROTTLE_FALLBACK_MS = HOUR_MS;
/**
 * Code 368 ("temporarily blocked for policy violations") lifts on Facebook's schedule, which the API
 * does not reveal; such blocks commonly last about a day, and posting again while blocked can extend
 * them. So wait a full 24 h before the next attempt.
 */
export const POLICY_BLOCK_WAIT_MS = 24 * HOUR_MS;

const THROTTLE_CODES = new Set([4, 17, 32, 613, 80001, 341]);
const TOKEN_CODES = new Set([190, 102, 104]);
const TRANSIENT_CODES = new Set([1, 2]);

const NEW_PAGE_TOKEN =
  'generate a new long-lived Page token (exchange a long-lived user token, then read /me/accounts) and update FACEBOOK_PAGE_TOKEN';

/** What the operator should do for each 190 subcode. */
const TOKEN_ACTIONS: Record<number, string> = {
  458: `the app was removed from the user's account: re-authorise the app, then ${NEW_PAGE_TOKEN}`,
  459: `the user is checkpointed: log in at https://www.facebook.com to clear it, then ${NEW_PAGE_TOKEN}`,
  460: `the user's password changed: re-authorise the app (log in again), then ${NEW_PAGE_TOKEN}`,
  463: `the token has expired: ${NEW_PAGE_TOKEN}`,
  464: `the Facebook user is not confirmed: confirm the account on facebook.com, then ${NEW_PAGE_TOKEN}`,
  467: `the token was invalidated (user logged out or de-authorised the app): re-authorise the app, then ${NEW_PAGE_TOKEN}`,
  492: `the session is invalid for this Page (the user may have lost their role): check the user's Page role, re-authorise, then ${NEW_PAGE_TOKEN}`,
};

const PERMISSION_ACTION = `use a Page access token (from /me/accounts, not a user token) with ${REQUIRED_PERMISSIONS.join(
  ' and ',
)} granted; the user needs the CREATE_CONTENT task on the Page`;

function graphCode(e: GraphError): string | undefined {
  if (e.code === undefined) return undefined;
  return e.error_subcode === undefined ? String(e.code) : `${e.code}/${e.error_subcode}`;
}

function failureMessage(e: GraphError | undefined, status: number): string {
  const own = e?.message ?? `HTTP ${status} without a Graph error body`;
  return e?.fbtrace_id ? `${own} (fbtrace_id ${e.fbtrace_id})` : own;
}

function throttleUntil(now: Date, usage: FacebookUsage | undefined): Date {
  const minutes = regainMinutes(usage);
  // A regain time of 0 (or no header) while throttled tells nothing: fall back to the rolling hour.
  const wait = minutes > 0 ? minutes * 60_000 : THROTTLE_FALLBACK_MS;
  return new Date(now.getTime() + wait);
}

/** Decides the failure kind of one Graph API call that did not succeed. Pure. */
export function classifyGraphFailure(input: ClassifyInput): Classification {
  if ('network' in input) return networkVerdict('facebook', input.network, input.operation);
  const { operation, now, status, error, usage } = input;
  const base = { platform: 'facebook' as const, status, code: error ? graphCode(error) : undefined };
  const message = failureMessage(error, status);
  const code = error?.code;

  if (code !== undefined) {
    if (TOKEN_CODES.has(code)) {
      const sub = error?.error_subcode;
      const action =
        (sub !== undefined && TOKEN_ACTIONS[sub]) || `the Page token is invalid: ${NEW_PAGE_TOKEN}`;
      return { ...base, kind: 'auth', message, action };
    }
    if (code === 3 || code === 10 || (code >= 200 && code <= 299)) {
      return { ...base, kind: 'auth', message, action: PERMISSION_ACTION };
    }
    if (THROTTLE_CODES.has(code)) {
      return { ...base, kind: 'rate-limited', message, until: throttleUntil(now, usage) };
    }
    if (code === 368) {
      return {
        ...base,
        kind: 'rate-limited',
        message,
        until: new Date(now.getTime() + POLICY_BLOCK_WAIT_MS),
        action: 'the Page is temporarily blocked from posting: check its Page Quality / Support Inbox',
      };
    }
    if (code === 506) return { ...base, kind: 'duplicate', message };
    if (TRANSIENT_CODES.has(code)) {
      // Code 2 has been seen after a successful create: the post may exist.
      return { ...base, kind: ambiguousKind(operation), message };
    }
  }
  if (status >= 200 && status < 300 && !error) {
    // A success status without the expected body (no post id, no feed data).
    const unexpected = `Facebook answered ${status} without the expected body`;
    const kind = ambiguousKind(operation);
    return {
      ...base,
      kind,
      message: kind === 'unconfirmed' ? `${unexpected}: the post may exist` : unexpected,
    };
  }
  if (status >= 500 || error?.is_transient === true)
    return { ...base, kind: ambiguousKind(operation), message };
  if (code === undefined) {
    if (status === 429) return { ...base, kind: 'rate-limited', message, until: throttleUntil(now, usage) };
    if (status === 401 || status === 403)
      return { ...base, kind: 'auth', message, action: `check the Page token: ${NEW_PAGE_TOKEN}` };
  }
  // 100 (invalid parameter), 1609005 (link scraping) and anything else: the request itself is wrong.
  return { ...base, kind: 'invalid', message };
}

/** Graph's verdict on one answer: the regain time comes from this very answer's usage headers. */
export function classifyFacebookAnswer(answer: HttpAnswer, operation: Operation) {
  return classifyGraphFailure({
    operation: operation === 'create' || operation === 'delete' ? operation : 'read',
    now: answer.at,
    status: answer.status,
    error: parseGraphError(answer.body),
    usage: parseUsageHeaders(answer.headers, answer.at),
  });
}
