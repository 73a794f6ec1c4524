import type { Request } from 'express';
import { tokensEqual } from './session.js';

/**
 * The Origin of a request when it is another site's (or opaque). Hosts are compared, not schemes: behind a
 * TLS proxy the browser says https while the console may see http.
 */
export function foreignOrigin(req: Request): string | undefined {
  const origin = req.get('origin');
  if (origin === undefined) return undefined;
  try {
    return new URL(origin).host === req.get('host') ? undefined : origin;
  } catch {
    return origin; // "null" (opaque) or garbage
  }
}

/** Why a change request is refused as possibly forged, or undefined when it carries the session's token. */
export function csrfProblem(req: Request, expected: string): string | undefined {
  const origin = foreignOrigin(req);
  if (origin !== undefined) return `a request from another site (${origin}) cannot change anything here`;
  const body = req.body as Record<string, unknown> | undefined;
  const given = typeof body?._csrf === 'string' ? body._csrf : req.get('x-csrf-token');
  if (!tokensEqual(given, expected))
    return 'the form is missing its security token or it is out of date: reload the page and try again';
  return undefined;
}
