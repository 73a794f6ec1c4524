import type { FakeResponse } from '../fake/server.js';

/** Error bodies exactly as X v2 sends them (facts sheet §1 "Errors"). */

export type ProblemHost = 'api.twitter.com' | 'api.x.com';

export function problemType(host: ProblemHost, name: string): string {
  return `https://${host}/2/problems/${name}`;
}

export function json(status: number, body: unknown, headers: Record<string, string> = {}): FakeResponse {
  return { status, headers, body };
}

export const unauthorized = (): FakeResponse =>
  json(401, { title: 'Unauthorized', type: 'about:blank', status: 401, detail: 'Unauthorized' });

export const duplicateContent = (): FakeResponse =>
  json(403, {
    detail: 'You are not allowed to create a Tweet with duplicate content.',
    type: 'about:blank',
    title: 'Forbidden',
    status: 403,
  });

export const replyParentNotVisible = (): FakeResponse =>
  json(403, {
    detail: 'You attempted to reply to a Tweet that is deleted or not visible to you.',
    type: 'about:blank',
    title: 'Forbidden',
    status: 403,
  });

export const tooManyRequests = (headers: Record<string, string> = {}): FakeResponse =>
  json(
    429,
    { title: 'Too Many Requests', detail: 'Too Many Requests', type: 'about:blank', status: 429 },
    headers,
  );

export const oauth1Permissions = (host: ProblemHost): FakeResponse =>
  json(403, {
    title: 'Forbidden',
    detail:
      'Your client app is not configured with the appropriate oauth1 app permissions for this endpoint.',
    type: problemType(host, 'oauth1-permissions'),
    status: 403,
  });

export const clientNotEnrolled = (host: ProblemHost, clientId: string): FakeResponse =>
  json(403, {
    client_id: clientId,
    detail:
      'When authenticating requests to the Twitter API v2 endpoints, you must use keys and tokens from a Twitter developer App that is attached to a Project. You can create a project via the developer portal.',
    registration_url: 'https://developer.twitter.com/en/docs/projects/overview',
    title: 'Client Forbidden',
    required_enrollment: 'Appropriate Level of API Access',
    reason: 'client-not-enrolled',
    type: problemType(host, 'client-forbidden'),
  });

export const unsupportedAuthentication = (host: ProblemHost): FakeResponse =>
  json(403, {
    title: 'Unsupported Authentication',
    detail:
      'Authenticating with OAuth 2.0 Application-Only is forbidden for this endpoint.  Supported authentication types are [OAuth 1.0a User Context, OAuth 2.0 User Context].',
    type: problemType(host, 'unsupported-authentication'),
    status: 403,
  });

export const creditsDepleted = (): FakeResponse =>
  json(402, {
    detail: 'credits depleted',
    status: 402,
    title: 'Payment Required',
    type: 'https://api.x.com/2/problems/credits-depleted',
  });

export interface ParamError {
  message: string;
  parameters?: Record<string, string[]>;
}

export const invalidRequest = (host: ProblemHost, errors: ParamError[], status = 400): FakeResponse =>
  json(status, {
    errors: errors.map((e) => ({ parameters: e.parameters ?? {}, message: e.message })),
    title: 'Invalid Request',
    detail: 'One or more parameters to your request was invalid.',
    type: problemType(host, 'invalid-request'),
  });

export const TOO_LONG_MESSAGE =
  'Your Tweet text is too long. For more information on how Twitter determines text length see https://github.com/twitter/twitter-text.';

export const notFound = (): FakeResponse =>
  json(404, { errors: [{ message: 'Sorry, that page does not exist', code: 34 }] });

/** OAuth 2.0 token endpoint errors (RFC 6749 §5.2 shape, X's wording). */
export const oauthError = (status: number, error: string, description: string): FakeResponse =>
  json(status, { error, error_description: description });

/**
 * DELETE /2/tweets/:id of another user's post. X answers 403 with an about:blank problem (wording unconfirmed).
 */
export const notYourTweet = (): FakeResponse =>
  json(403, {
    detail: 'You are not allowed to delete this Tweet.',
    type: 'about:blank',
    title: 'Forbidden',
    status: 403,
  });

/** A post X does not know (or no longer has), in X's resource-not-found problem shape. */
export const tweetNotFound = (host: ProblemHost, id: string, status = 404): FakeResponse =>
  json(status, {
    errors: [
      {
        value: id,
        detail: `Could not find tweet with id: [${id}].`,
        title: 'Not Found Error',
        resource_type: 'tweet',
        parameter: 'id',
        resource_id: id,
        type: problemType(host, 'resource-not-found'),
      },
    ],
    title: 'Not Found Error',
    detail: `Could not find tweet with id: [${id}].`,
    type: problemType(host, 'resource-not-found'),
  });
