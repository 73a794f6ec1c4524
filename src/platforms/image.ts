import { FetchError, fetchContent } from '../fetch/fetch.js';
import type { FetchPolicy } from '../fetch/policy.js';

/**
 * The article image (og:image) as every platform fetches it before uploading it: through the fetch policy
 * (http(s) only, public addresses only, every redirect checked), within a wall-clock deadline, under a size
 * cap, of a type the platform takes. The platform-specific limits are parameters (X: `twitter/media.ts`,
 * LinkedIn: `linkedin/adapter.ts`). Failures are answers, never throws: a post always goes out without its
 * image rather than not at all.
 */

export interface DownloadedImage {
  bytes: Buffer;
  /** The response's media type, lower case without parameters (e.g. image/png). */
  type: string;
}

export type ImageResult = { ok: true; image: DownloadedImage } | { ok: false; reason: string };

export interface ImageLimits {
  /** Wall-clock deadline of the whole download (a server trickling bytes is cut off too). */
  timeoutMs: number;
  /** Larger images are skipped (the download stops as soon as it goes past this), not resized. */
  maxBytes: number;
  /** Media types the platform takes. */
  types: ReadonlySet<string> | readonly string[];
  /** Who the types are for, in the skip reason ("not an image X accepts"). */
  platform: string;
  /** Address rules (default: the environment's `CRIER_FETCH_ALLOW` only). */
  policy?: FetchPolicy;
}

/** Fetches an article image (HTTPS trust as Node's: NODE_EXTRA_CA_CERTS works). */
export async function downloadImage(url: string, limits: ImageLimits): Promise<ImageResult> {
  const { timeoutMs, maxBytes, platform } = limits;
  const types = new Set(limits.types);
  let protocol: string;
  try {
    protocol = new URL(url).protocol;
  } catch {
    return { ok: false, reason: 'image URL is not a valid URL' };
  }
  if (protocol !== 'https:' && protocol !== 'http:')
    return { ok: false, reason: `image URL is not http(s) (${protocol})` };

  try {
    const res = await fetchContent(url, {
      policy: limits.policy,
      timeoutMs,
      maxBytes,
      maxRedirects: 3,
      accept: [...types].join(', ') || 'image/*',
    });
    if (res.status < 200 || res.status >= 300)
      return { ok: false, reason: `image download failed (${res.status})` };
    const type = String(res.contentType ?? '')
      .split(';')[0]!
      .trim()
      .toLowerCase();
    if (!types.has(type))
      return { ok: false, reason: `not an image ${platform} accepts: "${type || 'no type'}"` };
    if (res.bytes.length === 0) return { ok: false, reason: 'empty image' };
    return { ok: true, image: { bytes: res.bytes, type } };
  } catch (err) {
    if (!(err instanceof FetchError)) return { ok: false, reason: `image download failed (${String(err)})` };
    if (err.code === 'too-large') return { ok: false, reason: `image over ${maxBytes} bytes` };
    if (err.code === 'timeout') return { ok: false, reason: 'image download failed (ETIMEDOUT)' };
    if (err.code === 'refused') return { ok: false, reason: `image ${err.message}` };
    return { ok: false, reason: `image download failed (${err.message})` };
  }
}
