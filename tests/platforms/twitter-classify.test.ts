import { describe, expect, it } from 'vitest';
import {
  classifyTwitterError,
  problemName,
  rateLimitUntil,
  type TwitterErrorInfo,
} from '../../src/platforms/twitter/classify.js';

const NOW = Date.UTC(2026, 0, 10, 12, 0, 0);
const secs = (ms: number) => String(Math.floor(ms / 1000));

function info(over: Partial<TwitterErrorInfo>): TwitterErrorInfo {
  return { operation: 'create-post', authKind: 'oauth1', now: NOW, ...over };
}

const blank403 = { detail: 'whatever X says', type: 'about:blank', title: 'Forbidden', status: 403 };

describe('classifyTwitterError: rate limits', () => {
  it('429 lifts at x-rate-limit-reset', () => {
    const f = classifyTwitterError(
      info({
        status: 429,
        headers: { 'x-rate-limit-remaining': '0', 'x-rate-limit-reset': secs(NOW + 600_000) },
      }),
    );
    expect([f.kind, f.code, f.until?.getTime()]).toEqual(['rate-limited', 'x-rate-limit', NOW + 600_000]);
  });

  it('429 with window room left waits for the exhausted 24-hour user or app cap (the later one)', () => {
    const headers = {
      'x-rate-limit-remaining': '99',
      'x-rate-limit-reset': secs(NOW + 600_000),
      'x-user-limit-24hour-remaining': '0',
      'x-user-limit-24hour-reset': secs(NOW + 5 * 3600_000),
      'x-app-limit-24hour-remaining': '4000',
      'x-app-limit-24hour-reset': secs(NOW + 9 * 3600_000),
    };
    const user = classifyTwitterError(info({ status: 429, headers }));
    expect([user.code, user.until?.getTime()]).toEqual(['x-user-limit-24hour', NOW + 5 * 3600_000]);
    const app = classifyTwitterError(
      info({ status: 429, headers: { ...headers, 'x-app-limit-24hour-remaining': '0' } }),
    );
    expect([app.code, app.until?.getTime()]).toEqual(['x-app-limit-24hour', NOW + 9 * 3600_000]);
  });

  it('429 without headers waits one 15-minute window; a reset in the past still waits a second', () => {
    expect(rateLimitUntil({ now: NOW }).until.getTime()).toBe(NOW + 900_000);
    expect(
      rateLimitUntil({ now: NOW, headers: { 'x-rate-limit-reset': secs(NOW - 60_000) } }).until.getTime(),
    ).toBe(NOW + 1000);
  });
});

describe('classifyTwitterError: auth, duplicate, invalid', () => {
  it('401 is auth, with an action naming the credentials of the auth kind in use', () => {
    const body = { title: 'Unauthorized', type: 'about:blank', status: 401, detail: 'Unauthorized' };
    const o1 = classifyTwitterError(info({ status: 401, body }));
    const o2 = classifyTwitterError(info({ status: 401, body, authKind: 'oauth2' }));
    expect([o1.kind, o2.kind]).toEqual(['auth', 'auth']);
    expect(o1.action).toContain('TWITTER_ACCESS_TOKEN');
    expect(o2.action).toContain('TWITTER_REFRESH_TOKEN');
  });

  it('402 credits-depleted is auth: the operator must buy credits', () => {
    const f = classifyTwitterError(
      info({
        status: 402,
        body: {
          detail: 'credits depleted',
          status: 402,
          title: 'Payment Required',
          type: 'https://api.x.com/2/problems/credits-depleted',
        },
      }),
    );
    expect([f.kind, f.code]).toEqual(['auth', 'credits-depleted']);
    expect(f.action).toMatch(/credits/);
  });

  it('403 with a problem type is auth (oauth1-permissions, client-not-enrolled), whatever the operation', () => {
    const perm = classifyTwitterError(
      info({
        status: 403,
        body: {
          title: 'Forbidden',
          status: 403,
          type: 'https://api.twitter.com/2/problems/oauth1-permissions',
        },
      }),
    );
    expect([perm.kind, perm.code]).toEqual(['auth', 'oauth1-permissions']);
    expect(perm.action).toMatch(/Read and write/);
    const enrol = classifyTwitterError(
      info({
        status: 403,
        body: {
          title: 'Client Forbidden',
          reason: 'client-not-enrolled',
          type: 'https://api.twitter.com/2/problems/client-forbidden',
        },
      }),
    );
    expect([enrol.kind, enrol.code]).toEqual(['auth', 'client-not-enrolled']);
    expect(enrol.action).toMatch(/Project/);
  });

  it('403 about:blank is duplicate on a create, transient on a thread reply, auth on a read', () => {
    expect(classifyTwitterError(info({ status: 403, body: blank403 }))).toMatchObject({
      kind: 'duplicate',
      code: 'duplicate-content',
    });
    expect(classifyTwitterError(info({ status: 403, body: blank403, operation: 'create-reply' })).kind).toBe(
      'transient',
    );
    expect(classifyTwitterError(info({ status: 403, body: blank403, operation: 'read' })).kind).toBe('auth');
  });

  it('400 is invalid and keeps the platform message', () => {
    const f = classifyTwitterError(
      info({
        status: 400,
        body: {
          errors: [{ parameters: {}, message: 'Your Tweet text is too long.' }],
          title: 'Invalid Request',
          detail: 'One or more parameters to your request was invalid.',
          type: 'https://api.x.com/2/problems/invalid-request',
        },
      }),
    );
    expect([f.kind, f.code, f.status]).toEqual(['invalid', 'invalid-request', 400]);
    expect(f.message).toContain('Your Tweet text is too long.');
  });

  it('token endpoint: a dead refresh token asks to re-authorize; a refused client names the client variables', () => {
    const dead = classifyTwitterError(
      info({
        operation: 'token',
        authKind: 'oauth2',
        status: 400,
        body: { error: 'invalid_request', error_description: 'Value passed for the token was invalid.' },
      }),
    );
    expect([dead.kind, dead.code]).toEqual(['auth', 'invalid_request']);
    expect(dead.action).toMatch(/authorize the account again/);
    const client = classifyTwitterError(
      info({ operation: 'token', authKind: 'oauth2', status: 401, body: { error: 'unauthorized_client' } }),
    );
    expect(client.action).toContain('TWITTER_CLIENT_SECRET');
  });

  it('other 4xx are invalid', () => {
    expect(classifyTwitterError(info({ status: 404, body: {} })).kind).toBe('invalid');
  });
});

describe('classifyTwitterError: transient or unconfirmed', () => {
  it('5xx after a create is unconfirmed; on reads and media it is transient', () => {
    expect(classifyTwitterError(info({ status: 500, body: {} })).kind).toBe('unconfirmed');
    expect(classifyTwitterError(info({ status: 503, operation: 'create-reply' })).kind).toBe('unconfirmed');
    expect(classifyTwitterError(info({ status: 503, operation: 'read' })).kind).toBe('transient');
    expect(classifyTwitterError(info({ status: 500, operation: 'media' })).kind).toBe('transient');
  });

  it('a refused connection is transient even for a create; a reset, a timeout or a cut response is unconfirmed', () => {
    const refused = classifyTwitterError(info({ network: { code: 'ECONNREFUSED', timedOut: false } }));
    expect([refused.kind, refused.code]).toEqual(['transient', 'ECONNREFUSED']);
    expect(classifyTwitterError(info({ network: { code: 'ECONNRESET', timedOut: false } })).kind).toBe(
      'unconfirmed',
    );
    const timeout = classifyTwitterError(info({ network: { timedOut: true } }));
    expect([timeout.kind, timeout.code]).toEqual(['unconfirmed', 'ETIMEDOUT']);
    expect(classifyTwitterError(info({ status: 200, partial: true })).kind).toBe('unconfirmed');
    expect(classifyTwitterError(info({ operation: 'read', network: { timedOut: true } })).kind).toBe(
      'transient',
    );
  });
});

describe('problemName', () => {
  it('takes the last segment of a problem type URI and ignores about:blank', () => {
    expect(problemName('https://api.x.com/2/problems/oauth1-permissions')).toBe('oauth1-permissions');
    expect(problemName('about:blank')).toBeUndefined();
  });
});
