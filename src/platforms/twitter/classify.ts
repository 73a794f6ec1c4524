import { ambiguousKind, neverSent, type Verdict } from '../verdict.js';

/**
 * What the adapter was doing when the error happened. It decides what an ambiguous answer means:
 * a 5xx or a timeout after a create may have posted; the same on a read cannot have.
 */
export type TwitterOperation =
  /** POST /2/tweets for the post itself (the head of a thread). */
  | 'create-post'
  /** POST /2/tweets replying to the previous tweet of a thread. */
  | 'create-reply'
  /** GET /2/users/me, /2/users/:id/tweets. */
  | 'read'
  /** /2/media/upload/* (nothing public is created). */
  | 'media'
  /** DELETE /2/tweets/:id: idempotent (a post already gone is a success), so never `unconfirmed`. */
  | 'delete'
  /** POST /2/oauth2/token (refresh). */
  | 'token';

export type TwitterAuthKind = 'oauth1' | 'oauth2';

/** Everything `classifyTwitterError` needs, already taken out of the HTTP client's error. */
export interface TwitterErrorInfo {
  operation: TwitterOperation;
  authKind: TwitterAuthKind;
  /** Epoch ms, for rate limits without headers. */
  now: number;
  /** HTTP status when a response (or its start) arrived. */
  status?: number;
  headers?: Record<string, string | string[] | undefined>;
  body?: unknown;
  /** The response started but was cut before its end. */
  partial?: boolean;
  /** No response: the socket error code (ECONNREFUSED, ECONNRESET, ...) and whether our timeout fired. */
  network?: { code?: string; timedOut: boolean };
  cause?: unknown;
}

const FIFTEEN_MINUTES = 15 * 60_000;

const PROBLEM_ACTIONS: Record<string, string> = {
  'oauth1-permissions':
    'The X app is read-only: set "App permissions" to "Read and write" in the developer portal, then regenerate the access token and secret (old tokens keep the old permission).',
  'client-forbidden':
    'The X app is not enrolled for this endpoint: attach it to a Project with the needed access level in the developer portal.',
  'unsupported-authentication':
    'X needs user-context credentials to post: use OAuth 1.0a user tokens or an OAuth 2.0 user token, not an app-only bearer token.',
  'credits-depleted':
    'The X app has no API credits left (pay-per-use): buy credits in the developer console; posting resumes afterwards.',
};

interface ProblemBody {
  title?: string;
  detail?: string;
  type?: string;
  reason?: string;
  error?: string;
  error_description?: string;
  errors?: { message?: string }[];
}

function problemOf(body: unknown): ProblemBody {
  return body && typeof body === 'object' ? (body as ProblemBody) : {};
}

/** The last path segment of an X problem type URI (".../2/problems/oauth1-permissions"), else undefined. */
export function problemName(type: string | undefined): string | undefined {
  if (!type || !/^https?:\/\//.test(type)) return undefined;
  return type.split('/').pop() || undefined;
}

export function header(h: TwitterErrorInfo['headers'], name: string): number | undefined {
  const v = h?.[name];
  const s = Array.isArray(v) ? v[0] : v;
  if (s === undefined || s === '') return undefined;
  const n = Number(s);
  return Number.isFinite(n) ? n : undefined;
}

/**
 * When a 429 lifts: the 15-minute window reset, pushed to the 24-hour reset of the user or app
 * limit when that one is exhausted (X answers 429 for the daily cap while the 15-minute `remaining` > 0).
 */
export function rateLimitUntil(info: Pick<TwitterErrorInfo, 'headers' | 'now'>): {
  until: Date;
  code: string;
} {
  const h = info.headers;
  const candidates: { at: number; code: string }[] = [];
  const windowReset = header(h, 'x-rate-limit-reset');
  if (windowReset !== undefined) candidates.push({ at: windowReset * 1000, code: 'x-rate-limit' });
  for (const scope of ['user', 'app'] as const) {
    const remaining = header(h, `x-${scope}-limit-24hour-remaining`);
    const reset = header(h, `x-${scope}-limit-24hour-reset`);
    if (remaining === 0 && reset !== undefined)
      candidates.push({ at: reset * 1000, code: `x-${scope}-limit-24hour` });
  }
  const latest = candidates.reduce<{ at: number; code: string } | undefined>(
    (a, c) => (!a || c.at > a.at ? c : a),
    undefined,
  );
  if (!latest) return { until: new Date(info.now + FIFTEEN_MINUTES), code: 'rate-limited' };
  // A reset already in the past (clock skew) still means "not now": wait at least a second.
  return { until: new Date(Math.max(latest.at, info.now + 1000)), code: latest.code };
}

function authAction(info: TwitterErrorInfo): string {
  if (info.operation === 'token')
    return 'X refused the OAuth 2.0 client: check TWITTER_CLIENT_ID / TWITTER_CLIENT_SECRET of this account.';
  return info.authKind === 'oauth1'
    ? 'X rejected the OAuth 1.0a credentials: check TWITTER_API_KEY / TWITTER_API_SECRET and regenerate TWITTER_ACCESS_TOKEN / TWITTER_ACCESS_SECRET in the developer portal.'
    : 'X rejected the OAuth 2.0 token: authorize the account again (scopes tweet.read tweet.write users.read offline.access media.write) and set a new TWITTER_REFRESH_TOKEN.';
}

const REAUTHORIZE =
  'The OAuth 2.0 refresh token was already used, revoked or expired: authorize the account again and set a new TWITTER_REFRESH_TOKEN (clear the stored tokens of this account).';

/** The platform's own words: invalid-request messages, else the problem detail/title, else the OAuth error. */
function platformMessage(p: ProblemBody, status: number | undefined): string {
  const messages = (p.errors ?? []).map((e) => e.message).filter((m): m is string => !!m);
  if (messages.length) return messages.join('; ');
  return p.detail ?? p.error_description ?? p.title ?? p.error ?? `HTTP ${status}`;
}

/**
 * The one place X failures are classified, from status, headers and error codes (never message text).
 * Pure: the adapter turns the HTTP client's error into `TwitterErrorInfo` and throws the PlatformFailure this
 * verdict describes (with the client's error as its cause).
 */
export function classifyTwitterError(info: TwitterErrorInfo): Verdict {
  const { status, operation } = info;
  // The one "may have posted" rule (../http.ts): only the creates may have left a post behind.
  const effect = operation === 'create-post' || operation === 'create-reply' ? 'create' : operation;
  const base = { platform: 'twitter' as const, status };

  if (status === undefined || info.partial) {
    const code = info.network?.timedOut ? 'ETIMEDOUT' : (info.network?.code ?? 'ECONNRESET');
    const notSent = status === undefined && neverSent(code);
    const kind = notSent ? 'transient' : ambiguousKind(effect);
    const what = info.partial ? `response cut after HTTP ${status}` : `no response (${code})`;
    return {
      ...base,
      kind,
      code,
      message:
        kind === 'unconfirmed' ? `X ${operation}: ${what}; the post may exist` : `X ${operation}: ${what}`,
    };
  }

  const p = problemOf(info.body);
  const name = problemName(p.type);
  const code = p.reason ?? name ?? p.error ?? (p.type || undefined);
  const message = `X ${status}${p.title ? ` ${p.title}` : ''}: ${platformMessage(p, status)}`;

  if (status === 429) {
    const rl = rateLimitUntil(info);
    return { ...base, kind: 'rate-limited', code: rl.code, until: rl.until, message };
  }
  if (operation === 'token' && status >= 400 && status < 500) {
    // OAuth errors (RFC 6749 §5.2): invalid_request / invalid_grant = the refresh token is dead.
    const dead = p.error === 'invalid_request' || p.error === 'invalid_grant';
    return {
      ...base,
      kind: 'auth',
      code,
      message,
      action: dead ? REAUTHORIZE : authAction(info),
    };
  }
  if (status === 401) return { ...base, kind: 'auth', code, message, action: authAction(info) };
  if (status === 402) {
    return {
      ...base,
      kind: 'auth',
      code: code ?? 'payment-required',
      message,
      action: PROBLEM_ACTIONS['credits-depleted'],
    };
  }
  if (status === 403) {
    if (p.reason === 'client-not-enrolled' || name) {
      const action =
        (p.reason === 'client-not-enrolled' ? PROBLEM_ACTIONS['client-forbidden'] : undefined) ??
        PROBLEM_ACTIONS[name ?? ''] ??
        `X refused the request (${name}): check the app's access level and permissions in the developer portal.`;
      return { ...base, kind: 'auth', code, message, action };
    }
    // On a delete, a 403 without a problem type is X refusing to delete another user's post.
    if (operation === 'delete') return { ...base, kind: 'invalid', code: 'not-author', message };
    // A 403 without a problem type URI (about:blank) on a create is X's duplicate-content answer.
    if (operation === 'create-post')
      return { ...base, kind: 'duplicate', code: 'duplicate-content', message };
    // On a thread reply it is also X's answer when the parent is not visible yet (replication lag):
    // retry; the adapter resumes the thread from what exists, so a true duplicate reply is skipped then.
    if (operation === 'create-reply') return { ...base, kind: 'transient', code: 'reply-forbidden', message };
    return {
      ...base,
      kind: 'auth',
      code: code ?? 'forbidden',
      message,
      action:
        'X refused the request: check the account is not locked or suspended and the app has the needed access.',
    };
  }
  if (status >= 500 || status === 408) {
    const kind = ambiguousKind(effect);
    return {
      ...base,
      kind,
      code: code ?? `http-${status}`,
      message: kind === 'unconfirmed' ? `${message} (the post may exist)` : message,
    };
  }
  return { ...base, kind: 'invalid', code: code ?? `http-${status}`, message };
}
