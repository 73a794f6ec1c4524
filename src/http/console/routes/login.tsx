import { randomBytes } from 'node:crypto';
import type { Request, Response, Router } from 'express';
import type { AppContext } from '../../../context.js';
import { credentialsMatch, type LoginThrottle, type OperatorCredentials } from '../auth.js';
import { foreignOrigin } from '../csrf.js';
import { safeNext, sendPage } from '../render.js';
import {
  KNOWN_BROWSER_COOKIE,
  LOGIN_COOKIE,
  readCookie,
  SESSION_COOKIE,
  type SessionStore,
} from '../session.js';
import { LoginPage } from '../views/login.js';

/** What logging in and out works with. */
export interface LoginDeps {
  credentials: OperatorCredentials;
  sessions: SessionStore;
  throttle: LoginThrottle;
}

type LoginFormExtra = { error?: string; user?: string; next?: string };

/** How long a browser is remembered as one the operator logged in from (spared the user name's lock-out). */
const KNOWN_BROWSER_DAYS = 90;

/** The console's cookies: HttpOnly, SameSite=Strict, Secure over HTTPS. */
export const cookieOptions = (req: Request) => ({
  httpOnly: true,
  sameSite: 'strict' as const,
  secure: req.secure,
  path: '/',
});

/** The log-in form carries a token bound to a cookie of its own (no log-in forged from another site). */
function loginForm(
  sessions: SessionStore,
  req: Request,
  res: Response,
  status: number,
  extra: LoginFormExtra = {},
) {
  let nonce = readCookie(req.headers.cookie, LOGIN_COOKIE);
  if (!nonce || !/^[A-Za-z0-9_-]{16,64}$/.test(nonce)) {
    nonce = randomBytes(24).toString('base64url');
    res.cookie(LOGIN_COOKIE, nonce, cookieOptions(req));
  }
  sendPage(res, status, <LoginPage csrf={sessions.sign(`login:${nonce}`)} {...extra} />);
}

/** `GET /login` and `POST /login`, the two paths served without a session. */
export function loginRoutes(r: Router, ctx: AppContext, deps: LoginDeps): void {
  r.get('/login', async (req, res) => {
    const session = await deps.sessions.fromCookie(readCookie(req.headers.cookie, SESSION_COOKIE));
    if (session) return void res.redirect(303, safeNext(req.query.next));
    loginForm(deps.sessions, req, res, 200, { next: safeNext(req.query.next) });
  });
  r.post('/login', (req, res) => logIn(ctx, deps, req, res));
}

/** A log-in: refused when forged, locked out or wrong; else a session cookie and back to `next`. */
async function logIn(ctx: AppContext, deps: LoginDeps, req: Request, res: Response): Promise<void> {
  const { credentials, sessions, throttle } = deps;
  const body = (req.body ?? {}) as Record<string, unknown>;
  const user = typeof body.user === 'string' ? body.user : '';
  const password = typeof body.password === 'string' ? body.password : '';
  const next = safeNext(body.next);
  const nonce = readCookie(req.headers.cookie, LOGIN_COOKIE);
  const forged =
    foreignOrigin(req) !== undefined ||
    !nonce ||
    typeof body._csrf !== 'string' ||
    sessions.verify(`login:${nonce}.${body._csrf}`) === undefined;
  if (forged)
    return loginForm(sessions, req, res, 403, {
      error: 'The log-in form is out of date: please try again.',
      user,
      next,
    });
  const ip = req.ip ?? 'unknown';
  const knownBrowser = sessions.isKnownBrowser(readCookie(req.headers.cookie, KNOWN_BROWSER_COOKIE), user);
  const wait = await throttle.attempt(ip, user, { knownBrowser });
  if (wait > 0) {
    const minutes = Math.ceil(wait / 60_000);
    res.set('Retry-After', String(Math.ceil(wait / 1000)));
    ctx.logger.warn({ ip, event: 'console-login-locked' }, 'console log-in refused: too many failures');
    return loginForm(sessions, req, res, 429, {
      error: `Too many failed log-ins: try again in ${minutes} minute${minutes === 1 ? '' : 's'}.`,
      user,
      next,
    });
  }
  if (!credentialsMatch(credentials, user, password)) {
    ctx.logger.warn({ ip, event: 'console-login-failed' }, 'console log-in failed');
    return loginForm(sessions, req, res, 401, { error: 'Wrong user name or password.', user, next });
  }
  await throttle.succeeded(ip, user);
  const session = await sessions.create(user);
  res.clearCookie(LOGIN_COOKIE, cookieOptions(req));
  res.cookie(SESSION_COOKIE, sessions.cookieValue(session), cookieOptions(req));
  if (!knownBrowser)
    res.cookie(KNOWN_BROWSER_COOKIE, sessions.knownBrowserValue(user), {
      ...cookieOptions(req),
      maxAge: KNOWN_BROWSER_DAYS * 86_400_000,
    });
  ctx.logger.info({ ip, event: 'console-login' }, 'console log-in');
  res.redirect(303, next);
}
