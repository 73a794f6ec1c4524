import axios from 'axios';

/**
 * The article image (og:image) as every platform fetches it before uploading it: over HTTP(S) only, within a
 * wall-clock deadline, under a size cap, of a type the platform takes. The platform-specific limits are
 * parameters (X: `twitter/media.ts`, LinkedIn: `linkedin/adapter.ts`). Failures are answers, never throws:
 * a post always goes out without its image rather than not at all.
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

  const deadline = new AbortController();
  const timer = setTimeout(() => deadline.abort(), timeoutMs);
  try {
    const res = await axios.get<ArrayBuffer>(url, {
      responseType: 'arraybuffer',
      timeout: timeoutMs,
      signal: deadline.signal,
      maxContentLength: maxBytes,
      maxRedirects: 3,
      validateStatus: (s) => s >= 200 && s < 300,
    });
    const type = String(res.headers['content-type'] ?? '')
      .split(';')[0]!
      .trim()
      .toLowerCase();
    if (!types.has(type))
      return { ok: false, reason: `not an image ${platform} accepts: "${type || 'no type'}"` };
    const bytes = Buffer.from(res.data);
    if (bytes.length === 0) return { ok: false, reason: 'empty image' };
    if (bytes.length > maxBytes) return { ok: false, reason: `image over ${maxBytes} bytes` };
    return { ok: true, image: { bytes, type } };
  } catch (err) {
    if (deadline.signal.aborted) return { ok: false, reason: `image download failed (ETIMEDOUT)` };
    if (axios.isAxiosError(err) && err.code === 'ERR_BAD_RESPONSE' && /maxContentLength/.test(err.message))
      return { ok: false, reason: `image over ${maxBytes} bytes` };
    const code = axios.isAxiosError(err) ? (err.response?.status ?? err.code) : undefined;
    return { ok: false, reason: `image download failed (${code ?? 'error'})` };
  } finally {
    clearTimeout(timer);
  }
}
