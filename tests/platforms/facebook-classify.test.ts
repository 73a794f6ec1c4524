import { describe, expect, it } from 'vitest';
import {
  type ClassifyInput,
  classifyGraphFailure,
  POLICY_BLOCK_WAIT_MS,
  THROTTLE_FALLBACK_MS,
} from '../../src/platforms/facebook/classify.js';
import type { GraphError } from '../../src/platforms/facebook/graph.js';
import { type FacebookUsage, parseUsageHeaders } from '../../src/platforms/facebook/usage.js';

const now = new Date('2026-07-01T10:00:00Z');
const PAGE = '104857600012345';

function graph(
  code: number,
  extra: Partial<GraphError> = {},
  status = 400,
  operation: 'create' | 'read' = 'create',
) {
  const input: ClassifyInput = {
    operation,
    now,
    status,
    error: { message: `(#${code}) msg`, type: 'OAuthException', code, fbtrace_id: 'Atrace', ...extra },
  };
  return classifyGraphFailure(input);
}

function usage(regain: number | undefined, callCount = 100): FacebookUsage {
  const entry = {
    type: 'pages',
    call_count: callCount,
    total_cputime: 10,
    total_time: 10,
    ...(regain === undefined ? {} : { estimated_time_to_regain_access: regain }),
  };
  return parseUsageHeaders({ 'x-business-use-case-usage': JSON.stringify({ [PAGE]: [entry] }) }, now)!;
}

describe('classifyGraphFailure', () => {
  it.each([
    [463, /generate a new long-lived Page token/],
    [467, /re-authorise/],
    [460, /re-authorise/],
    [458, /re-authorise/],
    [464, /confirm/],
    [492, /role/],
  ])('190/%i is auth with an action for that subcode', (subcode, action) => {
    const c = graph(190, { error_subcode: subcode });
    expect(c).toMatchObject({ kind: 'auth', code: `190/${subcode}`, status: 400 });
    expect(c.action).toMatch(action);
  });

  it('190 without subcode, 102 and 104 are auth asking for a new Page token', () => {
    for (const code of [190, 102, 104]) {
      const c = graph(code);
      expect(c.kind).toBe('auth');
      expect(c.action).toMatch(/generate a new long-lived Page token/);
    }
  });

  it('10 and 200-299 are auth naming the permissions needed', () => {
    for (const code of [10, 200, 299]) {
      const c = graph(code, {}, 403);
      expect(c).toMatchObject({ kind: 'auth', code: String(code) });
      expect(c.action).toMatch(/pages_manage_posts/);
      expect(c.action).toMatch(/pages_read_engagement/);
    }
  });

  it('throttle codes wait for estimated_time_to_regain_access minutes', () => {
    for (const code of [4, 17, 32, 613, 80001]) {
      const c = classifyGraphFailure({
        operation: 'create',
        now,
        status: 400,
        error: { code },
        usage: usage(7),
      });
      expect(c).toMatchObject({ kind: 'rate-limited', code: String(code) });
      expect(c.until?.getTime()).toBe(now.getTime() + 7 * 60_000);
    }
  });

  it('throttles fall back to one hour when the regain time is 0 or the header is absent', () => {
    const zero = classifyGraphFailure({
      operation: 'create',
      now,
      status: 400,
      error: { code: 32 },
      usage: usage(0),
    });
    expect(zero.until?.getTime()).toBe(now.getTime() + THROTTLE_FALLBACK_MS);
    const absent = graph(4);
    expect(absent.until?.getTime()).toBe(now.getTime() + 60 * 60_000);
    const noRegainField = classifyGraphFailure({
      operation: 'read',
      now,
      status: 400,
      error: { code: 17 },
      usage: usage(undefined),
    });
    expect(noRegainField.until?.getTime()).toBe(now.getTime() + THROTTLE_FALLBACK_MS);
  });

  it('368 is rate-limited for the conservative policy-block wait', () => {
    const c = graph(368);
    expect(c.kind).toBe('rate-limited');
    expect(c.until?.getTime()).toBe(now.getTime() + POLICY_BLOCK_WAIT_MS);
    expect(POLICY_BLOCK_WAIT_MS).toBe(24 * 3_600_000);
  });

  it('506 is duplicate, 100 and unknown 4xx codes are invalid keeping the platform message', () => {
    expect(graph(506).kind).toBe('duplicate');
    const invalid = graph(100, { error_subcode: 33, message: '(#100) Missing message or attachment' });
    expect(invalid).toMatchObject({ kind: 'invalid', code: '100/33' });
    expect(invalid.message).toBe('(#100) Missing message or attachment (fbtrace_id Atrace)');
    expect(graph(1609005).kind).toBe('invalid');
  });

  it('codes 1/2 and 5xx are unconfirmed on the create call, transient on reads', () => {
    expect(graph(2, { is_transient: true }, 500).kind).toBe('unconfirmed');
    expect(graph(1, {}, 400).kind).toBe('unconfirmed');
    expect(graph(2, { is_transient: true }, 500, 'read').kind).toBe('transient');
    expect(classifyGraphFailure({ operation: 'create', now, status: 502 }).kind).toBe('unconfirmed');
    expect(classifyGraphFailure({ operation: 'read', now, status: 503 }).kind).toBe('transient');
    expect(graph(9999, { is_transient: true }, 400, 'read').kind).toBe('transient');
  });

  it('classifies bodiless statuses: 429 rate-limited, 401/403 auth, other 4xx invalid', () => {
    expect(classifyGraphFailure({ operation: 'create', now, status: 429 }).kind).toBe('rate-limited');
    expect(classifyGraphFailure({ operation: 'create', now, status: 401 }).kind).toBe('auth');
    expect(classifyGraphFailure({ operation: 'create', now, status: 404 }).kind).toBe('invalid');
    // A success status without the expected body: the create may have happened; a read is retried.
    expect(classifyGraphFailure({ operation: 'create', now, status: 200 }).kind).toBe('unconfirmed');
    expect(classifyGraphFailure({ operation: 'read', now, status: 200 }).kind).toBe('transient');
  });

  it('network: refused/DNS/TLS are transient; drops and timeouts after sending a create are unconfirmed', () => {
    const net = (network: string | undefined, operation: 'create' | 'read' = 'create') =>
      classifyGraphFailure({ operation, now, network }).kind;
    expect(net('ECONNREFUSED')).toBe('transient');
    expect(net('ENOTFOUND')).toBe('transient');
    expect(net('DEPTH_ZERO_SELF_SIGNED_CERT')).toBe('transient');
    expect(net('ECONNRESET')).toBe('unconfirmed');
    expect(net('ETIMEDOUT')).toBe('unconfirmed');
    expect(net('ERR_CANCELED')).toBe('unconfirmed');
    expect(net(undefined)).toBe('unconfirmed');
    expect(net('ETIMEDOUT', 'read')).toBe('transient');
  });
});

describe('parseUsageHeaders', () => {
  it('reads the three usage headers, ignoring malformed ones', () => {
    const u = parseUsageHeaders(
      {
        'X-App-Usage': '{"call_count":28,"total_cputime":25,"total_time":25}',
        'x-page-usage': 'not json',
        'x-business-use-case-usage': JSON.stringify({
          [PAGE]: [{ type: 'pages', call_count: 100, estimated_time_to_regain_access: 12 }],
        }),
      },
      now,
    );
    expect(u?.app).toEqual({ call_count: 28, total_cputime: 25, total_time: 25 });
    expect(u?.page).toBeUndefined();
    expect(u?.business?.[PAGE]?.[0]).toMatchObject({ call_count: 100, estimated_time_to_regain_access: 12 });
    expect(parseUsageHeaders({ 'content-type': 'application/json' }, now)).toBeUndefined();
  });
});
