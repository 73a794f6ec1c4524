import { randomBytes } from 'node:crypto';
import express, {
  type ErrorRequestHandler,
  type Express,
  type Request,
  type RequestHandler,
  type Response,
} from 'express';
import type { AppContext } from '../../context.js';
import { consoleAssets } from './assets.js';
import {
  credentialsMatch,
  DEFAULT_THROTTLE,
  LoginThrottle,
  OPERATOR_PASSWORD_VAR,
  OPERATOR_USER_VAR,
  operatorCredentials,
  type ThrottleLimits,
} from './auth.js';
import { csrfProblem, foreignOrigin } from './csrf.js';
import { safeNext, sendPage } from './render.js';
import { consoleRoutes } from './routes.js';
import { securityHeaders } from './security.js';
import {
  DEFAULT_SESSION_TIMES,
  type Flash,
  LOGIN_COOKIE,
  readCookie,
  SESSION_COOKIE,
  type Session,
  SessionStore,
  type SessionTimes,
} from './session.js';
import { ErrorPage } from './views/layout.js';
import { LoginPage } from './views/login.js';
import { previewStyles } from './views/previews.js';

export interface ConsoleOptions {
  throttle?: ThrottleLimits;
  sessionTimes?: SessionTimes;
}

export const CONSOLE_DISABLED =
  `The newsroom console is disabled: set ${OPERATOR_USER_VAR} and ${OPERATOR_PASSWORD_VAR} in the environment ` +
  'to enable it (it is never served without a password).';

/** What a console request knows once its session is checked. */
export interface ConsoleLocals {
  session: Session;
  flash?: Flash;
}

export const sessionOf = (res: Response): ConsoleLocals => res.locals as ConsoleLocals;

/**
 * The newsroom console at `/`: log-in form, signed session cookie (HttpOnly, SameSite=Strict, Secure over
 * HTTPS), a CSRF token on every change, lock-out after repeated failures. Everything but the log-in page and
 * the static assets needs a session. Without CRIER_OPERATOR_USER / CRIER_OPERATOR_PASSWORD every console path
 * answers 503 and says what to set.
 */
export async function mountConsole(app: Express, ctx: AppContext, opts: ConsoleOptions = {}): Promise<void> {
  const router = express.Router();
  router.use(securityHeaders());
  router.use(consoleAssets(await previewStyles()));
  const credentials = operatorCredentials(ctx.env);
  if (!credentials) {
    router.use((_req, res) => {
      sendPage(res, 503, <LoginPage csrf="" disabled={CONSOLE_DISABLED} />);
    });
    app.use(router);
    return;
  }
  const sessions = await SessionStore.open(
    ctx.redis,
    ctx.settings.prefix,
    credentials,
    opts.sessionTimes ?? DEFAULT_SESSION_TIMES,
  );
  const throttle = new LoginThrottle(ctx.redis, ctx.settings.prefix, opts.throttle ?? DEFAULT_THROTTLE);
  router.use(express.urlencoded({ extended: false, limit: '64kb', parameterLimit: 50 }));

  const cookieOptions = (req: Request) => ({
    httpOnly: true,
    sameSite: 'strict' as const,
    secure: req.secure,
    path: '/',
  });

  /** The log-in form carries a token bound to a cookie of its own (no log-in forged from another site). */
  const loginForm = (
    req: Request,
    res: Response,
    status: number,
    extra: { error?: string; user?: string; next?: string } = {},
  ) => {
    let nonce = readCookie(req.headers.cookie, LOGIN_COOKIE);
    if (!nonce || !/^[A-Za-z0-9_-]{16,64}$/.test(nonce)) {
      nonce = randomBytes(24).toString('base64url');
      res.cookie(LOGIN_COOKIE, nonce, cookieOptions(req));
    }
    sendPage(res, status, <LoginPage csrf={sessions.sign(`login:${nonce}`)} {...extra} />);
  };

  router.get('/login', async (req, res) => {
    const session = await sessions.fromCookie(readCookie(req.headers.cookie, SESSION_COOKIE));
    if (session) return void res.redirect(303, safeNext(req.query.next));
    loginForm(req, res, 200, { next: safeNext(req.query.next) });
  });

  router.post('/login', async (req, res) => {
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
      return loginForm(req, res, 403, {
        error: 'The log-in form is out of date: please try again.',
        user,
        next,
      });
    const ip = req.ip ?? 'unknown';
    const wait = await throttle.lockedFor(ip, user);
    if (wait > 0) {
      const minutes = Math.ceil(wait / 60_000);
      res.set('Retry-After', String(Math.ceil(wait / 1000)));
      ctx.logger.warn({ ip, event: 'console-login-locked' }, 'console log-in refused: too many failures');
      return loginForm(req, res, 429, {
        error: `Too many failed log-ins: try again in ${minutes} minute${minutes === 1 ? '' : 's'}.`,
        user,
        next,
      });
    }
    if (!credentialsMatch(credentials, user, password)) {
      await throttle.failed(ip, user);
      ctx.logger.warn({ ip, event: 'console-login-failed' }, 'console log-in failed');
      return loginForm(req, res, 401, { error: 'Wrong user name or password.', user, next });
    }
    await throttle.succeeded(ip);
    const session = await sessions.create(user);
    res.clearCookie(LOGIN_COOKIE, cookieOptions(req));
    res.cookie(SESSION_COOKIE, sessions.cookieValue(session), cookieOptions(req));
    ctx.logger.info({ ip, event: 'console-login' }, 'console log-in');
    res.redirect(303, next);
  });

  /** Every other console path needs a session; every change also needs the session's CSRF token. */
  const requireSession: RequestHandler = async (req, res, next) => {
    const session = await sessions.fromCookie(readCookie(req.headers.cookie, SESSION_COOKIE));
    if (!session) {
      if (req.method === 'GET' || req.method === 'HEAD')
        return void res.redirect(303, `/login?next=${encodeURIComponent(safeNext(req.originalUrl))}`);
      return void sendPage(
        res,
        401,
        <ErrorPage
          status={401}
          message="You are not logged in (or your session ended): log in and try again."
        />,
      );
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      const problem = csrfProblem(req, session.csrf);
      if (problem) {
        ctx.logger.warn({ path: req.path, event: 'console-csrf-refused' }, 'console change refused: CSRF');
        return void sendPage(
          res,
          403,
          <ErrorPage status={403} user={session.user} csrf={session.csrf} message={problem} />,
        );
      }
    }
    const locals: ConsoleLocals = {
      session,
      flash: req.method === 'GET' ? await sessions.takeFlash(session.id) : undefined,
    };
    Object.assign(res.locals, locals);
    next();
  };
  router.use(requireSession);

  router.post('/logout', async (req, res) => {
    await sessions.destroy(sessionOf(res).session.id);
    res.clearCookie(SESSION_COOKIE, cookieOptions(req));
    res.redirect(303, '/login');
  });

  router.use(
    consoleRoutes(ctx, { flash: (res, flash) => sessions.setFlash(sessionOf(res).session.id, flash) }),
  );

  router.use((req, res) => {
    const { session } = sessionOf(res);
    sendPage(
      res,
      404,
      <ErrorPage status={404} user={session.user} csrf={session.csrf} message={`Nothing at ${req.path}.`} />,
    );
  });
  const onError: ErrorRequestHandler = (err, req, res, _next) => {
    ctx.logger.error({ path: req.originalUrl, error: (err as Error)?.message }, 'console request failed');
    if (res.headersSent) return;
    const status = (err as { status?: number }).status;
    if (status === 413 || status === 400)
      return void sendPage(res, status, <ErrorPage status={status} message="The form could not be read." />);
    sendPage(res, 500, <ErrorPage status={500} message="The console could not do that; the log says why." />);
  };
  router.use(onError);
  app.use(router);
}
