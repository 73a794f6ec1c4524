import axios, {
  type AxiosInstance,
  type AxiosResponse,
  isAxiosError,
  type RawAxiosRequestHeaders,
} from 'axios';
import { DeadlineError, withDeadline } from '../core/deadline.js';
import { PlatformFailure } from '../core/failure.js';
import type { PlatformName } from '../core/platform.js';
import { platformLabel } from './registry.js';
import { ambiguousKind, type HttpAnswer, networkVerdict, type Operation, type Verdict } from './verdict.js';

/**
 * The one HTTP path of the platform adapters: every call has a wall-clock deadline, every answer that is not a
 * success goes through the platform's classifier, and the "may have posted" rule (./verdict.ts) is applied here once:
 *
 * - a call that `create`s a post and whose outcome is unknown (no answer in time, a dropped connection after the
 *   request left, a 5xx, a success without the expected body) is `unconfirmed`: the post may exist, so it is
 *   looked up before anything is sent again;
 * - the same on any other call (`read`, `delete`, `upload`, `session`) is `transient`: reads have no effect and a
 *   delete is idempotent, so they are simply retried;
 * - a socket error raised before any byte left (connection refused, DNS, TLS) applied nothing: `transient`.
 */

export interface HttpRequest {
  operation: Operation;
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** A path under the base URL, or an absolute URL (an upload URL the platform handed out). */
  url: string;
  params?: Record<string, string | number>;
  data?: unknown;
  headers?: RawAxiosRequestHeaders;
  /** Largest request body (uploads); axios' default otherwise. */
  maxBodyLength?: number;
  /** Raw bytes back instead of parsed JSON. */
  binary?: boolean;
  /** Send only `headers`, not the adapter's own (an upload URL on another host wants just its bearer token). */
  ownHeadersOnly?: boolean;
}

export interface PlatformHttpOptions {
  /** The platform (messages name it by its label, "Facebook"). */
  platform: PlatformName;
  baseUrl: string;
  timeoutMs: number;
  /** Sent with every request (authorization, API version). */
  headers?: RawAxiosRequestHeaders | (() => RawAxiosRequestHeaders);
  /** What an answer that is not a success means: from status, headers and error codes, never message text. */
  classify(answer: HttpAnswer, operation: Operation): Verdict;
  /** Sees every answer, success or refusal (quota and rate-limit headers). */
  observe?(answer: HttpAnswer, operation: Operation): void;
  /** Values that must never appear in a failure's message or cause (tokens sent in URLs or bodies). */
  secrets?: () => readonly string[];
  now?: () => Date;
}

export interface PlatformHttp {
  /** Sends the request: a 2xx answer comes back; anything else is thrown as a classified PlatformFailure. */
  request(req: HttpRequest): Promise<HttpAnswer>;
  /** Sends the request and returns any HTTP answer; only a call without an answer throws (classified). */
  send(req: HttpRequest): Promise<HttpAnswer>;
  /** The classified failure of an answer (a refusal, or a success the caller cannot use). */
  failure(answer: HttpAnswer, operation: Operation): PlatformFailure;
  /** A success without what it should carry (no id): ambiguous, so `unconfirmed` for a create. */
  unexpected(answer: HttpAnswer, operation: Operation, what: string): PlatformFailure;
}

function flatHeaders(h: AxiosResponse['headers']): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(h ?? {})) {
    if (v === undefined || v === null) continue;
    out[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : String(v);
  }
  return out;
}

/** Replaces every secret (also URL-encoded) in `text`. */
export function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const s of secrets) {
    if (!s) continue;
    out = out.split(s).join('[redacted]').split(encodeURIComponent(s)).join('[redacted]');
  }
  return out;
}

/** One request within the deadline, any HTTP status answered (only a call without an answer throws). */
async function exchange(
  client: AxiosInstance,
  o: PlatformHttpOptions,
  req: HttpRequest,
  now: () => Date,
): Promise<HttpAnswer> {
  const fixed = typeof o.headers === 'function' ? o.headers() : o.headers;
  const res = await withDeadline(o.timeoutMs, `${platformLabel(o.platform)} ${req.operation}`, (signal) =>
    client.request({
      method: req.method,
      url: req.url,
      params: req.params,
      data: req.data,
      headers: req.ownHeadersOnly ? req.headers : { ...fixed, ...req.headers },
      signal,
      ...(req.binary ? { responseType: 'arraybuffer' as const } : {}),
      ...(req.maxBodyLength ? { maxBodyLength: req.maxBodyLength } : {}),
    }),
  );
  return { status: res.status, headers: flatHeaders(res.headers), body: res.data, at: now() };
}

/** The shared HTTP helper of one adapter (axios underneath, redirects never followed). */
export function createPlatformHttp(o: PlatformHttpOptions): PlatformHttp {
  const now = o.now ?? (() => new Date());
  const secrets = () => o.secrets?.() ?? [];
  const client = axios.create({
    baseURL: o.baseUrl.replace(/\/+$/, ''),
    timeout: o.timeoutMs,
    // Every HTTP answer is returned to be classified; only a call without an answer throws.
    validateStatus: () => true,
    maxRedirects: 0,
    transitional: { clarifyTimeoutError: true },
  });

  function build(verdict: Verdict, cause: Record<string, unknown>): PlatformFailure {
    const clean = (s: string) => redact(s, secrets());
    const causeText = clean(JSON.stringify(cause));
    return new PlatformFailure({
      ...verdict,
      message: clean(verdict.message),
      action: verdict.action && clean(verdict.action),
      cause: JSON.parse(causeText) as unknown,
    });
  }

  function failure(answer: HttpAnswer, operation: Operation): PlatformFailure {
    const body = typeof answer.body === 'string' ? answer.body.slice(0, 2000) : answer.body;
    return build(o.classify(answer, operation), { status: answer.status, body, operation });
  }

  async function send(req: HttpRequest): Promise<HttpAnswer> {
    try {
      const answer = await exchange(client, o, req, now);
      o.observe?.(answer, req.operation);
      return answer;
    } catch (err) {
      const code =
        err instanceof DeadlineError
          ? err.code
          : isAxiosError(err)
            ? err.code
            : (err as { code?: string }).code;
      const verdict = networkVerdict(o.platform, code, req.operation);
      throw build(verdict, { network: code ?? 'unknown', operation: req.operation });
    }
  }

  return {
    send,
    failure,
    async request(req) {
      const answer = await send(req);
      if (answer.status >= 200 && answer.status < 300) return answer;
      throw failure(answer, req.operation);
    },
    unexpected(answer, operation, what) {
      const kind = ambiguousKind(operation);
      return build(
        {
          kind,
          platform: o.platform,
          status: answer.status,
          message: `${platformLabel(o.platform)} answered ${answer.status} without ${what}${kind === 'unconfirmed' ? ': the post may exist' : ''}`,
        },
        { status: answer.status, operation },
      );
    },
  };
}
