import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import express, { type ErrorRequestHandler } from 'express';
import type { Redis } from 'ioredis';
import { Registry } from 'prom-client';
import type { AppContext } from '../context.js';
import { localUrl, parseListenAddress } from './address.js';
import { type ConsoleOptions, mountConsole } from './console/index.js';
import { mountDashboard } from './dashboard.js';
import { checkHealth } from './health.js';
import { type HeartbeatSource, readSchedulerHeartbeats } from './heartbeats.js';
import { type HooksOptions, mountHooks } from './hooks.js';
import { processRegistry } from './metrics.js';
import { createRedisRegistry } from './redis-metrics.js';
import { withTimeout } from './timeout.js';

export interface HttpServerOptions {
  /** Scheduler heartbeats; default: `<prefix>:scheduler:*` keys holding JSON `{ lastBeat }`. */
  heartbeats?: HeartbeatSource;
  /** Console tuning (tests: lock-out limits, session times). */
  console?: ConsoleOptions;
  /** Article webhook tuning (tests: body limit, clock). */
  hooks?: HooksOptions;
  /** Serve HTTPS with this certificate (default: CRIER_TLS_CERT / CRIER_TLS_KEY files, else plain HTTP). */
  tls?: { cert: string; key: string };
}

export interface RunningHttpServer {
  /** Where a local client reaches the server (wildcard binds show as loopback). */
  url: string;
  close(): Promise<void>;
}

/**
 * The operations server: GET /healthz, GET /metrics and the Bull Board dashboard at /admin/queues.
 * `addr` is ":8080" (all interfaces), "127.0.0.1:8080", "0.0.0.0:8080", "[::1]:8080"; port 0 picks a free one.
 */
export async function startHttpServer(
  ctx: AppContext,
  addr: string,
  opts: HttpServerOptions = {},
): Promise<RunningHttpServer> {
  const { host, port } = parseListenAddress(addr);
  const ops = await openOpsConnection(ctx);
  const heartbeats = opts.heartbeats ?? (() => readSchedulerHeartbeats(ops, ctx.settings.prefix));
  const redisRegistry = createRedisRegistry({ ctx, ops, heartbeats, logger: ctx.logger });

  const app = express();
  app.disable('x-powered-by');
  // Behind a TLS-terminating proxy: trust its X-Forwarded-* headers (Secure cookies, client address).
  if (ctx.env.CRIER_TRUST_PROXY) app.set('trust proxy', trustProxy(ctx.env.CRIER_TRUST_PROXY));

  app.get('/healthz', async (_req, res) => {
    const body = await checkHealth({ ping: () => ops.ping(), heartbeats });
    res
      .status(body.status === 'ok' ? 200 : 503)
      .set('Cache-Control', 'no-store')
      .json(body);
  });

  app.get('/metrics', async (_req, res) => {
    const registry = Registry.merge([processRegistry(), redisRegistry]);
    const text = await registry.metrics();
    res.status(200).set('Content-Type', registry.contentType).set('Cache-Control', 'no-store').send(text);
  });

  mountDashboard(app, ctx.queues.all(), ctx.env, ctx.logger);
  mountHooks(app, ctx, opts.hooks);
  await mountConsole(app, ctx, opts.console);

  const onError: ErrorRequestHandler = (err, req, res, _next) => {
    ctx.logger.error({ path: req.originalUrl, error: (err as Error)?.message }, 'ops http request failed');
    if (!res.headersSent) res.status(500).json({ error: 'internal error' });
  };
  app.use(onError);

  const tls = opts.tls ?? tlsFromEnv(ctx.env);
  const server = tls ? createHttpsServer({ cert: tls.cert, key: tls.key }, app) : createServer(app);
  try {
    await listen(server, port, host);
  } catch (e) {
    ops.disconnect();
    throw new Error(
      `cannot serve HTTP on "${addr}": ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
      {
        cause: e,
      },
    );
  }
  const bound = server.address();
  const plain = localUrl(host, typeof bound === 'object' && bound ? bound.port : port);
  const url = tls ? plain.replace(/^http:/, 'https:') : plain;
  ctx.logger.info({ url, addr }, 'ops http server listening');

  return {
    url,
    async close() {
      // Keep-alive connections (Prometheus, browsers) would otherwise hold close() open.
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
      ops.disconnect();
    },
  };
}

/** CRIER_TLS_CERT and CRIER_TLS_KEY: PEM files of the certificate to serve HTTPS with (both or neither). */
function tlsFromEnv(env: Record<string, string | undefined>): { cert: string; key: string } | undefined {
  const certPath = env.CRIER_TLS_CERT;
  const keyPath = env.CRIER_TLS_KEY;
  if (!certPath && !keyPath) return undefined;
  if (!certPath || !keyPath)
    throw new Error('set both CRIER_TLS_CERT and CRIER_TLS_KEY to serve HTTPS, or neither');
  try {
    return { cert: readFileSync(certPath, 'utf8'), key: readFileSync(keyPath, 'utf8') };
  } catch (e) {
    throw new Error(
      `cannot read the TLS certificate or key: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
    );
  }
}

/** CRIER_TRUST_PROXY: "true", a hop count ("1") or addresses/subnets ("loopback", "10.0.0.0/8"), as Express takes them. */
function trustProxy(value: string): boolean | number | string {
  if (value === 'true') return true;
  if (/^\d+$/.test(value)) return Number(value);
  return value;
}

/**
 * A dedicated connection for probes and scrapes that fails fast while Redis is down (no offline queue, one
 * retry), unlike the workers' connection which waits forever. Redis being down at start is not an error:
 * /healthz reports it and the connection keeps retrying in the background.
 */
async function openOpsConnection(ctx: AppContext): Promise<Redis> {
  const ops = ctx.redis.duplicate({
    connectionName: 'crier-ops',
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    lazyConnect: true,
  });
  let lastError: string | undefined;
  ops.on('error', (e: NodeJS.ErrnoException) => {
    const why = e.code ?? e.message;
    if (why !== lastError) ctx.logger.warn({ error: why }, 'ops Redis connection error');
    lastError = why;
  });
  ops.on('ready', () => {
    lastError = undefined;
  });
  await withTimeout(ops.connect(), 2000, 'Redis connect').catch(() => {});
  return ops;
}

function listen(server: Server, port: number, host: string | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}
