import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import { createContext } from '../../src/context.js';
import { type HttpServerOptions, startHttpServer } from '../../src/http/http.js';
import { ADMIN_ENV, asAdmin } from '../helpers/admin.js';
import { ConsoleClient } from '../helpers/console.js';
import { fakeTls } from '../helpers/fake-tls.js';
import { deletePrefix, redisUrl, uniquePrefix } from '../helpers/redis.js';

const CONFIG = `
site: { name: Test News, url: https://news.example.org }
accounts:
  - { id: x-main, platform: twitter }
`;
const USER = 'editor';
const PASSWORD = 'correct horse battery staple';
const OPERATOR = { CRIER_OPERATOR_USER: USER, CRIER_OPERATOR_PASSWORD: PASSWORD };

async function serve(env: Record<string, string>, opts: HttpServerOptions = {}) {
  const prefix = uniquePrefix();
  const ctx = await createContext({
    config: parseConfig(CONFIG, 'x'),
    env: { REDIS_URL: redisUrl(), CRIER_PREFIX: prefix, ...env },
    logger: pino({ level: 'silent' }),
  });
  const server = await startHttpServer(ctx, '127.0.0.1:0', { heartbeats: async () => [], ...opts });
  return {
    ctx,
    server,
    prefix,
    async close() {
      await server.close();
      await ctx.close();
      await deletePrefix(prefix);
    },
  };
}

describe('console without CRIER_OPERATOR_USER / CRIER_OPERATOR_PASSWORD', () => {
  let s: Awaited<ReturnType<typeof serve>>;
  beforeAll(async () => {
    // A password alone is not enough.
    s = await serve({ CRIER_OPERATOR_PASSWORD: PASSWORD, ...ADMIN_ENV });
  });
  afterAll(() => s?.close());

  it('refuses every console page and action with 503 naming the variables; /healthz stays where it is', async () => {
    for (const [method, path] of [
      ['GET', '/'],
      ['GET', '/login'],
      ['POST', '/login'],
      ['GET', '/calendar'],
    ] as const) {
      const res = await fetch(`${s.server.url}${path}`, { method, redirect: 'manual' });
      expect(res.status, `${method} ${path}`).toBe(503);
      const text = await res.text();
      expect(text).toContain('CRIER_OPERATOR_USER');
      expect(text).toContain('CRIER_OPERATOR_PASSWORD');
      expect(res.headers.getSetCookie()).toEqual([]);
    }
    expect((await fetch(`${s.server.url}/metrics`, asAdmin)).status).toBe(200);
  });
});

describe('console log-in, session and CSRF (real Redis)', () => {
  let s: Awaited<ReturnType<typeof serve>>;
  beforeAll(async () => {
    s = await serve(OPERATOR, { console: { throttle: { perAddress: 3, perUser: 100, windowMs: 60_000 } } });
  });
  afterAll(() => s?.close());

  it('sends a page request without a session to the log-in form, and back after logging in', async () => {
    const c = new ConsoleClient(s.server.url);
    const res = await c.get('/calendar?week=1');
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/login?next=%2Fcalendar%3Fweek%3D1');
    const form = await (await c.get(res.headers.get('location')!)).text();
    expect(form).toContain('<label for="user">');
    expect(form).toContain('<label for="password">');
    expect(form).toContain('name="next" value="/calendar?week=1"');
    const login = await c.post('/login', {
      _csrf: ConsoleClient.csrfOf(form),
      user: USER,
      password: PASSWORD,
      next: '/calendar?week=1',
    });
    expect(login.status).toBe(303);
    expect(login.headers.get('location')).toBe('/calendar?week=1');
  });

  it('sets the session cookie HttpOnly, SameSite=Strict, Path=/ and (over plain HTTP) not Secure', async () => {
    const c = new ConsoleClient(s.server.url);
    const res = await c.login(USER, PASSWORD);
    expect(res.status).toBe(303);
    const cookie = c.lastSetCookie.find((h) => h.startsWith('crier_session='));
    expect(cookie).toBeDefined();
    expect(cookie).toMatch(/; HttpOnly/i);
    expect(cookie).toMatch(/; SameSite=Strict/i);
    expect(cookie).toMatch(/; Path=\//i);
    expect(cookie).not.toMatch(/; Secure/i);
    const home = await c.get('/');
    expect(home.status).toBe(200);
    expect(await home.text()).toContain(USER);
  });

  it('refuses a wrong password, a wrong user name and a tampered or unsigned cookie', async () => {
    const c = new ConsoleClient(s.server.url);
    const wrong = await c.login(USER, `${PASSWORD}!`);
    expect(wrong.status).toBe(401);
    expect(await wrong.text()).toContain('Wrong user name or password.');
    expect(c.cookies.has('crier_session')).toBe(false);
    expect((await new ConsoleClient(s.server.url).login('admin', PASSWORD)).status).toBe(401);

    const ok = new ConsoleClient(s.server.url);
    await ok.login(USER, PASSWORD);
    const value = ok.cookies.get('crier_session')!;
    const [id, sig] = value.split('.');
    for (const forged of [`${id}.${sig!.slice(0, -2)}xx`, id!, `${id!.slice(0, -2)}xx.${sig}`, 'a.b']) {
      const res = await fetch(`${s.server.url}/`, {
        headers: { cookie: `crier_session=${forged}` },
        redirect: 'manual',
      });
      expect(res.status, forged).toBe(303);
      expect(res.headers.get('location')).toMatch(/^\/login/);
    }
  });

  it('refuses a log-in without the form token (log-in CSRF) or posted from another site', async () => {
    const c = new ConsoleClient(s.server.url);
    await c.get('/login');
    const noToken = await c.post('/login', { user: USER, password: PASSWORD });
    expect(noToken.status).toBe(403);
    expect(c.cookies.has('crier_session')).toBe(false);
    const page = await (await c.get('/login')).text();
    const foreign = await c.post(
      '/login',
      { _csrf: ConsoleClient.csrfOf(page), user: USER, password: PASSWORD },
      { origin: 'https://evil.example' },
    );
    expect(foreign.status).toBe(403);
    expect(c.cookies.has('crier_session')).toBe(false);
  });

  it('locks an address out after repeated failures, even with the right password then', async () => {
    const c = new ConsoleClient(s.server.url);
    const headers = { 'x-test': 'lockout' };
    for (let i = 0; i < 3; i++) expect((await c.login(USER, `guess-${i}`)).status).toBe(401);
    const page = await (await c.get('/login', headers)).text();
    const locked = await c.post('/login', {
      _csrf: ConsoleClient.csrfOf(page),
      user: USER,
      password: PASSWORD,
    });
    expect(locked.status).toBe(429);
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await locked.text()).toContain('Too many failed log-ins');
    expect(c.cookies.has('crier_session')).toBe(false);
    // The lock-out is in Redis, shared by every process; clear it for the other tests of this file.
    const keys = await s.ctx.redis.keys(`${s.prefix}:console:login-failures:*`);
    expect(keys.length).toBeGreaterThan(0);
    await s.ctx.redis.del(...keys);
  });

  it('counts guesses sent all at once: no more than the limit are tried from one address', async () => {
    // Each guess carries its own log-in form (a fresh client each), all sent before any answer comes back.
    const guesses = await Promise.all(
      Array.from({ length: 12 }, async (_, i) => {
        const c = new ConsoleClient(s.server.url);
        const csrf = ConsoleClient.csrfOf(await (await c.get('/login')).text());
        return () => c.post('/login', { _csrf: csrf, user: USER, password: `parallel-${i}` });
      }),
    );
    const statuses = (await Promise.all(guesses.map((guess) => guess()))).map((r) => r.status);
    // The limit of this server is 3 per address: the others are refused before the password is compared.
    expect(statuses.filter((st) => st === 401)).toHaveLength(3);
    expect(statuses.filter((st) => st === 429)).toHaveLength(9);
    const keys = await s.ctx.redis.keys(`${s.prefix}:console:login-failures:*`);
    await s.ctx.redis.del(...keys);
  });

  it('never redirects to another site after logging in', async () => {
    for (const next of ['//evil.example/', 'https://evil.example/', '/\\evil.example']) {
      const c = new ConsoleClient(s.server.url);
      const page = await (await c.get(`/login?next=${encodeURIComponent(next)}`)).text();
      const res = await c.post('/login', {
        _csrf: ConsoleClient.csrfOf(page),
        user: USER,
        password: PASSWORD,
        next,
      });
      expect(res.status).toBe(303);
      expect(res.headers.get('location')).toBe('/');
    }
  });

  it('logs out only with the CSRF token; the old cookie is dead afterwards', async () => {
    const c = new ConsoleClient(s.server.url);
    await c.login(USER, PASSWORD);
    const cookie = c.cookies.get('crier_session')!;
    const csrf = await c.csrf();
    expect((await c.post('/logout', {})).status).toBe(403);
    expect((await c.post('/logout', { _csrf: 'x'.repeat(csrf.length) })).status).toBe(403);
    expect((await c.post('/logout', { _csrf: csrf }, { origin: 'https://evil.example' })).status).toBe(403);
    expect((await c.get('/')).status).toBe(200);
    const out = await c.post('/logout', { _csrf: csrf });
    expect(out.status).toBe(303);
    expect(out.headers.get('location')).toBe('/login');
    const replay = await fetch(`${s.server.url}/`, {
      headers: { cookie: `crier_session=${cookie}` },
      redirect: 'manual',
    });
    expect(replay.status).toBe(303);
  });

  it('answers an action without a session with 401, never a redirect that a script could follow', async () => {
    const res = await fetch(`${s.server.url}/logout`, { method: 'POST', redirect: 'manual' });
    expect(res.status).toBe(401);
  });

  it('sends security headers: a CSP without inline script, no framing, no sniffing; assets are local', async () => {
    const c = new ConsoleClient(s.server.url);
    for (const path of ['/login', '/']) {
      if (path === '/') await c.login(USER, PASSWORD);
      const res = await c.get(path);
      const csp = res.headers.get('content-security-policy') ?? '';
      expect(csp).toContain("default-src 'none'");
      expect(csp).toContain("script-src 'self'");
      expect(csp).not.toContain('unsafe-inline');
      expect(csp).not.toContain('unsafe-eval');
      expect(csp).toContain("frame-ancestors 'none'");
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('cache-control')).toBe('no-store');
      const html = await res.text();
      // No CDN, no web font: every script and style sheet is the console's own.
      for (const m of html.matchAll(/(?:src|href)="([^"]+)"/g)) {
        if (/^(https?:)?\/\//.test(m[1]!)) throw new Error(`external resource ${m[1]} on ${path}`);
      }
      expect(html).not.toMatch(/<script>|<style|style="| on[a-z]+="/);
    }
    const css = await fetch(`${s.server.url}/assets/console.css`);
    expect(css.status).toBe(200);
    expect(css.headers.get('content-type')).toMatch(/^text\/css/);
    expect(await css.text()).not.toMatch(/@import|@font-face|url\(/);
  });
});

describe('console over HTTPS', () => {
  let s: Awaited<ReturnType<typeof serve>>;
  beforeAll(async () => {
    const tls = fakeTls();
    s = await serve(OPERATOR, { tls });
  });
  afterAll(() => s?.close());

  it('marks the session cookie Secure', async () => {
    expect(s.server.url).toMatch(/^https:/);
    const c = new ConsoleClient(s.server.url);
    const res = await c.login(USER, PASSWORD);
    expect(res.status).toBe(303);
    const cookie = c.lastSetCookie.find((h) => h.startsWith('crier_session='));
    expect(cookie).toMatch(/; Secure/i);
    expect(cookie).toMatch(/; HttpOnly/i);
    expect(cookie).toMatch(/; SameSite=Strict/i);
  });
});

describe('console behind a TLS proxy (CRIER_TRUST_PROXY)', () => {
  let s: Awaited<ReturnType<typeof serve>>;
  beforeAll(async () => {
    s = await serve({ ...OPERATOR, CRIER_TRUST_PROXY: 'loopback' });
  });
  afterAll(() => s?.close());

  it('marks the session cookie Secure when the proxy says the request came over HTTPS', async () => {
    const c = new ConsoleClient(s.server.url);
    const page = await (await c.get('/login')).text();
    const res = await c.post(
      '/login',
      { _csrf: ConsoleClient.csrfOf(page), user: USER, password: PASSWORD },
      { 'x-forwarded-proto': 'https' },
    );
    expect(res.status).toBe(303);
    expect(c.lastSetCookie.find((h) => h.startsWith('crier_session='))).toMatch(/; Secure/i);
  });
});

describe('console lock-out of a user name guessed from many addresses', () => {
  let s: Awaited<ReturnType<typeof serve>>;
  beforeAll(async () => {
    s = await serve(
      { ...OPERATOR, CRIER_TRUST_PROXY: 'loopback' },
      { console: { throttle: { perAddress: 3, perUser: 5, windowMs: 60_000 } } },
    );
  });
  afterAll(() => s?.close());

  const from = (ip: string) => ({ 'x-forwarded-for': ip });
  const logIn = async (c: ConsoleClient, ip: string, password: string) => {
    const page = await (await c.get('/login', from(ip))).text();
    return c.post('/login', { _csrf: ConsoleClient.csrfOf(page), user: USER, password }, from(ip));
  };

  it('locks the name out for new browsers, but not for a browser that logged in before (no lasting denial)', async () => {
    // The editor logged in from this browser last week, and logged out.
    const editor = new ConsoleClient(s.server.url);
    expect((await logIn(editor, '203.0.113.7', PASSWORD)).status).toBe(303);
    await editor.post('/logout', { _csrf: await editor.csrf() }, from('203.0.113.7'));
    expect(editor.cookies.has('crier_session')).toBe(false);
    // Five guesses from two addresses (three from one, the most one address may try) lock the user name out.
    for (const [ip, n] of [
      ['198.51.100.1', 3],
      ['198.51.100.2', 2],
    ] as const)
      for (let i = 0; i < n; i++)
        expect((await logIn(new ConsoleClient(s.server.url), ip, `guess-${ip}-${i}`)).status).toBe(401);
    const stranger = await logIn(new ConsoleClient(s.server.url), '192.0.2.9', PASSWORD);
    expect(stranger.status).toBe(429);
    // The editor's browser still gets in, from a new address, with the right password.
    expect((await logIn(editor, '192.0.2.10', PASSWORD)).status).toBe(303);
    expect((await editor.get('/', from('192.0.2.10'))).status).toBe(200);
  });
});
