import { canonicalKey } from '../../articles/article.js';
import { isPlatformFailure, PlatformFailure, type PublishedRef } from '../../core/failure.js';
import type { Post } from '../../core/post.js';
import type { AdapterOptions, DeleteResult, PlatformAdapter } from '../adapter.js';
import { createPlatformHttp } from '../http.js';
import { downloadImage } from '../image.js';
import type { HttpAnswer } from '../verdict.js';
import {
  type LinkedInArticleContent,
  type LinkedInFinderResponse,
  type LinkedInInitializeUploadRequest,
  type LinkedInInitializeUploadResponse,
  type LinkedInPostBody,
  type LinkedInVisibility,
  linkedInPostUrl,
  RESTLI_PROTOCOL_VERSION,
} from './api-types.js';
import { classifyLinkedInAnswer } from './classify.js';
import type { LinkedInCredentials } from './credentials.js';

/** How many of the author's latest posts `find` looks through. */
const FIND_COUNT = 20;

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

export function createLinkedInAdapter(args: LinkedInAdapterArgs): PlatformAdapter {
  const { account, credentials, options } = args;
  const visibility = args.visibility ?? 'PUBLIC';
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

  async function find(post: Post): Promise<PublishedRef | null> {
    // Compared without tracking parameters: the same article may have been sent with other UTM values.
    const wanted = new Set([post.link, post.article.url].map(canonicalKey));
    let res: HttpAnswer;
    try {
      res = await http.request({
        operation: 'read',
        method: 'GET',
        url: `/rest/posts?q=author&author=${encodeURIComponent(credentials.author)}&count=${FIND_COUNT}`,
        headers: { 'X-RestLi-Method': 'FINDER' },
      });
    } catch (err) {
      // Reading a member's posts needs r_member_social, which LinkedIn rarely grants. Without it nothing can be
      // looked up; LinkedIn's own duplicate check (422 DUPLICATE_POST) still stops a second copy.
      if (isPlatformFailure(err) && err.status === 403) return null;
      throw err;
    }
    const elements = (res.body as Partial<LinkedInFinderResponse> | undefined)?.elements ?? [];
    const hit = elements.find((e) => {
      const source = e.content?.article?.source;
      return typeof source === 'string' && wanted.has(canonicalKey(source));
    });
    return hit ? { postId: hit.id, url: linkedInPostUrl(hit.id) } : null;
  }

  /**
   * The article image as a LinkedIn thumbnail: download it, `initializeUpload` an image owned by the author,
   * PUT the bytes to the upload URL. Any failure leaves the thumbnail out (and says why); an auth failure here
   * shows again, classified, on the post request that follows.
   */
  async function thumbnail(post: Post): Promise<string | undefined> {
    const url = post.article.image;
    if (!url) return undefined;
    const skip = (reason: string) => {
      try {
        args.onImageSkipped?.(reason, post);
      } catch {
        // Reporting the skip must not stop the post.
      }
      return undefined;
    };
    const got = await downloadImage(url, {
      timeoutMs: options.timeoutMs,
      maxBytes: LINKEDIN_IMAGE_MAX_BYTES,
      types: LINKEDIN_IMAGE_TYPES,
      platform: 'LinkedIn',
      policy: options.fetchPolicy,
    });
    if (!got.ok) return skip(got.reason);
    try {
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
      const image = value?.image;
      const uploadUrl = value?.uploadUrl;
      if (typeof image !== 'string' || !image.startsWith('urn:li:image:') || typeof uploadUrl !== 'string')
        return skip('image upload failed: initializeUpload answered without an image URN and upload URL');
      // The access token goes with the bytes: only ever over HTTPS.
      if (!URL.canParse(uploadUrl) || new URL(uploadUrl).protocol !== 'https:')
        return skip('image upload failed: initializeUpload gave an upload URL that is not HTTPS');
      await http.request({
        operation: 'upload',
        method: 'PUT',
        url: uploadUrl,
        data: got.image.bytes,
        // The access token goes with the bytes, and nothing else of the REST gateway's headers.
        headers: { Authorization: `Bearer ${credentials.accessToken}`, 'Content-Type': got.image.type },
        ownHeadersOnly: true,
        maxBodyLength: LINKEDIN_IMAGE_MAX_BYTES + 1,
      });
      return image;
    } catch (err) {
      return skip(`image upload failed: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  async function publish(post: Post): Promise<PublishedRef> {
    const image = await thumbnail(post);
    try {
      const res = await http.request({
        operation: 'create',
        method: 'POST',
        url: '/rest/posts',
        data: linkedInPostBody(post, credentials.author, visibility, image),
      });
      const urn = res.headers['x-restli-id'] || undefined;
      if (urn) return { postId: urn, url: linkedInPostUrl(urn) };
      // Created, but the id header is missing: look the post up rather than report a success without an id.
      const found = await find(post).catch(() => null);
      if (found) return found;
      throw new PlatformFailure({
        kind: 'unconfirmed',
        platform: 'linkedin',
        status: res.status,
        message: `LinkedIn answered ${res.status} without an x-restli-id header and the post could not be found`,
      });
    } catch (err) {
      if (isPlatformFailure(err) && err.kind === 'duplicate' && !err.existing) {
        const existing = await find(post).catch(() => null);
        if (existing) throw new PlatformFailure({ ...err.toInit(), existing });
      }
      throw err;
    }
  }

  /**
   * DELETE /rest/posts/{encoded urn}: 204 whether this request deleted it or an earlier one did (LinkedIn does not
   * tell them apart); a URN LinkedIn does not know (404) is already gone.
   */
  async function remove(postId: string): Promise<DeleteResult> {
    try {
      await http.request({
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

  return { platform: 'linkedin', account, publish, find, delete: remove };
}
