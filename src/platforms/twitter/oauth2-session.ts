import { createHash } from 'node:crypto';
import { TwitterApi } from 'twitter-api-v2';
import { PlatformFailure } from '../../core/failure.js';
import type { StoredTokens, TokenStore } from '../adapter.js';
import type { TwitterOAuth2Credentials } from './credentials.js';
import { timedOut, toFailure } from './errors.js';

/** Refresh this long before X's 2-hour expiry, so a token never expires mid-request. */
const EARLY_MS = 60_000;
/** After a refused refresh, how long to look for the pair another worker may be storing. */
const RACE_POLLS = 5;
const RACE_POLL_MS = 200;

interface TokenResponse {
  token_type?: string;
  access_token?: string;
  refresh_token?: string;
  expires_in?: number;
  scope?: string;
}

export interface OAuth2SessionOptions {
  account: string;
  credentials: TwitterOAuth2Credentials;
  baseUrl: string;
  timeoutMs: number;
  store: TokenStore;
  now?: () => number;
}

/**
 * One account's OAuth 2.0 user tokens. Refresh tokens are single-use: every refresh writes the new
 * pair to the store with a compare-and-swap BEFORE the new access token is used, so a crash never
 * leaves the only valid refresh token in memory. Never refreshes on a 403 (duplicate content is a 403).
 */
export class OAuth2Session {
  private refreshing?: Promise<StoredTokens>;
  /** Tokens obtained but not yet written (the store failed): written first on the next call. */
  private unsaved?: { expected: string | null; tokens: StoredTokens };
  private readonly now: () => number;

  constructor(private readonly o: OAuth2SessionOptions) {
    this.now = o.now ?? Date.now;
  }

  /** Hash of the configured refresh token: the chain a stored pair must belong to. */
  private get origin(): string {
    return createHash('sha256').update(this.o.credentials.refreshToken).digest('hex').slice(0, 16);
  }

  /**
   * The stored pair, and whether it belongs to the configured chain. A pair from an older chain (the operator
   * has since re-authorised and configured a new refresh token) is not used, only replaced.
   */
  private async stored(): Promise<{ raw: StoredTokens | null; mine: StoredTokens | null }> {
    const raw = await this.o.store.get(this.o.account);
    return { raw, mine: raw && (!raw.origin || raw.origin === this.origin) ? raw : null };
  }

  /** A usable access token: the stored one while fresh, else a refreshed one. */
  async accessToken(): Promise<string> {
    await this.flushUnsaved();
    const stored = (await this.stored()).mine;
    if (stored && stored.expiresAt - EARLY_MS > this.now()) return stored.accessToken;
    // Nothing stored yet: the configured access token (age unknown) is tried once; a 401 refreshes.
    if (!stored && this.o.credentials.accessToken) return this.o.credentials.accessToken;
    return (await this.refresh(stored?.accessToken ?? null)).accessToken;
  }

  /**
   * Rotates the tokens after `staleAccessToken` was refused (or expired). Concurrent callers in this
   * process share one refresh; a refresh done meanwhile by another worker is picked up from the store.
   */
  refresh(staleAccessToken: string | null): Promise<StoredTokens> {
    this.refreshing ??= this.doRefresh(staleAccessToken).finally(() => {
      this.refreshing = undefined;
    });
    return this.refreshing;
  }

  private async doRefresh(staleAccessToken: string | null): Promise<StoredTokens> {
    await this.flushUnsaved();
    const { raw, mine: stored } = await this.stored();
    if (stored && stored.accessToken !== staleAccessToken && stored.expiresAt - EARLY_MS > this.now())
      return stored;
    const usedRefreshToken = stored?.refreshToken ?? this.o.credentials.refreshToken;
    let res: TokenResponse;
    const started = performance.now();
    try {
      res = await this.callTokenEndpoint(usedRefreshToken);
    } catch (err) {
      const failure = toFailure(err, {
        operation: 'token',
        authKind: 'oauth2',
        now: this.now(),
        timedOut: timedOut(started, this.o.timeoutMs),
      });
      if (failure.kind !== 'auth') throw failure;
      // Another worker may have rotated the token between our read and our call: its new pair
      // lands in the store right after its own token call returns.
      for (let i = 0; i < RACE_POLLS; i++) {
        const after = (await this.stored()).mine;
        if (after && after.refreshToken !== usedRefreshToken) return after;
        await new Promise((r) => setTimeout(r, RACE_POLL_MS));
      }
      throw failure;
    }
    if (!res.access_token) {
      throw new PlatformFailure({
        kind: 'transient',
        platform: 'twitter',
        message: 'X token endpoint answered without access_token',
      });
    }
    const next: StoredTokens = {
      accessToken: res.access_token,
      // Without rotation X keeps the old refresh token valid.
      refreshToken: res.refresh_token ?? usedRefreshToken,
      expiresAt: this.now() + (res.expires_in ?? 7200) * 1000,
      origin: this.origin,
    };
    return this.save(raw?.refreshToken ?? null, next);
  }

  private async save(expected: string | null, next: StoredTokens): Promise<StoredTokens> {
    let swapped: boolean;
    try {
      swapped = await this.o.store.swap(this.o.account, expected, next);
    } catch (err) {
      // The old refresh token is spent: keep the new pair and write it before anything else next time.
      this.unsaved = { expected, tokens: next };
      throw new PlatformFailure({
        kind: 'transient',
        platform: 'twitter',
        message: 'could not store the rotated X refresh token; will retry writing it',
        cause: err,
      });
    }
    if (swapped) return next;
    // Another worker stored a newer pair first: use theirs, so every worker follows one chain.
    const winner = await this.o.store.get(this.o.account);
    return winner ?? next;
  }

  private async flushUnsaved(): Promise<void> {
    if (!this.unsaved) return;
    const { expected, tokens } = this.unsaved;
    await this.o.store.swap(this.o.account, expected, tokens);
    this.unsaved = undefined;
  }

  /** POST {base}/2/oauth2/token as a form; confidential clients authenticate with Basic. */
  private async callTokenEndpoint(refreshToken: string): Promise<TokenResponse> {
    const { clientId, clientSecret } = this.o.credentials;
    const client = new TwitterApi({ clientId, clientSecret });
    return client.post<TokenResponse>(
      `${this.o.baseUrl}/2/oauth2/token`,
      { grant_type: 'refresh_token', refresh_token: refreshToken, client_id: clientId },
      { prefix: '', forceBodyMode: 'url', timeout: this.o.timeoutMs },
    );
  }
}
