import * as z from 'zod';
import type { FacebookCredentials } from './credentials.js';
import { REQUIRED_PERMISSIONS } from './graph.js';

/** Default credentials the fake accepts: point the adapter (or the demo) at the fake with these. */
export const FACEBOOK_FAKE_CREDENTIALS: Readonly<FacebookCredentials> = Object.freeze({
  pageId: '104857600012345',
  pageToken: 'EAAFakePageTokenForCrierTests0000',
  graphVersion: 'v26.0',
});

/** The fake's app and the short-lived user token it issued (for /oauth/access_token and /me/accounts). */
export const FACEBOOK_FAKE_APP = Object.freeze({
  appId: '1357924680135792',
  appSecret: 'fake-app-secret-0123456789abcdef',
  userToken: 'EAAFakeShortLivedUserToken0000',
  pageName: 'Crier Test News',
});

export const TOKEN_STATES = ['valid', 'expired', 'revoked'] as const;
export type TokenState = (typeof TOKEN_STATES)[number];
/** `user`: the operator configured a user token where a Page token is required. */
export type TokenKind = 'page' | 'user';

/**
 * Behaviour the facts sheet marks unconfirmed (or that tests want to squeeze), settable per fake.
 */
export interface FacebookFakeLimits {
  /** Longest message in code points (63,206 is widely cited, unconfirmed). */
  messageLimit: number;
  /** scheduled_publish_time must be at least this far ahead. */
  scheduleMinMinutes: number;
  /** ...and at most this far (unconfirmed: 30 days and 6 months are both reported). */
  scheduleMaxDays: number;
  /** Code for a request without any token: the checklist says 190; Graph has also been seen answering 104. */
  missingTokenCode: number;
  /** HTTP status of permission errors (#10, #200): mostly 400 or 403 in reports. */
  permissionStatus: number;
  /** When a message counts as a duplicate (506): same as the Page's last post, any stored post, or never. */
  duplicateRule: 'consecutive' | 'any' | 'off';
  /** Calls per rolling hour before the fake throttles on its own (#32 for Page tokens, #4 otherwise). */
  callsPerHour: number;
  /** Also send the legacy X-Page-Usage header. */
  legacyPageUsageHeader: boolean;
  /** Send usage headers at all. */
  usageHeaders: boolean;
}

export const DEFAULT_LIMITS: Readonly<FacebookFakeLimits> = Object.freeze({
  messageLimit: 63_206,
  scheduleMinMinutes: 10,
  scheduleMaxDays: 30,
  missingTokenCode: 190,
  permissionStatus: 403,
  duplicateRule: 'consecutive',
  callsPerHour: 4_800,
  legacyPageUsageHeader: false,
  usageHeaders: true,
});

/** One post the fake stored, with what a test needs to check it is well formed. */
export interface FacebookFakePost {
  /** `{page-id}_{post-number}`, as returned to the client. */
  id: string;
  pageId: string;
  message?: string;
  link?: string;
  published: boolean;
  /** Epoch seconds, for scheduled (unpublished) posts. */
  scheduledPublishTime?: number;
  /** Graph format, e.g. 2026-07-01T10:00:00+0000. */
  createdTime: string;
  permalinkUrl: string;
  /** How the request carried it. */
  request: { graphVersion: string; contentType: string; tokenIn: 'body' | 'query' | 'header' };
}

export interface TokenInfo {
  state: TokenState;
  kind: TokenKind;
  scopes: string[];
  /** When the token "expired" (for the 463 message). */
  expiredAtMs?: number;
}

const stateBodySchema = z
  .object({
    token: z.enum(TOKEN_STATES),
    tokenKind: z.enum(['page', 'user']),
    scopes: z.array(z.string()),
    limits: z
      .object({
        messageLimit: z.number().int().positive(),
        scheduleMinMinutes: z.number().min(0),
        scheduleMaxDays: z.number().positive(),
        missingTokenCode: z.number().int(),
        permissionStatus: z.number().int().min(400).max(599),
        duplicateRule: z.enum(['consecutive', 'any', 'off']),
        callsPerHour: z.number().int().positive(),
        legacyPageUsageHeader: z.boolean(),
        usageHeaders: z.boolean(),
      })
      .partial(),
    /** Only `[]` is meaningful: forget the stored posts. */
    posts: z.array(z.never()),
  })
  .partial()
  .strict();

/** Body of POST /__control/state. */
export type FacebookFakeStateUpdate = z.infer<typeof stateBodySchema>;

export interface FacebookFakeSetup {
  pageId: string;
  pageToken: string;
  limits: FacebookFakeLimits;
}

/** The platform state behind the fake Graph API. */
export class FacebookFakeState {
  readonly pageId: string;
  readonly pageToken: string;
  token!: TokenInfo;
  limits!: FacebookFakeLimits;
  posts: FacebookFakePost[] = [];
  /** Posts deleted through DELETE /{post-id}, in the order they were deleted (no longer on the Page). */
  deletedPosts: (FacebookFakePost & { deletedTime: string })[] = [];
  /** Fake-clock times of the calls in the last hour (for usage and the self-throttle). */
  calls: number[] = [];
  /** User tokens the fake knows (the short-lived one and those minted by the exchange). */
  userTokens = new Set<string>();
  private nextPostNumber = 0;

  constructor(private readonly setup: FacebookFakeSetup) {
    this.pageId = setup.pageId;
    this.pageToken = setup.pageToken;
    this.reset();
  }

  reset(): void {
    this.token = { state: 'valid', kind: 'page', scopes: [...REQUIRED_PERMISSIONS, 'pages_show_list'] };
    this.limits = { ...this.setup.limits };
    this.posts = [];
    this.deletedPosts = [];
    this.calls = [];
    this.userTokens = new Set([FACEBOOK_FAKE_APP.userToken]);
    this.nextPostNumber = 122_000_000_000_000;
  }

  newPostNumber(): string {
    this.nextPostNumber += 1;
    return String(this.nextPostNumber);
  }

  /** Records a call at `now` and returns how many calls fall in the rolling hour. */
  countCall(now: number): number {
    this.calls = this.calls.filter((t) => t > now - 3_600_000);
    this.calls.push(now);
    return this.calls.length;
  }

  setTokenState(state: TokenState, now: number): void {
    this.token = { ...this.token, state, expiredAtMs: state === 'expired' ? now - 60_000 : undefined };
  }

  apply(body: unknown, now: number): void {
    const parsed = stateBodySchema.safeParse(body);
    if (!parsed.success) throw new Error(`bad /__control/state body: ${parsed.error.message}`);
    const u = parsed.data;
    if (u.token) this.setTokenState(u.token, now);
    if (u.tokenKind) this.token.kind = u.tokenKind;
    if (u.scopes) this.token.scopes = [...u.scopes];
    if (u.limits) this.limits = { ...this.limits, ...u.limits };
    if (u.posts) this.posts = [];
  }

  snapshot() {
    return {
      pageId: this.pageId,
      token: { ...this.token },
      limits: { ...this.limits },
      callsLastHour: this.calls.length,
      posts: this.posts.map((p) => ({ ...p })),
      deletedPosts: this.deletedPosts.map((p) => ({ ...p })),
    };
  }
}
