import { type FakeContext, type FakeRequest, type FakeResponse, FakeServer } from '../fake/server.js';
import { ServerBackedFake } from '../fake/server-backed.js';
import { MASTODON_VISIBILITIES, type MastodonStatus, type MastodonVisibility } from './api.js';
import { statusHtml } from './fake-html.js';
import {
  MASTODON_FAKE_ACCOUNT,
  type MastodonFakeConfig,
  MastodonFakeState,
  type MastodonFakeToken,
  type MastodonStoredStatus,
  type TokenState,
} from './fake-state.js';
import { statusLength } from './length.js';

export {
  MASTODON_FAKE_ACCOUNT,
  MASTODON_FAKE_OTHER_ACCOUNT,
  MASTODON_FAKE_OTHER_TOKEN,
  MASTODON_FAKE_TOKEN,
  type MastodonFakeConfig,
  type MastodonStoredStatus,
} from './fake-state.js';

const json = (status: number, body: unknown, headers: Record<string, string> = {}): FakeResponse => ({
  status,
  headers,
  body,
});
const error = (status: number, message: string, headers: Record<string, string> = {}) =>
  json(status, { error: message }, headers);

/** Error answers exactly as Mastodon words them (facts sheet §2 "Errors"). */
export const MASTODON_ERRORS = {
  tokenInvalid: () => error(401, 'The access token is invalid'),
  tokenRevoked: () => error(401, 'The access token was revoked'),
  tokenExpired: () => error(401, 'The access token expired'),
  outsideScopes: () => error(403, 'This action is outside the authorized scopes'),
  notFound: () => error(404, 'Record not found'),
  tooMany: (headers: Record<string, string>) => error(429, 'Too many requests', headers),
  blank: () => error(422, "Validation failed: Text can't be blank"),
  tooLong: (max: number) => error(422, `Validation failed: Text character limit of ${max} exceeded`),
  unavailable: () => error(503, 'There was a temporary problem serving your request, please try again'),
  internal: () => error(500, 'Internal server error'),
};

const READ_ACCOUNTS = ['read', 'read:accounts', 'profile'];
const READ_STATUSES = ['read', 'read:statuses'];
const WRITE_STATUSES = ['write', 'write:statuses'];

interface Caller {
  token: MastodonFakeToken;
  headers: Record<string, string>;
}

/**
 * A faithful fake of the Mastodon API Crier uses (facts sheet §2, "What a faithful fake must do"): tokens with
 * scopes and their 401/403 bodies, form and JSON bodies, the instance's length rule served by /api/v2/instance,
 * Idempotency-Key per account for an hour (a repeat returns the original status; a failure stores nothing), HTML
 * content, increasing string ids, `card: null` at create and the card later, DELETE answering with the source
 * text, newest-first timelines paged with Link headers, X-RateLimit-* headers with an ISO reset.
 */
export class MastodonFake extends ServerBackedFake {
  readonly server: FakeServer;
  state: MastodonFakeState;

  constructor(private readonly opts: { config?: Partial<MastodonFakeConfig> } = {}) {
    super();
    this.state = new MastodonFakeState(opts.config);
    this.server = new FakeServer('mastodon', (req, ctx) => this.handle(req, ctx), {
      state: () => ({
        config: this.state.config,
        statuses: this.state.statuses,
        deleted: this.state.deleted,
        tokens: Object.fromEntries(this.state.tokens),
      }),
      setState: (body) => {
        const b = body as { config?: Partial<MastodonFakeConfig> };
        if (b.config) this.state.config = { ...this.state.config, ...b.config };
      },
      reset: () => {
        this.state = new MastodonFakeState(this.opts.config);
      },
    });
  }

  /** Statuses on the instance, oldest first (deleted ones are no longer among them). */
  posts(): MastodonStoredStatus[] {
    return [...this.state.statuses];
  }

  deletedPosts(): (MastodonStoredStatus & { deletedAt: number })[] {
    return [...this.state.deleted];
  }

  setConfig(config: Partial<MastodonFakeConfig>): void {
    this.state.config = { ...this.state.config, ...config };
  }

  /** Sets a token's state, and its scopes when given (adds the token for `accountId` when it is new). */
  setToken(token: string, state: TokenState, scopes?: string[], accountId = MASTODON_FAKE_ACCOUNT.id): void {
    const t = this.state.tokens.get(token) ?? { accountId, scopes: ['read', 'write'], state };
    t.state = state;
    if (scopes) t.scopes = [...scopes];
    this.state.tokens.set(token, t);
  }

  /** Creating statuses answers 429 (with X-RateLimit-* headers, Reset in ISO 8601) for `ms` of fake time. */
  rateLimitFor(ms: number): Date {
    const until = new Date(this.now() + ms);
    this.server.addFault({
      method: 'POST',
      pathPrefix: '/api/v1/statuses',
      untilMs: until.getTime(),
      action: {
        mode: 'respond',
        response: MASTODON_ERRORS.tooMany({
          'X-RateLimit-Limit': String(this.state.config.statusesPer3Hours),
          'X-RateLimit-Remaining': '0',
          'X-RateLimit-Reset': until.toISOString(),
        }),
      },
    });
    return until;
  }

  /** The next create answers `status` (503 by default) without storing anything. */
  failBeforeStore(status = 503): void {
    const response = status === 503 ? MASTODON_ERRORS.unavailable() : error(status, 'Internal server error');
    this.server.addFault({
      method: 'POST',
      pathPrefix: '/api/v1/statuses',
      action: { mode: 'respond', response },
    });
  }

  /** The next create stores the status (and its idempotency key), then answers `status` (500 by default). */
  failAfterStore(status = 500): void {
    this.server.addFault({
      method: 'POST',
      pathPrefix: '/api/v1/statuses',
      action: { mode: 'respond-after-handling', response: error(status, 'Internal server error') },
    });
  }

  private handle(req: FakeRequest, ctx: FakeContext): FakeResponse {
    const now = ctx.now();
    if (req.method === 'GET' && req.path === '/api/v2/instance') return this.instance();
    if (!req.path.startsWith('/api/v1/')) return MASTODON_ERRORS.notFound();
    const caller = this.authenticate(req, now);
    if ('status' in caller) return caller;
    const route = this.route(req, caller, now);
    if (!route) return MASTODON_ERRORS.notFound();
    const res = route();
    return { ...res, headers: { ...caller.headers, ...res.headers } };
  }

  private instance(): FakeResponse {
    const host = new URL(this.url).host;
    return json(200, {
      domain: host,
      title: 'Crier Fake Instance',
      version: '4.3.0',
      source_url: 'https://github.com/mastodon/mastodon',
      configuration: {
        urls: { streaming: `wss://${host}` },
        statuses: {
          max_characters: this.state.config.maxCharacters,
          max_media_attachments: 4,
          characters_reserved_per_url: 23,
        },
      },
    });
  }

  /** The bearer token's owner and the rate-limit headers of this request, or the 401/429 answer. */
  private authenticate(req: FakeRequest, now: number): Caller | FakeResponse {
    const m = /^Bearer\s+(\S+)$/i.exec(String(req.headers.authorization ?? ''));
    const token = m ? this.state.tokens.get(m[1]!) : undefined;
    if (!token) return MASTODON_ERRORS.tokenInvalid();
    if (token.state === 'revoked') return MASTODON_ERRORS.tokenRevoked();
    if (token.state === 'expired') return MASTODON_ERRORS.tokenExpired();
    const c = this.state.config;
    const creating = req.method === 'POST' && req.path === '/api/v1/statuses';
    const deleting = req.method === 'DELETE' && req.path.startsWith('/api/v1/statuses/');
    const [key, limit, windowMs] = creating
      ? [`statuses:${token.accountId}`, c.statusesPer3Hours, 3 * 3_600_000]
      : deleting
        ? [`deletes:${token.accountId}`, c.deletesPer30Min, 30 * 60_000]
        : [`requests:${m![1]}`, c.requestsPer5Min, 5 * 60_000];
    const counter = this.state.counter(key, windowMs, now);
    const exceeded = counter.count >= limit;
    if (!exceeded) counter.count += 1;
    const headers = {
      'X-RateLimit-Limit': String(limit),
      'X-RateLimit-Remaining': String(Math.max(0, limit - counter.count)),
      'X-RateLimit-Reset': new Date(counter.start + windowMs).toISOString(),
    };
    if (exceeded) return MASTODON_ERRORS.tooMany(headers);
    return { token, headers };
  }

  private route(req: FakeRequest, caller: Caller, now: number): (() => FakeResponse) | undefined {
    const { method, path } = req;
    const may = (scopes: string[]) => caller.token.scopes.some((s) => scopes.includes(s));
    const guarded = (scopes: string[], run: () => FakeResponse) => () =>
      may(scopes) ? run() : MASTODON_ERRORS.outsideScopes();
    if (method === 'GET' && path === '/api/v1/accounts/verify_credentials')
      return guarded(READ_ACCOUNTS, () => this.me(caller));
    const timeline = /^\/api\/v1\/accounts\/([^/]+)\/statuses$/.exec(path);
    if (method === 'GET' && timeline)
      return guarded(READ_STATUSES, () => this.timeline(req, caller, timeline[1]!));
    if (method === 'POST' && path === '/api/v1/statuses')
      return guarded(WRITE_STATUSES, () => this.create(req, caller, now));
    const one = /^\/api\/v1\/statuses\/([^/]+)$/.exec(path);
    if (method === 'GET' && one) return guarded(READ_STATUSES, () => this.show(caller, one[1]!, now));
    if (method === 'DELETE' && one) return guarded(WRITE_STATUSES, () => this.remove(caller, one[1]!, now));
    return undefined;
  }

  private me(caller: Caller): FakeResponse {
    const a = this.state.accounts.get(caller.token.accountId)!;
    const origin = this.url;
    return json(200, {
      id: a.id,
      username: a.username,
      acct: a.username,
      display_name: a.display_name,
      url: `${origin}/@${a.username}`,
      statuses_count: this.state.statuses.filter((s) => s.accountId === a.id).length,
      source: { privacy: 'public', language: 'en' },
    });
  }

  /** The status as the API shows it; its card once `cardDelayMs` has passed. */
  view(s: MastodonStoredStatus, now: number, withCard = true): MastodonStatus & Record<string, unknown> {
    const a = this.state.accounts.get(s.accountId)!;
    const origin = this.url;
    const cardReady = withCard && s.cardUrl && now - s.createdAt >= this.state.config.cardDelayMs;
    return {
      id: s.id,
      created_at: new Date(s.createdAt).toISOString(),
      in_reply_to_id: null,
      in_reply_to_account_id: null,
      sensitive: false,
      spoiler_text: '',
      visibility: s.visibility,
      language: s.language,
      uri: `${origin}/users/${a.username}/statuses/${s.id}`,
      url: `${origin}/@${a.username}/${s.id}`,
      content: s.content,
      reblog: null,
      account: { id: a.id, username: a.username, acct: a.username },
      media_attachments: [],
      mentions: [],
      card: cardReady
        ? {
            url: s.cardUrl!,
            title: `Card of ${new URL(s.cardUrl!).pathname}`,
            description: '',
            type: 'link',
            image: null,
          }
        : null,
    };
  }

  private create(req: FakeRequest, caller: Caller, now: number): FakeResponse {
    const accountId = caller.token.accountId;
    const key = req.headers['idempotency-key'];
    const idem = typeof key === 'string' && key ? `${accountId} ${key}` : undefined;
    const seen = idem ? this.state.idempotency.get(idem) : undefined;
    if (seen && now - seen.at < this.state.config.idempotencyTtlMs) {
      // A repeat returns the original status, whatever the body says now.
      const original = this.state.statuses.find((s) => s.id === seen.statusId);
      if (original) return json(200, this.view(original, now, false));
    }
    const body = (
      req.json && typeof req.json === 'object' ? req.json : Object.fromEntries(req.form)
    ) as Record<string, unknown>;
    const text = typeof body.status === 'string' ? body.status : '';
    const media = body.media_ids ?? body['media_ids[]'];
    if (!text.trim() && !media) return MASTODON_ERRORS.blank();
    const max = this.state.config.maxCharacters;
    if (statusLength(text, typeof body.spoiler_text === 'string' ? body.spoiler_text : '') > max)
      return MASTODON_ERRORS.tooLong(max);
    const visibility = (body.visibility ?? 'public') as MastodonVisibility;
    if (!MASTODON_VISIBILITIES.includes(visibility))
      return error(422, `'${String(body.visibility)}' is not a valid visibility`);
    const firstLink = /https?:\/\/[^\s<>"]+/.exec(text)?.[0];
    const status: MastodonStoredStatus = {
      id: this.state.nextId(now),
      accountId,
      text,
      content: statusHtml(text, this.url),
      visibility,
      language: typeof body.language === 'string' && body.language ? body.language : 'en',
      createdAt: now,
      ...(firstLink ? { cardUrl: firstLink } : {}),
      request: body,
      ...(idem ? { idempotencyKey: String(key) } : {}),
    };
    this.state.statuses.push(status);
    if (idem) this.state.idempotency.set(idem, { statusId: status.id, at: now });
    // The card is fetched asynchronously: the create answer never has it.
    return json(200, this.view(status, now, false));
  }

  private timeline(req: FakeRequest, caller: Caller, accountId: string): FakeResponse {
    if (!this.state.accounts.has(accountId)) return MASTODON_ERRORS.notFound();
    const q = req.query;
    const limit = Math.min(40, Math.max(1, Number(q.get('limit') ?? 20) || 20));
    const maxId = q.get('max_id');
    const own = caller.token.accountId === accountId;
    const all = this.state.statuses
      .filter(
        (s) => s.accountId === accountId && (own || s.visibility === 'public' || s.visibility === 'unlisted'),
      )
      .filter((s) => !maxId || BigInt(s.id) < BigInt(maxId))
      .sort((a, b) => (BigInt(b.id) > BigInt(a.id) ? 1 : -1));
    const page = all.slice(0, limit);
    const now = this.now();
    const headers: Record<string, string> = {};
    if (page.length) {
      const base = `${this.url}/api/v1/accounts/${accountId}/statuses?limit=${limit}`;
      headers.Link = `<${base}&max_id=${page.at(-1)!.id}>; rel="next", <${base}&min_id=${page[0]!.id}>; rel="prev"`;
    }
    return json(
      200,
      page.map((s) => this.view(s, now)),
      headers,
    );
  }

  private show(caller: Caller, id: string, now: number): FakeResponse {
    const s = this.state.statuses.find((x) => x.id === id);
    if (!s || (s.visibility === 'direct' && s.accountId !== caller.token.accountId))
      return MASTODON_ERRORS.notFound();
    return json(200, this.view(s, now));
  }

  /** Only the author deletes: another account's status is "Record not found", like an unknown one. */
  private remove(caller: Caller, id: string, now: number): FakeResponse {
    const at = this.state.statuses.findIndex((x) => x.id === id && x.accountId === caller.token.accountId);
    if (at < 0) return MASTODON_ERRORS.notFound();
    const [s] = this.state.statuses.splice(at, 1);
    this.state.deleted.push({ ...s!, deletedAt: now });
    return json(200, { ...this.view(s!, now), text: s!.text });
  }
}

export function createMastodonFake(opts?: { config?: Partial<MastodonFakeConfig> }): MastodonFake {
  return new MastodonFake(opts);
}
