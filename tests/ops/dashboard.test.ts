import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import { type AppContext, createContext } from '../../src/context.js';
import { type RunningHttpServer, startHttpServer } from '../../src/http/http.js';
import { deletePrefix, redisUrl, uniquePrefix } from '../helpers/redis.js';
import { scaled } from '../helpers/wait.js';

const CONFIG = `
site: { name: Test News, url: https://news.example.org }
accounts:
  - { id: x-main, platform: twitter }
`;
const CHROMIUM = '/usr/bin/chromium';
const USER = 'ops';
const PASSWORD = 'correct horse battery staple';

const basic = (user: string, password: string) =>
  `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

async function serve(prefix: string, admin: Record<string, string>) {
  const env = { REDIS_URL: redisUrl(), CRIER_PREFIX: prefix, ...admin };
  const ctx = await createContext({
    config: parseConfig(CONFIG, 'x'),
    env,
    logger: pino({ level: 'silent' }),
  });
  const server = await startHttpServer(ctx, '127.0.0.1:0', { heartbeats: async () => [] });
  return { ctx, server };
}

describe('/admin/queues without CRIER_ADMIN_USER/CRIER_ADMIN_PASSWORD', () => {
  const prefix = uniquePrefix();
  let ctx: AppContext;
  let server: RunningHttpServer;
  beforeAll(async () => {
    // A password alone is not enough: both must be set.
    ({ ctx, server } = await serve(prefix, { CRIER_ADMIN_PASSWORD: PASSWORD }));
  });
  afterAll(async () => {
    await server?.close();
    await ctx?.close();
    await deletePrefix(prefix);
  });

  it('refuses the dashboard with 403 and says which variables to set, whatever the credentials', async () => {
    for (const path of ['/admin/queues', '/admin/queues/api/queues']) {
      const res = await fetch(`${server.url}${path}`, { headers: { authorization: basic('', PASSWORD) } });
      expect(res.status).toBe(403);
      const text = await res.text();
      expect(text).toContain('CRIER_ADMIN_USER');
      expect(text).toContain('CRIER_ADMIN_PASSWORD');
    }
  });
});

describe('/admin/queues with credentials (real Redis)', () => {
  const prefix = uniquePrefix();
  let ctx: AppContext;
  let server: RunningHttpServer;
  beforeAll(async () => {
    ({ ctx, server } = await serve(prefix, { CRIER_ADMIN_USER: USER, CRIER_ADMIN_PASSWORD: PASSWORD }));
  });
  afterAll(async () => {
    await server?.close();
    await ctx?.close();
    await deletePrefix(prefix);
  });

  it('answers 401 with a Basic challenge to a missing, wrong or malformed Authorization header', async () => {
    const attempts = [
      undefined,
      basic(USER, 'wrong'),
      basic('admin', PASSWORD),
      basic(USER, `${PASSWORD}x`),
      'Bearer abc',
    ];
    for (const authorization of attempts) {
      const res = await fetch(`${server.url}/admin/queues/api/queues`, {
        headers: authorization ? { authorization } : {},
      });
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toMatch(/^Basic realm="Crier admin"/);
    }
  });

  it('serves the dashboard API with the right credentials, listing every queue', async () => {
    const res = await fetch(`${server.url}/admin/queues/api/queues`, {
      headers: { authorization: basic(USER, PASSWORD) },
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { queues: Array<{ name: string }> };
    expect(body.queues.map((q) => q.name).sort()).toEqual(
      ctx.queues
        .all()
        .map((q) => q.name)
        .sort(),
    );
  });

  it('shows every queue name in headless Chromium', async () => {
    // No skip: a machine without Chromium must fail this test (CI installs it, see .ci/run).
    expect(existsSync(CHROMIUM), `${CHROMIUM} is missing: apt-get install -y chromium`).toBe(true);
    const profile = mkdtempSync(join(tmpdir(), 'crier-chromium-'));
    const browser = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
      httpCredentials: { username: USER, password: PASSWORD },
    });
    try {
      // Keep the test hermetic: the dashboard links a web font; anything not on our server is refused.
      const origin = new URL(server.url).origin;
      await browser.route(
        (url) => url.origin !== origin,
        (route) => route.abort(),
      );
      const page = browser.pages()[0] ?? (await browser.newPage());
      const res = await page.goto(`${server.url}/admin/queues`, { waitUntil: 'domcontentloaded' });
      expect(res?.status()).toBe(200);
      for (const q of ctx.queues.all()) {
        await page
          .getByText(q.name, { exact: true })
          .first()
          .waitFor({ state: 'visible', timeout: scaled(10_000) });
      }
      const shown = await page.locator('body').textContent();
      for (const q of ctx.queues.all()) expect(shown).toContain(q.name);
    } finally {
      await browser.close();
      rmSync(profile, { recursive: true, force: true });
    }
  });
});
