import { type FakeContext, type FakeRequest, type FakeResponse, FakeServer } from '../fake/server.js';
import { ServerBackedFake } from '../fake/server-backed.js';
import { authenticate, type Caller, issueTokens, tokenEndpoint } from './fake-auth.js';
import {
  clientNotEnrolled,
  creditsDepleted,
  notFound,
  oauth1Permissions,
  tooManyRequests,
} from './fake-http.js';
import { countPost, dayLimits, type LimitedEndpoint, takeWindow } from './fake-limits.js';
import { appendUpload, finalizeUpload, initializeUpload, uploadStatus } from './fake-media.js';
import {
  applyPatch,
  type FakeConfig,
  type FakeLimits,
  type FakeState,
  type FakeStatePatch,
  initialState,
  type StoredTweet,
  setTokenState,
  stateView,
  type TokenState,
  TWITTER_FAKE_USER,
} from './fake-state.js';
import { userTimeline } from './fake-timeline.js';
import { createTweet, deleteTweet } from './fake-tweets.js';

export type { FakeConfig, FakeLimits, FakeStatePatch, StoredTweet, TokenState } from './fake-state.js';
export { TWITTER_FAKE_CREDENTIALS, TWITTER_FAKE_OTHER_USER, TWITTER_FAKE_USER } from './fake-state.js';

export interface TwitterFakeOptions {
  limits?: Partial<FakeLimits>;
  config?: Partial<FakeConfig>;
}

interface Route {
  endpoint: LimitedEndpoint;
  /** Changes something public: needs write permission and credits. */
  write: boolean;
  /** Creates a post: counts against the 24 h caps (a delete does not). */
  creates?: boolean;
  run: (s: FakeState, req: FakeRequest, caller: Caller, now: number) => FakeResponse;
}

function route(req: FakeRequest): Route | undefined {
  const { method, path } = req;
  if (method === 'POST' && path === '/2/tweets')
    return { endpoint: 'tweets', write: true, creates: true, run: createTweet };
  const one = /^\/2\/tweets\/([^/]+)$/.exec(path);
  if (method === 'DELETE' && one)
    return { endpoint: 'delete', write: true, run: (s, r, c, now) => deleteTweet(s, r, c, now, one[1]!) };
  if (method === 'GET' && path === '/2/users/me') {
    return {
      endpoint: 'me',
      write: false,
      run: (s, _r, c) => ({ status: 200, body: { data: s.users.find((u) => u.id === c.userId) } }),
    };
  }
  const timeline = /^\/2\/users\/([^/]+)\/tweets$/.exec(path);
  if (method === 'GET' && timeline)
    return { endpoint: 'timeline', write: false, run: (s, r) => userTimeline(s, r, timeline[1]!) };
  if (method === 'POST' && path === '/2/media/upload/initialize')
    return { endpoint: 'media', write: false, run: initializeUpload };
  const upload = /^\/2\/media\/upload\/(\d+)\/(append|finalize)$/.exec(path);
  if (method === 'POST' && upload) {
    const id = upload[1]!;
    return upload[2] === 'append'
      ? { endpoint: 'media', write: false, run: (s, r, c, now) => appendUpload(s, r, c, id, now) }
      : { endpoint: 'media', write: false, run: (s, _r, c, now) => finalizeUpload(s, c, id, now) };
  }
  if (method === 'GET' && path === '/2/media/upload')
    return { endpoint: 'media', write: false, run: uploadStatus };
  return undefined;
}

/**
 * A faithful fake of the X API v2 endpoints Crier uses (facts sheet §1, "Fake X checklist"), over
 * HTTPS through FakeServer: auth (OAuth 1.0a signatures verified, OAuth 2.0 user tokens with rotating
 * refresh tokens), weighted length, duplicate content, reply parents, media, rate-limit headers.
 */
export class TwitterFake extends ServerBackedFake {
  readonly server: FakeServer;
  private state: FakeState;

  constructor(private readonly opts: TwitterFakeOptions = {}) {
    super();
    this.state = initialState(opts.limits, opts.config);
    this.server = new FakeServer('twitter', (req, ctx) => this.handle(req, ctx), {
      state: () => stateView(this.state),
      setState: (body) => applyPatch(this.state, body as FakeStatePatch),
      reset: () => {
        this.state = initialState(this.opts.limits, this.opts.config);
      },
    });
  }

  /** Posts stored, oldest first (also at GET /__control/state). Deleted posts are no longer among them. */
  posts(): StoredTweet[] {
    return [...this.state.tweets];
  }

  /** Posts deleted through DELETE /2/tweets/:id, in the order they were deleted. */
  deleted(): (StoredTweet & { deletedAt: string })[] {
    return [...this.state.deletedTweets];
  }

  requestsTo(method: string, path: string): FakeRequest[] {
    return this.server.requests.filter((r) => r.method === method && r.path === path);
  }

  setState(patch: FakeStatePatch): void {
    applyPatch(this.state, patch);
  }

  setTokenState(token: string, state: TokenState): void {
    if (!setTokenState(this.state, token, state)) throw new Error(`the fake X knows no token ${token}`);
  }

  /** The state of any token the fake issued or knows (refresh tokens become "used" once rotated). */
  tokenState(token: string): TokenState | 'used' | undefined {
    const s = this.state;
    const at = s.accessTokens.get(token);
    if (at) return at.state === 'valid' && at.expiresAt <= this.now() ? 'expired' : at.state;
    return s.oauth1Tokens.get(token)?.state ?? s.refreshTokens.get(token)?.state;
  }

  /** A fresh OAuth 2.0 pair for the default user, as an authorization code exchange would give. */
  issueOAuth2Tokens(clientId = 'fake-client-id', userId = TWITTER_FAKE_USER.id) {
    return issueTokens(this.state, userId, clientId, this.now());
  }

  /** Every request to POST /2/tweets answers 429 for `ms` (the 15-minute window by default). */
  rateLimitFor(ms: number, opts: { remaining?: number; limit?: number } = {}): Date {
    const until = this.now() + ms;
    const limit = opts.limit ?? this.state.limits.window.tweets;
    this.server.addFault({
      method: 'POST',
      pathPrefix: '/2/tweets',
      untilMs: until,
      action: {
        mode: 'respond',
        response: tooManyRequests({
          'x-rate-limit-limit': String(limit),
          'x-rate-limit-remaining': String(opts.remaining ?? 0),
          'x-rate-limit-reset': String(Math.ceil(until / 1000)),
        }),
      },
    });
    return new Date(Math.ceil(until / 1000) * 1000);
  }

  /** 429 from the 24-hour user cap while the 15-minute window still has room; lifts after `ms`. */
  dailyLimitFor(ms: number, scope: 'user' | 'app' = 'user'): Date {
    const now = this.now();
    const reset = Math.ceil((now + ms) / 1000);
    const windowReset = Math.ceil((now + this.state.limits.windowMs) / 1000);
    this.server.addFault({
      method: 'POST',
      pathPrefix: '/2/tweets',
      untilMs: now + ms,
      action: {
        mode: 'respond',
        response: tooManyRequests({
          'x-rate-limit-limit': '100',
          'x-rate-limit-remaining': '99',
          'x-rate-limit-reset': String(windowReset),
          [`x-${scope}-limit-24hour-limit`]: '17',
          [`x-${scope}-limit-24hour-remaining`]: '0',
          [`x-${scope}-limit-24hour-reset`]: String(reset),
        }),
      },
    });
    return new Date(reset * 1000);
  }

  /** The next create is stored, then answered with `status` (the post exists). */
  failAfterStore(status = 500): void {
    this.server.addFault({
      method: 'POST',
      pathPrefix: '/2/tweets',
      action: {
        mode: 'respond-after-handling',
        response: { status, body: { title: 'Internal Server Error', type: 'about:blank', status } },
      },
    });
  }

  /** The next `count` requests to `pathPrefix` answer `status` without being handled. */
  failBeforeStore(status = 503, pathPrefix = '/2/tweets', count = 1): void {
    this.server.addFault({
      pathPrefix,
      count,
      action: {
        mode: 'respond',
        response: { status, body: { title: 'Service Unavailable', type: 'about:blank', status } },
      },
    });
  }

  /** The next create drops the connection, before or after storing the post. */
  dropConnection(opts: { afterStore?: boolean; pathPrefix?: string } = {}): void {
    this.server.addFault({
      method: 'POST',
      pathPrefix: opts.pathPrefix ?? '/2/tweets',
      action: { mode: opts.afterStore ? 'drop-after-handling' : 'drop' },
    });
  }

  /** The next create never answers (the client times out), optionally after storing the post. */
  hang(opts: { afterStore?: boolean } = {}): void {
    this.server.addFault({
      method: 'POST',
      pathPrefix: '/2/tweets',
      action: { mode: 'hang', afterHandling: opts.afterStore },
    });
  }

  private handle(req: FakeRequest, ctx: FakeContext): FakeResponse {
    const s = this.state;
    const now = ctx.now();
    if (req.method === 'POST' && req.path === '/2/oauth2/token') return tokenEndpoint(s, req, now);
    const r = route(req);
    if (!r) return notFound();
    const caller = authenticate(s, req, now);
    if ('status' in caller) return caller;
    const host = s.config.problemHost;
    // Every answer to an authenticated caller carries the endpoint's x-rate-limit-* headers, refusals too.
    const window = takeWindow(s, r.endpoint, caller.userId, now);
    const refuse = (res: FakeResponse): FakeResponse => ({
      ...res,
      headers: { ...res.headers, ...window.headers },
    });
    if (r.write && caller.kind === 'oauth1' && s.app.permission === 'read')
      return refuse(oauth1Permissions(host));
    if (!s.app.enrolled) return refuse(clientNotEnrolled(host, caller.clientId));
    if (r.write && s.app.creditsDepleted) return refuse(creditsDepleted());
    const day = r.creates ? dayLimits(s, caller.userId, now) : undefined;
    if (window.exceeded || day?.exceeded) return tooManyRequests({ ...window.headers, ...day?.headers });
    const res = r.run(s, req, caller, now);
    if (r.creates && res.status === 201) countPost(s, caller.userId, now);
    const after = r.creates ? dayLimits(s, caller.userId, now).headers : {};
    return { ...res, headers: { ...res.headers, ...window.headers, ...after } };
  }
}

export function createTwitterFake(opts?: TwitterFakeOptions): TwitterFake {
  return new TwitterFake(opts);
}
