import { type FakeHandler, type FakeResponse, FakeServer } from '../fake/server.js';
import { defaultLinkedInVersion, type LinkedInCredentials } from './credentials.js';
import { handleImages, handleImageTransfer, isImageTransfer } from './fake-images.js';
import { handleAccessToken } from './fake-oauth.js';
import { handleRest } from './fake-posts.js';
import { notFound, serverError, type ThrottleScope, throttled } from './fake-responses.js';
import {
  ACCESS_TOKEN_LIFE_MS,
  type LinkedInFakeConfig,
  LinkedInFakeState,
  type LinkedInStatePatch,
  type LinkedInStoredImage,
  type LinkedInStoredPost,
  type OrgRole,
  type TokenState,
} from './fake-state.js';

export type {
  LinkedInFakeConfig,
  LinkedInStatePatch,
  LinkedInStoredImage,
  LinkedInStoredPost,
  OrgRole,
  TokenState,
};

/** The member the fake's default token belongs to. */
export const LINKEDIN_FAKE_MEMBER = 'urn:li:person:CrierFake01';
/** An organization on which that member is ADMINISTRATOR. */
export const LINKEDIN_FAKE_ORG = 'urn:li:organization:10001';
/** Default valid credentials: the token has every posting and reading scope; the version is live. */
export const LINKEDIN_FAKE_CREDENTIALS: LinkedInCredentials = {
  accessToken: 'li-fake-access-token',
  author: LINKEDIN_FAKE_MEMBER,
  version: defaultLinkedInVersion(),
};
/** The OAuth client the token endpoint accepts. */
export const LINKEDIN_FAKE_CLIENT = { clientId: 'li-fake-client', clientSecret: 'li-fake-client-secret' };
export const LINKEDIN_FAKE_REDIRECT_URI = 'https://localhost/linkedin/callback';

const ALL_SCOPES = [
  'openid',
  'profile',
  'w_member_social',
  'r_member_social',
  'w_organization_social',
  'r_organization_social',
];

export interface LinkedInFakeOptions {
  /** Behaviours the facts sheet leaves unconfirmed, limits, retired versions. */
  config?: Partial<LinkedInFakeConfig>;
}

export interface LinkedInFake {
  readonly server: FakeServer;
  /** https://127.0.0.1:<port> once started: use it as the adapter's baseUrl. */
  readonly url: string;
  start(tls: { cert: string; key: string }, port?: number, host?: string): Promise<string>;
  close(): Promise<void>;
  /** Forgets requests, faults, clock offset and state (back to the defaults and `opts.config`). */
  reset(): void;
  /** Fake-clock epoch ms. */
  now(): number;
  /** Posts stored so far, oldest first (deleted ones are no longer among them). */
  posts(): readonly LinkedInStoredPost[];
  /** Posts deleted through DELETE /rest/posts/{urn}, in the order they were deleted. */
  deletedPosts(): readonly (LinkedInStoredPost & { deletedAt: number })[];
  /** Images of the Images API (initialized, and uploaded when AVAILABLE), oldest first. */
  images(): readonly LinkedInStoredImage[];
  state(): ReturnType<LinkedInFakeState['snapshot']>;
  setState(patch: LinkedInStatePatch): void;
  setToken(token: string, state: TokenState, scopes?: string[]): void;
  setOrgRole(org: string, member: string, role: OrgRole | null): void;
  /** A one-time authorization code for the token endpoint (as if the member had just consented). */
  issueAuthCode(code: string, scopes?: string[], member?: string): void;
  /** Every /rest call answers 429 (APPLICATION DAY limit) for `ms` of fake time. */
  rateLimitFor(ms: number, scope?: ThrottleScope): void;
  /** The next create stores the post, then answers `status` (default 500). */
  failAfterStore(status?: number): void;
  /** The next create answers `status` (default 503) without storing anything. */
  failBeforeStore(status?: number): void;
  /** The next create's connection is dropped, after storing the post when `afterStore`. */
  dropConnection(opts?: { afterStore?: boolean }): void;
  /** The next create never answers, after storing the post when `afterStore`. */
  hang(opts?: { afterStore?: boolean }): void;
}

function withDate(r: FakeResponse, now: number): FakeResponse {
  // LinkedIn's Date header tells clients which UTC day a daily limit belongs to: send the fake clock's.
  return { ...r, headers: { date: new Date(now).toUTCString(), ...r.headers } };
}

export function createLinkedInFake(opts: LinkedInFakeOptions = {}): LinkedInFake {
  const clients = new Map([[LINKEDIN_FAKE_CLIENT.clientId, LINKEDIN_FAKE_CLIENT.clientSecret]]);
  let state = new LinkedInFakeState(clients);

  const seed = (now: number) => {
    state = new LinkedInFakeState(clients);
    state.apply(
      {
        config: opts.config,
        tokens: {
          [LINKEDIN_FAKE_CREDENTIALS.accessToken]: {
            member: LINKEDIN_FAKE_MEMBER,
            scopes: ALL_SCOPES,
            expiresInMs: ACCESS_TOKEN_LIFE_MS,
          },
        },
        orgRoles: { [LINKEDIN_FAKE_ORG]: { [LINKEDIN_FAKE_MEMBER]: 'ADMINISTRATOR' } },
      },
      now,
    );
  };

  const handler: FakeHandler = (req, ctx) => {
    const now = ctx.now();
    if (req.path === '/rest/images' || req.path.startsWith('/rest/images/'))
      return withDate(handleImages(state, req, now), now);
    if (req.path.startsWith('/rest/')) return withDate(handleRest(state, req, now), now);
    if (isImageTransfer(req.path)) return withDate(handleImageTransfer(state, req, now), now);
    if (req.path === '/oauth/v2/accessToken') return withDate(handleAccessToken(state, req, now), now);
    return withDate(notFound(req.method, req.path), now);
  };

  const server: FakeServer = new FakeServer('linkedin', handler, {
    state: () => state.snapshot(server.now()),
    setState: (body) => state.apply(body as LinkedInStatePatch, server.now()),
    reset: () => seed(server.now()),
  });
  seed(server.now());

  const createFault = (action: Parameters<FakeServer['addFault']>[0]['action']) =>
    server.addFault({ method: 'POST', pathPrefix: '/rest/posts', count: 1, action });

  return {
    server,
    get url() {
      return server.url;
    },
    start: (tls, port, host) => server.start(tls, port, host),
    close: () => server.close(),
    reset: () => server.reset(),
    now: () => server.now(),
    posts: () => state.posts,
    deletedPosts: () => state.deletedPosts,
    images: () => [...state.images.values()],
    state: () => state.snapshot(server.now()),
    setState: (patch) => state.apply(patch, server.now()),
    setToken: (token, s, scopes) => state.apply({ tokens: { [token]: { state: s, scopes } } }, server.now()),
    setOrgRole: (org, member, role) => state.apply({ orgRoles: { [org]: { [member]: role } } }, server.now()),
    issueAuthCode: (code, scopes, member = LINKEDIN_FAKE_MEMBER) =>
      state.apply(
        {
          authCodes: {
            [code]: {
              member,
              scopes,
              clientId: LINKEDIN_FAKE_CLIENT.clientId,
              redirectUri: LINKEDIN_FAKE_REDIRECT_URI,
            },
          },
        },
        server.now(),
      ),
    rateLimitFor: (ms, scope = 'APPLICATION') => {
      const now = server.now();
      server.addFault({
        pathPrefix: '/rest/',
        untilMs: now + ms,
        action: { mode: 'respond', response: withDate(throttled(scope), now) },
      });
    },
    failAfterStore: (status = 500) =>
      createFault({ mode: 'respond-after-handling', response: withDate(serverError(status), server.now()) }),
    failBeforeStore: (status = 503) =>
      createFault({ mode: 'respond', response: withDate(serverError(status), server.now()) }),
    dropConnection: (o = {}) => createFault({ mode: o.afterStore ? 'drop-after-handling' : 'drop' }),
    hang: (o = {}) => createFault({ mode: 'hang', afterHandling: o.afterStore }),
  };
}
