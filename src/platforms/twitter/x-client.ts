import type { IncomingHttpHeaders } from 'node:http';
import { ApiResponseError, TwitterApi, type TwitterApiv2, type TwitterResponse } from 'twitter-api-v2';
import { withDeadline } from '../../core/deadline.js';
import { isPlatformFailure, PlatformFailure } from '../../core/failure.js';
import type { TokenStore } from '../adapter.js';
import type { TwitterAuthKind, TwitterOperation } from './classify.js';
import type { TwitterCredentials } from './credentials.js';
import { timedOut, toFailure } from './errors.js';
import { OAuth2Session } from './oauth2-session.js';

export interface XRequest {
  operation: TwitterOperation;
  method: 'GET' | 'POST' | 'DELETE';
  /** Path under /2/, e.g. "tweets" or "users/123/tweets". */
  path: string;
  query?: Record<string, string>;
  body?: Record<string, unknown>;
  /** JSON unless told (media append is multipart). */
  bodyMode?: 'json' | 'form-data';
}

export interface XClientOptions {
  account: string;
  credentials: TwitterCredentials;
  baseUrl: string;
  timeoutMs: number;
  tokens: TokenStore;
  now?: () => number;
}

/** Token work happens before any post request: a store outage (Redis down) is transient. */
async function tokenStep<T>(step: () => Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (err) {
    if (isPlatformFailure(err)) throw err;
    throw new PlatformFailure({
      kind: 'transient',
      platform: 'twitter',
      message: `X token store: ${err instanceof Error ? err.message : String(err)}`,
      cause: err,
    });
  }
}

/**
 * twitter-api-v2's v2 client pointed at `baseUrl`, with our timeout on every request and every error
 * turned into a PlatformFailure. OAuth 2.0: refreshes once on a 401 and retries; never on a 403.
 */
export class XClient {
  readonly authKind: TwitterAuthKind;
  private readonly session?: OAuth2Session;
  private oauth1?: TwitterApiv2;
  private readonly now: () => number;
  /** The headers of the latest answer to a post (success or refusal): X's quota counters are in them. */
  lastPostAnswer?: { headers: IncomingHttpHeaders; at: number };

  constructor(private readonly o: XClientOptions) {
    this.now = o.now ?? Date.now;
    this.authKind = o.credentials.kind;
    if (o.credentials.kind === 'oauth2') {
      this.session = new OAuth2Session({
        account: o.account,
        credentials: o.credentials,
        baseUrl: o.baseUrl,
        timeoutMs: o.timeoutMs,
        store: o.tokens,
        now: this.now,
      });
    }
  }

  async call<T>(req: XRequest): Promise<T> {
    const session = this.session;
    if (!session) return this.send<T>(this.oauth1Client(), req);
    const token = await tokenStep(() => session.accessToken());
    try {
      return await this.send<T>(this.bearerClient(token), req);
    } catch (err) {
      if (!(isPlatformFailure(err) && err.status === 401)) throw err;
    }
    // The access token expired early or was revoked: rotate once (a 401 means nothing was applied).
    const fresh = await tokenStep(() => session.refresh(token));
    return this.send<T>(this.bearerClient(fresh.accessToken), req);
  }

  private oauth1Client(): TwitterApiv2 {
    const c = this.o.credentials;
    if (c.kind !== 'oauth1') throw new Error('not OAuth 1.0a credentials');
    this.oauth1 ??= new TwitterApi({
      appKey: c.apiKey,
      appSecret: c.apiSecret,
      accessToken: c.accessToken,
      accessSecret: c.accessSecret,
    }).v2;
    return this.oauth1;
  }

  private bearerClient(accessToken: string): TwitterApiv2 {
    return new TwitterApi(accessToken).v2;
  }

  private async send<T>(v2: TwitterApiv2, req: XRequest): Promise<T> {
    // The prefix on every request points the client at baseUrl (setPrefix is protected in the typings
    // and cloneWithPrefix throws in twitter-api-v2 1.29: it calls the class constructor without `new`).
    const common = { prefix: `${this.o.baseUrl}/2/`, timeout: this.o.timeoutMs };
    const started = performance.now();
    // twitter-api-v2's `timeout` is a socket idle timeout: a server that trickles bytes would never trip it.
    // The shared deadline bounds the whole call (the request cannot be aborted; a late answer is ignored,
    // and a create cut off this way is `unconfirmed`, so it is looked up before any new attempt).
    const isPost = req.operation === 'create-post' || req.operation === 'create-reply';
    try {
      const res = await withDeadline<TwitterResponse<T>>(this.o.timeoutMs, `X ${req.operation}`, () =>
        req.method === 'GET'
          ? v2.get<T>(req.path, req.query, { ...common, fullResponse: true })
          : req.method === 'DELETE'
            ? v2.delete<T>(req.path, req.query, { ...common, fullResponse: true })
            : v2.post<T>(req.path, req.body, {
                ...common,
                fullResponse: true,
                forceBodyMode: req.bodyMode ?? 'json',
              }),
      );
      if (isPost) this.lastPostAnswer = { headers: res.headers, at: this.now() };
      return res.data;
    } catch (err) {
      if (isPost && err instanceof ApiResponseError && err.headers)
        this.lastPostAnswer = { headers: err.headers, at: this.now() };
      throw toFailure(err, {
        operation: req.operation,
        authKind: this.authKind,
        now: this.now(),
        timedOut: timedOut(started, this.o.timeoutMs),
      });
    }
  }
}
