import { randomBytes } from 'node:crypto';
import type { FakeRequest, FakeResponse } from '../fake/server.js';
import type { LinkedInTokenResponse } from './api-types.js';
import { oauthError } from './fake-responses.js';
import { ACCESS_TOKEN_LIFE_MS, type LinkedInFakeState, REFRESH_TOKEN_LIFE_MS } from './fake-state.js';

/**
 * `POST /oauth/v2/accessToken` (form encoded; on www.linkedin.com in production).
 * Access tokens live 60 days. Refresh tokens (approved partners only) live 365 days fixed from the first
 * authorisation: each refresh returns a new 60-day access token and the same refresh token with less time left.
 */
export function handleAccessToken(state: LinkedInFakeState, req: FakeRequest, now: number): FakeResponse {
  if (req.method !== 'POST') return oauthError(405, 'invalid_request', 'Only POST is supported');
  const f = req.form;
  const grant = f.get('grant_type');
  if (!grant) return oauthError(400, 'invalid_request', 'A required parameter "grant_type" is missing');
  const clientId = f.get('client_id');
  if (!clientId) return oauthError(400, 'invalid_request', 'A required parameter "client_id" is missing');
  if (state.clients.get(clientId) !== f.get('client_secret'))
    return oauthError(401, 'invalid_client', 'Client authentication failed');

  if (grant === 'authorization_code') {
    const code = f.get('code');
    const redirectUri = f.get('redirect_uri');
    if (!code || !redirectUri)
      return oauthError(
        400,
        'invalid_request',
        `A required parameter "${code ? 'redirect_uri' : 'code'}" is missing`,
      );
    const c = state.authCodes.get(code);
    state.authCodes.delete(code); // single use
    if (!c || c.expiresAt <= now || c.clientId !== clientId || c.redirectUri !== redirectUri)
      return oauthError(
        400,
        'invalid_request',
        'Unable to retrieve access token: appid/redirect uri/code verifier does not match authorization code. Or authorization code expired.',
      );
    let refresh: string | undefined;
    if (state.config.refreshTokens) {
      refresh = `li-refresh-${randomBytes(12).toString('hex')}`;
      state.refreshTokens.set(refresh, {
        member: c.member,
        scopes: c.scopes,
        clientId,
        expiresAt: now + REFRESH_TOKEN_LIFE_MS,
      });
    }
    return issue(state, c.member, c.scopes, now, refresh);
  }

  if (grant === 'refresh_token') {
    const given = f.get('refresh_token') ?? '';
    const r = state.refreshTokens.get(given);
    if (!state.config.refreshTokens || !r || r.clientId !== clientId || r.expiresAt <= now)
      return oauthError(400, 'invalid_request', 'The provided refresh token is invalid or has expired');
    let refresh = given;
    if (state.config.rotateRefreshToken) {
      refresh = `li-refresh-${randomBytes(12).toString('hex')}`;
      state.refreshTokens.delete(given);
      state.refreshTokens.set(refresh, r); // same fixed expiry
    }
    return issue(state, r.member, r.scopes, now, refresh);
  }
  return oauthError(400, 'unsupported_grant_type', `Grant type ${grant} is not supported`);
}

function issue(
  state: LinkedInFakeState,
  member: string,
  scopes: string[],
  now: number,
  refresh: string | undefined,
): FakeResponse {
  const accessToken = `li-access-${randomBytes(12).toString('hex')}`;
  state.tokens.set(accessToken, { member, scopes, expiresAt: now + ACCESS_TOKEN_LIFE_MS, revoked: false });
  const body: LinkedInTokenResponse = {
    access_token: accessToken,
    expires_in: ACCESS_TOKEN_LIFE_MS / 1000,
    scope: scopes.join(','),
  };
  const r = refresh ? state.refreshTokens.get(refresh) : undefined;
  if (refresh && r) {
    body.refresh_token = refresh;
    body.refresh_token_expires_in = Math.floor((r.expiresAt - now) / 1000);
  }
  return { status: 200, headers: { 'cache-control': 'no-store' }, body };
}
