import type { FakeContext, FakeRequest, FakeResponse } from '../fake/server.js';
import { createFeedPost, deletePagePost, listFeed } from './fake-feed.js';
import {
  GRAPH_ERRORS,
  type GraphErrorSpec,
  graphErrorResponse,
  graphOk,
  throttleError,
  usageHeaders,
} from './fake-responses.js';
import { FACEBOOK_FAKE_APP, type FacebookFakeState } from './fake-state.js';

/** Everything a route needs about one request once the token and version are known. */
export interface GraphCall {
  req: FakeRequest;
  now: number;
  version?: string;
  params: URLSearchParams;
  token?: string;
  tokenIn: 'body' | 'query' | 'header';
  /** Headers every answer to this call carries (usage). */
  headers: Record<string, string>;
  fail(spec: GraphErrorSpec): FakeResponse;
  ok(body: unknown): FakeResponse;
}

const VERSION = /^v\d+\.\d+$/;

/** Query parameters, overridden by form (or JSON) body parameters, as Graph merges them. */
function mergedParams(req: FakeRequest): URLSearchParams {
  const params = new URLSearchParams(req.query);
  for (const [k, v] of req.form) params.set(k, v);
  if (req.json && typeof req.json === 'object' && !Array.isArray(req.json)) {
    for (const [k, v] of Object.entries(req.json as Record<string, unknown>)) {
      params.set(k, typeof v === 'string' ? v : JSON.stringify(v));
    }
  }
  return params;
}

function tokenOf(req: FakeRequest, params: URLSearchParams): Pick<GraphCall, 'token' | 'tokenIn'> {
  const auth = String(req.headers.authorization ?? '');
  const m = /^(?:Bearer|OAuth)\s+(\S+)$/i.exec(auth);
  if (m) return { token: m[1], tokenIn: 'header' };
  const inBody = req.form.get('access_token');
  if (inBody) return { token: inBody, tokenIn: 'body' };
  const t = params.get('access_token') ?? undefined;
  return { token: t, tokenIn: t && req.query.has('access_token') ? 'query' : 'body' };
}

/** Checks the token for Page-level routes; returns an error response or the token's kind. */
export function authenticate(state: FacebookFakeState, call: GraphCall): FakeResponse | 'page' | 'user' {
  if (!call.token) return call.fail(GRAPH_ERRORS.missingToken(state.limits.missingTokenCode));
  if (state.userTokens.has(call.token)) return 'user';
  if (call.token !== state.pageToken) return call.fail(GRAPH_ERRORS.invalidToken());
  if (state.token.state === 'expired')
    return call.fail(GRAPH_ERRORS.expiredToken(state.token.expiredAtMs ?? call.now, call.now));
  if (state.token.state === 'revoked') return call.fail(GRAPH_ERRORS.revokedToken());
  return state.token.kind;
}

/** Self-throttle once the rolling-hour quota is used up; regain time = when the oldest call leaves the window. */
function throttle(state: FacebookFakeState, call: GraphCall, pageScoped: boolean): FakeResponse | undefined {
  state.calls = state.calls.filter((t) => t > call.now - 3_600_000);
  const used = state.calls.length;
  if (used < state.limits.callsPerHour) {
    state.countCall(call.now);
    return undefined;
  }
  const oldest = state.calls[0] ?? call.now;
  const regain = Math.max(1, Math.ceil((oldest + 3_600_000 - call.now) / 60_000));
  Object.assign(
    call.headers,
    usageHeaders({
      percent: 100,
      regainMinutes: regain,
      pageId: pageScoped ? state.pageId : undefined,
      legacyPageUsage: state.limits.legacyPageUsageHeader,
      omit: !state.limits.usageHeaders,
    }),
  );
  return call.fail(throttleError(pageScoped ? 32 : 4));
}

function exchangeToken(state: FacebookFakeState, call: GraphCall): FakeResponse {
  const p = call.params;
  for (const name of ['client_id', 'client_secret', 'grant_type', 'fb_exchange_token']) {
    if (!p.get(name)) return call.fail(GRAPH_ERRORS.missingParam(name));
  }
  if (p.get('grant_type') !== 'fb_exchange_token')
    return call.fail(GRAPH_ERRORS.invalidParam('Unsupported grant_type'));
  if (p.get('client_id') !== FACEBOOK_FAKE_APP.appId)
    return call.fail(GRAPH_ERRORS.invalidParam('Error validating application. Invalid application ID.'));
  if (p.get('client_secret') !== FACEBOOK_FAKE_APP.appSecret)
    return call.fail(GRAPH_ERRORS.badClientSecret());
  if (!state.userTokens.has(p.get('fb_exchange_token')!)) return call.fail(GRAPH_ERRORS.invalidToken());
  const longLived = `EAAFakeLongLivedUserToken${state.userTokens.size}`;
  state.userTokens.add(longLived);
  return call.ok({ access_token: longLived, token_type: 'bearer', expires_in: 5_183_944 });
}

function meAccounts(state: FacebookFakeState, call: GraphCall): FakeResponse {
  const kind = authenticate(state, call);
  if (typeof kind !== 'string') return kind;
  if (kind === 'page')
    return call.fail(
      GRAPH_ERRORS.invalidParam('(#100) Tried accessing nonexisting field (accounts) on node type (Page)'),
    );
  return call.ok({
    data: [
      {
        access_token: state.pageToken,
        category: 'Media/news company',
        category_list: [{ id: '2233', name: 'Media/news company' }],
        name: FACEBOOK_FAKE_APP.pageName,
        id: state.pageId,
        tasks: ['ADVERTISE', 'ANALYZE', 'CREATE_CONTENT', 'MESSAGING', 'MODERATE', 'MANAGE'],
      },
    ],
    paging: { cursors: { before: 'QVFIUmJ', after: 'QVFIUmJ' } },
  });
}

/** The fake Graph API: routes, token checks, usage headers on every answer. */
export function handleGraph(state: FacebookFakeState, req: FakeRequest, ctx: FakeContext): FakeResponse {
  const now = ctx.now();
  const segments = req.path.split('/').filter(Boolean);
  const version = segments[0] && VERSION.test(segments[0]) ? segments.shift() : undefined;
  const params = mergedParams(req);
  const headers: Record<string, string> = {};
  const call: GraphCall = {
    req,
    now,
    version,
    params,
    ...tokenOf(req, params),
    headers,
    fail: (spec) => graphErrorResponse(spec, headers, version),
    ok: (body) => graphOk(body, headers, version),
  };
  const pageScoped = call.token === state.pageToken && state.token.kind === 'page';
  Object.assign(
    headers,
    usageHeaders({
      percent: ((state.calls.length + 1) * 100) / state.limits.callsPerHour,
      regainMinutes: 0,
      pageId: pageScoped ? state.pageId : undefined,
      legacyPageUsage: state.limits.legacyPageUsageHeader,
      omit: !state.limits.usageHeaders,
    }),
  );
  const route = `${req.method} /${segments.join('/')}`;

  if (route === 'GET /oauth/access_token') return exchangeToken(state, call);
  if (route === 'GET /me/accounts') return meAccounts(state, call);
  if (segments.length === 2 && segments[1] === 'feed' && (req.method === 'GET' || req.method === 'POST')) {
    if (!version) return call.fail(GRAPH_ERRORS.unknownPath(req.path));
    const kind = authenticate(state, call);
    if (typeof kind !== 'string') return kind;
    const throttled = throttle(state, call, pageScoped);
    if (throttled) return throttled;
    return req.method === 'POST'
      ? createFeedPost(state, call, segments[0]!, kind)
      : listFeed(state, call, segments[0]!);
  }
  if (segments.length === 1 && req.method === 'DELETE' && version) {
    const kind = authenticate(state, call);
    if (typeof kind !== 'string') return kind;
    const throttled = throttle(state, call, pageScoped);
    if (throttled) return throttled;
    return deletePagePost(state, call, segments[0]!, kind);
  }
  return call.fail(GRAPH_ERRORS.unknownPath(req.path));
}
