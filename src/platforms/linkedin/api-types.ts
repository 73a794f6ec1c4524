/**
 * Wire shapes of the LinkedIn Posts API (versioned `/rest/posts`, Rest.li protocol 2.0.0), shared by the
 * adapter and the fake. Facts: /work/shared/docs/platform-apis.md §3.
 */

export type LinkedInVisibility = 'PUBLIC' | 'CONNECTIONS' | 'LOGGED_IN';

export interface LinkedInArticleContent {
  source: string;
  title: string;
  description?: string;
  /** urn:li:image:… (uploaded through the Images API; LinkedIn does not scrape the link). */
  thumbnail?: string;
}

/** Body of `POST /rest/posts`. */
export interface LinkedInPostBody {
  author: string;
  /** Little-text commentary: reserved characters already escaped with `\`. */
  commentary: string;
  visibility: LinkedInVisibility;
  distribution: {
    feedDistribution: 'MAIN_FEED' | 'NONE';
    targetEntities: unknown[];
    thirdPartyDistributionChannels: unknown[];
  };
  lifecycleState: 'PUBLISHED' | 'DRAFT';
  isReshareDisabledByAuthor: boolean;
  content?: { article: LinkedInArticleContent };
}

/** One element of the `q=author` finder answer. */
export interface LinkedInPostElement extends LinkedInPostBody {
  /** urn:li:share:… or urn:li:ugcPost:… */
  id: string;
  createdAt: number;
  publishedAt: number;
  lastModifiedAt: number;
}

export interface LinkedInFinderResponse {
  paging: { start: number; count: number; links: unknown[]; total?: number };
  elements: LinkedInPostElement[];
}

/** Body of `POST /rest/images?action=initializeUpload` (Images API; same headers as /rest/posts). */
export interface LinkedInInitializeUploadRequest {
  initializeUploadRequest: { owner: string };
}

/** Its 200 answer: PUT the bytes to `uploadUrl` (Bearer token), then use `image` as the article thumbnail. */
export interface LinkedInInitializeUploadResponse {
  value: {
    /** epoch ms */
    uploadUrlExpiresAt: number;
    uploadUrl: string;
    /** urn:li:image:… */
    image: string;
  };
}

export type LinkedInImageStatus = 'WAITING_UPLOAD' | 'PROCESSING' | 'AVAILABLE' | 'PROCESSING_FAILED';

/** `GET /rest/images/{encoded urn}`. */
export interface LinkedInImage {
  id: string;
  owner: string;
  status: LinkedInImageStatus;
  downloadUrl?: string;
  downloadUrlExpiresAt?: number;
}

export interface LinkedInInputError {
  description?: string;
  input?: unknown;
  code?: string;
}

/** Error body: `{status, serviceErrorCode, code, message}`, 422 duplicates add `errorDetails.inputErrors`. */
export interface LinkedInErrorBody {
  status?: number;
  serviceErrorCode?: number;
  code?: string;
  message?: string;
  errorDetailType?: string;
  errorDetails?: { inputErrors?: LinkedInInputError[] };
}

/** Success of `POST /oauth/v2/accessToken`. */
export interface LinkedInTokenResponse {
  access_token: string;
  /** seconds (60 days for a new access token) */
  expires_in: number;
  refresh_token?: string;
  /** seconds left of the refresh token's fixed 365-day life */
  refresh_token_expires_in?: number;
  scope: string;
}

export const RESTLI_PROTOCOL_VERSION = '2.0.0';

/** The public page of a post. */
export function linkedInPostUrl(urn: string): string {
  return `https://www.linkedin.com/feed/update/${urn}`;
}
