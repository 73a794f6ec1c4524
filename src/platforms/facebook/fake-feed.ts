import type { FakeResponse } from '../fake/server.js';
import type { GraphCall } from './fake-graph.js';
import { GRAPH_ERRORS } from './fake-responses.js';
import type { FacebookFakePost, FacebookFakeState } from './fake-state.js';

/** Fields of a Page post the fake can return; Graph's default selection is id, message, created_time. */
const FEED_FIELDS = new Set(['id', 'message', 'link', 'permalink_url', 'created_time']);
const DEFAULT_FIELDS = ['id', 'message', 'created_time'];

function graphTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, '+0000');
}

function unsupported(call: GraphCall, id: string): FakeResponse {
  return call.fail(
    GRAPH_ERRORS.invalidParam(
      `Unsupported ${call.req.method.toLowerCase()} request. Object with ID '${id}' does not exist, cannot be loaded due to missing permissions, or does not support this operation. Please read the Graph API documentation at https://developers.facebook.com/docs/graph-api`,
      33,
    ),
  );
}

function isPageNode(state: FacebookFakeState, id: string): boolean {
  return id === state.pageId || id === 'me';
}

/** Parses scheduled_publish_time: Unix seconds or an ISO-8601 / date string. */
function parseScheduleTime(raw: string): number | undefined {
  if (/^\d+$/.test(raw)) return Number(raw) * 1000;
  const ms = Date.parse(raw);
  return Number.isNaN(ms) ? undefined : ms;
}

function parseBool(raw: string | null): boolean | undefined | 'bad' {
  if (raw === null) return undefined;
  if (raw === 'true' || raw === '1') return true;
  if (raw === 'false' || raw === '0') return false;
  return 'bad';
}

function isDuplicate(state: FacebookFakeState, message: string | undefined): boolean {
  if (!message || state.limits.duplicateRule === 'off') return false;
  const mine = state.posts.filter((p) => p.published);
  if (state.limits.duplicateRule === 'any') return mine.some((p) => p.message === message);
  return mine.at(-1)?.message === message;
}

/** POST /{version}/{page-id}/feed */
export function createFeedPost(
  state: FacebookFakeState,
  call: GraphCall,
  pageId: string,
  kind: 'page' | 'user',
): FakeResponse {
  if (!isPageNode(state, pageId)) return unsupported(call, pageId);
  const scopes = state.token.scopes;
  if (kind === 'user' || !scopes.includes('pages_manage_posts') || !scopes.includes('pages_read_engagement'))
    return call.fail(GRAPH_ERRORS.publishPermission(state.limits.permissionStatus));

  const p = call.params;
  const message = p.get('message') || undefined;
  const link = p.get('link') || undefined;
  if (!message && !link) return call.fail(GRAPH_ERRORS.invalidParam('(#100) Missing message or attachment'));
  if (message && [...message].length > state.limits.messageLimit)
    return call.fail(
      GRAPH_ERRORS.invalidParam(
        `(#100) Param message must be at most ${state.limits.messageLimit} characters long`,
      ),
    );
  if (link && !/^https?:\/\/[^\s/]+\.[^\s]+$/i.test(link))
    return call.fail(GRAPH_ERRORS.invalidParam('(#100) link URL is not properly formatted'));
  const published = parseBool(p.get('published'));
  if (published === 'bad')
    return call.fail(GRAPH_ERRORS.invalidParam('(#100) Param published must be a boolean'));

  let scheduledPublishTime: number | undefined;
  const rawSchedule = p.get('scheduled_publish_time');
  if (rawSchedule) {
    const at = parseScheduleTime(rawSchedule);
    if (at === undefined)
      return call.fail(GRAPH_ERRORS.invalidParam('(#100) Param scheduled_publish_time must be a valid time'));
    if (published !== false)
      return call.fail(
        GRAPH_ERRORS.invalidParam(
          '(#100) You cannot specify a scheduled publish time on a published post (set published to false)',
        ),
      );
    const min = call.now + state.limits.scheduleMinMinutes * 60_000;
    const max = call.now + state.limits.scheduleMaxDays * 86_400_000;
    if (at < min || at > max)
      return call.fail(GRAPH_ERRORS.invalidParam('(#100) The specified scheduled publish time is invalid.'));
    scheduledPublishTime = Math.floor(at / 1000);
  }

  const isPublished = published !== false;
  if (isPublished && isDuplicate(state, message)) return call.fail(GRAPH_ERRORS.duplicate());

  const number = state.newPostNumber();
  const post: FacebookFakePost = {
    id: `${state.pageId}_${number}`,
    pageId: state.pageId,
    message,
    link,
    published: isPublished,
    scheduledPublishTime,
    createdTime: graphTime(call.now),
    permalinkUrl: `https://www.facebook.com/${state.pageId}/posts/${number}`,
    request: {
      graphVersion: call.version ?? '',
      contentType: String(call.req.headers['content-type'] ?? ''),
      tokenIn: call.tokenIn,
    },
  };
  state.posts.push(post);
  return call.ok({ id: post.id });
}

const cursor = (index: number) => Buffer.from(`i:${index}`).toString('base64url');
const fromCursor = (c: string | null) => {
  const m = c ? /^i:(\d+)$/.exec(Buffer.from(c, 'base64url').toString()) : null;
  return m ? Number(m[1]) : 0;
};

/** GET /{version}/{page-id}/feed?fields=...&limit=...&after=... (published posts, newest first). */
export function listFeed(state: FacebookFakeState, call: GraphCall, pageId: string): FakeResponse {
  if (!isPageNode(state, pageId)) return unsupported(call, pageId);
  if (!state.token.scopes.includes('pages_read_engagement'))
    return call.fail(GRAPH_ERRORS.readPermission(state.limits.permissionStatus));
  const requested = call.params.get('fields');
  const fields = requested ? requested.split(',').map((f) => f.trim()) : DEFAULT_FIELDS;
  const unknown = fields.find((f) => !FEED_FIELDS.has(f));
  if (unknown)
    return call.fail(
      GRAPH_ERRORS.invalidParam(
        `(#100) Tried accessing nonexisting field (${unknown}) on node type (PagePost)`,
      ),
    );
  const limit = Math.min(100, Math.max(1, Number(call.params.get('limit') ?? 25) || 25));
  const start = fromCursor(call.params.get('after'));
  const all = state.posts.filter((p) => p.published).reverse();
  const page = all.slice(start, start + limit);
  const data = page.map((p) => {
    const full: Record<string, string | undefined> = {
      id: p.id,
      message: p.message,
      link: p.link,
      permalink_url: p.permalinkUrl,
      created_time: p.createdTime,
    };
    // Graph omits absent fields and always includes the id.
    return Object.fromEntries(
      ['id', ...fields.filter((f) => f !== 'id')].flatMap((f) =>
        full[f] === undefined ? [] : [[f, full[f]]],
      ),
    );
  });
  const paging: Record<string, unknown> = {
    cursors: { before: cursor(start), after: cursor(start + page.length) },
  };
  if (start + limit < all.length) {
    const next = new URL(call.req.url);
    next.searchParams.set('after', cursor(start + page.length));
    paging.next = next.toString();
  }
  return call.ok({ data, paging });
}

/**
 * DELETE /{version}/{post-id} (Page token with pages_manage_posts): 200 {"success":true}. A post the Page does not
 * have (deleted before, never there, or another Page's) answers 100/33 "Unsupported delete request": Graph does not
 * tell a missing object from one the token may not load.
 */
export function deletePagePost(
  state: FacebookFakeState,
  call: GraphCall,
  postId: string,
  kind: 'page' | 'user',
): FakeResponse {
  const scopes = state.token.scopes;
  if (kind === 'user' || !scopes.includes('pages_manage_posts'))
    return call.fail(GRAPH_ERRORS.publishPermission(state.limits.permissionStatus));
  const at = state.posts.findIndex((p) => p.id === postId);
  if (at < 0) return unsupported(call, postId);
  const [post] = state.posts.splice(at, 1);
  state.deletedPosts.push({ ...post!, deletedTime: graphTime(call.now) });
  return call.ok({ success: true });
}
