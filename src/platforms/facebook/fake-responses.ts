import { randomBytes } from 'node:crypto';
import type { FakeResponse } from '../fake/server.js';
import { GRAPH_ERROR_TYPE, type GraphError } from './graph.js';
import { type BusinessUseCaseUsage, USAGE_HEADERS, type UsageCounters } from './usage.js';

/** Graph answers JSON with this content type. */
const CONTENT_TYPE = 'application/json; charset=UTF-8';

/** Real trace ids look like "A9xnjd1iwrUx8qFJt1sld_Q". */
export function fbtraceId(): string {
  return randomBytes(17).toString('base64url').slice(0, 23);
}

/** What the fake reports in the usage headers of one response. */
export interface UsageReport {
  /** Percent (0-100) of the hourly call quota used. */
  percent: number;
  /** Minutes until access is regained (business use case header only). */
  regainMinutes: number;
  /** Page id for the X-Business-Use-Case-Usage header; absent for user/app tokens. */
  pageId?: string;
  /** Also send the legacy X-Page-Usage header. */
  legacyPageUsage?: boolean;
  /** Send no usage header at all (to test clients that must cope without one). */
  omit?: boolean;
}

export function usageHeaders(u: UsageReport): Record<string, string> {
  if (u.omit) return {};
  const pct = Math.max(0, Math.min(100, Math.round(u.percent)));
  const counters: UsageCounters = {
    call_count: pct,
    total_cputime: Math.round(pct / 2),
    total_time: Math.round(pct / 2),
  };
  const headers: Record<string, string> = {};
  if (u.pageId) {
    const entry: BusinessUseCaseUsage = {
      type: 'pages',
      ...counters,
      estimated_time_to_regain_access: u.regainMinutes,
    };
    headers[USAGE_HEADERS.business] = JSON.stringify({ [u.pageId]: [entry] });
  } else {
    headers[USAGE_HEADERS.app] = JSON.stringify(counters);
  }
  if (u.legacyPageUsage) headers[USAGE_HEADERS.page] = JSON.stringify(counters);
  return headers;
}

/** Headers every Graph response carries besides usage. */
export function graphHeaders(version: string | undefined, traceId: string): Record<string, string> {
  const h: Record<string, string> = { 'content-type': CONTENT_TYPE, 'x-fb-trace-id': traceId };
  if (version) h['facebook-api-version'] = version;
  return h;
}

export interface GraphErrorSpec {
  status: number;
  code: number;
  message: string;
  subcode?: number;
  isTransient?: boolean;
  userTitle?: string;
  userMsg?: string;
  /** Sent with token errors (code 190). */
  wwwAuthenticate?: string;
}

/** A Graph error response: `{"error":{message,type,code,error_subcode?,is_transient?,fbtrace_id}}`. */
export function graphErrorResponse(
  spec: GraphErrorSpec,
  extraHeaders: Record<string, string> = {},
  version?: string,
): FakeResponse {
  const traceId = fbtraceId();
  const error: GraphError = { message: spec.message, type: GRAPH_ERROR_TYPE, code: spec.code };
  if (spec.subcode !== undefined) error.error_subcode = spec.subcode;
  if (spec.isTransient !== undefined) error.is_transient = spec.isTransient;
  if (spec.userTitle) error.error_user_title = spec.userTitle;
  if (spec.userMsg) error.error_user_msg = spec.userMsg;
  error.fbtrace_id = traceId;
  const headers = { ...graphHeaders(version, traceId), ...extraHeaders };
  if (spec.wwwAuthenticate) headers['www-authenticate'] = spec.wwwAuthenticate;
  return { status: spec.status, headers, body: { error } };
}

export function graphOk(body: unknown, extraHeaders: Record<string, string>, version?: string): FakeResponse {
  return { status: 200, headers: { ...graphHeaders(version, fbtraceId()), ...extraHeaders }, body };
}

function wwwAuth(kind: string, message: string): string {
  return `OAuth "Facebook Platform" "${kind}" "${message.replaceAll('"', "'")}"`;
}

function graphDate(ms: number): string {
  return new Date(ms).toUTCString();
}

/** The canned Graph errors the fake answers with (messages as seen from the real API). */
export const GRAPH_ERRORS = {
  missingToken: (code: number): GraphErrorSpec => {
    const message = 'An access token is required to request this resource.';
    return { status: 400, code, message, wwwAuthenticate: wwwAuth('invalid_request', message) };
  },
  invalidToken: (): GraphErrorSpec => {
    const message = 'Invalid OAuth access token - Cannot parse access token';
    return { status: 400, code: 190, message, wwwAuthenticate: wwwAuth('invalid_token', message) };
  },
  expiredToken: (expiredAtMs: number, nowMs: number): GraphErrorSpec => {
    const message = `Error validating access token: Session has expired on ${graphDate(expiredAtMs)}. The current time is ${graphDate(nowMs)}.`;
    return {
      status: 400,
      code: 190,
      subcode: 463,
      message,
      wwwAuthenticate: wwwAuth('invalid_token', message),
    };
  },
  revokedToken: (): GraphErrorSpec => {
    const message = 'Error validating access token: The session is invalid because the user logged out.';
    return {
      status: 400,
      code: 190,
      subcode: 467,
      message,
      wwwAuthenticate: wwwAuth('invalid_token', message),
    };
  },
  publishPermission: (status: number): GraphErrorSpec => ({
    status,
    code: 200,
    message:
      '(#200) If posting to a page, requires both pages_read_engagement and pages_manage_posts as an admin with sufficient administrative permission',
  }),
  readPermission: (status: number): GraphErrorSpec => ({
    status,
    code: 10,
    message:
      "(#10) This endpoint requires the 'pages_read_engagement' permission or the 'Page Public Content Access' feature.",
  }),
  invalidParam: (message: string, subcode?: number): GraphErrorSpec => ({
    status: 400,
    code: 100,
    subcode,
    message,
  }),
  duplicate: (): GraphErrorSpec => ({
    status: 400,
    code: 506,
    message: '(#506) Duplicate status message',
    userTitle: 'Duplicate Status Update',
    userMsg: 'This status update is identical to the last one you posted. Try posting something different.',
  }),
  unknownPath: (path: string): GraphErrorSpec => ({
    status: 400,
    code: 2500,
    message: `Unknown path components: ${path}`,
  }),
  transient: (code: 1 | 2, status = 500): GraphErrorSpec => ({
    status,
    code,
    isTransient: true,
    message:
      code === 1
        ? 'An unknown error occurred'
        : 'An unexpected error has occurred. Please retry your request later.',
  }),
  policyBlock: (): GraphErrorSpec => ({
    status: 400,
    code: 368,
    message: 'It looks like you were misusing this feature by going too fast.',
    userTitle: "You're Temporarily Blocked",
    userMsg:
      "It looks like you were misusing this feature by going too fast. You've been temporarily blocked.",
  }),
  badClientSecret: (): GraphErrorSpec => ({
    status: 400,
    code: 1,
    message: 'Error validating client secret.',
  }),
  missingParam: (name: string): GraphErrorSpec => ({
    status: 400,
    code: 101,
    message: `Missing ${name} parameter.`,
  }),
} as const;

export const THROTTLE_CODES = [4, 17, 32, 613, 80001] as const;
export type ThrottleCode = (typeof THROTTLE_CODES)[number];

const THROTTLE_MESSAGES: Record<ThrottleCode, string> = {
  4: '(#4) Application request limit reached',
  17: '(#17) User request limit reached',
  32: '(#32) Page request limit reached',
  613: '(#613) Calls to this api have exceeded the rate limit.',
  80001:
    'There have been too many calls to this Page account. Wait a bit and try again. For more info, please refer to https://developers.facebook.com/docs/graph-api/overview/rate-limiting.',
};

export function throttleError(code: ThrottleCode): GraphErrorSpec {
  return { status: 400, code, isTransient: true, message: THROTTLE_MESSAGES[code] };
}
