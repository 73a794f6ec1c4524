import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { FakeRequest, FakeResponse } from '../fake/server.js';
import { json, oauthError, unauthorized, unsupportedAuthentication } from './fake-http.js';
import type { FakeState } from './fake-state.js';

export interface Caller {
  userId: string;
  kind: 'oauth1' | 'oauth2';
  /** OAuth 1.0a consumer key or OAuth 2.0 client id. */
  clientId: string;
}

/** RFC 3986 percent-encoding, as OAuth 1.0a (RFC 5849 §3.6) requires. */
export function percentEncode(s: string): string {
  return encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function parseOAuthHeader(header: string): Map<string, string> {
  const params = new Map<string, string>();
  for (const m of header.slice('OAuth '.length).matchAll(/([\w-]+)="([^"]*)"/g)) {
    params.set(decodeURIComponent(m[1]!), decodeURIComponent(m[2]!));
  }
  return params;
}

/** RFC 5849 §3.4.1 signature base string of the request as the fake received it. */
export function signatureBaseString(req: FakeRequest, oauth: Map<string, string>): string {
  const u = new URL(req.url);
  const base = `${u.protocol}//${u.host.toLowerCase()}${u.pathname}`;
  const pairs: [string, string][] = [];
  for (const [k, v] of u.searchParams) pairs.push([k, v]);
  for (const [k, v] of req.form) pairs.push([k, v]);
  for (const [k, v] of oauth) if (k !== 'oauth_signature' && k !== 'realm') pairs.push([k, v]);
  const normalized = pairs
    .map(([k, v]) => [percentEncode(k), percentEncode(v)] as const)
    .sort(([ak, av], [bk, bv]) => (ak === bk ? (av < bv ? -1 : 1) : ak < bk ? -1 : 1))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
  return [req.method.toUpperCase(), percentEncode(base), percentEncode(normalized)].join('&');
}

function sameString(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function verifyOAuth1(s: FakeState, req: FakeRequest, header: string): Caller | undefined {
  const p = parseOAuthHeader(header);
  const token = s.oauth1Tokens.get(p.get('oauth_token') ?? '');
  if (p.get('oauth_consumer_key') !== s.app.consumerKey || !token || token.state !== 'valid')
    return undefined;
  if (p.get('oauth_signature_method') !== 'HMAC-SHA1' || (p.get('oauth_version') ?? '1.0') !== '1.0')
    return undefined;
  // The client signs with its own (real) clock, so the fake checks against real time, not its moved clock.
  const ts = Number(p.get('oauth_timestamp'));
  if (!Number.isFinite(ts) || Math.abs(Date.now() / 1000 - ts) > s.config.oauth1TimestampSkewSecs)
    return undefined;
  const nonce = `${p.get('oauth_timestamp')}:${p.get('oauth_nonce') ?? ''}`;
  if (!p.get('oauth_nonce') || s.nonces.has(nonce)) return undefined;
  const key = `${percentEncode(s.app.consumerSecret)}&${percentEncode(token.secret)}`;
  const expected = createHmac('sha1', key).update(signatureBaseString(req, p)).digest('base64');
  if (!sameString(expected, p.get('oauth_signature') ?? '')) return undefined;
  s.nonces.add(nonce);
  return { userId: token.userId, kind: 'oauth1', clientId: s.app.consumerKey };
}

/**
 * Authenticates an API request: OAuth 1.0a (HMAC-SHA1 verified with the consumer and token secrets)
 * or an OAuth 2.0 user access token. App-only bearer tokens cannot act for a user (403).
 */
export function authenticate(s: FakeState, req: FakeRequest, now: number): Caller | FakeResponse {
  const header = String(req.headers.authorization ?? '');
  if (header.startsWith('OAuth ')) return verifyOAuth1(s, req, header) ?? unauthorized();
  if (header.startsWith('Bearer ')) {
    const token = header.slice('Bearer '.length);
    if (s.appBearerTokens.has(token)) return unsupportedAuthentication(s.config.problemHost);
    const at = s.accessTokens.get(token);
    if (at?.state !== 'valid' || at.expiresAt <= now) return unauthorized();
    return { userId: at.userId, kind: 'oauth2', clientId: at.clientId };
  }
  return unauthorized();
}

/** Issues a user access token (2 h) and a refresh token, as the authorization code exchange would. */
export function issueTokens(s: FakeState, userId: string, clientId: string, now: number) {
  const accessToken = `fake-at-${randomBytes(12).toString('base64url')}`;
  const refreshToken = `fake-rt-${randomBytes(12).toString('base64url')}`;
  s.accessTokens.set(accessToken, { userId, clientId, expiresAt: now + 7200_000, state: 'valid' });
  s.refreshTokens.set(refreshToken, { userId, clientId, state: 'valid' });
  return { accessToken, refreshToken };
}

function clientOf(s: FakeState, req: FakeRequest): { clientId: string } | undefined {
  const header = String(req.headers.authorization ?? '');
  if (header.startsWith('Basic ')) {
    const [id, secret] = Buffer.from(header.slice(6), 'base64')
      .toString('utf8')
      .split(':')
      .map(decodeURIComponent);
    const c = s.clients.find(
      (x) => x.clientId === id && x.clientSecret !== undefined && x.clientSecret === secret,
    );
    return c && { clientId: c.clientId };
  }
  // Public clients (no secret) identify themselves with client_id in the form.
  const c = s.clients.find((x) => x.clientId === req.form.get('client_id') && x.clientSecret === undefined);
  return c && { clientId: c.clientId };
}

/** POST /2/oauth2/token, grant_type=refresh_token (form encoded, like X). */
export function tokenEndpoint(s: FakeState, req: FakeRequest, now: number): FakeResponse {
  if (!String(req.headers['content-type'] ?? '').includes('application/x-www-form-urlencoded'))
    return oauthError(400, 'invalid_request', 'Missing required parameter [grant_type].');
  const client = clientOf(s, req);
  if (!client) return oauthError(401, 'unauthorized_client', 'Missing valid authorization header');
  const grant = req.form.get('grant_type');
  if (!grant) return oauthError(400, 'invalid_request', 'Missing required parameter [grant_type].');
  if (grant !== 'refresh_token')
    return oauthError(400, 'unsupported_grant_type', 'Grant type is not supported.');
  const value = req.form.get('refresh_token') ?? '';
  const rt = s.refreshTokens.get(value);
  if (rt?.state !== 'valid' || rt.clientId !== client.clientId)
    return oauthError(400, 'invalid_request', 'Value passed for the token was invalid.');
  const issued = issueTokens(s, rt.userId, client.clientId, now);
  if (s.config.rotateRefreshTokens) rt.state = 'used';
  else s.refreshTokens.delete(issued.refreshToken);
  return json(200, {
    token_type: 'bearer',
    expires_in: 7200,
    access_token: issued.accessToken,
    scope: 'tweet.write users.read tweet.read offline.access media.write',
    refresh_token: s.config.rotateRefreshTokens ? issued.refreshToken : value,
  });
}
