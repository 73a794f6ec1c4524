import { FakeServer, type Fault } from '../fake/server.js';
import { handleGraph } from './fake-graph.js';
import {
  GRAPH_ERRORS,
  type GraphErrorSpec,
  graphErrorResponse,
  type ThrottleCode,
  throttleError,
  usageHeaders,
} from './fake-responses.js';
import {
  DEFAULT_LIMITS,
  FACEBOOK_FAKE_CREDENTIALS,
  type FacebookFakeLimits,
  type FacebookFakePost,
  FacebookFakeState,
  type FacebookFakeStateUpdate,
  type TokenKind,
  type TokenState,
} from './fake-state.js';

export { THROTTLE_CODES, type ThrottleCode } from './fake-responses.js';
export {
  FACEBOOK_FAKE_APP,
  FACEBOOK_FAKE_CREDENTIALS,
  type FacebookFakeLimits,
  type FacebookFakePost,
  type FacebookFakeStateUpdate,
  type TokenKind,
  type TokenState,
} from './fake-state.js';

export interface FacebookFakeOptions {
  pageId?: string;
  pageToken?: string;
  /** Unconfirmed behaviour and limits (see FacebookFakeLimits); also settable later via /__control/state. */
  limits?: Partial<FacebookFakeLimits>;
}

export interface RateLimitOptions {
  /** Graph throttle code (default 32, "Page request limit reached"). */
  code?: ThrottleCode;
  /** estimated_time_to_regain_access to report (default: the throttle's length, rounded up). */
  regainMinutes?: number;
  /** Leave out the X-Business-Use-Case-Usage header (the client must fall back). */
  withoutUsageHeader?: boolean;
}

/** Only the side-effecting call: POST is used by the fake for /{page}/feed only. */
const CREATE: Pick<Fault, 'method'> = { method: 'POST' };

/**
 * A faithful fake of the Graph API Pages endpoints (see /work/shared/docs/platform-apis.md section 2):
 * `POST|GET /{vN.0}/{page-id}/feed`, `GET /oauth/access_token` (fb_exchange_token) and `GET /me/accounts`,
 * with token states, usage headers on every answer, and platform-shaped fault helpers over FakeServer's script.
 */
export class FacebookFake extends FakeServer {
  readonly state: FacebookFakeState;

  constructor(opts: FacebookFakeOptions = {}) {
    const state = new FacebookFakeState({
      pageId: opts.pageId ?? FACEBOOK_FAKE_CREDENTIALS.pageId,
      pageToken: opts.pageToken ?? FACEBOOK_FAKE_CREDENTIALS.pageToken,
      limits: { ...DEFAULT_LIMITS, ...opts.limits },
    });
    super('facebook', (req, ctx) => handleGraph(state, req, ctx), {
      state: () => state.snapshot(),
      setState: (body) => state.apply(body, this?.now() ?? Date.now()),
      reset: () => state.reset(),
    });
    this.state = state;
  }

  /** The posts the fake stored, oldest first (copies). */
  posts(): FacebookFakePost[] {
    return this.state.posts.map((p) => ({ ...p, request: { ...p.request } }));
  }

  /** Posts deleted through DELETE /{post-id}, in the order they were deleted. */
  deletedPosts(): (FacebookFakePost & { deletedTime: string })[] {
    return this.state.deletedPosts.map((p) => ({ ...p, request: { ...p.request } }));
  }

  /** Same as POST /__control/state. */
  setState(update: FacebookFakeStateUpdate): void {
    this.state.apply(update, this.now());
  }

  setToken(state: TokenState, kind: TokenKind = this.state.token.kind): void {
    this.setState({ token: state, tokenKind: kind });
  }

  /** Every request answers a Graph throttle error (usage at 100, regain minutes) for `ms` of fake time. */
  rateLimitFor(ms: number, opts: RateLimitOptions = {}): void {
    const regain = opts.regainMinutes ?? Math.ceil(ms / 60_000);
    const headers = usageHeaders({
      percent: 100,
      regainMinutes: regain,
      pageId: this.state.pageId,
      omit: opts.withoutUsageHeader,
    });
    this.addFault({
      untilMs: this.now() + ms,
      action: { mode: 'respond', response: graphErrorResponse(throttleError(opts.code ?? 32), headers) },
    });
  }

  /** The next create answers 500 with code 1 or 2 (is_transient) before storing anything. */
  failBeforeStore(code: 1 | 2 = 1): void {
    this.addCreateFault('respond', GRAPH_ERRORS.transient(code));
  }

  /** The next create stores the post, then answers 500 code 2 (is_transient): "created-but-errored". */
  failAfterStore(code: 1 | 2 = 2): void {
    this.addCreateFault('respond-after-handling', GRAPH_ERRORS.transient(code));
  }

  /** The next create answers 368 (temporarily blocked for policy reasons). */
  blockTemporarily(): void {
    this.addCreateFault('respond', GRAPH_ERRORS.policyBlock());
  }

  /** The next create drops the connection, before or after storing the post. */
  dropNext(opts: { afterStore?: boolean } = {}): void {
    this.addFault({ ...CREATE, action: { mode: opts.afterStore ? 'drop-after-handling' : 'drop' } });
  }

  /** The next create never answers (the client must time out), before or after storing the post. */
  hangNext(opts: { afterStore?: boolean } = {}): void {
    this.addFault({ ...CREATE, action: { mode: 'hang', afterHandling: opts.afterStore ?? false } });
  }

  private addCreateFault(mode: 'respond' | 'respond-after-handling', spec: GraphErrorSpec): void {
    const headers = usageHeaders({ percent: 1, regainMinutes: 0, pageId: this.state.pageId });
    this.addFault({ ...CREATE, action: { mode, response: graphErrorResponse(spec, headers) } });
  }
}

export function createFacebookFake(opts?: FacebookFakeOptions): FacebookFake {
  return new FacebookFake(opts);
}
