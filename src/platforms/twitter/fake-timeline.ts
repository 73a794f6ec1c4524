import { twitterText } from '../../summaries/twitter-text.js';
import type { FakeRequest, FakeResponse } from '../fake/server.js';
import { invalidRequest, json, type ParamError, problemType } from './fake-http.js';
import type { FakeState, StoredTweet } from './fake-state.js';
import { cp } from './fake-tweets.js';

const TWEET_FIELDS = new Set([
  'article',
  'attachments',
  'author_id',
  'card_uri',
  'community_id',
  'context_annotations',
  'conversation_id',
  'created_at',
  'display_text_range',
  'edit_controls',
  'edit_history_tweet_ids',
  'entities',
  'geo',
  'id',
  'in_reply_to_user_id',
  'lang',
  'media_metadata',
  'non_public_metrics',
  'note_tweet',
  'organic_metrics',
  'possibly_sensitive',
  'promoted_metrics',
  'public_metrics',
  'referenced_tweets',
  'reply_settings',
  'scopes',
  'source',
  'text',
  'withheld',
]);
const TIMELINE_PARAMS = new Set([
  'since_id',
  'until_id',
  'max_results',
  'pagination_token',
  'exclude',
  'start_time',
  'end_time',
  'expansions',
  'tweet.fields',
  'media.fields',
  'poll.fields',
  'user.fields',
  'place.fields',
]);

function view(s: FakeState, t: StoredTweet, fields: Set<string>): Record<string, unknown> {
  const v: Record<string, unknown> = { id: t.id, text: t.shortText, edit_history_tweet_ids: [t.id] };
  if (fields.has('created_at')) v.created_at = t.createdAt;
  if (fields.has('author_id')) v.author_id = t.authorId;
  if (fields.has('conversation_id')) v.conversation_id = t.conversationId;
  if (fields.has('referenced_tweets') && t.inReplyTo)
    v.referenced_tweets = [{ type: 'replied_to', id: t.inReplyTo }];
  if (fields.has('in_reply_to_user_id') && t.inReplyTo)
    v.in_reply_to_user_id = s.tweets.find((p) => p.id === t.inReplyTo)?.authorId;
  if (fields.has('attachments') && t.mediaIds.length)
    v.attachments = { media_keys: t.mediaIds.map((m) => `3_${m}`) };
  if (fields.has('entities')) {
    const hashtags = twitterText()
      .extractHashtagsWithIndices(t.shortText)
      .map((h) => ({
        start: cp(t.shortText, h.indices[0]),
        end: cp(t.shortText, h.indices[1]),
        tag: h.hashtag,
      }));
    const entities: Record<string, unknown> = {};
    if (t.urls.length) entities.urls = t.urls;
    if (hashtags.length) entities.hashtags = hashtags;
    if (Object.keys(entities).length) v.entities = entities;
  }
  return v;
}

/** GET /2/users/:id/tweets, newest first, with X's query validation. */
export function userTimeline(s: FakeState, req: FakeRequest, userId: string): FakeResponse {
  const host = s.config.problemHost;
  const q = req.query;
  const errors: ParamError[] = [];
  for (const k of q.keys())
    if (!TIMELINE_PARAMS.has(k))
      errors.push({
        parameters: { [k]: [q.get(k) ?? ''] },
        message: `The query parameter [${k}] is not one of [${[...TIMELINE_PARAMS].join(',')}]`,
      });
  const max = Number(q.get('max_results') ?? '10');
  if (!Number.isInteger(max) || max < 5 || max > 100)
    errors.push({
      parameters: { max_results: [q.get('max_results') ?? ''] },
      message: `The \`max_results\` query parameter value [${q.get('max_results')}] is not between 5 and 100`,
    });
  const fields = new Set((q.get('tweet.fields') ?? '').split(',').filter(Boolean));
  for (const f of fields)
    if (!TWEET_FIELDS.has(f))
      errors.push({
        parameters: { 'tweet.fields': [f] },
        message: `The query parameter [tweet.fields] value [${f}] is not one of [${[...TWEET_FIELDS].join(',')}]`,
      });
  const times: Record<string, number> = {};
  for (const k of ['start_time', 'end_time']) {
    const v = q.get(k);
    if (v === null) continue;
    // X takes RFC 3339 (YYYY-MM-DDTHH:mm:ssZ); anything else is a 400 naming the parameter.
    if (
      !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?(Z|[+-]\d{2}:\d{2})$/.test(v) ||
      Number.isNaN(Date.parse(v))
    )
      errors.push({
        parameters: { [k]: [v] },
        message: `Invalid '${k}':'${v}'. '${k}' must be a valid date in the format YYYY-MM-DDTHH:mm:ssZ`,
      });
    else times[k] = Date.parse(v);
  }
  for (const k of ['since_id', 'until_id']) {
    const v = q.get(k);
    if (v !== null && !/^\d{1,19}$/.test(v))
      errors.push({
        parameters: { [k]: [v] },
        message: `The \`${k}\` query parameter value [${v}] is not valid`,
      });
  }
  if (!/^\d+$/.test(userId))
    errors.push({
      parameters: { id: [userId] },
      message: `The \`id\` query parameter value [${userId}] does not match ^[0-9]{1,19}$`,
    });
  if (errors.length) return invalidRequest(host, errors);
  if (!s.users.some((u) => u.id === userId)) {
    return json(200, {
      errors: [
        {
          value: userId,
          detail: `Could not find user with id: [${userId}].`,
          title: 'Not Found Error',
          resource_type: 'user',
          parameter: 'id',
          resource_id: userId,
          type: problemType(host, 'resource-not-found'),
        },
      ],
    });
  }
  const exclude = new Set((q.get('exclude') ?? '').split(','));
  const sinceId = q.get('since_id');
  const untilId = q.get('until_id');
  // start_time is inclusive, end_time exclusive; since_id/until_id exclusive (X's rules for the timeline).
  const all = s.tweets
    .filter((t) => t.authorId === userId && !(exclude.has('replies') && t.inReplyTo))
    .filter((t) => times.start_time === undefined || Date.parse(t.createdAt) >= times.start_time)
    .filter((t) => times.end_time === undefined || Date.parse(t.createdAt) < times.end_time)
    .filter((t) => !sinceId || BigInt(t.id) > BigInt(sinceId))
    .filter((t) => !untilId || BigInt(t.id) < BigInt(untilId))
    .sort((a, b) => (BigInt(b.id) > BigInt(a.id) ? 1 : -1));
  const offset = Number(q.get('pagination_token') ?? '0') || 0;
  const page = all.slice(offset, offset + max);
  if (!page.length) return json(200, { meta: { result_count: 0 } });
  const meta: Record<string, unknown> = {
    result_count: page.length,
    newest_id: page[0]!.id,
    oldest_id: page.at(-1)!.id,
  };
  if (offset + max < all.length) meta.next_token = String(offset + max);
  return json(200, { data: page.map((t) => view(s, t, fields)), meta });
}
