import type { FakeResponse } from '../fake/server.js';
import type { LinkedInErrorBody } from './api-types.js';

/** LinkedIn-shaped answers of the fake (bodies from the facts sheet §3). */

export function liError(
  status: number,
  code: string | undefined,
  message: string,
  serviceErrorCode?: number,
  headers: Record<string, string> = {},
): FakeResponse {
  const body: LinkedInErrorBody = { status, message };
  if (serviceErrorCode !== undefined) body.serviceErrorCode = serviceErrorCode;
  if (code) body.code = code;
  return { status, headers, body };
}

export const emptyToken = (): FakeResponse =>
  // serviceErrorCode of a missing token is not in the facts sheet: 65604 is a guess.
  liError(401, 'EMPTY_ACCESS_TOKEN', 'Empty oauth2 access token', 65604);

export const invalidToken = (): FakeResponse =>
  liError(401, 'INVALID_ACCESS_TOKEN', 'Invalid access token', 65600);

export const revokedToken = (): FakeResponse =>
  liError(401, 'REVOKED_ACCESS_TOKEN', 'The token used in the request has been revoked by the user', 65601);

export const expiredToken = (): FakeResponse =>
  liError(401, 'EXPIRED_ACCESS_TOKEN', 'The token used in the request has expired', 65602);

export const versionMissing = (): FakeResponse =>
  liError(
    400,
    'VERSION_MISSING',
    'A version must be present. Please specify a version by adding the LinkedIn-Version header.',
    undefined,
    { 'X-Restli-Gateway-Error': 'true' },
  );

export const nonexistentVersion = (version: string): FakeResponse =>
  liError(426, 'NONEXISTENT_VERSION', `Requested version ${version} is not active`, undefined, {
    'X-Restli-Gateway-Error': 'true',
  });

export const illegalArgument = (message: string): FakeResponse =>
  liError(400, 'ILLEGAL_ARGUMENT', message, 100);

export const notConvertible = (): FakeResponse =>
  illegalArgument('Request body could not be converted to data map');

/**
 * `action` is e.g. CREATE or FINDER-author; LinkedIn names the resource with the version's first day. The
 * Images API's resource name (`partnerApiImages`) is the fake's guess.
 */
export const accessDenied = (
  action: string,
  version: string,
  resource = 'partnerApiPostsExternal',
): FakeResponse =>
  liError(403, 'ACCESS_DENIED', `Not enough permissions to access: ${resource}.${action}.${version}01`, 100);

/** 422 with one `ERROR :: /path :: reason` line per problem (Rest.li data validation). */
export function fieldErrors(lines: string[]): FakeResponse {
  return { status: 422, body: { message: lines.map((l) => `${l}\n`).join(''), status: 422 } };
}

export function duplicatePost(existing: string | undefined): FakeResponse {
  const tail = existing ? `Content is a duplicate of ${existing}` : 'Content is a duplicate';
  return {
    status: 422,
    body: {
      errorDetailType: 'com.linkedin.common.error.BadRequest',
      message: `ERROR :: /commentary :: ${tail}`,
      errorDetails: {
        inputErrors: [{ description: 'Duplicate post is detected', input: {}, code: 'DUPLICATE_POST' }],
      },
      status: 422,
    } satisfies LinkedInErrorBody,
  };
}

export type ThrottleScope = 'APPLICATION' | 'MEMBER';

/** No Retry-After or rate headers: the limit lasts until midnight UTC. */
export const throttled = (scope: ThrottleScope = 'APPLICATION'): FakeResponse =>
  liError(
    429,
    undefined,
    `Resource level throttle ${scope} DAY limit for calls to this resource is reached.`,
    101,
  );

export const serverError = (status = 500): FakeResponse =>
  liError(status, undefined, status === 503 ? 'Service Unavailable' : 'Internal Server Error');

/** A post URN LinkedIn never had (the body is the fake's guess: Rest.li's 404 shape). */
export const postNotFound = (urn: string): FakeResponse =>
  liError(404, 'NOT_FOUND', `Not Found: the entity ${urn} does not exist`, 100);

export const notFound = (method: string, path: string): FakeResponse =>
  liError(404, undefined, `No virtual resource found for ${method} ${path}`, 0);

/** OAuth errors use the OAuth 2.0 shape, not LinkedIn's. */
export const oauthError = (status: number, error: string, description: string): FakeResponse => ({
  status,
  body: { error, error_description: description },
});
