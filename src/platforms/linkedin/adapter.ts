import { canonicalKey } from '../../articles/article.js';
import { isPlatformFailure, PlatformFailure, type PublishedRef } from '../../core/failure.js';
import type { Post } from '../../core/post.js';
import type { AdapterOptions, DeleteResult, FindOptions, PlatformAdapter } from '../adapter.js';
import { createPlatformHttp, type PlatformHttp } from '../http.js';
import { type DownloadedImage, downloadImage } from '../image.js';
import { pageBack } from '../lookup.js';
import {
  type LinkedInArticleContent,
  type LinkedInFinderResponse,
  type LinkedInInitializeUploadRequest,
  type LinkedInInitializeUploadResponse,
  type LinkedInPostBody,
  type LinkedInPostElement,
  type LinkedInVisibility,
  linkedInPostUrl,
  RESTLI_PROTOCOL_VERSION,
} from './api-types.js';
import { classifyLinkedInAnswer } from './classify.js';
import type { LinkedInCredentials } from './credentials.js';

/** How many of the author's posts `find` reads per page (the finder's maximum). */
const FIND_COUNT = 100;

/** Thumbnail types LinkedIn's Images API takes. */
export const LINKEDIN_IMAGE_TYPES: readonly string[] = ['image/jpeg', 'image/png', 'image/gif'];
/**
 * LinkedIn takes images up to about 36 MB, but an og:image past 5 MB (X's cap too) is not worth the download
 * and upload time inside a publish job: it is left out.
 */
export const LINKEDIN_IMAGE_MAX_BYTES = 5 * 1024 * 1024;

export interface LinkedInAdapterArgs {
  account: string;
  credentials: LinkedInCredentials;
  options: AdapterOptions;
  /** Optional: the account's configured visibility (default PUBLIC; organizations accept PUBLIC only). */
  visibility?: LinkedInVisibility;
  /**
   * Told when the article image is left out (download, initializeUpload or upload failed); the post goes out
   * without a thumbnail.
   */
  onImageSkipped?: (reason: string, post: Post) => void;
}

/** The body of `POST /rest/posts` for a composed post; `post.text` is already escaped little text. */
export function linkedInPostBody(
  post: Post,
  author: string,
  visibility: LinkedInVisibility,
  /** urn:li:image:… uploaded through the Images API. */
  thumbnail?: string,
): LinkedInPostBody {
  const { title, description } = post.article;
  const article: LinkedInArticleContent = {
    source: post.link,
    title,
    ...(description ? { description } : {}),
    ...(thumbnail ? { thumbnail } : {}),
  };
  return {
    author,
    commentary: post.text,
    visibility,
    distribution: { feedDistribution: 'MAIN_FEED', targetEntities: [], thirdPartyDistributionChannels: [] },
    lifecycleState: 'PUBLISHED',
    isReshareDisabledByAuthor: false,
    content: { article },
  };
}

/** What every operation of one account works with. */
interface LinkedInAccount {
  readonly http: PlatformHttp;
  readonly args: LinkedInAdapterArgs;
  readonly credentials: LinkedInCredentials;
  readonly visibility: LinkedInVisibility;
}

export function createLinkedInAdapter(args: LinkedInAdapterArgs): PlatformAdapter {
  const { account, credentials, options } = args;
  const http = createPlatformHttp({
    platform: 'linkedin',
    baseUrl: options.baseUrl,
    timeoutMs: options.timeoutMs,
    headers: {
      Authorization: `Bearer ${credentials.accessToken}`,
      'LinkedIn-Version': credentials.version,
      'X-Restli-Protocol-Version': RESTLI_PROTOCOL_VERSION,
    },
    classify: (answer, operation) => classifyLinkedInAnswer(answer, operation, credentials.author),
    secrets: () => [credentials.accessToken],
  });
  const la: LinkedInAccount = { http, args, credentials, visibility: args.visibility ?? 'PUBLIC' };
  return {
    platform: 'linkedin',
    account,
    publish: (post) => publish(la, post),
    find: (post, opts) => find(la, post, opts),
    delete: (postId) => remove(la, postId),
  };
}

/**
 * The author's posts, newest created first, page by page back to `since` (src/platforms/lookup.ts). Reading
 * them needs r_member_social (members) or r_organization_social: without it LinkedIn answers 403, which is
 * thrown (classified) like any refusal, so the post stays unconfirmed rather than being sent blind.
 */
async function find(la: LinkedInAccount, post: Post, opts: FindOptions = {}): Promise<PublishedRef | null> {
  // Compared without tracking parameters: the same article may have been sent with other UTM values.
  const wanted = new Set([post.link, post.article.url].map(canonicalKey));
  const author = encodeURIComponent(la.credentials.author);
  const { hit } = await pageBack<LinkedInPostElement>({
    platform: 'linkedin',
    since: opts.since,
    async page(cursor) {
      const start = Number(cursor ?? 0);
      const res = await la.http.request({
        operation: 'read',
        method: 'GET',
        url: `/rest/posts?q=author&author=${author}&count=${FIND_COUNT}&start=${start}&sortBy=CREATED`,
        headers: { 'X-RestLi-Method': 'FINDER' },
      });
      const items = (res.body as Partial<LinkedInFinderResponse> | undefined)?.elements ?? [];
      return { items, next: items.length === FIND_COUNT ? String(start + items.length) : undefined };
    },
    createdAt: (e) => (typeof e.createdAt === 'number' ? e.createdAt : undefined),
    matches: (e) => {
      const source = e.content?.article?.source;
      return typeof source === 'string' && wanted.has(canonicalKey(source));
    },
  });
  return hit ? { postId: hit.id, url: linkedInPostUrl(hit.id) } : null;
}

/**
 * The article image as a LinkedIn thumbnail: download it, `initializeUpload` an image owned by the author,
 * PUT the bytes to the upload URL. Any failure leaves the thumbnail out (and says why); an auth failure here
 * shows again, classified, on the post request that follows.
 */
async function thumbnail(la: LinkedInAccount, post: Post): Promise<string | undefined> {
  const url = post.article.image;
  if (!url) return undefined;
  const { options } = la.args;
  const got = await downloadImage(url, {
    timeoutMs: options.timeoutMs,
    maxBytes: LINKEDIN_IMAGE_MAX_BYTES,
    types: LINKEDIN_IMAGE_TYPES,
    platform: 'LinkedIn',
    policy: options.fetchPolicy,
  });
  let uploaded: { image: string } | { skipped: string };
  if (!got.ok) uploaded = { skipped: got.reason };
  else {
    try {
      uploaded = await uploadThumbnail(la, got.image);
    } catch (err) {
      uploaded = { skipped: `image upload failed: ${err instanceof Error ? err.message : String(err)}` };
    }
  }
  if ('image' in uploaded) return uploaded.image;
  try {
    la.args.onImageSkipped?.(uploaded.skipped, post);
  } catch {
    // Reporting the skip must not stop the post.
  }
  return undefined;
}

/** `initializeUpload` an image owned by the author, then PUT the bytes: its URN, or why it was skipped. */
async function uploadThumbnail(
  la: LinkedInAccount,
  image: DownloadedImage,
): Promise<{ image: string } | { skipped: string }> {
  const { http, credentials } = la;
  const request: LinkedInInitializeUploadRequest = {
    initializeUploadRequest: { owner: credentials.author },
  };
  const init = await http.request({
    operation: 'upload',
    method: 'POST',
    url: '/rest/images?action=initializeUpload',
    data: request,
  });
  const value = (init.body as Partial<LinkedInInitializeUploadResponse> | undefined)?.value;
  const urn = value?.image;
  const uploadUrl = value?.uploadUrl;
  if (typeof urn !== 'string' || !urn.startsWith('urn:li:image:') || typeof uploadUrl !== 'string')
    return { skipped: 'image upload failed: initializeUpload answered without an image URN and upload URL' };
  // The access token goes with the bytes: only ever over HTTPS.
  if (!URL.canParse(uploadUrl) || new URL(uploadUrl).protocol !== 'https:')
    return { skipped: 'image upload failed: initializeUpload gave an upload URL that is not HTTPS' };
  await http.request({
    operation: 'upload',
    method: 'PUT',
    url: uploadUrl,
    data: image.bytes,
    // The access token goes with the bytes, and nothing else of the REST gateway's headers.
    headers: { Authorization: `Bearer ${credentials.accessToken}`, 'Content-Type': image.type },
    ownHeadersOnly: true,
    maxBodyLength: LINKEDIN_IMAGE_MAX_BYTES + 1,
  });
  return { image: urn };
}

async function publish(la: LinkedInAccount, post: Post): Promise<PublishedRef> {
  const image = await thumbnail(la, post);
  try {
    const res = await la.http.request({
      operation: 'create',
      method: 'POST',
      url: '/rest/posts',
      data: linkedInPostBody(post, la.credentials.author, la.visibility, image),
    });
    const urn = res.headers['x-restli-id'] || undefined;
    if (urn) return { postId: urn, url: linkedInPostUrl(urn) };
    // Created, but the id header is missing: look the post up rather than report a success without an id.
    const found = await find(la, post).catch(() => null);
    if (found) return found;
    throw new PlatformFailure({
      kind: 'unconfirmed',
      platform: 'linkedin',
      status: res.status,
      message: `LinkedIn answered ${res.status} without an x-restli-id header and the post could not be found`,
    });
  } catch (err) {
    if (isPlatformFailure(err) && err.kind === 'duplicate' && !err.existing) {
      const existing = await find(la, post).catch(() => null);
      if (existing) throw new PlatformFailure({ ...err.toInit(), existing });
    }
    throw err;
  }
}

/**
 * DELETE /rest/posts/{encoded urn}: 204 whether this request deleted it or an earlier one did (LinkedIn does not
 * tell them apart); a URN LinkedIn does not know (404) is already gone.
 */
async function remove(la: LinkedInAccount, postId: string): Promise<DeleteResult> {
  try {
    await la.http.request({
      operation: 'delete',
      method: 'DELETE',
      url: `/rest/posts/${encodeURIComponent(postId)}`,
    });
    return { postId, outcome: 'deleted' };
  } catch (err) {
    if (isPlatformFailure(err) && err.status === 404) return { postId, outcome: 'already-gone' };
    throw err;
  }
}
