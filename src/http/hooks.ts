import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import { resolve } from 'node:path';
import express, {
  type ErrorRequestHandler,
  type Express,
  type Request,
  type RequestHandler,
  type Response,
} from 'express';
import { ingestArticles } from '../../jobs/ingest.js';
import type { Article } from '../articles/article.js';
import { isSourceError } from '../articles/errors.js';
import { isHttpUrl } from '../articles/location.js';
import { intakeOptions, readSource } from '../articles/read.js';
import { articlesFromWordPress } from '../articles/wordpress.js';
import type { AppContext } from '../context.js';
import { enqueueIngest } from '../queue/enqueue.js';
import { redisKeys } from '../queue/keys.js';
import { DEFAULT_REDIS_DEADLINES, type RedisDeadlines, redisGate } from './redis-gate.js';

export const WEBHOOK_SECRET_VAR = 'CRIER_WEBHOOK_SECRET';
export const HOOKS_PATH = '/hooks/articles';
/** A request signed longer ago (or further ahead) than this is refused. */
export const TIMESTAMP_TOLERANCE_S = 300;
/** Largest body taken: a WordPress post object with its rendered content fits easily. */
export const MAX_HOOK_BODY_BYTES = 1024 * 1024;

export interface HooksOptions {
  maxBodyBytes?: number;
  /** Clock of the timestamp check (tests). */
  now?: () => number;
  /** Answers while Redis does (a fail-fast connection); a push answers 503 when it does not. */
  ping?: () => Promise<unknown>;
  /** How long a push waits for Redis before a 503 (default DEFAULT_REDIS_DEADLINES). */
  redisDeadlines?: RedisDeadlines;
}

/** The signature a sender puts in X-Crier-Signature: `sha256=` + hex HMAC-SHA256 of "<timestamp>.<raw body>". */
export function signHook(secret: string, timestamp: string, body: Buffer | string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.`).update(body).digest('hex')}`;
}

function refuse(res: Response, status: number, error: string): void {
  if (res.headersSent) return; // answered already (a 503 when Redis was too slow)
  res.status(status).set('Cache-Control', 'no-store').json({ error });
}

/** The configured source a pushed article belongs to: the one read from the same site. */
function sourceOfSite(ctx: AppContext, url: string): string | undefined {
  const host = (u: string) => {
    try {
      return new URL(u).host.replace(/^www\./, '');
    } catch {
      return undefined;
    }
  };
  const h = host(url);
  return h ? ctx.config.sources.find((s) => isHttpUrl(s.location) && host(s.location) === h)?.id : undefined;
}

/** An answer that queues nothing: a refusal (`{"error": …}`, never cached) or a plain JSON answer. */
type Answer = { status: number; error: string } | { status: number; json: Record<string, unknown> };

function send(res: Response, answer: Answer): void {
  if ('error' in answer) refuse(res, answer.status, answer.error);
  else if (!res.headersSent) res.status(answer.status).json(answer.json);
}

/** Why a request is not signed as it must be, with the line to log; null when it is. */
function signatureFault(
  secret: string,
  timestamp: string,
  signature: string,
  raw: Buffer,
  now: () => number,
): { log: string; error: string; skew?: number } | null {
  if (!/^\d{1,12}$/.test(timestamp))
    return { log: 'no timestamp', error: 'missing or malformed X-Crier-Timestamp (Unix seconds)' };
  if (!/^sha256=[0-9a-f]{64}$/.test(signature))
    return { log: 'no signature', error: 'missing or malformed X-Crier-Signature (sha256=<hex>)' };
  const expected = Buffer.from(signHook(secret, timestamp, raw));
  if (!timingSafeEqual(expected, Buffer.from(signature)))
    return { log: 'wrong signature', error: 'wrong signature' };
  const skew = Math.abs(now() / 1000 - Number(timestamp));
  if (skew > TIMESTAMP_TOLERANCE_S)
    return {
      log: 'stale timestamp',
      error: `stale timestamp: more than ${TIMESTAMP_TOLERANCE_S} s from this server's clock`,
      skew: Math.round(skew),
    };
  return null;
}

/**
 * The webhook's gate: enabled, signed with the secret, timestamped within the tolerance, and each signature
 * taken once. Null when the request passes; a refusal (logged) when it does not.
 */
async function gateRefusal(
  ctx: AppContext,
  req: Request,
  raw: Buffer,
  now: () => number,
): Promise<Answer | null> {
  const secret = ctx.env[WEBHOOK_SECRET_VAR];
  if (!secret)
    return { status: 503, error: `the article webhook is disabled: set ${WEBHOOK_SECRET_VAR} to enable it` };
  const signature = (req.get('x-crier-signature') ?? '').trim().toLowerCase();
  const where = { ip: req.ip, event: 'hook-refused' };
  const fault = signatureFault(secret, req.get('x-crier-timestamp') ?? '', signature, raw, now);
  if (fault) {
    ctx.logger.warn(
      fault.skew === undefined ? where : { ...where, skew: fault.skew },
      `article webhook: ${fault.log}`,
    );
    return { status: 401, error: fault.error };
  }
  // Each signature is taken once, for longer than a timestamp stays acceptable.
  const fresh = await ctx.redis.set(
    redisKeys(ctx.settings.prefix).hookSeen(signature.slice(7)),
    String(now()),
    'EX',
    TIMESTAMP_TOLERANCE_S * 2 + 60,
    'NX',
  );
  if (fresh !== 'OK') {
    ctx.logger.warn(where, 'article webhook: replayed request');
    return { status: 409, error: 'replayed request: this signature was already used' };
  }
  return null;
}

/** The body as a JSON object, or the refusal of anything else. */
function parseBody(raw: Buffer): { body: Record<string, unknown> } | { answer: Answer } {
  let body: unknown;
  try {
    body = JSON.parse(raw.toString('utf8'));
  } catch {
    return { answer: { status: 400, error: 'the body is not JSON' } };
  }
  if (!body || typeof body !== 'object' || Array.isArray(body))
    return {
      answer: {
        status: 400,
        error: 'expected a JSON object: a WordPress post, {"url": …} or {"source": …}',
      },
    };
  return { body: body as Record<string, unknown> };
}

/** {"source": "<id>"}: poll that configured source now. */
async function pollSourceNow(ctx: AppContext, sourceId: string, correlationId: string): Promise<Answer> {
  const source = ctx.config.sources.find((s) => s.id === sourceId);
  if (!source)
    return {
      status: 422,
      error: `no source "${sourceId}" (configured: ${ctx.config.sources.map((s) => s.id).join(', ') || 'none'})`,
    };
  const location = isHttpUrl(source.location) ? source.location : resolve(ctx.config.dir, source.location);
  const job = await enqueueIngest(ctx, {
    location,
    kind: source.kind,
    url: source.url,
    sourceId: source.id,
    correlationId,
  });
  ctx.logger.info({ event: 'hook', source: source.id, jobId: job.id }, 'article webhook: source polled now');
  return { status: 202, json: { source: source.id, jobId: job.id, correlationId } };
}

/** The articles a request pushes, where they come from and the source they are attributed to. */
interface Pushed {
  articles: Article[];
  location: string;
  attributeTo: string | undefined;
}

/** {"url": "…"}: the page read as any source is read (fetch policy, readers, cleaning). */
async function readPushedUrl(
  ctx: AppContext,
  b: Record<string, unknown>,
  url: string,
): Promise<Pushed | Answer> {
  if (!isHttpUrl(url)) return { status: 422, error: `"url" must be an http(s) link, not "${url}"` };
  const articles = await readSource(url, {
    ...intakeOptions(ctx.config, ctx.env),
    kind: 'auto',
    timeoutMs: ctx.config.publishing.requestTimeoutMs,
    policy: ctx.fetchPolicy,
  });
  const attributeTo = typeof b.source === 'string' ? b.source : sourceOfSite(ctx, url);
  return { articles, location: url, attributeTo };
}

/** A WordPress REST post object (the post a "publish_post" hook hands over); a draft or a post behind a password is ignored. */
function readPushedPost(ctx: AppContext, b: Record<string, unknown>): Pushed | Answer {
  if (typeof b.status === 'string' && b.status !== 'publish')
    return { status: 200, json: { ignored: `status "${b.status}": only published posts are taken` } };
  // Published behind a password: WordPress hides the content, and the post is not for everyone.
  if ((b.content as { protected?: unknown } | undefined)?.protected === true)
    return { status: 200, json: { ignored: 'a password-protected post is not announced' } };
  const location = typeof b.link === 'string' ? b.link : 'webhook';
  const articles = articlesFromWordPress([b], {
    source: location,
    baseUrl: isHttpUrl(location) ? location : undefined,
  });
  return { articles, location, attributeTo: sourceOfSite(ctx, location) };
}

async function readPushed(ctx: AppContext, b: Record<string, unknown>): Promise<Pushed | Answer> {
  try {
    if (typeof b.url === 'string') return await readPushedUrl(ctx, b, b.url);
    if (typeof b.link === 'string' || (b.content && typeof b.content === 'object'))
      return readPushedPost(ctx, b);
    return {
      status: 400,
      error: 'expected a WordPress post object, {"url": "…"} or {"source": "<source id>"}',
    };
  } catch (err) {
    if (isSourceError(err)) return { status: 422, error: err.message };
    throw err;
  }
}

/** The pushed article taken in as a polled one is (dedup, corrections, compose). */
async function ingestPushed(ctx: AppContext, pushed: Pushed, correlationId: string): Promise<Answer> {
  const article = pushed.articles.find((a) => isHttpUrl(a.url));
  if (!article) return { status: 422, error: 'the article has no web link: it cannot be posted' };
  const { location } = pushed;
  const attributeTo = ctx.config.sources.some((s) => s.id === pushed.attributeTo)
    ? pushed.attributeTo
    : undefined;
  const result = await ingestArticles(ctx, { location, kind: 'auto', correlationId }, [article], {
    attributeTo,
  });
  const taken = (result.articles as Array<{ id: string; verdict: string }> | undefined)?.[0];
  ctx.logger.info(
    { event: 'hook', articleId: taken?.id, verdict: taken?.verdict, correlationId },
    'article webhook: article taken',
  );
  return {
    status: 202,
    json: {
      articleId: taken?.id ?? article.id,
      url: article.url,
      title: article.title,
      verdict: taken?.verdict,
      correlationId,
    },
  };
}

/** One webhook request: the gate, then a source polled now or a pushed article taken in. */
async function handleHook(ctx: AppContext, req: Request, res: Response, now: () => number): Promise<void> {
  const raw: Buffer = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
  const refused = await gateRefusal(ctx, req, raw, now);
  if (refused) return send(res, refused);
  const parsed = parseBody(raw);
  if ('answer' in parsed) return send(res, parsed.answer);
  const b = parsed.body;
  const correlationId = `hook-${randomUUID()}`;
  if (typeof b.source === 'string' && b.url === undefined && b.link === undefined)
    return send(res, await pollSourceNow(ctx, b.source, correlationId));
  const pushed = await readPushed(ctx, b);
  if ('status' in pushed) return send(res, pushed);
  send(res, await ingestPushed(ctx, pushed, correlationId));
}

/**
 * POST /hooks/articles: a CMS pushes an article the moment it is published, instead of waiting for the next
 * poll. Signed with CRIER_WEBHOOK_SECRET: `X-Crier-Timestamp` (Unix seconds, within 5 minutes) and
 * `X-Crier-Signature: sha256=<hex HMAC-SHA256 of "<timestamp>.<raw body>">`; a signature is taken once
 * (a replay is refused). The JSON body is a WordPress REST post object, `{"url": "…"}` (read through the
 * article readers, so through the fetch policy) or `{"source": "<id>"}` (poll that source now).
 * Answers 202 with the article id; anything unsigned or wrongly signed gets 401 and queues nothing.
 */
export function mountHooks(app: Express, ctx: AppContext, opts: HooksOptions = {}): void {
  const now = opts.now ?? Date.now;
  const router = express.Router();
  const gate: RequestHandler[] = opts.ping
    ? [
        redisGate(opts.ping, opts.redisDeadlines ?? DEFAULT_REDIS_DEADLINES, ctx.logger, (_req, res, why) =>
          refuse(res, 503, why),
        ),
      ]
    : [];
  router.post(
    HOOKS_PATH,
    ...gate,
    express.raw({ type: () => true, limit: opts.maxBodyBytes ?? MAX_HOOK_BODY_BYTES }),
    (req, res) => handleHook(ctx, req, res, now),
  );
  const onError: ErrorRequestHandler = (err, _req, res, next) => {
    const e = err as { type?: string; status?: number };
    if (e.type === 'entity.too.large' || e.status === 413)
      return refuse(res, 413, `body too large: at most ${opts.maxBodyBytes ?? MAX_HOOK_BODY_BYTES} bytes`);
    next(err);
  };
  router.use(onError);
  app.use(router);
}
