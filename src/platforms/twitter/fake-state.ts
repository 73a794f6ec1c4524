import { ListIndex } from '../fake/list-index.js';
import type { TwitterOAuth1Credentials, TwitterOAuth2Credentials } from './credentials.js';
import type { ProblemHost } from './fake-http.js';

export type TokenState = 'valid' | 'expired' | 'revoked';

export interface FakeUser {
  id: string;
  username: string;
  name: string;
}

/** A link entity as X returns it (indices in code points of the returned text). */
export interface UrlEntity {
  start: number;
  end: number;
  url: string;
  expanded_url: string;
  display_url: string;
}

/** A tweet the fake stored, with everything a test needs to check it was well formed. */
export interface StoredTweet {
  id: string;
  authorId: string;
  /** Text as received (NFC-normalized, as X stores it). */
  text: string;
  /** Text as X answers it: links replaced by 23-character t.co links. */
  shortText: string;
  /** twitter-text v3 weighted length of `text` (≤ 280). */
  weightedLength: number;
  createdAt: string;
  inReplyTo?: string;
  conversationId: string;
  mediaIds: string[];
  urls: UrlEntity[];
  auth: 'oauth1' | 'oauth2';
  /** The exact request body received. */
  body: unknown;
}

export interface StoredMedia {
  id: string;
  ownerId: string;
  mediaType: string;
  category: string;
  totalBytes: number;
  /** Bytes received per segment_index; `exact` is false when the body was not valid UTF-8 (see fake-media). */
  segments: Map<number, { bytes: number; exact: boolean }>;
  finalized: boolean;
  statusPolls: number;
  expiresAt: number;
}

/** Request limits (X's published defaults; plans differ, so every value is settable). */
export interface FakeLimits {
  /** Requests per user per 15-minute window, per endpoint. */
  window: { tweets: number; me: number; timeline: number; media: number; delete: number };
  windowMs: number;
  /** Posts per user and per app per 24 h (x-user-limit-24hour / x-app-limit-24hour). */
  userDay: number;
  appDay: number;
}

/** Behaviours the facts sheet marks unconfirmed, so tests can try either. */
export interface FakeConfig {
  /** Status of the too-long error: mostly 400, some reports 403. */
  tooLongStatus: 400 | 403;
  /** Unknown reply parent: 403 about:blank "deleted or not visible" (v1 code 385 era) or a 400 invalid-request. */
  replyParentMissing: 'forbidden' | 'invalid-request';
  /** Refresh tokens are single-use and rotate on each refresh. */
  rotateRefreshTokens: boolean;
  /** How far back the same text counts as duplicate content (ms); undefined = forever. */
  duplicateWindowMs?: number;
  /** Host in problem type URIs. */
  problemHost: ProblemHost;
  /** Status polls a GIF/video needs before `succeeded` (images never need processing). */
  mediaProcessingPolls: number;
  /** OAuth 1.0a oauth_timestamp tolerance against real time. */
  oauth1TimestampSkewSecs: number;
  /**
   * DELETE /2/tweets/:id of a post that is gone (deleted before, or never there): 200 {"data":{"deleted":false}}
   * ("deleted" tells whether this request deleted it), or a 404 resource-not-found problem. Unconfirmed.
   */
  deleteMissing: 'deleted-false' | 'not-found';
}

export interface FakeApp {
  consumerKey: string;
  consumerSecret: string;
  permission: 'read' | 'read-write';
  enrolled: boolean;
  creditsDepleted: boolean;
}

export interface FakeState {
  users: FakeUser[];
  app: FakeApp;
  /** OAuth 2.0 clients: a confidential client has a secret and must authenticate with Basic. */
  clients: { clientId: string; clientSecret?: string }[];
  appBearerTokens: Set<string>;
  oauth1Tokens: Map<string, { secret: string; userId: string; state: TokenState }>;
  accessTokens: Map<string, { userId: string; clientId: string; expiresAt: number; state: TokenState }>;
  refreshTokens: Map<string, { userId: string; clientId: string; state: 'valid' | 'used' | 'revoked' }>;
  tweets: StoredTweet[];
  /** The same posts by author and text (`textKey`): the duplicate-content check looks there, not through all. */
  tweetsByText: ListIndex<StoredTweet>;
  /** Posts deleted through DELETE /2/tweets/:id, oldest deletion first (no longer on the platform). */
  deletedTweets: (StoredTweet & { deletedAt: string })[];
  media: Map<string, StoredMedia>;
  nonces: Set<string>;
  /** `${endpoint}:${userId}` → window start and count; `day:user:<id>` / `day:app` → 24 h counts. */
  counters: Map<string, { start: number; count: number }>;
  nextId: bigint;
  limits: FakeLimits;
  config: FakeConfig;
}

export const TWITTER_FAKE_USER: FakeUser = {
  id: '1700000000000000001',
  username: 'crier_fake',
  name: 'Crier Fake',
};
export const TWITTER_FAKE_OTHER_USER: FakeUser = {
  id: '1700000000000000002',
  username: 'crier_other',
  name: 'Crier Other',
};

/** Credentials the fake accepts out of the box (and after `reset()`). */
export const TWITTER_FAKE_CREDENTIALS = {
  oauth1: {
    kind: 'oauth1',
    apiKey: 'fake-consumer-key',
    apiSecret: 'fake-consumer-secret',
    accessToken: `${TWITTER_FAKE_USER.id}-fakeAccessToken`,
    accessSecret: 'fake-access-secret',
  } satisfies TwitterOAuth1Credentials,
  /** Same app, the second user (duplicate content is per user). */
  otherOauth1: {
    kind: 'oauth1',
    apiKey: 'fake-consumer-key',
    apiSecret: 'fake-consumer-secret',
    accessToken: `${TWITTER_FAKE_OTHER_USER.id}-fakeAccessToken`,
    accessSecret: 'fake-other-access-secret',
  } satisfies TwitterOAuth1Credentials,
  /** Confidential client; the refresh token is single-use like X's. */
  oauth2: {
    kind: 'oauth2',
    clientId: 'fake-client-id',
    clientSecret: 'fake-client-secret',
    refreshToken: 'fake-refresh-token-0',
  } satisfies TwitterOAuth2Credentials,
  /** An app-only bearer token: X refuses it for posting. */
  appBearer: 'fake-app-only-bearer',
} as const;

export const DEFAULT_LIMITS: FakeLimits = {
  window: { tweets: 100, me: 75, timeline: 900, media: 500, delete: 50 },
  windowMs: 15 * 60_000,
  userDay: 100,
  appDay: 10_000,
};

export const DEFAULT_CONFIG: FakeConfig = {
  tooLongStatus: 400,
  replyParentMissing: 'forbidden',
  rotateRefreshTokens: true,
  problemHost: 'api.twitter.com',
  mediaProcessingPolls: 1,
  oauth1TimestampSkewSecs: 300,
  deleteMissing: 'deleted-false',
};

export function initialState(limits: Partial<FakeLimits> = {}, config: Partial<FakeConfig> = {}): FakeState {
  const c = TWITTER_FAKE_CREDENTIALS;
  return {
    users: [TWITTER_FAKE_USER, TWITTER_FAKE_OTHER_USER],
    app: {
      consumerKey: c.oauth1.apiKey,
      consumerSecret: c.oauth1.apiSecret,
      permission: 'read-write',
      enrolled: true,
      creditsDepleted: false,
    },
    clients: [{ clientId: c.oauth2.clientId, clientSecret: c.oauth2.clientSecret }],
    appBearerTokens: new Set([c.appBearer]),
    oauth1Tokens: new Map([
      [c.oauth1.accessToken, { secret: c.oauth1.accessSecret, userId: TWITTER_FAKE_USER.id, state: 'valid' }],
      [
        c.otherOauth1.accessToken,
        { secret: c.otherOauth1.accessSecret, userId: TWITTER_FAKE_OTHER_USER.id, state: 'valid' },
      ],
    ]),
    accessTokens: new Map(),
    refreshTokens: new Map([
      [c.oauth2.refreshToken, { userId: TWITTER_FAKE_USER.id, clientId: c.oauth2.clientId, state: 'valid' }],
    ]),
    tweets: [],
    tweetsByText: new ListIndex(),
    deletedTweets: [],
    media: new Map(),
    nonces: new Set(),
    counters: new Map(),
    nextId: 1_800_000_000_000_000_000n,
    limits: { ...DEFAULT_LIMITS, ...limits, window: { ...DEFAULT_LIMITS.window, ...limits.window } },
    config: { ...DEFAULT_CONFIG, ...config },
  };
}

/** Increasing snowflake-like string ids, shared by tweets and media like X's. */
export function nextId(s: FakeState): string {
  s.nextId += 1_000_003n;
  return s.nextId.toString();
}

/** Sets any token's state by its value: OAuth 1.0a access token, OAuth 2.0 access or refresh token. */
export function setTokenState(s: FakeState, token: string, state: TokenState): boolean {
  const o1 = s.oauth1Tokens.get(token);
  if (o1) o1.state = state;
  const at = s.accessTokens.get(token);
  if (at) at.state = state;
  const rt = s.refreshTokens.get(token);
  if (rt) rt.state = state === 'valid' ? 'valid' : 'revoked';
  return !!(o1 || at || rt);
}

/** Body of POST /__control/state. */
export interface FakeStatePatch {
  tokens?: Record<string, TokenState>;
  app?: Partial<Pick<FakeApp, 'permission' | 'enrolled' | 'creditsDepleted'>>;
  limits?: Partial<Omit<FakeLimits, 'window'>> & { window?: Partial<FakeLimits['window']> };
  config?: Partial<FakeConfig>;
  /** Every OAuth 2.0 access token issued so far expires now. */
  expireAccessTokens?: boolean;
}

export function applyPatch(s: FakeState, p: FakeStatePatch): void {
  for (const [token, state] of Object.entries(p.tokens ?? {})) setTokenState(s, token, state);
  Object.assign(s.app, p.app ?? {});
  if (p.limits) {
    const { window, ...rest } = p.limits;
    Object.assign(s.limits, rest);
    Object.assign(s.limits.window, window ?? {});
  }
  Object.assign(s.config, p.config ?? {});
  if (p.expireAccessTokens) for (const t of s.accessTokens.values()) t.expiresAt = 0;
}

/** JSON view for GET /__control/state. */
export function stateView(s: FakeState) {
  return {
    users: s.users,
    app: s.app,
    posts: s.tweets,
    deleted: s.deletedTweets,
    tokens: {
      oauth1: Object.fromEntries(
        [...s.oauth1Tokens].map(([k, v]) => [k, { userId: v.userId, state: v.state }]),
      ),
      access: Object.fromEntries(s.accessTokens),
      refresh: Object.fromEntries(s.refreshTokens),
    },
    media: [...s.media.values()].map((m) => ({ ...m, segments: Object.fromEntries(m.segments) })),
    limits: s.limits,
    config: s.config,
  };
}
