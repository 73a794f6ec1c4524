import axios, { type AxiosInstance, type AxiosResponse, isAxiosError } from 'axios';
import { canonicalKey } from '../../articles/article.js';
import type { LinkedInCredentials } from '../../config/credentials.js';
import type { Post } from '../../summaries/post.js';
import type { AdapterOptions, PlatformAdapter } from '../adapter.js';
import { isPlatformFailure, PlatformFailure, type PublishedRef } from '../failure.js';
import {
  type LinkedInFinderResponse,
  type LinkedInPostBody,
  type LinkedInVisibility,
  linkedInPostUrl,
  RESTLI_PROTOCOL_VERSION,
} from './api-types.js';
import { classifyLinkedIn, type LinkedInCallOutcome } from './classify.js';

/** How many of the author's latest posts `find` looks through. */
const FIND_COUNT = 20;

export interface LinkedInAdapterArgs {
  account: string;
  credentials: LinkedInCredentials;
  options: AdapterOptions;
  /** Optional: the account's configured visibility (default PUBLIC; organizations accept PUBLIC only). */
  visibility?: LinkedInVisibility;
}

/** The body of `POST /rest/posts` for a composed post; `post.text` is already escaped little text. */
export function linkedInPostBody(
  post: Post,
  author: string,
  visibility: LinkedInVisibility,
): LinkedInPostBody {
  const { title, description } = post.article;
  return {
    author,
    commentary: post.text,
    visibility,
    distribution: { feedDistribution: 'MAIN_FEED', targetEntities: [], thirdPartyDistributionChannels: [] },
    lifecycleState: 'PUBLISHED',
    isReshareDisabledByAuthor: false,
    content: { article: { source: post.link, title, ...(description ? { description } : {}) } },
  };
}

export function createLinkedInAdapter(args: LinkedInAdapterArgs): PlatformAdapter {
  const { account, credentials, options } = args;
  const visibility = args.visibility ?? 'PUBLIC';
  const http: AxiosInstance = axios.create({
    baseURL: options.baseUrl,
    timeout: options.timeoutMs,
    // Every status comes back as a response; `fail` classifies the non-2xx ones.
    validateStatus: () => true,
    maxRedirects: 0,
    headers: {
      Authorization: `Bearer ${credentials.accessToken}`,
      'LinkedIn-Version': credentials.version,
      'X-Restli-Protocol-Version': RESTLI_PROTOCOL_VERSION,
    },
  });

  /** One request with a wall-clock deadline (axios' own `timeout` only watches socket inactivity). */
  async function call(
    operation: LinkedInCallOutcome['operation'],
    send: (signal: AbortSignal) => Promise<AxiosResponse>,
  ): Promise<AxiosResponse> {
    const deadline = new AbortController();
    const timer = setTimeout(() => deadline.abort(), options.timeoutMs);
    try {
      const res = await send(deadline.signal);
      if (res.status >= 200 && res.status < 300) return res;
      throw fail(operation, {
        status: res.status,
        body: res.data,
        serverDate: headerString(res.headers.date),
      });
    } catch (err) {
      if (isPlatformFailure(err)) throw err;
      const networkCode = deadline.signal.aborted ? 'ETIMEDOUT' : isAxiosError(err) ? err.code : undefined;
      throw fail(operation, { networkCode, cause: err });
    } finally {
      clearTimeout(timer);
    }
  }

  function fail(
    operation: LinkedInCallOutcome['operation'],
    outcome: Omit<LinkedInCallOutcome, 'operation' | 'author' | 'now'>,
  ): PlatformFailure {
    return classifyLinkedIn({ ...outcome, operation, author: credentials.author, now: new Date() });
  }

  async function find(post: Post): Promise<PublishedRef | null> {
    // Compared without tracking parameters: the same article may have been sent with other UTM values.
    const wanted = new Set([post.link, post.article.url].map(canonicalKey));
    let res: AxiosResponse;
    try {
      res = await call('read', (signal) =>
        http.get(
          `/rest/posts?q=author&author=${encodeURIComponent(credentials.author)}&count=${FIND_COUNT}`,
          { headers: { 'X-RestLi-Method': 'FINDER' }, signal },
        ),
      );
    } catch (err) {
      // Reading a member's posts needs r_member_social, which LinkedIn rarely grants. Without it nothing can be
      // looked up; LinkedIn's own duplicate check (422 DUPLICATE_POST) still stops a second copy.
      if (isPlatformFailure(err) && err.status === 403) return null;
      throw err;
    }
    const elements = (res.data as Partial<LinkedInFinderResponse> | undefined)?.elements ?? [];
    const hit = elements.find((e) => {
      const source = e.content?.article?.source;
      return typeof source === 'string' && wanted.has(canonicalKey(source));
    });
    return hit ? { postId: hit.id, url: linkedInPostUrl(hit.id) } : null;
  }

  async function publish(post: Post): Promise<PublishedRef> {
    try {
      const res = await call('create', (signal) =>
        http.post('/rest/posts', linkedInPostBody(post, credentials.author, visibility), { signal }),
      );
      const urn = headerString(res.headers['x-restli-id']);
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
        if (existing) {
          const { message, status, code } = err;
          throw new PlatformFailure({
            kind: 'duplicate',
            platform: 'linkedin',
            message,
            status,
            code,
            existing,
          });
        }
      }
      throw err;
    }
  }

  return { platform: 'linkedin', account, publish, find };
}

function headerString(v: unknown): string | undefined {
  if (Array.isArray(v)) return headerString(v[0]);
  return typeof v === 'string' && v ? v : undefined;
}
