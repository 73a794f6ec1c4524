import { ListIndex } from '../fake/list-index.js';
import type { LinkedInArticleContent, LinkedInImageStatus, LinkedInPostBody } from './api-types.js';

/**
 * Platform state of the LinkedIn fake: tokens, organization roles, daily counters, stored posts and images, and the
 * behaviours the facts sheet leaves unconfirmed (as `LinkedInFakeConfig`). Everything is in fake-clock ms.
 */
export const DAY_MS = 86_400_000;
export const ACCESS_TOKEN_LIFE_MS = 60 * DAY_MS;
export const REFRESH_TOKEN_LIFE_MS = 365 * DAY_MS;
/** How long an `initializeUpload` upload URL stays usable (LinkedIn does not document it: unconfirmed). */
export const UPLOAD_URL_LIFE_MS = DAY_MS;

export type TokenState = 'valid' | 'expired' | 'revoked';
export type OrgRole =
  | 'ADMINISTRATOR'
  | 'CONTENT_ADMINISTRATOR'
  | 'DIRECT_SPONSORED_CONTENT_POSTER'
  | 'ANALYST';
/** Roles allowed to post as an organization. */
export const POSTER_ROLES: ReadonlySet<OrgRole> = new Set([
  'ADMINISTRATOR',
  'CONTENT_ADMINISTRATOR',
  'DIRECT_SPONSORED_CONTENT_POSTER',
]);

export interface LinkedInFakeConfig {
  /** Commentary longer than `maxCommentaryChars` (code points): 422 (`reject`) or stored cut (`truncate`). Unconfirmed. */
  overLength: 'reject' | 'truncate';
  maxCommentaryChars: number;
  /** Calls to /rest/posts per UTC day, per application and per member (LinkedIn does not publish them). */
  appDailyLimit: number;
  memberDailyLimit: number;
  /** Versions answered with 426 besides those older than `versionLifetimeMonths` or in the future. */
  retiredVersions: string[];
  versionLifetimeMonths: number;
  /** Whether the 422 DUPLICATE_POST message names the existing urn:li:share (seen in reports; unconfirmed). */
  duplicateMessageHasUrn: boolean;
  /** Whether a second post with the same author and commentary is refused (422 DUPLICATE_POST). */
  duplicateCheck: boolean;
  /** Finder query parameters must carry URNs URL-encoded (Rest.li 2.0). */
  requireEncodedUrns: boolean;
  /** Refresh tokens are issued only to approved partners. */
  refreshTokens: boolean;
  /** Whether a refresh returns a new refresh token (unconfirmed: LinkedIn seems to keep the same one). */
  rotateRefreshToken: boolean;
}

export const DEFAULT_FAKE_CONFIG: LinkedInFakeConfig = {
  overLength: 'reject',
  maxCommentaryChars: 3000,
  appDailyLimit: 100_000,
  memberDailyLimit: 150,
  retiredVersions: [],
  versionLifetimeMonths: 12,
  duplicateMessageHasUrn: true,
  duplicateCheck: true,
  requireEncodedUrns: true,
  refreshTokens: true,
  rotateRefreshToken: false,
};

export interface FakeToken {
  member: string;
  scopes: string[];
  expiresAt: number;
  revoked: boolean;
}

export interface FakeRefreshToken {
  member: string;
  scopes: string[];
  clientId: string;
  /** Fixed at the first authorisation: refreshing never extends it. */
  expiresAt: number;
}

export interface FakeAuthCode {
  member: string;
  scopes: string[];
  clientId: string;
  redirectUri: string;
  expiresAt: number;
}

/** One post as the fake stored it. */
export interface LinkedInStoredPost {
  /** urn:li:share:<n> */
  id: string;
  author: string;
  /** The commentary exactly as sent. */
  sentCommentary: string;
  /** The little text LinkedIn kept: `sentCommentary` up to the first unescaped reserved character (or length cut). */
  commentary: string;
  /** What readers see: `commentary` unescaped, mentions and hashtags rendered. */
  visibleText: string;
  /** Index in `sentCommentary` of the unescaped reserved character that cut it, or -1. */
  cutAt: number;
  /** True when the length limit cut it (`overLength: 'truncate'`). */
  truncated: boolean;
  visibility: string;
  lifecycleState: string;
  distribution: LinkedInPostBody['distribution'];
  article?: LinkedInArticleContent;
  /** The article thumbnail (urn:li:image:…, uploaded through the Images API), when the post had one. */
  thumbnail?: string;
  /** The LinkedIn-Version header of the create request. */
  version: string;
  createdAt: number;
  /** The parsed body as received. */
  body: LinkedInPostBody;
}

/** One image of the Images API as the fake keeps it. */
export interface LinkedInStoredImage {
  /** urn:li:image:<id> */
  urn: string;
  /** The <id> of the URN, also the last segment of its upload URL. */
  id: string;
  /** urn:li:person:… or urn:li:organization:… (initializeUploadRequest.owner). */
  owner: string;
  /** The member whose token initialized the upload: only that member's tokens may PUT the bytes. */
  member: string;
  status: LinkedInImageStatus;
  uploadUrlExpiresAt: number;
  createdAt: number;
  uploadedAt?: number;
  /** Content-Type of the PUT. */
  mediaType?: string;
  /** The bytes received, exactly. */
  bytes?: Buffer;
  size?: number;
}

/** Body of POST /__control/state (JSON) and argument of `fake.setState`. */
export interface LinkedInStatePatch {
  config?: Partial<LinkedInFakeConfig>;
  /** Add or change tokens; `state` moves expiry/revocation relative to the fake clock. */
  tokens?: Record<string, { state?: TokenState; member?: string; scopes?: string[]; expiresInMs?: number }>;
  /** org URN → member URN → role (null removes it). */
  orgRoles?: Record<string, Record<string, OrgRole | null>>;
  /** Calls already made today (fake-clock UTC day). */
  usage?: { app?: number; members?: Record<string, number> };
  /** Authorization codes the token endpoint accepts. */
  authCodes?: Record<string, { member: string; scopes?: string[]; clientId?: string; redirectUri?: string }>;
  /** `true` forgets every stored post. */
  clearPosts?: boolean;
}

export interface UsageCounters {
  day: string;
  app: number;
  members: Map<string, number>;
}

export function utcDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

export function tokenState(t: FakeToken, now: number): TokenState {
  if (t.revoked) return 'revoked';
  return t.expiresAt <= now ? 'expired' : 'valid';
}

export class LinkedInFakeState {
  config: LinkedInFakeConfig = { ...DEFAULT_FAKE_CONFIG };
  readonly tokens = new Map<string, FakeToken>();
  readonly refreshTokens = new Map<string, FakeRefreshToken>();
  readonly authCodes = new Map<string, FakeAuthCode>();
  readonly orgRoles = new Map<string, Map<string, OrgRole>>();
  readonly posts: LinkedInStoredPost[] = [];
  /** The same posts by author and commentary as sent: the duplicate check looks there, not through all. */
  private readonly postsByCommentary = new ListIndex<LinkedInStoredPost>();
  /** Posts deleted through DELETE /rest/posts/{urn}, in the order they were deleted (no longer on LinkedIn). */
  readonly deletedPosts: (LinkedInStoredPost & { deletedAt: number })[] = [];
  /** By URN. */
  readonly images = new Map<string, LinkedInStoredImage>();
  usage: UsageCounters = { day: '', app: 0, members: new Map() };
  private seq = 0;
  private imageSeq = 0;

  constructor(readonly clients: ReadonlyMap<string, string>) {}

  /** Stores a new post. */
  addPost(post: LinkedInStoredPost): void {
    this.posts.push(post);
    this.postsByCommentary.add(commentaryKey(post.author, post.sentCommentary), post);
  }

  /** Takes the post at `at` off the platform and returns it. */
  removePostAt(at: number): LinkedInStoredPost | undefined {
    const [post] = this.posts.splice(at, 1);
    if (post) this.postsByCommentary.remove(commentaryKey(post.author, post.sentCommentary), post);
    return post;
  }

  /** The first post still on the platform with this author and commentary as sent. */
  postWithCommentary(author: string, commentary: string): LinkedInStoredPost | undefined {
    return this.postsByCommentary.get(commentaryKey(author, commentary))[0];
  }

  nextShareUrn(): string {
    this.seq += 1;
    return `urn:li:share:7310000000${String(this.seq).padStart(9, '0')}`;
  }

  nextImageId(): string {
    this.imageSeq += 1;
    return `D4E10AQFake${String(this.imageSeq).padStart(8, '0')}`;
  }

  /** Today's counters (fake-clock UTC day): they start again at midnight UTC. */
  usageFor(now: number): UsageCounters {
    const day = utcDay(now);
    if (this.usage.day !== day) this.usage = { day, app: 0, members: new Map() };
    return this.usage;
  }

  roleOf(org: string, member: string): OrgRole | undefined {
    return this.orgRoles.get(org)?.get(member);
  }

  apply(patch: LinkedInStatePatch, now: number): void {
    if (patch.config) this.config = { ...this.config, ...patch.config };
    for (const [token, p] of Object.entries(patch.tokens ?? {})) {
      const t = this.tokens.get(token) ?? {
        member: '',
        scopes: [],
        expiresAt: now + ACCESS_TOKEN_LIFE_MS,
        revoked: false,
      };
      if (p.member) t.member = p.member;
      if (p.scopes) t.scopes = [...p.scopes];
      if (p.expiresInMs !== undefined) t.expiresAt = now + p.expiresInMs;
      if (p.state === 'revoked') t.revoked = true;
      if (p.state === 'expired') t.expiresAt = Math.min(t.expiresAt, now - 1);
      if (p.state === 'valid') {
        t.revoked = false;
        if (t.expiresAt <= now) t.expiresAt = now + ACCESS_TOKEN_LIFE_MS;
      }
      this.tokens.set(token, t);
    }
    for (const [org, members] of Object.entries(patch.orgRoles ?? {})) {
      const roles = this.orgRoles.get(org) ?? new Map<string, OrgRole>();
      for (const [member, role] of Object.entries(members)) {
        if (role) roles.set(member, role);
        else roles.delete(member);
      }
      this.orgRoles.set(org, roles);
    }
    if (patch.usage) {
      const u = this.usageFor(now);
      if (patch.usage.app !== undefined) u.app = patch.usage.app;
      for (const [m, n] of Object.entries(patch.usage.members ?? {})) u.members.set(m, n);
    }
    for (const [code, c] of Object.entries(patch.authCodes ?? {})) {
      this.authCodes.set(code, {
        member: c.member,
        scopes: c.scopes ?? ['openid', 'profile', 'w_member_social'],
        clientId: c.clientId ?? [...this.clients.keys()][0] ?? '',
        redirectUri: c.redirectUri ?? 'https://localhost/callback',
        expiresAt: now + 30 * 60_000,
      });
    }
    if (patch.clearPosts) {
      this.posts.length = 0;
      this.deletedPosts.length = 0;
    }
  }

  /** JSON snapshot for GET /__control/state. */
  snapshot(now: number) {
    const u = this.usageFor(now);
    return {
      config: this.config,
      tokens: Object.fromEntries([...this.tokens].map(([k, t]) => [k, { ...t, state: tokenState(t, now) }])),
      refreshTokens: Object.fromEntries(this.refreshTokens),
      orgRoles: Object.fromEntries([...this.orgRoles].map(([org, m]) => [org, Object.fromEntries(m)])),
      usage: { day: u.day, app: u.app, members: Object.fromEntries(u.members) },
      posts: this.posts,
      deletedPosts: this.deletedPosts,
      // Without the bytes: they stay in process (`fake.images()`).
      images: [...this.images.values()].map(({ bytes: _bytes, ...rest }) => rest),
    };
  }
}

const commentaryKey = (author: string, commentary: string) => `${author}\n${commentary}`;
