import { afterEach, describe, expect, it } from 'vitest';
import { signHook } from '../../src/http/hooks.js';
import { type PrivateRedis, startRedisServer } from '../../src/queue/redis-server.js';
import { type ConsoleClient, type ConsoleHarness, startConsoleHarness } from '../helpers/console.js';
import { redisProxy } from '../helpers/redis-proxy.js';
import { scaled, waitFor } from '../helpers/wait.js';

const SECRET = 'whsec-redis-down';

/** A request with a deadline of its own: a console that waits on Redis fails the test instead of hanging it. */
async function timed(run: (signal: AbortSignal) => Promise<Response>, ms: number) {
  const started = Date.now();
  const res = await run(AbortSignal.timeout(ms));
  return { res, ms: Date.now() - started, text: await res.text() };
}

describe('console and webhook while Redis is down or hung: a clear 503, quickly', () => {
  let redis: PrivateRedis | undefined;
  let proxy: Awaited<ReturnType<typeof redisProxy>> | undefined;
  let t: ConsoleHarness | undefined;
  afterEach(async () => {
    proxy?.set({ mode: 'pass' });
    if (redis && redis.child.exitCode !== null) await redis.restart();
    await t?.close();
    await proxy?.close();
    redis?.stop();
    t = undefined;
    proxy = undefined;
    redis = undefined;
  });

  const expect503 = async (what: string, run: (signal: AbortSignal) => Promise<Response>) => {
    const r = await timed(run, scaled(8000));
    expect(r.res.status, what).toBe(503);
    expect(r.res.headers.get('retry-after'), what).toMatch(/^\d+$/);
    expect(r.text, what).toMatch(/Redis/);
    return r;
  };

  const probeAll = async (c: ConsoleClient, csrf: string) => {
    const base = c.base;
    await expect503('GET /', (signal) =>
      fetch(new URL('/', base), { headers: { cookie: c.cookieHeader() }, redirect: 'manual', signal }),
    );
    await expect503('GET /login', (signal) => fetch(new URL('/login', base), { redirect: 'manual', signal }));
    await expect503('POST pause', (signal) =>
      fetch(new URL('/accounts/x-main/pause', base), {
        method: 'POST',
        redirect: 'manual',
        signal,
        headers: { cookie: c.cookieHeader(), 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ _csrf: csrf }).toString(),
      }),
    );
    const body = JSON.stringify({ source: 'none' });
    const ts = String(Math.floor(Date.now() / 1000));
    await expect503('POST /hooks/articles', (signal) =>
      fetch(new URL('/hooks/articles', base), {
        method: 'POST',
        signal,
        headers: {
          'content-type': 'application/json',
          'x-crier-timestamp': ts,
          'x-crier-signature': signHook(SECRET, ts, body),
        },
        body,
      }),
    );
  };

  it('a Redis that is stopped: every page, action and push answers 503 saying so; the console comes back with Redis', async () => {
    redis = await startRedisServer();
    t = await startConsoleHarness({
      workers: false,
      env: { REDIS_URL: redis.url, CRIER_WEBHOOK_SECRET: SECRET },
    });
    const c = await t.login();
    const csrf = await c.csrf();
    await redis.kill();
    await probeAll(c, csrf);
    await redis.restart();
    const url = t.server.url;
    await waitFor(async () => (await fetch(`${url}/login`)).status === 200, { what: 'the console back' });
  });

  it('a Redis that accepts connections and never answers: 503 within the deadline, not a page that never comes', async () => {
    redis = await startRedisServer();
    proxy = await redisProxy(redis.url);
    t = await startConsoleHarness({
      workers: false,
      env: { REDIS_URL: proxy.url, CRIER_WEBHOOK_SECRET: SECRET },
    });
    const c = await t.login();
    const csrf = await c.csrf();
    proxy.set({ mode: 'hang' });
    await probeAll(c, csrf);
  });
});
