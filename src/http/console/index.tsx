import express, {
  type ErrorRequestHandler,
  type Express,
  type Request,
  type RequestHandler,
  type Response,
} from 'express';
import type { AppContext } from '../../context.js';
import { DEFAULT_REDIS_DEADLINES, type RedisDeadlines, redisGate } from '../redis-gate.js';
import { consoleAssets } from './assets.js';
import {
  DEFAULT_THROTTLE,
  LoginThrottle,
  OPERATOR_PASSWORD_VAR,
  OPERATOR_USER_VAR,
  operatorCredentials,
  type ThrottleLimits,
} from './auth.js';
import { csrfProblem } from './csrf.js';
import { safeNext, sendPage } from './render.js';
import { cookieOptions, loginRoutes } from './routes/login.js';
import { consoleRoutes } from './routes.js';
import { securityHeaders } from './security.js';
import {
  DEFAULT_SESSION_TIMES,
  type Flash,
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
  /** Answers while Redis does (a fail-fast connection); pages and actions answer 503 when it does not. */
  ping?: () => Promise<unknown>;
  /** How long a page or action waits for Redis before a 503 (default DEFAULT_REDIS_DEADLINES). */
  redisDeadlines?: RedisDeadlines;
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
  if (opts.ping)
    router.use(
      redisGate(opts.ping, opts.redisDeadlines ?? DEFAULT_REDIS_DEADLINES, ctx.logger, (_req, res, why) =>
        sendPage(
          res,
          503,
          <ErrorPage
            status={503}
            message={`${why} The console cannot show or change posts until it is back.`}
          />,
        ),
      ),
    );
  const sessions = await SessionStore.open(
    ctx.redis,
    ctx.settings.prefix,
    credentials,
    opts.sessionTimes ?? DEFAULT_SESSION_TIMES,
  );
  const throttle = new LoginThrottle(ctx.redis, ctx.settings.prefix, opts.throttle ?? DEFAULT_THROTTLE);
  router.use(express.urlencoded({ extended: false, limit: '64kb', parameterLimit: 50 }));
  loginRoutes(router, ctx, { credentials, sessions, throttle });
  router.use(requireSession(ctx, sessions));
  router.post('/logout', async (req, res) => {
    await sessions.destroy(sessionOf(res).session.id);
    res.clearCookie(SESSION_COOKIE, cookieOptions(req));
    res.redirect(303, '/login');
  });
  router.use(
    consoleRoutes(ctx, { flash: (res, flash) => sessions.setFlash(sessionOf(res).session.id, flash) }),
  );
  router.use(notFound);
  router.use(consoleErrors(ctx));
  app.use(router);
}

const isRead = (req: Request) => req.method === 'GET' || req.method === 'HEAD';

/** Every console path but the log-in page needs a session; every change also needs the session's CSRF token. */
function requireSession(ctx: AppContext, sessions: SessionStore): RequestHandler {
  return async (req, res, next) => {
    const session = await sessions.fromCookie(readCookie(req.headers.cookie, SESSION_COOKIE));
    if (!session) {
      if (isRead(req))
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
    if (!isRead(req)) {
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
}

const notFound: RequestHandler = (req, res) => {
  const { session } = sessionOf(res);
  sendPage(
    res,
    404,
    <ErrorPage status={404} user={session.user} csrf={session.csrf} message={`Nothing at ${req.path}.`} />,
  );
};

/** A form that cannot be read is the sender's fault (400/413); anything else is logged and answered 500. */
function consoleErrors(ctx: AppContext): ErrorRequestHandler {
  return (err, req, res, _next) => {
    if (res.locals.redisTimedOut) {
      // Answered 503 already, when Redis was too slow; what the handler did later is only logged.
      ctx.logger.warn(
        { path: req.originalUrl, error: (err as Error)?.message },
        'console request ended late',
      );
      return;
    }
    ctx.logger.error({ path: req.originalUrl, error: (err as Error)?.message }, 'console request failed');
    if (res.headersSent) return;
    const status = (err as { status?: number }).status;
    if (status === 413 || status === 400)
      return void sendPage(res, status, <ErrorPage status={status} message="The form could not be read." />);
    sendPage(res, 500, <ErrorPage status={500} message="The console could not do that; the log says why." />);
  };
}
