import type { FakeRequest, FakeResponse } from '../fake/server.js';
import type { LinkedInPostBody, LinkedInPostElement } from './api-types.js';
import {
  accessDenied,
  duplicatePost,
  emptyToken,
  expiredToken,
  fieldErrors,
  illegalArgument,
  invalidToken,
  nonexistentVersion,
  notConvertible,
  notFound,
  postNotFound,
  revokedToken,
  throttled,
  versionMissing,
} from './fake-responses.js';
import { type FakeToken, type LinkedInFakeState, POSTER_ROLES, tokenState } from './fake-state.js';
import { readerView } from './little-text.js';

/** The versioned `/rest/*` resources of the fake: gateway checks, then `POST /rest/posts` and the author finder. */

export const URN = /^urn:li:(person|organization):[A-Za-z0-9_-]+$/;
const VISIBILITIES = ['PUBLIC', 'CONNECTIONS', 'LOGGED_IN'];
const LIFECYCLE = ['PUBLISHED', 'DRAFT'];
const FEEDS = ['MAIN_FEED', 'NONE'];

export interface Caller {
  token: FakeToken;
  version: string;
}

export function header(req: FakeRequest, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/** A version is live from its month for `lifetime` months (fake clock), unless listed as retired. */
export function isLiveVersion(v: string, now: number, lifetime: number, retired: readonly string[]): boolean {
  const m = /^(\d{4})(\d{2})$/.exec(v);
  if (!m || retired.includes(v)) return false;
  const month = Number(m[2]);
  if (month < 1 || month > 12) return false;
  const d = new Date(now);
  const age = d.getUTCFullYear() * 12 + d.getUTCMonth() - (Number(m[1]) * 12 + month - 1);
  return age >= 0 && age < lifetime;
}

/** The valid token of the `Authorization: Bearer` header, or the 401 LinkedIn answers. */
export function bearer(state: LinkedInFakeState, req: FakeRequest, now: number): FakeToken | FakeResponse {
  const auth = /^Bearer\s+(\S+)$/i.exec(header(req, 'authorization') ?? '');
  if (!auth) return emptyToken();
  const token = state.tokens.get(auth[1]!);
  if (!token) return invalidToken();
  const ts = tokenState(token, now);
  if (ts === 'revoked') return revokedToken();
  if (ts === 'expired') return expiredToken();
  return token;
}

/**
 * Gateway: version headers, then the token, then the daily counters. Returns the caller or the error answer.
 * The counters are those of /rest/posts (LinkedIn throttles per resource): other resources pass `meter: false`.
 */
export function admit(
  state: LinkedInFakeState,
  req: FakeRequest,
  now: number,
  meter = true,
): Caller | FakeResponse {
  const version = header(req, 'linkedin-version');
  if (!version) return versionMissing();
  const { versionLifetimeMonths, retiredVersions } = state.config;
  if (!isLiveVersion(version, now, versionLifetimeMonths, retiredVersions))
    return nonexistentVersion(version);
  if (header(req, 'x-restli-protocol-version') !== '2.0.0')
    return illegalArgument('X-Restli-Protocol-Version 2.0.0 is required by this versioned resource');

  const token = bearer(state, req, now);
  if ('status' in token) return token;
  if (!meter) return { token, version };

  const usage = state.usageFor(now);
  if (usage.app >= state.config.appDailyLimit) return throttled('APPLICATION');
  const mine = usage.members.get(token.member) ?? 0;
  if (mine >= state.config.memberDailyLimit) return throttled('MEMBER');
  usage.app += 1;
  usage.members.set(token.member, mine + 1);
  return { token, version };
}

export function mayWrite(state: LinkedInFakeState, t: FakeToken, author: string): boolean {
  if (author.startsWith('urn:li:person:')) return t.member === author && t.scopes.includes('w_member_social');
  const role = state.roleOf(author, t.member);
  return t.scopes.includes('w_organization_social') && role !== undefined && POSTER_ROLES.has(role);
}

export function mayRead(state: LinkedInFakeState, t: FakeToken, author: string): boolean {
  if (author.startsWith('urn:li:person:')) return t.member === author && t.scopes.includes('r_member_social');
  return t.scopes.includes('r_organization_social') && state.roleOf(author, t.member) !== undefined;
}

export const required = (path: string) =>
  `ERROR :: ${path} :: field is required but not found and has no default value`;
const notEnum = (path: string, v: unknown) =>
  `ERROR :: ${path} :: ${JSON.stringify(v)} is not an enum symbol`;
const notString = (path: string, v: unknown) =>
  `ERROR :: ${path} :: ${JSON.stringify(v)} cannot be coerced to String`;

/** Rest.li data validation of a create body: one line per problem, like LinkedIn's 422 message. */
export function postBodyErrors(b: Record<string, unknown>, maxChars: number | undefined): string[] {
  const errors: string[] = [];
  const str = (path: string, v: unknown) => {
    if (v === undefined) errors.push(required(path));
    else if (typeof v !== 'string') errors.push(notString(path, v));
  };
  const oneOf = (path: string, v: unknown, allowed: string[]) => {
    if (v === undefined) errors.push(required(path));
    else if (typeof v !== 'string' || !allowed.includes(v)) errors.push(notEnum(path, v));
  };
  str('/author', b.author);
  if (typeof b.author === 'string' && !URN.test(b.author))
    errors.push(`ERROR :: /author :: ${JSON.stringify(b.author)} is not a valid person or organization URN`);
  str('/commentary', b.commentary);
  if (typeof b.commentary === 'string' && maxChars !== undefined && [...b.commentary].length > maxChars)
    errors.push(
      `ERROR :: /commentary :: length ${[...b.commentary].length} exceeds the maximum of ${maxChars}`,
    );
  oneOf('/visibility', b.visibility, VISIBILITIES);
  oneOf('/lifecycleState', b.lifecycleState, LIFECYCLE);
  const dist = b.distribution as Record<string, unknown> | undefined;
  if (dist === undefined || dist === null || typeof dist !== 'object') errors.push(required('/distribution'));
  else oneOf('/distribution/feedDistribution', dist.feedDistribution, FEEDS);
  const content = b.content as { article?: Record<string, unknown> } | undefined;
  if (content?.article) {
    str('/content/article/source', content.article.source);
    str('/content/article/title', content.article.title);
    if (typeof content.article.source === 'string' && !URL.canParse(content.article.source))
      errors.push(
        `ERROR :: /content/article/source :: ${JSON.stringify(content.article.source)} is not a valid URL`,
      );
    const thumbnail = content.article.thumbnail;
    if (thumbnail !== undefined && typeof thumbnail !== 'string')
      errors.push(notString('/content/article/thumbnail', thumbnail));
  }
  return errors;
}

/** A thumbnail must name an image of the Images API whose bytes were uploaded (AVAILABLE). */
function thumbnailErrors(state: LinkedInFakeState, b: Record<string, unknown>): string[] {
  const urn = (b.content as { article?: { thumbnail?: unknown } } | undefined)?.article?.thumbnail;
  if (typeof urn !== 'string') return [];
  const image = state.images.get(urn);
  if (!image) return [`ERROR :: /content/article/thumbnail :: ${JSON.stringify(urn)} is not a known image`];
  if (image.status !== 'AVAILABLE')
    return [
      `ERROR :: /content/article/thumbnail :: image ${urn} is not available (status ${image.status}): upload its bytes first`,
    ];
  return [];
}

function createPost(state: LinkedInFakeState, req: FakeRequest, caller: Caller, now: number): FakeResponse {
  const raw = req.json;
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return notConvertible();
  const cfg = state.config;
  const errors = postBodyErrors(
    raw as Record<string, unknown>,
    cfg.overLength === 'reject' ? cfg.maxCommentaryChars : undefined,
  );
  errors.push(...thumbnailErrors(state, raw as Record<string, unknown>));
  if (errors.length) return fieldErrors(errors);
  const body = raw as LinkedInPostBody;
  if (!mayWrite(state, caller.token, body.author)) return accessDenied('CREATE', caller.version);

  const dup = cfg.duplicateCheck && state.postWithCommentary(body.author, body.commentary);
  if (dup) return duplicatePost(cfg.duplicateMessageHasUrn ? dup.id : undefined);

  const points = [...body.commentary];
  const truncated = points.length > cfg.maxCommentaryChars;
  const kept = truncated ? points.slice(0, cfg.maxCommentaryChars).join('') : body.commentary;
  const view = readerView(kept);
  const id = state.nextShareUrn();
  state.addPost({
    id,
    author: body.author,
    sentCommentary: body.commentary,
    commentary: view.cutAt >= 0 ? kept.slice(0, view.cutAt) : kept,
    visibleText: view.text,
    cutAt: view.cutAt,
    truncated,
    visibility: body.visibility,
    lifecycleState: body.lifecycleState,
    distribution: body.distribution,
    article: body.content?.article,
    ...(body.content?.article?.thumbnail ? { thumbnail: body.content.article.thumbnail } : {}),
    version: caller.version,
    createdAt: now,
    body,
  });
  return { status: 201, headers: { 'x-restli-id': id } };
}

function findByAuthor(state: LinkedInFakeState, req: FakeRequest, caller: Caller): FakeResponse {
  const method = header(req, 'x-restli-method');
  if (method !== undefined && method.toUpperCase() !== 'FINDER')
    return illegalArgument(`X-RestLi-Method ${method} does not match a GET with q=author`);
  if (req.query.get('q') !== 'author')
    return illegalArgument(`Unsupported finder q=${req.query.get('q') ?? ''}`);
  const author = req.query.get('author') ?? '';
  const rawAuthor = /(?:^|[?&])author=([^&]*)/.exec(new URL(req.url).search)?.[1] ?? '';
  if (!URN.test(author) || (state.config.requireEncodedUrns && rawAuthor.includes(':')))
    return illegalArgument(`Invalid value for query parameter author: ${rawAuthor}`);
  if (!mayRead(state, caller.token, author)) return accessDenied('FINDER-author', caller.version);

  const sortBy = req.query.get('sortBy') ?? 'LAST_MODIFIED';
  if (sortBy !== 'LAST_MODIFIED' && sortBy !== 'CREATED')
    return illegalArgument(`Invalid value for query parameter sortBy: ${sortBy}`);
  const start = Math.max(0, Number(req.query.get('start') ?? 0) || 0);
  const count = Math.min(100, Math.max(1, Number(req.query.get('count') ?? 10) || 10));
  // Newest first by the chosen time (posts are never edited here, so both orders agree; ties newest stored first).
  const mine = state.posts.filter((p) => p.author === author).reverse();
  const elements: LinkedInPostElement[] = mine.slice(start, start + count).map((p) => ({
    ...p.body,
    id: p.id,
    commentary: p.commentary,
    createdAt: p.createdAt,
    publishedAt: p.createdAt,
    lastModifiedAt: p.createdAt,
  }));
  // Rest.li collection paging: a "next" link while more elements follow, a "prev" link after the first page.
  const link = (rel: string, at: number) => {
    const u = new URL(req.url);
    u.searchParams.set('start', String(at));
    u.searchParams.set('count', String(count));
    return { type: 'application/json', rel, href: `${u.pathname}${u.search}` };
  };
  const links = [
    ...(start > 0 ? [link('prev', Math.max(0, start - count))] : []),
    ...(start + count < mine.length ? [link('next', start + count)] : []),
  ];
  return { status: 200, body: { paging: { start, count, links, total: mine.length }, elements } };
}

/**
 * DELETE /rest/posts/{encoded urn}: 204 No Content. Deleting is idempotent: a post deleted before answers 204 again;
 * a URN LinkedIn never had answers 404; another author's post 403 ACCESS_DENIED.
 */
function deletePost(state: LinkedInFakeState, req: FakeRequest, caller: Caller, now: number): FakeResponse {
  const raw = req.path.slice('/rest/posts/'.length);
  if (state.config.requireEncodedUrns && raw.includes(':'))
    return illegalArgument(`Invalid key in path: ${raw} (URNs in the path must be URL-encoded)`);
  let urn: string;
  try {
    urn = decodeURIComponent(raw);
  } catch {
    return illegalArgument(`Invalid key in path: ${raw}`);
  }
  if (state.deletedPosts.some((p) => p.id === urn)) return { status: 204 };
  const at = state.posts.findIndex((p) => p.id === urn);
  if (at < 0) return postNotFound(urn);
  if (!mayWrite(state, caller.token, state.posts[at]!.author)) return accessDenied('DELETE', caller.version);
  const post = state.removePostAt(at);
  state.deletedPosts.push({ ...post!, deletedAt: now });
  return { status: 204 };
}

export function handleRest(state: LinkedInFakeState, req: FakeRequest, now: number): FakeResponse {
  const admitted = admit(state, req, now);
  if ('status' in admitted) return admitted;
  if (req.path === '/rest/posts' && req.method === 'POST') return createPost(state, req, admitted, now);
  if (req.path === '/rest/posts' && req.method === 'GET') return findByAuthor(state, req, admitted);
  if (req.path.startsWith('/rest/posts/') && req.method === 'DELETE')
    return deletePost(state, req, admitted, now);
  return notFound(req.method, req.path);
}
