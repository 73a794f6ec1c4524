import type { FakeRequest, FakeResponse } from '../fake/server.js';
import type { Caller } from './fake-auth.js';
import { invalidRequest, json, type ParamError } from './fake-http.js';
import { type FakeState, nextId, type StoredMedia } from './fake-state.js';

/** Size caps per category (images 5 MB, GIFs 15 MB, video 512 MB). */
const CATEGORIES: Record<string, { types: string[]; maxBytes: number }> = {
  tweet_image: {
    types: ['image/jpeg', 'image/png', 'image/webp', 'image/bmp', 'image/pjpeg', 'image/tiff'],
    maxBytes: 5 * 1024 * 1024,
  },
  tweet_gif: { types: ['image/gif'], maxBytes: 15 * 1024 * 1024 },
  tweet_video: {
    types: ['video/mp4', 'video/webm', 'video/mp2t', 'video/quicktime'],
    maxBytes: 512 * 1024 * 1024,
  },
};
const EXPIRES_SECS = 86_400;

interface Part {
  name: string;
  body: string;
}

/**
 * Parts of a multipart/form-data body. FakeServer hands the body over as UTF-8 text, so binary
 * bytes that are not valid UTF-8 come back as U+FFFD: their count is then only approximate.
 */
export function multipartParts(req: FakeRequest): Part[] | undefined {
  const m = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(String(req.headers['content-type'] ?? ''));
  const boundary = m?.[1] ?? m?.[2];
  if (!boundary || !String(req.headers['content-type']).startsWith('multipart/form-data')) return undefined;
  const parts: Part[] = [];
  for (const chunk of req.raw.split(`--${boundary}`).slice(1)) {
    if (chunk.startsWith('--')) break;
    const split = chunk.indexOf('\r\n\r\n');
    if (split < 0) return undefined;
    const name = /name="([^"]*)"/i.exec(chunk.slice(0, split))?.[1];
    if (name === undefined) return undefined;
    parts.push({ name, body: chunk.slice(split + 4).replace(/\r\n$/, '') });
  }
  return parts;
}

function owned(s: FakeState, id: string, caller: Caller, now: number): StoredMedia | undefined {
  const m = s.media.get(id);
  return m && m.ownerId === caller.userId && m.expiresAt > now ? m : undefined;
}

const badMedia = (s: FakeState, errors: ParamError[]) => invalidRequest(s.config.problemHost, errors);

/** Usable in a post: finalized, processed (GIF/video) and not expired. */
export function mediaReady(s: FakeState, m: StoredMedia | undefined, userId: string, now: number): boolean {
  if (!m || m.ownerId !== userId || !m.finalized || m.expiresAt <= now) return false;
  return m.category === 'tweet_image' || m.statusPolls >= s.config.mediaProcessingPolls;
}

/** POST /2/media/upload/initialize {media_type, total_bytes, media_category}. */
export function initializeUpload(s: FakeState, req: FakeRequest, caller: Caller, now: number): FakeResponse {
  const b = (req.json ?? {}) as { media_type?: unknown; total_bytes?: unknown; media_category?: unknown };
  const type = String(b.media_type ?? '');
  const category = String(b.media_category ?? (type === 'image/gif' ? 'tweet_gif' : 'tweet_image'));
  const spec = CATEGORIES[category];
  const errors: ParamError[] = [];
  if (!String(req.headers['content-type'] ?? '').startsWith('application/json'))
    errors.push({ message: 'Request body must be JSON' });
  if (!spec)
    errors.push({
      parameters: { media_category: [category] },
      message: `$.media_category: unknown category ${category}`,
    });
  else if (!spec.types.includes(type))
    errors.push({
      parameters: { media_type: [type] },
      message: `$.media_type: ${type || 'missing'} is not valid for ${category}`,
    });
  const total = b.total_bytes;
  if (typeof total !== 'number' || !Number.isInteger(total) || total <= 0 || (spec && total > spec.maxBytes))
    errors.push({
      parameters: { total_bytes: [String(total)] },
      message: '$.total_bytes: must be a positive integer within the size limit of the category',
    });
  if (errors.length) return badMedia(s, errors);
  const id = nextId(s);
  s.media.set(id, {
    id,
    ownerId: caller.userId,
    mediaType: type,
    category,
    totalBytes: total as number,
    segments: new Map(),
    finalized: false,
    statusPolls: 0,
    expiresAt: now + EXPIRES_SECS * 1000,
  });
  return json(200, { data: { id, media_key: `3_${id}`, expires_after_secs: EXPIRES_SECS } });
}

/** POST /2/media/upload/:id/append (multipart: segment_index, media). */
export function appendUpload(
  s: FakeState,
  req: FakeRequest,
  caller: Caller,
  id: string,
  now: number,
): FakeResponse {
  const m = owned(s, id, caller, now);
  if (!m || m.finalized)
    return badMedia(s, [
      { parameters: { id: [id] }, message: 'Invalid media id or upload already finalized' },
    ]);
  const parts = multipartParts(req);
  const index = Number(parts?.find((p) => p.name === 'segment_index')?.body);
  const media = parts?.find((p) => p.name === 'media');
  if (!parts || !media || !Number.isInteger(index) || index < 0 || index > 999)
    return badMedia(s, [{ message: 'multipart/form-data with segment_index (0-999) and media is required' }]);
  m.segments.set(index, {
    bytes: Buffer.byteLength(media.body, 'utf8'),
    exact: !media.body.includes('\uFFFD'),
  });
  return json(200, { data: { expires_at: Math.floor(m.expiresAt / 1000) } });
}

/** POST /2/media/upload/:id/finalize: all segments present and adding up to total_bytes. */
export function finalizeUpload(s: FakeState, caller: Caller, id: string, now: number): FakeResponse {
  const m = owned(s, id, caller, now);
  if (!m || m.finalized)
    return badMedia(s, [
      { parameters: { id: [id] }, message: 'Invalid media id or upload already finalized' },
    ]);
  const segs = [...m.segments.entries()].sort(([a], [b]) => a - b);
  const contiguous = segs.length > 0 && segs.every(([i], n) => i === n);
  const sum = segs.reduce((acc, [, v]) => acc + v.bytes, 0);
  const exact = segs.every(([, v]) => v.exact);
  if (!contiguous || (exact && sum !== m.totalBytes))
    return badMedia(s, [
      { message: `File size mismatch or missing segments: received ${sum} of ${m.totalBytes} bytes` },
    ]);
  m.finalized = true;
  const processing = m.category !== 'tweet_image' && s.config.mediaProcessingPolls > 0;
  const data: Record<string, unknown> = {
    id,
    media_key: `3_${id}`,
    size: m.totalBytes,
    expires_after_secs: EXPIRES_SECS,
  };
  if (processing) data.processing_info = { state: 'pending', check_after_secs: 1 };
  return json(200, { data });
}

/** GET /2/media/upload?command=STATUS&media_id=: succeeds after `mediaProcessingPolls` polls. */
export function uploadStatus(s: FakeState, req: FakeRequest, caller: Caller, now: number): FakeResponse {
  const id = req.query.get('media_id') ?? '';
  const m = owned(s, id, caller, now);
  if (req.query.get('command') !== 'STATUS' || !m || !m.finalized)
    return badMedia(s, [
      { parameters: { media_id: [id] }, message: 'command=STATUS and a finalized media_id are required' },
    ]);
  m.statusPolls += 1;
  const done = m.category === 'tweet_image' || m.statusPolls >= s.config.mediaProcessingPolls;
  return json(200, {
    data: {
      id,
      media_key: `3_${id}`,
      processing_info: done
        ? { state: 'succeeded', progress_percent: 100 }
        : { state: 'in_progress', check_after_secs: 1, progress_percent: 50 },
    },
  });
}
