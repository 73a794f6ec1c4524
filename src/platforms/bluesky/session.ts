import { createHash } from 'node:crypto';
import type { TokenStore } from '../adapter.js';
import type { PlatformHttp } from '../http.js';
import type { HttpAnswer } from '../verdict.js';
import { type BlueskySession, jwtExpiry, pdsEndpoint } from './api.js';
import { SESSION_ERRORS, xrpcError } from './classify.js';
import type { BlueskyCredentials } from './credentials.js';

/** A usable session: tokens, the account's DID and handle, and the PDS its DID document names. */
export interface Session {
  accessJwt: string;
  refreshJwt: string;
  did: string;
  handle: string;
  /** Where repo calls go (the entryway also answers them). */
  pds: string;
  /** When the access token expires (epoch ms). */
  expiresAt: number;
}

/** An access token this close to its expiry is refreshed first rather than refused mid-call. */
const EARLY_MS = 60_000;
/** When a token states no expiry: the reference PDS gives access tokens two hours. */
const DEFAULT_ACCESS_MS = 2 * 3_600_000;

/** Whether an answer says the session is over (refresh it or log in again), rather than refusing the call. */
export function sessionOver(answer: HttpAnswer): boolean {
  if (answer.status === 401) return true;
  const name = xrpcError(answer.body).error;
  return answer.status === 400 && name !== undefined && SESSION_ERRORS.has(name);
}

/**
 * One account's AT Protocol session: created from the identifier and app password (createSession is limited to
 * 30 per 5 minutes and 300 a day, so the session is kept in the token store for every worker), refreshed with the
 * refresh token when the access token expires (refreshSession), created again when the refresh token is refused.
 * A new app password in the environment starts a new session instead of the stored one.
 */
export class SessionKeeper {
  private current?: Session;
  private pending?: Promise<Session>;
  private readonly origin: string;

  constructor(
    private readonly o: {
      account: string;
      credentials: BlueskyCredentials;
      http: PlatformHttp;
      store?: TokenStore;
      now?: () => number;
    },
  ) {
    const c = o.credentials;
    this.origin = createHash('sha256')
      .update(`${c.serviceUrl}\n${c.identifier}\n${c.appPassword}`)
      .digest('hex')
      .slice(0, 16);
  }

  private now(): number {
    return this.o.now?.() ?? Date.now();
  }

  /** A session whose access token is still good. */
  get(): Promise<Session> {
    const s = this.current;
    if (s && s.expiresAt - EARLY_MS > this.now()) return Promise.resolve(s);
    return this.once(() => (s ? this.renew(s.refreshJwt) : this.restore()));
  }

  /** The session `stale` was refused: refresh it (unless another call already did), else log in again. */
  refused(stale: Session): Promise<Session> {
    if (this.current && this.current.accessJwt !== stale.accessJwt) return Promise.resolve(this.current);
    return this.once(() => this.renew(stale.refreshJwt));
  }

  /** One session change at a time: concurrent callers share it. */
  private once(work: () => Promise<Session>): Promise<Session> {
    this.pending ??= work().finally(() => {
      this.pending = undefined;
    });
    return this.pending;
  }

  /** The stored session when it is this configuration's, else a new one. */
  private async restore(): Promise<Session> {
    const stored = await this.o.store?.get(this.o.account).catch(() => null);
    if (!stored || stored.origin !== this.origin) return this.create(stored?.refreshToken ?? null);
    if (stored.expiresAt - EARLY_MS <= this.now()) return this.renew(stored.refreshToken);
    // Who and where: getSession with the stored access token (a refused one is refreshed).
    const res = await this.o.http.send({
      operation: 'session',
      method: 'GET',
      url: this.entryway('com.atproto.server.getSession'),
      headers: { Authorization: `Bearer ${stored.accessToken}` },
    });
    if (sessionOver(res)) return this.renew(stored.refreshToken);
    if (res.status !== 200) throw this.o.http.failure(res, 'session');
    const info = res.body as Omit<BlueskySession, 'accessJwt' | 'refreshJwt'>;
    this.current = this.session({ ...info, accessJwt: stored.accessToken, refreshJwt: stored.refreshToken });
    return this.current;
  }

  /** refreshSession with the refresh token; a refused refresh token means logging in again. */
  private async renew(refreshJwt: string): Promise<Session> {
    const res = await this.o.http.send({
      operation: 'session',
      method: 'POST',
      url: this.entryway('com.atproto.server.refreshSession'),
      headers: { Authorization: `Bearer ${refreshJwt}` },
    });
    if (sessionOver(res)) return this.create(refreshJwt);
    if (res.status !== 200) throw this.o.http.failure(res, 'session');
    return this.keep(res.body as BlueskySession, refreshJwt);
  }

  /** createSession with the identifier and app password. */
  private async create(storedRefresh: string | null): Promise<Session> {
    const res = await this.o.http.request({
      operation: 'session',
      method: 'POST',
      url: this.entryway('com.atproto.server.createSession'),
      data: { identifier: this.o.credentials.identifier, password: this.o.credentials.appPassword },
    });
    return this.keep(res.body as BlueskySession, storedRefresh);
  }

  /** Takes the new session and stores it for the other workers (unless one of them stored a newer one). */
  private async keep(body: BlueskySession, previousRefresh: string | null): Promise<Session> {
    if (!body?.accessJwt || !body.refreshJwt || !body.did)
      throw this.o.http.unexpected(
        { status: 200, headers: {}, body, at: new Date() },
        'session',
        'a session',
      );
    const s = this.session(body);
    const store = this.o.store;
    if (store) {
      const next = {
        accessToken: s.accessJwt,
        refreshToken: s.refreshJwt,
        expiresAt: s.expiresAt,
        origin: this.origin,
      };
      const swapped = await store.swap(this.o.account, previousRefresh, next).catch(() => true);
      if (!swapped) {
        // Another worker changed it first: its session is as good as ours, and ours stays valid too.
        const theirs = await store.get(this.o.account).catch(() => null);
        if (theirs && theirs.origin !== this.origin)
          await store.swap(this.o.account, theirs.refreshToken, next);
      }
    }
    this.current = s;
    return s;
  }

  private session(b: Omit<BlueskySession, 'active'>): Session {
    return {
      accessJwt: b.accessJwt,
      refreshJwt: b.refreshJwt,
      did: b.did,
      handle: b.handle,
      pds: pdsEndpoint(b) ?? this.o.credentials.serviceUrl,
      expiresAt: jwtExpiry(b.accessJwt) ?? this.now() + DEFAULT_ACCESS_MS,
    };
  }

  private entryway(nsid: string): string {
    return `${this.o.credentials.serviceUrl}/xrpc/${nsid}`;
  }
}
