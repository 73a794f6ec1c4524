import { pino } from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import { runtimeSettings } from '../../src/config/runtime.js';
import { type AppContext, createContext } from '../../src/context.js';
import { UsageError } from '../../src/core/errors.js';
import { METRICS_ADDR_VAR, type RunningHttpServer, startHttpServer } from '../../src/http/http.js';
import { ADMIN_ENV, asAdmin } from '../helpers/admin.js';
import { deletePrefix, redisUrl, uniquePrefix } from '../helpers/redis.js';

const CONFIG = `
site: { name: Test News, url: https://news.example.org }
accounts:
  - { id: x-main, platform: twitter }
`;

/** /metrics tells queue sizes, account names and their health: never open on the public listener. */
describe('who may read /metrics', () => {
  const opened: Array<{ ctx: AppContext; server?: RunningHttpServer; prefix: string }> = [];
  afterAll(async () => {
    for (const o of opened) {
      await o.server?.close();
      await o.ctx.close();
      await deletePrefix(o.prefix);
    }
  });

  async function serve(env: Record<string, string>) {
    const prefix = uniquePrefix();
    const ctx = await createContext({
      config: parseConfig(CONFIG, 'x'),
      env: { REDIS_URL: redisUrl(), CRIER_PREFIX: prefix, ...env },
      logger: pino({ level: 'silent' }),
    });
    const entry: (typeof opened)[number] = { ctx, prefix };
    opened.push(entry);
    entry.server = await startHttpServer(ctx, '127.0.0.1:0', {
      heartbeats: async () => [{ lastBeat: Date.now() }],
    });
    return entry.server;
  }

  it('with admin credentials set: 401 with a Basic challenge unless they are given', async () => {
    const server = await serve(ADMIN_ENV);
    const anonymous = await fetch(`${server.url}/metrics`);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toMatch(/^Basic realm=/);
    const wrong = await fetch(`${server.url}/metrics`, {
      headers: { authorization: `Basic ${Buffer.from('ops:guess').toString('base64')}` },
    });
    expect(wrong.status).toBe(401);
    const admin = await fetch(`${server.url}/metrics`, asAdmin);
    expect(admin.status).toBe(200);
    expect(await admin.text()).toMatch(/^crier_redis_up 1$/m);
    // Probes stay open.
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  });

  it('without credentials: 403 saying which variables to set; /healthz still answers', async () => {
    const server = await serve({});
    const res = await fetch(`${server.url}/metrics`);
    expect(res.status).toBe(403);
    const text = await res.text();
    expect(text).toContain('CRIER_ADMIN_USER');
    expect(text).toContain(METRICS_ADDR_VAR);
    expect(text).not.toContain('crier_');
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  });

  it(`${METRICS_ADDR_VAR} serves /metrics alone on its own address, without credentials`, async () => {
    const server = await serve({ [METRICS_ADDR_VAR]: '127.0.0.1:0' });
    expect(server.metricsUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(server.metricsUrl).not.toBe(server.url);
    const res = await fetch(`${server.metricsUrl}/metrics`);
    expect(res.status).toBe(200);
    expect(await res.text()).toMatch(/^crier_jobs\{queue="ingest",state="waiting"\} 0$/m);
    for (const path of ['/healthz', '/admin/queues'])
      expect((await fetch(`${server.metricsUrl}${path}`)).status).toBe(404);
    // The main listener still refuses it.
    expect((await fetch(`${server.url}/metrics`)).status).toBe(403);
  });

  it(`a bad ${METRICS_ADDR_VAR} fails in one line naming the variable, before anything connects`, () => {
    let error: unknown;
    try {
      runtimeSettings({ [METRICS_ADDR_VAR]: 'localhost:http' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(UsageError);
    expect((error as Error).message).toMatch(
      /^CRIER_METRICS_ADDR is "localhost:http": expected \[host\]:port/,
    );
    expect(runtimeSettings({ [METRICS_ADDR_VAR]: ' 127.0.0.1:9464 ' }).metricsAddr).toBe('127.0.0.1:9464');
  });
});
