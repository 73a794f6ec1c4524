import type { Request, RequestHandler, Response } from 'express';
import type { Logger } from 'pino';
import { withTimeout } from './timeout.js';

/** How long a request waits for Redis to answer a ping, and for its whole answer, before a 503. */
export interface RedisDeadlines {
  /** Redis must answer a PING within this (a dedicated fail-fast connection: no wait while disconnected). */
  pingMs: number;
  /** The whole request must be answered within this, else 503 (Redis died or hung on the way). */
  requestMs: number;
}

export const DEFAULT_REDIS_DEADLINES: RedisDeadlines = { pingMs: 2000, requestMs: 10_000 };

/** Seconds a client is asked to wait before it tries again. */
const RETRY_AFTER_S = 10;

export type Unavailable = (req: Request, res: Response, why: string) => void;

/**
 * The work a request does waits on the workers' Redis connection, which never gives up (a BullMQ connection
 * queues commands until Redis is back). So pages, actions and pushes are gated: Redis must answer a PING on
 * the fail-fast connection first, else `unavailable` answers 503 at once; and a request still unanswered at
 * `requestMs` (Redis died or hung meanwhile) is answered 503 then, saying a change may still be made when
 * Redis answers. `res.locals.redisTimedOut` marks such a request, whose handler may still finish later.
 */
export function redisGate(
  ping: () => Promise<unknown>,
  deadlines: RedisDeadlines,
  logger: Logger,
  unavailable: Unavailable,
): RequestHandler {
  return async (req, res, next) => {
    const change = req.method !== 'GET' && req.method !== 'HEAD';
    try {
      await withTimeout(ping(), deadlines.pingMs, 'Redis ping');
    } catch (err) {
      logger.warn(
        { path: req.path, event: 'redis-unavailable', error: (err as Error).message },
        'request refused: Redis is not answering',
      );
      res.set('Retry-After', String(RETRY_AFTER_S));
      return void unavailable(
        req,
        res,
        'Redis, where Crier keeps its queue and posts, is not answering.' +
          (change ? ' Nothing was changed: try again when it is back.' : ''),
      );
    }
    const timer = setTimeout(() => {
      if (res.headersSent) return;
      res.locals.redisTimedOut = true;
      logger.warn({ path: req.path, event: 'redis-unavailable' }, 'request answered 503: Redis too slow');
      res.set('Retry-After', String(RETRY_AFTER_S));
      unavailable(
        req,
        res,
        `Redis, where Crier keeps its queue and posts, did not answer within ${deadlines.requestMs / 1000} s.` +
          (change ? ' The change may still be made when it answers: look before trying again.' : ''),
      );
    }, deadlines.requestMs);
    const done = () => clearTimeout(timer);
    res.once('finish', done);
    res.once('close', done);
    next();
  };
}
