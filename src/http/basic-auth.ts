import { createHash, timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import type { Logger } from 'pino';

export interface AdminCredentials {
  user: string;
  password: string;
}

export const ADMIN_USER_VAR = 'CRIER_ADMIN_USER';
export const ADMIN_PASSWORD_VAR = 'CRIER_ADMIN_PASSWORD';
const REALM = 'Crier admin';

/** The dashboard credentials, or undefined when either variable is unset or empty (dashboard refused). */
export function adminCredentials(env: Record<string, string | undefined>): AdminCredentials | undefined {
  const user = env[ADMIN_USER_VAR];
  const password = env[ADMIN_PASSWORD_VAR];
  return user && password ? { user, password } : undefined;
}

/** Reads an `Authorization: Basic ...` header; undefined when absent or malformed. */
export function parseBasicAuth(header: string | undefined): AdminCredentials | undefined {
  const m = /^Basic +([A-Za-z0-9+/]+=*) *$/i.exec(header ?? '');
  if (!m) return undefined;
  const decoded = Buffer.from(m[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  return { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

/** Compares in time independent of where the strings differ, and of their lengths (both are hashed first). */
export function safeEqual(a: string, b: string): boolean {
  const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest();
  return timingSafeEqual(digest(a), digest(b));
}

/** Express middleware: 401 with a Basic challenge unless the request carries exactly these credentials. */
export function requireBasicAuth(expected: AdminCredentials, logger: Logger): RequestHandler {
  return (req, res, next) => {
    const given = parseBasicAuth(req.headers.authorization);
    // Both comparisons always run, so the time taken does not tell whether the user name was right.
    const userOk = safeEqual(given?.user ?? '', expected.user);
    const passwordOk = safeEqual(given?.password ?? '', expected.password);
    if (given && userOk && passwordOk) return next();
    if (given) logger.warn({ path: req.originalUrl, ip: req.ip }, 'admin dashboard: wrong credentials');
    res
      .status(401)
      .set('WWW-Authenticate', `Basic realm="${REALM}", charset="UTF-8"`)
      .type('text/plain')
      .send('Authentication required.\n');
  };
}
