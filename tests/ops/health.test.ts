import { connect, createServer, type Server, type Socket } from 'node:net';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import { type AppContext, createContext } from '../../src/context.js';
import { type RunningHttpServer, startHttpServer } from '../../src/http/http.js';
import { ADMIN_ENV, asAdmin } from '../helpers/admin.js';
import { deletePrefix, redisUrl, uniquePrefix } from '../helpers/redis.js';

const CONFIG = `
site: { name: Test News, url: https://news.example.org }
accounts:
  - { id: x-main, platform: twitter }
`;

async function opsContext(prefix: string, url = redisUrl()): Promise<AppContext> {
  const env = { REDIS_URL: url, CRIER_PREFIX: prefix, ...ADMIN_ENV };
  return createContext({ config: parseConfig(CONFIG, 'x'), env, logger: pino({ level: 'silent' }) });
}

async function getJson(url: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(url);
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

/** A TCP relay to the test Redis that can be cut (Redis unreachable) and restored, like a network partition. */
async function cuttableRelay(target: URL) {
  const sockets = new Set<Socket>();
  let cut = false;
  const server: Server = createServer((client) => {
    if (cut) return void client.destroy();
    const upstream = connect(Number(target.port || 6379), target.hostname);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('error', () => {});
      s.on('close', () => {
        client.destroy();
        upstream.destroy();
        sockets.delete(s);
      });
    }
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `redis://127.0.0.1:${port}`,
    cut() {
      cut = true;
      for (const s of sockets) s.destroy();
    },
    restore() {
      cut = false;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe('GET /healthz (real Redis)', () => {
  const prefix = uniquePrefix();
  let ctx: AppContext;
  let server: RunningHttpServer;
  beforeAll(async () => {
    ctx = await opsContext(prefix);
    server = await startHttpServer(ctx, '127.0.0.1:0');
  });
  afterAll(async () => {
    await server?.close();
    await ctx?.close();
    await deletePrefix(prefix);
  });

  it('answers 503 naming the scheduler when no heartbeat was ever written', async () => {
    const { status, body } = await getJson(`${server.url}/healthz`);
    expect(status).toBe(503);
    expect(body).toMatchObject({
      status: 'fail',
      failed: ['scheduler'],
      redis: 'ok',
      scheduler: { lastBeat: null },
    });
  });

  it('answers 200 from the heartbeat keys, ignoring keys under the pattern that are not heartbeats', async () => {
    const beat = Date.now() - 30_000;
    await ctx.redis.set(`${prefix}:scheduler:host-a`, JSON.stringify({ lastBeat: beat - 60_000 }));
    await ctx.redis.set(
      `${prefix}:scheduler:host-b`,
      JSON.stringify({ lastBeat: new Date(beat).toISOString() }),
    );
    await ctx.redis.set(`${prefix}:scheduler:lock`, 'not json');
    await ctx.redis.hset(`${prefix}:scheduler:stats`, 'lastBeat', String(Date.now()));
    const { status, body } = await getJson(`${server.url}/healthz`);
    expect(status).toBe(200);
    expect(body).toMatchObject({ status: 'ok', redis: 'ok', scheduler: { lastBeat: beat } });
    expect((body.scheduler as { ageSeconds: number }).ageSeconds).toBeGreaterThanOrEqual(30);
  });

  it('answers 503 when the newest beat is more than two minutes old', async () => {
    const old = Date.now() - 5 * 60_000;
    await ctx.redis.del(`${prefix}:scheduler:host-a`, `${prefix}:scheduler:host-b`);
    await ctx.redis.set(`${prefix}:scheduler:host-c`, JSON.stringify({ lastBeat: old }));
    const { status, body } = await getJson(`${server.url}/healthz`);
    expect(status).toBe(503);
    expect(body).toMatchObject({ failed: ['scheduler'], redis: 'ok', scheduler: { lastBeat: old } });
  });

  it('uses an injected heartbeat source, and fails the check when that source throws', async () => {
    const fresh = await startHttpServer(ctx, '127.0.0.1:0', {
      heartbeats: async () => [{ lastBeat: Date.now() }],
    });
    const broken = await startHttpServer(ctx, '127.0.0.1:0', {
      heartbeats: async () => {
        throw new Error('store offline');
      },
    });
    try {
      expect((await getJson(`${fresh.url}/healthz`)).status).toBe(200);
      const { status, body } = await getJson(`${broken.url}/healthz`);
      expect(status).toBe(503);
      expect(body).toMatchObject({ failed: ['scheduler'], redis: 'ok', scheduler: { lastBeat: null } });
    } finally {
      await fresh.close();
      await broken.close();
    }
  });
});

describe('Redis unreachable (relay cut between Crier and Redis)', () => {
  const prefix = uniquePrefix();
  let relay: Awaited<ReturnType<typeof cuttableRelay>>;
  let ctx: AppContext;
  let server: RunningHttpServer;
  beforeAll(async () => {
    relay = await cuttableRelay(new URL(redisUrl()));
    ctx = await opsContext(prefix, relay.url);
    // BullMQ re-emits connection errors on each queue; an unhandled 'error' event would crash the worker.
    for (const q of ctx.queues.all()) q.on('error', () => {});
    ctx.redis.on('error', () => {});
    server = await startHttpServer(ctx, '127.0.0.1:0', {
      heartbeats: async () => [{ lastBeat: Date.now() }],
    });
  });
  afterAll(async () => {
    relay?.restore();
    await server?.close();
    await ctx?.close();
    await relay?.close();
    await deletePrefix(prefix);
  });

  it('turns /healthz to 503 naming Redis, keeps /metrics up with crier_redis_up 0, and recovers', async () => {
    expect((await getJson(`${server.url}/healthz`)).status).toBe(200);

    relay.cut();
    const down = await getJson(`${server.url}/healthz`);
    expect(down.status).toBe(503);
    expect(down.body).toMatchObject({ status: 'fail', failed: ['redis'], redis: 'unreachable' });
    expect(down.body.redisError).toEqual(expect.any(String));

    const metrics = await fetch(`${server.url}/metrics`, asAdmin);
    expect(metrics.status).toBe(200);
    const text = await metrics.text();
    expect(text).toMatch(/^crier_redis_up 0$/m);
    expect(text).not.toMatch(/^crier_jobs\{/m);

    relay.restore();
    await vi.waitFor(
      async () => {
        expect((await getJson(`${server.url}/healthz`)).status).toBe(200);
      },
      { timeout: 10_000, interval: 200 },
    );
    expect(await (await fetch(`${server.url}/metrics`, asAdmin)).text()).toMatch(/^crier_redis_up 1$/m);
  });
});
