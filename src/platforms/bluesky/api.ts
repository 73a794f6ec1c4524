import type { PostFacet } from '../../core/post.js';

/**
 * Wire shapes of the AT Protocol calls Crier makes (XRPC at `{host}/xrpc/{nsid}`), shared by the adapter and the
 * fake. Facts: the shared platform API facts (/work/shared/docs), §1 of the second sheet.
 */

export const POST_COLLECTION = 'app.bsky.feed.post';
export const EXTERNAL_EMBED = 'app.bsky.embed.external';
/** A post's text limits: graphemes and UTF-8 bytes. */
export const MAX_GRAPHEMES = 300;
export const MAX_TEXT_BYTES = 3000;
/** The largest thumbnail an external embed takes (checked at createRecord). */
export const MAX_THUMB_BYTES = 1_000_000;

/** createSession / refreshSession answer. */
export interface BlueskySession {
  accessJwt: string;
  refreshJwt: string;
  handle: string;
  did: string;
  didDoc?: { service?: { id?: string; type?: string; serviceEndpoint?: string }[] };
  active?: boolean;
}

export interface BlobRef {
  $type: 'blob';
  ref: { $link: string };
  mimeType: string;
  size: number;
}

/** An `app.bsky.feed.post` record. */
export interface PostRecord {
  $type: typeof POST_COLLECTION;
  text: string;
  createdAt: string;
  langs?: string[];
  facets?: PostFacet[];
  embed?: {
    $type: typeof EXTERNAL_EMBED;
    external: { uri: string; title: string; description: string; thumb?: BlobRef };
  };
}

export interface CreateRecordResponse {
  uri: string;
  cid: string;
  commit?: { cid: string; rev: string };
  validationStatus?: string;
}

export interface ListRecordsResponse {
  cursor?: string;
  records: { uri: string; cid: string; value: Partial<PostRecord> }[];
}

/** Every XRPC error body: `{"error": "<Name>", "message": "…"}`. */
export interface XrpcError {
  error?: string;
  message?: string;
}

/** The parts of an at:// URI: at://<did>/<collection>/<rkey>. */
export function parseAtUri(uri: string): { repo: string; collection: string; rkey: string } | undefined {
  const m = /^at:\/\/([^/]+)\/([^/]+)\/([^/]+)$/.exec(uri);
  return m ? { repo: m[1]!, collection: m[2]!, rkey: m[3]! } : undefined;
}

/** The public page of a post on bsky.app. */
export function postUrl(uri: string, handle?: string): string {
  const p = parseAtUri(uri);
  if (!p) return uri;
  return `https://bsky.app/profile/${handle ?? p.repo}/post/${p.rkey}`;
}

/** The PDS a session's DID document names (`#atproto_pds`), if any. */
export function pdsEndpoint(session: Pick<BlueskySession, 'didDoc'>): string | undefined {
  const s = session.didDoc?.service?.find(
    (x) => x.id === '#atproto_pds' || x.type === 'AtprotoPersonalDataServer',
  );
  return s?.serviceEndpoint?.replace(/\/+$/, '');
}

/** The expiry (epoch ms) a JWT's payload states, if it can be read. */
export function jwtExpiry(jwt: string): number | undefined {
  const payload = jwt.split('.')[1];
  if (!payload) return undefined;
  try {
    const exp = (JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { exp?: unknown }).exp;
    return typeof exp === 'number' ? exp * 1000 : undefined;
  } catch {
    return undefined;
  }
}

const S32 = '234567abcdefghijklmnopqrstuvwxyz';

/** A TID (timestamp identifier, the rkey of a post): microseconds and a clock id, base32-sortable, 13 chars. */
export function tid(micros: bigint, clockId = 0): string {
  let n = (micros << 10n) | BigInt(clockId & 1023);
  let out = '';
  for (let i = 0; i < 13; i++) {
    out = S32[Number(n & 31n)]! + out;
    n >>= 5n;
  }
  return out;
}

export function isTid(s: string): boolean {
  return /^[234567abcdefghij][234567abcdefghijklmnopqrstuvwxyz]{12}$/.test(s);
}
