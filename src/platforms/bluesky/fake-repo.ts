import { graphemeLength } from '../../summaries/length.js';
import type { FakeRequest, FakeResponse } from '../fake/server.js';
import {
  type BlobRef,
  EXTERNAL_EMBED,
  isTid,
  MAX_GRAPHEMES,
  MAX_TEXT_BYTES,
  MAX_THUMB_BYTES,
  POST_COLLECTION,
  type PostRecord,
} from './api.js';
import type { BlueskyFakeAccount, BlueskyFakeState, StoredRecord } from './fake-state.js';

/** The repo calls of the Bluesky fake (com.atproto.repo.*), once the caller's session is known. */

export const xrpcError = (
  status: number,
  error: string,
  message: string,
  headers: Record<string, string> = {},
) => ({
  status,
  headers,
  body: { error, message },
});
const ok = (body: unknown, headers: Record<string, string> = {}): FakeResponse => ({
  status: 200,
  headers,
  body,
});
const invalid = (message: string) => xrpcError(400, 'InvalidRequest', message);
export const authRequired = () => xrpcError(401, 'AuthenticationRequired', 'Authentication Required');

const UPLOAD_MAX_BYTES = 50 * 1024 * 1024;
const WRITE_POINTS = { create: 3, delete: 1 } as const;

function body(req: FakeRequest): Record<string, unknown> {
  return req.json && typeof req.json === 'object' ? (req.json as Record<string, unknown>) : {};
}

/** The repo a call names, which must be the caller's own for a write (else 401, as the PDS). */
function ownRepo(
  state: BlueskyFakeState,
  caller: BlueskyFakeAccount,
  repo: unknown,
): BlueskyFakeAccount | FakeResponse {
  if (typeof repo !== 'string' || !repo) return invalid('Input must have the property "repo"');
  const account = state.account(repo);
  if (!account) return invalid(`Could not find repo: ${repo}`);
  if (account.did !== caller.did) return authRequired();
  return account;
}

/** Write points (create 3, delete 1) against the hourly and daily budgets; the RateLimit-* headers of the answer. */
export function spendPoints(
  state: BlueskyFakeState,
  did: string,
  kind: keyof typeof WRITE_POINTS,
  now: number,
): { refused?: FakeResponse; headers: Record<string, string> } {
  const cost = WRITE_POINTS[kind];
  const hour = state.counter(`points-hour:${did}`, 3_600_000, now);
  const day = state.counter(`points-day:${did}`, 86_400_000, now);
  const limit = state.config.pointsPerHour;
  const headers = (used: number) => ({
    'RateLimit-Limit': String(limit),
    'RateLimit-Remaining': String(Math.max(0, limit - used)),
    'RateLimit-Reset': String(Math.ceil((hour.start + 3_600_000) / 1000)),
    'RateLimit-Policy': `${limit};w=3600`,
  });
  if (hour.count + cost > limit || day.count + cost > state.config.pointsPerDay) {
    const h = headers(hour.count);
    return { refused: xrpcError(429, 'RateLimitExceeded', 'Rate Limit Exceeded', h), headers: h };
  }
  hour.count += cost;
  day.count += cost;
  return { headers: headers(hour.count) };
}

function isDatetime(v: unknown): boolean {
  return typeof v === 'string' && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(v);
}

/** Lexicon validation of an app.bsky.feed.post record (as the PDS checks it: the schema, not the facets' sense). */
function recordErrors(
  state: BlueskyFakeState,
  did: string,
  r: Record<string, unknown>,
): FakeResponse | undefined {
  const bad = (what: string) => invalid(`Invalid app.bsky.feed.post record: ${what}`);
  if (r.$type !== POST_COLLECTION) return bad('Record/$type must be app.bsky.feed.post');
  if (typeof r.text !== 'string') return bad('Record must have the property "text"');
  const graphemes = graphemeLength(r.text);
  if (graphemes > MAX_GRAPHEMES)
    return bad(`grapheme too big (maximum ${MAX_GRAPHEMES}, got ${graphemes}) at $.record.text`);
  const bytes = Buffer.byteLength(r.text, 'utf8');
  if (bytes > MAX_TEXT_BYTES)
    return bad(`string too long (maximum ${MAX_TEXT_BYTES}, got ${bytes}) at $.record.text`);
  if (!isDatetime(r.createdAt)) return bad('Record/createdAt must be an valid atproto datetime');
  if (r.langs !== undefined && (!Array.isArray(r.langs) || r.langs.length > 3))
    return bad('Record/langs must not have more than 3 elements');
  if (r.facets !== undefined) {
    if (!Array.isArray(r.facets)) return bad('Record/facets must be an array');
    for (const [i, f] of (r.facets as unknown[]).entries()) {
      const idx = (f as { index?: { byteStart?: unknown; byteEnd?: unknown } })?.index;
      const features = (f as { features?: unknown })?.features;
      const int = (v: unknown) => typeof v === 'number' && Number.isInteger(v) && v >= 0;
      if (!idx || !int(idx.byteStart) || !int(idx.byteEnd))
        return bad(`Record/facets/${i}/index must have integer byteStart and byteEnd`);
      if (
        !Array.isArray(features) ||
        features.some((x) => typeof (x as { $type?: unknown })?.$type !== 'string')
      )
        return bad(`Record/facets/${i}/features must be an array of typed features`);
    }
  }
  const embed = r.embed as { $type?: unknown; external?: Record<string, unknown> } | undefined;
  if (embed !== undefined) {
    if (embed.$type !== EXTERNAL_EMBED) return bad('Record/embed has an unsupported $type');
    const ext = embed.external;
    if (!ext || typeof ext.uri !== 'string' || !URL.canParse(ext.uri))
      return bad('Record/embed/external/uri must be a valid uri');
    if (typeof ext.title !== 'string') return bad('Record/embed/external must have the property "title"');
    if (typeof ext.description !== 'string')
      return bad('Record/embed/external must have the property "description"');
    if (ext.thumb !== undefined) return thumbErrors(state, did, ext.thumb as BlobRef);
  }
  return undefined;
}

/** A thumbnail must be a blob this account uploaded, an image, at most 1,000,000 bytes, described truly. */
function thumbErrors(state: BlueskyFakeState, did: string, thumb: BlobRef): FakeResponse | undefined {
  const cid = thumb?.ref?.$link;
  const blob = cid ? state.blobs.get(cid) : undefined;
  if (!blob || blob.did !== did) return xrpcError(400, 'BlobNotFound', `Could not find blob: ${cid ?? ''}`);
  if (thumb.mimeType !== blob.mimeType)
    return xrpcError(
      400,
      'InvalidMimeType',
      `Referenced Mimetype does not match stored blob. Expected: ${blob.mimeType}, Got: ${thumb.mimeType}`,
    );
  if (thumb.size !== blob.size)
    return xrpcError(
      400,
      'InvalidSize',
      `Referenced size does not match stored blob. Expected: ${blob.size}, Got: ${thumb.size}`,
    );
  if (!blob.mimeType.startsWith('image/'))
    return invalid(
      `Invalid app.bsky.feed.post record: Record/embed/external/thumb mimeType (${blob.mimeType}) not accepted`,
    );
  if (blob.size > MAX_THUMB_BYTES)
    return invalid(
      `Invalid app.bsky.feed.post record: Record/embed/external/thumb file too large (${blob.size} bytes; maximum ${MAX_THUMB_BYTES})`,
    );
  return undefined;
}

/** com.atproto.repo.createRecord */
export function createRecord(
  state: BlueskyFakeState,
  req: FakeRequest,
  caller: BlueskyFakeAccount,
  now: number,
): FakeResponse {
  const b = body(req);
  const repo = ownRepo(state, caller, b.repo);
  if ('status' in repo) return repo;
  if (b.collection !== POST_COLLECTION) return invalid(`Invalid collection: ${String(b.collection)}`);
  if (!b.record || typeof b.record !== 'object') return invalid('Input must have the property "record"');
  const head = state.heads.get(repo.did);
  if (b.swapCommit !== undefined && b.swapCommit !== head)
    return xrpcError(400, 'InvalidSwap', `Commit was at ${head ?? 'null'}`);
  const refused = recordErrors(state, repo.did, b.record as Record<string, unknown>);
  if (refused) return refused;
  const rkey = typeof b.rkey === 'string' ? b.rkey : state.nextTid(now);
  if (!isTid(rkey)) return invalid(`Invalid record key: ${rkey} (expected a TID)`);
  // An existing rkey is not a conflict on the PDS: the insert fails inside (indigo#873).
  if (state.records.some((r) => r.did === repo.did && r.rkey === rkey))
    return xrpcError(500, 'InternalServerError', 'Internal Server Error');
  const points = spendPoints(state, repo.did, 'create', now);
  if (points.refused) return points.refused;
  const value = b.record as PostRecord;
  const uri = `at://${repo.did}/${POST_COLLECTION}/${rkey}`;
  const cid = state.cid(JSON.stringify(value));
  state.records.push({ uri, cid, did: repo.did, collection: POST_COLLECTION, rkey, value, indexedAt: now });
  const commit = state.cid(`${uri}\n${now}`);
  state.heads.set(repo.did, commit);
  return ok(
    { uri, cid, commit: { cid: commit, rev: state.nextTid(now) }, validationStatus: 'valid' },
    points.headers,
  );
}

/** Media types the PDS recognises from the bytes themselves (it does not trust the Content-Type). */
function sniff(bytes: Buffer): string | undefined {
  if (bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])))
    return 'image/png';
  if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'image/jpeg';
  if (bytes.subarray(0, 6).toString('latin1').startsWith('GIF8')) return 'image/gif';
  if (
    bytes.subarray(0, 4).toString('latin1') === 'RIFF' &&
    bytes.subarray(8, 12).toString('latin1') === 'WEBP'
  )
    return 'image/webp';
  return undefined;
}

/** com.atproto.repo.uploadBlob: raw bytes; the answer is the blob reference to put in a record. */
export function uploadBlob(
  state: BlueskyFakeState,
  req: FakeRequest,
  caller: BlueskyFakeAccount,
): FakeResponse {
  const bytes = req.bytes;
  if (bytes.length > UPLOAD_MAX_BYTES) return xrpcError(413, 'PayloadTooLarge', 'request entity too large');
  const declared =
    String(req.headers['content-type'] ?? '')
      .split(';')[0]!
      .trim() || 'application/octet-stream';
  const mimeType = sniff(bytes) ?? declared;
  const cid = state.cid(bytes);
  state.blobs.set(cid, { cid, did: caller.did, mimeType, size: bytes.length, bytes: Buffer.from(bytes) });
  return ok({ blob: { $type: 'blob', ref: { $link: cid }, mimeType, size: bytes.length } });
}

function readableRepo(state: BlueskyFakeState, repo: string | null): BlueskyFakeAccount | FakeResponse {
  const account = repo ? state.account(repo) : undefined;
  if (!account) return invalid(`Could not find repo: ${repo ?? ''}`);
  if (account.takendown) return xrpcError(400, 'RepoTakendown', `Repo has been takendown: ${account.did}`);
  return account;
}

const view = (r: StoredRecord) => ({ uri: r.uri, cid: r.cid, value: r.value });

/** com.atproto.repo.listRecords: newest first (by record key), `cursor` for the next page. */
export function listRecords(state: BlueskyFakeState, req: FakeRequest): FakeResponse {
  const q = req.query;
  const account = readableRepo(state, q.get('repo'));
  if ('status' in account) return account;
  const limit = Number(q.get('limit') ?? 50);
  if (!Number.isInteger(limit) || limit < 1 || limit > 100)
    return invalid('Error: limit must be an integer between 1 and 100');
  const cursor = q.get('cursor');
  const reverse = q.get('reverse') === 'true';
  const mine = state.records
    .filter((r) => r.did === account.did && r.collection === q.get('collection'))
    .sort((a, b) => (reverse ? a.rkey.localeCompare(b.rkey) : b.rkey.localeCompare(a.rkey)))
    .filter((r) => !cursor || (reverse ? r.rkey > cursor : r.rkey < cursor));
  const page = mine.slice(0, limit);
  return ok({ ...(mine.length > limit ? { cursor: page.at(-1)!.rkey } : {}), records: page.map(view) });
}

/** com.atproto.repo.getRecord */
export function getRecord(state: BlueskyFakeState, req: FakeRequest): FakeResponse {
  const q = req.query;
  const account = readableRepo(state, q.get('repo'));
  if ('status' in account) return account;
  const r = state.records.find(
    (x) => x.did === account.did && x.collection === q.get('collection') && x.rkey === q.get('rkey'),
  );
  if (!r)
    return xrpcError(
      400,
      'RecordNotFound',
      `Could not locate record: at://${account.did}/${q.get('collection')}/${q.get('rkey')}`,
    );
  return ok(view(r));
}

/** com.atproto.repo.deleteRecord: a record that is not there is no error. */
export function deleteRecord(
  state: BlueskyFakeState,
  req: FakeRequest,
  caller: BlueskyFakeAccount,
  now: number,
): FakeResponse {
  const b = body(req);
  const repo = ownRepo(state, caller, b.repo);
  if ('status' in repo) return repo;
  const points = spendPoints(state, repo.did, 'delete', now);
  if (points.refused) return points.refused;
  const at = state.records.findIndex(
    (r) => r.did === repo.did && r.collection === b.collection && r.rkey === b.rkey,
  );
  if (at < 0) return ok({}, points.headers);
  const [gone] = state.records.splice(at, 1);
  state.deleted.push({ ...gone!, deletedAt: now });
  const commit = state.cid(`delete ${gone!.uri}\n${now}`);
  state.heads.set(repo.did, commit);
  return ok({ commit: { cid: commit, rev: state.nextTid(now) } }, points.headers);
}

/** app.bsky.feed.getAuthorFeed (the AppView): eventually consistent, records show after `appViewLagMs`. */
export function getAuthorFeed(state: BlueskyFakeState, req: FakeRequest, now: number): FakeResponse {
  const account = readableRepo(state, req.query.get('actor'));
  if ('status' in account) return account;
  const feed = state.records
    .filter((r) => r.did === account.did && now - r.indexedAt >= state.config.appViewLagMs)
    .sort((a, b) => b.rkey.localeCompare(a.rkey))
    .map((r) => ({
      post: {
        uri: r.uri,
        cid: r.cid,
        author: { did: account.did, handle: account.handle },
        record: r.value,
        indexedAt: new Date(r.indexedAt).toISOString(),
      },
    }));
  return ok({ feed });
}
