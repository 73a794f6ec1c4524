import type { FetchPolicy } from '../../fetch/policy.js';
import { type DownloadedImage, downloadImage as download, type ImageResult } from '../image.js';
import type { XClient } from './x-client.js';

export type { DownloadedImage, ImageResult };

/** X's limit for images (tweet_image); larger files are skipped rather than resized. */
export const IMAGE_MAX_BYTES = 5 * 1024 * 1024;
const IMAGE_TYPES = new Set(['image/jpeg', 'image/png', 'image/webp', 'image/gif']);
const CHUNK_BYTES = 1024 * 1024;
/** GIFs may need server-side processing; past this many status polls the post goes out without it. */
const MAX_STATUS_POLLS = 5;

/** The article image as X takes it (the shared download of `../image.ts` with X's types and size cap). */
export function downloadImage(url: string, timeoutMs: number, policy?: FetchPolicy): Promise<ImageResult> {
  return download(url, { timeoutMs, maxBytes: IMAGE_MAX_BYTES, types: IMAGE_TYPES, platform: 'X', policy });
}

interface MediaData {
  data: { id: string; media_key?: string; processing_info?: { state: string; check_after_secs?: number } };
}

/** v2 chunked upload: initialize → append (multipart) → finalize → poll status when processing. */
export async function uploadImage(
  x: XClient,
  image: DownloadedImage,
  sleep = (ms: number) => new Promise((r) => setTimeout(r, ms)),
): Promise<string> {
  const init = await x.call<MediaData>({
    operation: 'media',
    method: 'POST',
    path: 'media/upload/initialize',
    body: {
      media_type: image.type,
      total_bytes: image.bytes.length,
      media_category: image.type === 'image/gif' ? 'tweet_gif' : 'tweet_image',
    },
  });
  const id = init.data.id;
  for (let i = 0; i * CHUNK_BYTES < image.bytes.length; i++) {
    await x.call({
      operation: 'media',
      method: 'POST',
      path: `media/upload/${id}/append`,
      body: { segment_index: i, media: image.bytes.subarray(i * CHUNK_BYTES, (i + 1) * CHUNK_BYTES) },
      bodyMode: 'form-data',
    });
  }
  let info = (
    await x.call<MediaData>({ operation: 'media', method: 'POST', path: `media/upload/${id}/finalize` })
  ).data.processing_info;
  for (let poll = 0; info && info.state !== 'succeeded'; poll++) {
    if (info.state === 'failed' || poll >= MAX_STATUS_POLLS) throw new Error(`media ${id}: ${info.state}`);
    await sleep((info.check_after_secs ?? 1) * 1000);
    info = (
      await x.call<MediaData>({
        operation: 'media',
        method: 'GET',
        path: 'media/upload',
        query: { command: 'STATUS', media_id: id },
      })
    ).data.processing_info;
  }
  return id;
}
