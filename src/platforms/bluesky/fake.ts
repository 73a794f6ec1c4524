import { type FakeContext, type FakeRequest, type FakeResponse, FakeServer } from '../fake/server.js';
import { ServerBackedFake } from '../fake/server-backed.js';
import {
  createRecord,
  deleteRecord,
  getAuthorFeed,
  getRecord,
  listRecords,
  uploadBlob,
  xrpcError,
} from './fake-repo.js';
import {
  BLUESKY_FAKE_ACCOUNT,
  type BlueskyFakeAccount,
  type BlueskyFakeConfig,
  BlueskyFakeState,
  type StoredRecord,
} from './fake-state.js';

export {
  BLUESKY_FAKE_ACCOUNT,
  BLUESKY_FAKE_OTHER_ACCOUNT,
  type BlueskyFakeConfig,
  type StoredBlob,
  type StoredRecord,
} from './fake-state.js';

/** Error answers as the PDS words them (facts sheet §1 "Auth"). */
export const BLUESKY_ERRORS = {
  missing: () => xrpcError(401, 'AuthMissing', 'Authentication Required'),
  badPassword: () => xrpcError(401, 'AuthenticationRequired', 'Invalid identifier or password'),
  expired: () => xrpcError(400, 'ExpiredToken', 'Token has expired'),
  revoked: () => xrpcError(400, 'ExpiredToken', 'Token has been revoked'),
  malformed: () => xrpcError(400, 'InvalidToken', 'Malformed token'),
  badScope: () => xrpcError(400, 'InvalidToken', 'Bad token scope'),
  rateLimited: (headers: Record<string, string> = {}) =>
    xrpcError(429, 'RateLimitExceeded', 'Rate Limit Exceeded', headers),
  internal: (status = 500) =>
    xrpcError(status, 'InternalServerError', status === 502 ? 'Bad Gateway' : 'Internal Server Error'),
  notFound: (nsid: string) => xrpcError(501, 'MethodNotImplemented', `Method Not Implemented: ${nsid}`),
};

/**
 * A faithful fake of the AT Protocol calls Crier makes (facts sheet §1, "What a faithful fake must do"):
 * `/xrpc/<nsid>` with `{error,message}` bodies, a DID document naming a second base URL (the PDS, under
 * `config.pdsPath`; the entryway answers every call too), app-password sessions whose JWTs expire on the fake's
 * clock and whose refresh tokens rotate (with a grace period), the post lexicon (300 graphemes, 3000 bytes, TID
 * record keys, facets as sent), blobs sniffed and checked at createRecord, newest-first listRecords, idempotent
 * deleteRecord, a lagging getAuthorFeed, write points with RateLimit-* headers, and scriptable faults.
 */
export class BlueskyFake extends ServerBackedFake {
  readonly server: FakeServer;
  state: BlueskyFakeState;

  constructor(private readonly opts: { config?: Partial<BlueskyFakeConfig> } = {}) {
    super();
    this.state = new BlueskyFakeState(opts.config);
    this.server = new FakeServer('bluesky', (req, ctx) => this.handle(req, ctx), {
      state: () => ({
        config: this.state.config,
        records: this.state.records,
        deleted: this.state.deleted,
        blobs: [...this.state.blobs.values()].map(({ bytes: _b, ...rest }) => rest),
      }),
      setState: (body) => {
        const b = body as { config?: Partial<BlueskyFakeConfig> };
        if (b.config) this.state.config = { ...this.state.config, ...b.config };
      },
      reset: () => {
        this.state = new BlueskyFakeState(this.opts.config);
      },
    });
  }

  /** The PDS base URL the DID document names. */
  get pdsUrl(): string {
    return `${this.url}${this.state.config.pdsPath}`;
  }

  /** The account's posts in the repo, oldest first (deleted ones are no longer among them). */
  posts(did = BLUESKY_FAKE_ACCOUNT.did): StoredRecord[] {
    return this.state.records.filter((r) => r.did === did).sort((a, b) => a.rkey.localeCompare(b.rkey));
  }

  deletedPosts(): (StoredRecord & { deletedAt: number })[] {
    return [...this.state.deleted];
  }

  setConfig(config: Partial<BlueskyFakeConfig>): void {
    this.state.config = { ...this.state.config, ...config };
  }

  /** Changes an account (a new app password, a takedown). */
  setAccount(did: string, change: Partial<Omit<BlueskyFakeAccount, 'did'>>): void {
    const a = this.state.accounts.find((x) => x.did === did);
    if (!a) throw new Error(`the fake Bluesky knows no ${did}`);
    Object.assign(a, change);
  }

  /** Every session token issued so far expires now (access and refresh alike when `refresh`). */
  expireTokens(opts: { refresh?: boolean } = {}): void {
    const now = this.now();
    for (const t of this.state.tokens.values()) if (t.kind === 'access' || opts.refresh) t.exp = now - 1000;
  }

  /** Writes answer 429 RateLimitExceeded (RateLimit-Reset in Unix seconds) for `ms` of fake time. */
  rateLimitFor(ms: number): Date {
    const reset = Math.ceil((this.now() + ms) / 1000);
    this.server.addFault({
      method: 'POST',
      pathPrefix: this.repoPath('com.atproto.repo.createRecord'),
      untilMs: this.now() + ms,
      action: {
        mode: 'respond',
        response: BLUESKY_ERRORS.rateLimited({
          'RateLimit-Limit': String(this.state.config.pointsPerHour),
          'RateLimit-Remaining': '0',
          'RateLimit-Reset': String(reset),
          'RateLimit-Policy': `${this.state.config.pointsPerHour};w=3600`,
        }),
      },
    });
    return new Date(reset * 1000);
  }

  /** The next createRecord answers `status` (500) without storing anything. */
  failBeforeStore(status = 500): void {
    this.server.addFault({
      pathPrefix: this.repoPath('com.atproto.repo.createRecord'),
      action: { mode: 'respond', response: BLUESKY_ERRORS.internal(status) },
    });
  }

  /** The next createRecord stores the record, then answers `status` (500): "created, response lost". */
  failAfterStore(status = 500): void {
    this.server.addFault({
      pathPrefix: this.repoPath('com.atproto.repo.createRecord'),
      action: { mode: 'respond-after-handling', response: BLUESKY_ERRORS.internal(status) },
    });
  }

  /** The PDS path of an NSID (where the adapter sends repo calls once logged in). */
  repoPath(nsid: string): string {
    return `${this.state.config.pdsPath}/xrpc/${nsid}`;
  }

  private handle(req: FakeRequest, ctx: FakeContext): FakeResponse {
    const now = ctx.now();
    const m = new RegExp(`^(?:${this.state.config.pdsPath})?/xrpc/([a-zA-Z0-9.]+)$`).exec(req.path);
    if (!m) return { status: 404, body: 'Not Found' };
    const nsid = m[1]!;
    switch (nsid) {
      case 'com.atproto.server.createSession':
        return req.method === 'POST' ? this.createSession(req, now) : BLUESKY_ERRORS.notFound(nsid);
      case 'com.atproto.server.refreshSession':
        return req.method === 'POST' ? this.refreshSession(req, now) : BLUESKY_ERRORS.notFound(nsid);
      case 'com.atproto.server.getSession':
        return this.authed(req, now, (a) => ({ status: 200, body: this.sessionInfo(a) }));
      case 'com.atproto.repo.createRecord':
        return this.authed(req, now, (a) => createRecord(this.state, req, a, now));
      case 'com.atproto.repo.uploadBlob':
        return this.authed(req, now, (a) => uploadBlob(this.state, req, a));
      case 'com.atproto.repo.deleteRecord':
        return this.authed(req, now, (a) => deleteRecord(this.state, req, a, now));
      case 'com.atproto.repo.listRecords':
        return listRecords(this.state, req);
      case 'com.atproto.repo.getRecord':
        return getRecord(this.state, req);
      case 'app.bsky.feed.getAuthorFeed':
        return getAuthorFeed(this.state, req, now);
      default:
        return BLUESKY_ERRORS.notFound(nsid);
    }
  }

  private bearer(req: FakeRequest): string | undefined {
    return /^Bearer\s+(\S+)$/i.exec(String(req.headers.authorization ?? ''))?.[1];
  }

  /** Runs `work` for the holder of a valid access token, else answers as the PDS does. */
  private authed(req: FakeRequest, now: number, work: (a: BlueskyFakeAccount) => FakeResponse): FakeResponse {
    const jwt = this.bearer(req);
    if (!jwt) return BLUESKY_ERRORS.missing();
    if (jwt.split('.').length !== 3) return BLUESKY_ERRORS.malformed();
    const t = this.state.tokens.get(jwt);
    if (!t) return xrpcError(400, 'InvalidToken', 'Token could not be verified');
    if (t.kind !== 'access') return BLUESKY_ERRORS.badScope();
    if (t.exp <= now) return BLUESKY_ERRORS.expired();
    const a = this.state.account(t.did)!;
    return work(a);
  }

  private sessionInfo(a: BlueskyFakeAccount) {
    return {
      handle: a.handle,
      did: a.did,
      didDoc: {
        '@context': ['https://www.w3.org/ns/did/v1'],
        id: a.did,
        alsoKnownAs: [`at://${a.handle}`],
        service: [{ id: '#atproto_pds', type: 'AtprotoPersonalDataServer', serviceEndpoint: this.pdsUrl }],
      },
      active: true,
    };
  }

  private newSession(a: BlueskyFakeAccount, now: number): FakeResponse {
    return {
      status: 200,
      body: {
        accessJwt: this.state.issue(a.did, 'access', now),
        refreshJwt: this.state.issue(a.did, 'refresh', now),
        ...this.sessionInfo(a),
      },
    };
  }

  /** createSession {identifier, password}: 30 per 5 minutes and 300 a day per identifier. */
  private createSession(req: FakeRequest, now: number): FakeResponse {
    const b = (req.json ?? {}) as { identifier?: unknown; password?: unknown };
    for (const k of ['identifier', 'password'] as const)
      if (typeof b[k] !== 'string' || !b[k])
        return xrpcError(400, 'InvalidRequest', `Input must have the property "${k}"`);
    const id = String(b.identifier).toLowerCase();
    const five = this.state.counter(`sessions-5m:${id}`, 5 * 60_000, now);
    const day = this.state.counter(`sessions-day:${id}`, 86_400_000, now);
    if (five.count >= this.state.config.sessionsPer5Min || day.count >= this.state.config.sessionsPerDay)
      return BLUESKY_ERRORS.rateLimited({
        'RateLimit-Limit': String(this.state.config.sessionsPer5Min),
        'RateLimit-Remaining': '0',
        'RateLimit-Reset': String(Math.ceil((five.start + 5 * 60_000) / 1000)),
        'RateLimit-Policy': `${this.state.config.sessionsPer5Min};w=300`,
      });
    five.count += 1;
    day.count += 1;
    const a = this.state.account(String(b.identifier));
    if (!a || a.appPassword !== b.password) return BLUESKY_ERRORS.badPassword();
    if (a.takendown) return xrpcError(400, 'AccountTakedown', 'Account has been taken down');
    return this.newSession(a, now);
  }

  /** refreshSession (Bearer <refreshJwt>): a new pair; the old refresh token keeps a grace period. */
  private refreshSession(req: FakeRequest, now: number): FakeResponse {
    const jwt = this.bearer(req);
    if (!jwt) return BLUESKY_ERRORS.missing();
    if (jwt.split('.').length !== 3) return BLUESKY_ERRORS.malformed();
    const t = this.state.tokens.get(jwt);
    if (!t) return xrpcError(400, 'InvalidToken', 'Token could not be verified');
    if (t.kind !== 'refresh') return BLUESKY_ERRORS.badScope();
    if (t.revoked || (t.rotatedAt !== undefined && now - t.rotatedAt > this.state.config.refreshGraceMs))
      return BLUESKY_ERRORS.revoked();
    if (t.exp <= now) return BLUESKY_ERRORS.expired();
    t.rotatedAt ??= now;
    return this.newSession(this.state.account(t.did)!, now);
  }
}

export function createBlueskyFake(opts?: { config?: Partial<BlueskyFakeConfig> }): BlueskyFake {
  return new BlueskyFake(opts);
}
