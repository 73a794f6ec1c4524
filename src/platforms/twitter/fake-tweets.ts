import { createHash } from 'node:crypto';
import { twitterText } from '../../summaries/twitter-text.js';
import type { FakeRequest, FakeResponse } from '../fake/server.js';
import type { Caller } from './fake-auth.js';
import {
  duplicateContent,
  invalidRequest,
  json,
  notYourTweet,
  type ParamError,
  replyParentNotVisible,
  TOO_LONG_MESSAGE,
  tweetNotFound,
} from './fake-http.js';
import { mediaReady } from './fake-media.js';
import { type FakeState, nextId, type StoredTweet, type UrlEntity } from './fake-state.js';

/** Top-level fields POST /2/tweets accepts; anything else fails schema validation like X's. */
const CREATE_FIELDS = new Set([
  'text',
  'reply',
  'media',
  'quote_tweet_id',
  'poll',
  'reply_settings',
  'card_uri',
  'direct_message_deep_link',
  'for_super_followers_only',
  'geo',
  'nullcast',
  'community_id',
  'share_with_followers',
  'edit_options',
  'made_with_ai',
  'paid_partnership',
]);

/** Code-point index of a UTF-16 index: X's entity indices count code points. */
export const cp = (s: string, utf16: number) => [...s.slice(0, utf16)].length;

function tco(url: string, salt: string): string {
  const h = createHash('sha256').update(`${salt}|${url}`).digest('base64url').replace(/[-_]/g, 'x');
  return `https://t.co/${h.slice(0, 10)}`;
}

/** X's answer text: every link (also bare "example.com") becomes a 23-character t.co link. */
export function shorten(text: string, salt: string): { shortText: string; urls: UrlEntity[] } {
  const found = twitterText().extractUrlsWithIndices(text);
  let out = '';
  let last = 0;
  const urls: UrlEntity[] = [];
  for (const u of found) {
    const [from, to] = u.indices;
    out += text.slice(last, from);
    const short = tco(u.url, salt);
    const expanded = /^https?:\/\//i.test(u.url) ? u.url : `http://${u.url}`;
    const bare = expanded.replace(/^https?:\/\/(www\.)?/i, '');
    urls.push({
      start: cp(out, out.length),
      end: cp(out, out.length) + short.length,
      url: short,
      expanded_url: expanded,
      display_url: bare.length > 26 ? `${bare.slice(0, 25)}…` : bare,
    });
    out += short;
    last = to;
  }
  return { shortText: out + text.slice(last), urls };
}

type Body = Record<string, unknown>;

function validateShape(b: Body): ParamError[] {
  const errors: ParamError[] = [];
  for (const k of Object.keys(b))
    if (!CREATE_FIELDS.has(k))
      errors.push({
        message: `$.${k}: is not defined in the schema and the schema does not allow additional properties`,
      });
  if (b.text !== undefined && typeof b.text !== 'string')
    errors.push({ message: '$.text: string found, expected' });
  const media = b.media as { media_ids?: unknown } | undefined;
  if (media !== undefined) {
    const ids = media?.media_ids;
    if (
      !Array.isArray(ids) ||
      ids.length < 1 ||
      ids.length > 4 ||
      ids.some((i) => typeof i !== 'string' || !/^\d+$/.test(i))
    )
      errors.push({
        parameters: { 'media.media_ids': [JSON.stringify(ids)] },
        message: '$.media.media_ids: 1 to 4 numeric string ids expected',
      });
    for (const other of ['poll', 'quote_tweet_id', 'card_uri'])
      if (b[other] !== undefined) errors.push({ message: `$.media: must not be combined with ${other}` });
  }
  const reply = b.reply as { in_reply_to_tweet_id?: unknown } | undefined;
  if (reply !== undefined && typeof reply?.in_reply_to_tweet_id !== 'string')
    errors.push({
      parameters: { '$.reply': [JSON.stringify(reply)] },
      message: '$.reply.in_reply_to_tweet_id: is missing but it is required',
    });
  return errors;
}

/** Where `tweetsByText` keeps a post: its author and its text as sent. */
const textKey = (authorId: string, text: string) => `${authorId}\n${text}`;

/** POST /2/tweets once auth and limits passed. */
export function createTweet(s: FakeState, req: FakeRequest, caller: Caller, now: number): FakeResponse {
  const host = s.config.problemHost;
  if (
    !String(req.headers['content-type'] ?? '')
      .toLowerCase()
      .startsWith('application/json')
  )
    return invalidRequest(host, [{ message: 'Request body must be JSON (Content-Type: application/json)' }]);
  const b = req.json;
  if (!b || typeof b !== 'object' || Array.isArray(b))
    return invalidRequest(host, [{ message: 'Request body must be a JSON object' }]);
  const body = b as Body;
  const shapeErrors = validateShape(body);
  if (shapeErrors.length) return invalidRequest(host, shapeErrors);

  const text = ((body.text as string | undefined) ?? '').normalize('NFC');
  const mediaIds = ((body.media as { media_ids?: string[] } | undefined)?.media_ids ?? []).map(String);
  if (!text && mediaIds.length === 0)
    return invalidRequest(host, [
      { parameters: { text: [''] }, message: '$.text: Post text is required when no media is attached' },
    ]);
  const parsed = twitterText().parseTweet(text);
  if (text && parsed.weightedLength > 280)
    return invalidRequest(host, [{ message: TOO_LONG_MESSAGE }], s.config.tooLongStatus);
  if (text && !parsed.valid)
    return invalidRequest(host, [
      { parameters: { text: [text] }, message: 'Post text contains invalid characters' },
    ]);

  for (const id of mediaIds) {
    if (!mediaReady(s, s.media.get(id), caller.userId, now))
      return invalidRequest(host, [
        { parameters: { 'media.media_ids': [id] }, message: 'Your media IDs are invalid.' },
      ]);
  }
  const quote = body.quote_tweet_id;
  if (quote !== undefined && !s.tweets.some((t) => t.id === quote))
    return invalidRequest(host, [
      { parameters: { quote_tweet_id: [String(quote)] }, message: 'The quoted Tweet does not exist' },
    ]);

  const window = s.config.duplicateWindowMs;
  const dup =
    text &&
    s.tweetsByText
      .get(textKey(caller.userId, text))
      .some((t) => window === undefined || now - Date.parse(t.createdAt) < window);
  if (dup) return duplicateContent();

  const parentId = (body.reply as { in_reply_to_tweet_id?: string } | undefined)?.in_reply_to_tweet_id;
  const parent = parentId === undefined ? undefined : s.tweets.find((t) => t.id === parentId);
  if (parentId !== undefined && !parent) {
    return s.config.replyParentMissing === 'forbidden'
      ? replyParentNotVisible()
      : invalidRequest(host, [
          {
            parameters: { 'reply.in_reply_to_tweet_id': [parentId] },
            message: 'The reply parent does not exist',
          },
        ]);
  }

  const id = nextId(s);
  const { shortText, urls } = shorten(text, id);
  const tweet: StoredTweet = {
    id,
    authorId: caller.userId,
    text,
    shortText,
    weightedLength: parsed.weightedLength,
    createdAt: new Date(now).toISOString(),
    inReplyTo: parent?.id,
    conversationId: parent?.conversationId ?? id,
    mediaIds,
    urls,
    auth: caller.kind,
    body: b,
  };
  s.tweets.push(tweet);
  s.tweetsByText.add(textKey(tweet.authorId, text), tweet);
  return json(201, { data: { id, text: shortText } });
}

/**
 * DELETE /2/tweets/:id once auth and limits passed: 200 {"data":{"deleted":true}} for the caller's own post
 * (it leaves the timeline and no longer counts as duplicate content); 403 for another user's post; a post that
 * is gone answers as `config.deleteMissing` says.
 */
export function deleteTweet(
  s: FakeState,
  _req: FakeRequest,
  caller: Caller,
  now: number,
  id: string,
): FakeResponse {
  if (!/^\d{1,19}$/.test(id))
    return invalidRequest(s.config.problemHost, [
      {
        parameters: { id: [id] },
        message: `The \`id\` query parameter value [${id}] does not match ^[0-9]{1,19}$`,
      },
    ]);
  const at = s.tweets.findIndex((t) => t.id === id);
  if (at < 0)
    return s.config.deleteMissing === 'not-found'
      ? tweetNotFound(s.config.problemHost, id)
      : json(200, { data: { deleted: false } });
  const t = s.tweets[at]!;
  if (t.authorId !== caller.userId) return notYourTweet();
  s.tweets.splice(at, 1);
  s.tweetsByText.remove(textKey(t.authorId, t.text), t);
  s.deletedTweets.push({ ...t, deletedAt: new Date(now).toISOString() });
  return json(200, { data: { deleted: true } });
}
