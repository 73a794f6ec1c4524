import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import { resolve } from 'node:path';
import express, { type ErrorRequestHandler, type Express, type Response } from 'express';
import { ingestArticles } from '../../jobs/ingest.js';
import type { Article } from '../articles/article.js';
import { isSourceError } from '../articles/errors.js';
import { isHttpUrl } from '../articles/location.js';
import { intakeOptions, readSource } from '../articles/read.js';
import { articlesFromWordPress } from '../articles/wordpress.js';
import type { AppContext } from '../context.js';
import { enqueueIngest } from '../queue/enqueue.js';
import { redisKeys } from '../queue/keys.js';

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
}

/** The signature a sender puts in X-Crier-Signature: `sha256=` + hex HMAC-SHA256 of "<timestamp>.<raw body>". */
export function signHook(secret: string, timestamp: string, body: Buffer | string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.`).update(body).digest('hex')}`;
}

function refuse(res: Response, status: number, error: string): void {
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
  router.post(
    HOOKS_PATH,
    express.raw({ type: () => true, limit: opts.maxBodyBytes ?? MAX_HOOK_BODY_BYTES }),
    async (req, res) => {
      const secret = ctx.env[WEBHOOK_SECRET_VAR];
      if (!secret)
        return refuse(res, 503, `the article webhook is disabled: set ${WEBHOOK_SECRET_VAR} to enable it`);
      const raw: Buffer = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      const timestamp = req.get('x-crier-timestamp') ?? '';
      const signature = (req.get('x-crier-signature') ?? '').trim().toLowerCase();
      const where = { ip: req.ip, event: 'hook-refused' };
      if (!/^\d{1,12}$/.test(timestamp)) {
        ctx.logger.warn(where, 'article webhook: no timestamp');
        return refuse(res, 401, 'missing or malformed X-Crier-Timestamp (Unix seconds)');
      }
      if (!/^sha256=[0-9a-f]{64}$/.test(signature)) {
        ctx.logger.warn(where, 'article webhook: no signature');
        return refuse(res, 401, 'missing or malformed X-Crier-Signature (sha256=<hex>)');
      }
      const expected = Buffer.from(signHook(secret, timestamp, raw));
      if (!timingSafeEqual(expected, Buffer.from(signature))) {
        ctx.logger.warn(where, 'article webhook: wrong signature');
        return refuse(res, 401, 'wrong signature');
      }
      const skew = Math.abs(now() / 1000 - Number(timestamp));
      if (skew > TIMESTAMP_TOLERANCE_S) {
        ctx.logger.warn({ ...where, skew: Math.round(skew) }, 'article webhook: stale timestamp');
        return refuse(
          res,
          401,
          `stale timestamp: more than ${TIMESTAMP_TOLERANCE_S} s from this server's clock`,
        );
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
        return refuse(res, 409, 'replayed request: this signature was already used');
      }

      let body: unknown;
      try {
        body = JSON.parse(raw.toString('utf8'));
      } catch {
        return refuse(res, 400, 'the body is not JSON');
      }
      if (!body || typeof body !== 'object' || Array.isArray(body))
        return refuse(res, 400, 'expected a JSON object: a WordPress post, {"url": …} or {"source": …}');
      const b = body as Record<string, unknown>;
      const correlationId = `hook-${randomUUID()}`;

      // {"source": "<id>"}: poll that source now.
      if (typeof b.source === 'string' && b.url === undefined && b.link === undefined) {
        const source = ctx.config.sources.find((s) => s.id === b.source);
        if (!source)
          return refuse(
            res,
            422,
            `no source "${b.source}" (configured: ${ctx.config.sources.map((s) => s.id).join(', ') || 'none'})`,
          );
        const location = isHttpUrl(source.location)
          ? source.location
          : resolve(ctx.config.dir, source.location);
        const job = await enqueueIngest(ctx, {
          location,
          kind: source.kind,
          url: source.url,
          sourceId: source.id,
          correlationId,
        });
        ctx.logger.info(
          { event: 'hook', source: source.id, jobId: job.id },
          'article webhook: source polled now',
        );
        return void res.status(202).json({ source: source.id, jobId: job.id, correlationId });
      }

      let articles: Article[];
      let location: string;
      let attributeTo: string | undefined;
      try {
        if (typeof b.url === 'string') {
          // {"url": "…"}: read the page as any source is read (fetch policy, readers, cleaning).
          if (!isHttpUrl(b.url)) return refuse(res, 422, `"url" must be an http(s) link, not "${b.url}"`);
          location = b.url;
          articles = await readSource(b.url, {
            ...intakeOptions(ctx.config, ctx.env),
            kind: 'auto',
            timeoutMs: ctx.config.publishing.requestTimeoutMs,
            policy: ctx.fetchPolicy,
          });
          attributeTo = typeof b.source === 'string' ? b.source : sourceOfSite(ctx, b.url);
        } else if (typeof b.link === 'string' || (b.content && typeof b.content === 'object')) {
          // A WordPress REST post object (the post a "publish_post" hook hands over).
          if (typeof b.status === 'string' && b.status !== 'publish')
            return void res
              .status(200)
              .json({ ignored: `status "${b.status}": only published posts are taken` });
          location = typeof b.link === 'string' ? b.link : 'webhook';
          articles = articlesFromWordPress([b], {
            source: location,
            baseUrl: isHttpUrl(location) ? location : undefined,
          });
          attributeTo = sourceOfSite(ctx, location);
        } else {
          return refuse(
            res,
            400,
            'expected a WordPress post object, {"url": "…"} or {"source": "<source id>"}',
          );
        }
      } catch (err) {
        if (isSourceError(err)) return refuse(res, 422, err.message);
        throw err;
      }
      const article = articles.find((a) => isHttpUrl(a.url));
      if (!article) return refuse(res, 422, 'the article has no web link: it cannot be posted');
      if (attributeTo && !ctx.config.sources.some((s) => s.id === attributeTo)) attributeTo = undefined;
      const result = await ingestArticles(ctx, { location, kind: 'auto', correlationId }, [article], {
        attributeTo,
      });
      const taken = (result.articles as Array<{ id: string; verdict: string }> | undefined)?.[0];
      ctx.logger.info(
        { event: 'hook', articleId: taken?.id, verdict: taken?.verdict, correlationId },
        'article webhook: article taken',
      );
      res.status(202).json({
        articleId: taken?.id ?? article.id,
        url: article.url,
        title: article.title,
        verdict: taken?.verdict,
        correlationId,
      });
    },
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
