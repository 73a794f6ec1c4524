import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import express, { type ErrorRequestHandler, type RequestHandler } from 'express';
import type { Redis } from 'ioredis';
import { Registry } from 'prom-client';
import type { AppContext } from '../context.js';
import { localUrl, parseListenAddress } from './address.js';
import { ADMIN_PASSWORD_VAR, ADMIN_USER_VAR, adminCredentials, requireBasicAuth } from './basic-auth.js';
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
  /** The metrics-only listener (CRIER_METRICS_ADDR), when one is configured. */
  metricsUrl?: string;
  close(): Promise<void>;
}

/** A second address that serves GET /metrics alone, without credentials (e.g. 127.0.0.1:9464). */
export const METRICS_ADDR_VAR = 'CRIER_METRICS_ADDR';

export const METRICS_REFUSED =
  `/metrics needs the admin credentials: set ${ADMIN_USER_VAR} and ${ADMIN_PASSWORD_VAR} (Prometheus: ` +
  `basic_auth), or serve it alone on an address of its own with ${METRICS_ADDR_VAR}=127.0.0.1:9464.\n`;

/**
 * The operations server: GET /healthz, GET /metrics and the Bull Board dashboard at /admin/queues.
 * `addr` is ":8080" (all interfaces), "127.0.0.1:8080", "0.0.0.0:8080", "[::1]:8080"; port 0 picks a free one.
 * /healthz is open (probes); /metrics, which tells queue sizes, accounts and their health, is behind the admin
 * credentials like the dashboard (403 saying how when they are not set). CRIER_METRICS_ADDR adds a listener
 * that serves /metrics alone without credentials, on an address the operator chose (loopback, a private
 * network for Prometheus).
 */
export async function startHttpServer(
  ctx: AppContext,
  addr: string,
  opts: HttpServerOptions = {},
): Promise<RunningHttpServer> {
  parseListenAddress(addr); // a bad address fails before any connection is opened
  // Checked with the rest of the environment (src/config/runtime.ts).
  const metricsAddr = ctx.settings.metricsAddr;
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

  const sendMetrics: RequestHandler = async (_req, res) => {
    const registry = Registry.merge([processRegistry(), redisRegistry]);
    const text = await registry.metrics();
    res.status(200).set('Content-Type', registry.contentType).set('Cache-Control', 'no-store').send(text);
  };
  const credentials = adminCredentials(ctx.env);
  if (credentials) app.get('/metrics', requireBasicAuth(credentials, ctx.logger), sendMetrics);
  else app.get('/metrics', (_req, res) => void res.status(403).type('text/plain').send(METRICS_REFUSED));

  mountDashboard(app, ctx.queues.all(), ctx.env, ctx.logger);
  // Pages, actions and pushes first ask Redis on the fail-fast connection: a 503 at once when it is down.
  const ping = () => ops.ping();
  mountHooks(app, ctx, { ping, ...opts.hooks });
  await mountConsole(app, ctx, { ping, ...opts.console });

  const onError: ErrorRequestHandler = (err, req, res, _next) => {
    ctx.logger.error({ path: req.originalUrl, error: (err as Error)?.message }, 'ops http request failed');
    if (!res.headersSent) res.status(500).json({ error: 'internal error' });
  };
  app.use(onError);

  const tls = opts.tls ?? tlsFromEnv(ctx.env);
  const servers: Server[] = [];
  const serve = async (server: Server, where: string, what: string) => {
    const listenOn = parseListenAddress(where);
    try {
      await listen(server, listenOn.port, listenOn.host);
    } catch (e) {
      await closeAll(servers);
      ops.disconnect();
      throw new Error(
        `cannot serve ${what} on "${where}": ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
        { cause: e },
      );
    }
    servers.push(server);
    const bound = server.address();
    return localUrl(listenOn.host, typeof bound === 'object' && bound ? bound.port : listenOn.port);
  };
  const plain = await serve(
    tls ? createHttpsServer({ cert: tls.cert, key: tls.key }, app) : createServer(app),
    addr,
    'HTTP',
  );
  const url = tls ? plain.replace(/^http:/, 'https:') : plain;
  ctx.logger.info({ url, addr }, 'ops http server listening');
  let metricsUrl: string | undefined;
  if (metricsAddr) {
    const metricsApp = express();
    metricsApp.disable('x-powered-by');
    metricsApp.get('/metrics', sendMetrics);
    metricsApp.use(onError);
    // Plain HTTP: an internal address for a scraper, whatever the main listener serves.
    metricsUrl = await serve(createServer(metricsApp), metricsAddr, `/metrics (${METRICS_ADDR_VAR})`);
    ctx.logger.info({ url: metricsUrl, addr: metricsAddr }, 'metrics http server listening');
  }

  return {
    url,
    metricsUrl,
    async close() {
      await closeAll(servers);
      ops.disconnect();
    },
  };
}

async function closeAll(servers: Server[]): Promise<void> {
  await Promise.all(
    servers.map((server) => {
      // Keep-alive connections (Prometheus, browsers) would otherwise hold close() open.
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      return closed;
    }),
  );
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
