import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import { type RunningWorkers, startWorkers } from '../../jobs/workers.js';
import { type RunningHttpServer, startHttpServer } from '../../src/http/http.js';
import { enqueueIngest } from '../../src/queue/enqueue.js';
import { type Harness, startHarness } from './pipeline.js';

/** A console user agent over plain fetch: keeps cookies, reads CSRF tokens from the pages it gets. */
export class ConsoleClient {
  readonly cookies = new Map<string, string>();
  /** Set-Cookie headers of the last response, as sent. */
  lastSetCookie: string[] = [];

  constructor(readonly base: string) {}

  private remember(res: Response): void {
    this.lastSetCookie = res.headers.getSetCookie();
    for (const c of this.lastSetCookie) {
      const [pair, ...attrs] = c.split(';');
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq).trim();
      const value = pair!.slice(eq + 1).trim();
      const expired = attrs.some((a) => /^\s*expires=Thu, 01 Jan 1970/i.test(a)) || value === '';
      if (expired) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  async get(path: string, headers: Record<string, string> = {}): Promise<Response> {
    const res = await fetch(new URL(path, this.base), {
      redirect: 'manual',
      headers: { cookie: this.cookieHeader(), ...headers },
    });
    this.remember(res);
    return res;
  }

  async post(
    path: string,
    form: Record<string, string>,
    headers: Record<string, string> = {},
  ): Promise<Response> {
    const res = await fetch(new URL(path, this.base), {
      method: 'POST',
      redirect: 'manual',
      headers: {
        cookie: this.cookieHeader(),
        'content-type': 'application/x-www-form-urlencoded',
        ...headers,
      },
      body: new URLSearchParams(form).toString(),
    });
    this.remember(res);
    return res;
  }

  /** The value of the first `_csrf` hidden field of a page. */
  static csrfOf(html: string): string {
    const m = /name="_csrf" value="([^"]*)"/.exec(html);
    if (!m) throw new Error('no _csrf field on the page');
    return m[1]!;
  }

  /** Logs in through the form; returns the response to the POST. */
  async login(user: string, password: string): Promise<Response> {
    const page = await (await this.get('/login')).text();
    return this.post('/login', { _csrf: ConsoleClient.csrfOf(page), user, password, next: '/' });
  }

  /** The CSRF token of the session (read from a page). */
  async csrf(path = '/'): Promise<string> {
    return ConsoleClient.csrfOf(await (await this.get(path)).text());
  }
}

export const OPERATOR_USER = 'editor';
export const OPERATOR_PASSWORD = 'correct horse battery staple';

/** Accounts for console tests: X needs approval, Facebook posts at once, LinkedIn waits for 08:00 slots. */
export const CONSOLE_CONFIG = `
site: { name: North Sea Post, url: https://news.example.org, timezone: Europe/Paris }
accounts:
  - { id: x-main, platform: twitter, template: "{summary}\\n\\n{link}", approval: required }
  - { id: fb-page, platform: facebook }
  - id: li-page
    platform: linkedin
    schedule: { mode: slots, slots: ["0 8 * * *"], timezone: Europe/Paris }
publishing: { attempts: 3, backoffMs: 200, requestTimeoutMs: 3000, retentionDays: 1, holdRecheckMs: 500 }
`;

/**
 * The same with a Bluesky and a Mastodon account whose posts wait for approval (so they stay editable); Mastodon
 * posts unlisted, in English.
 */
export const CONSOLE_CONFIG_ALL_PLATFORMS = CONSOLE_CONFIG.replace(
  'publishing:',
  `  - { id: bsky, platform: bluesky, approval: required }
  - { id: masto, platform: mastodon, approval: required, visibility: unlisted, language: en }
publishing:`,
);

export const fixture = (name: string) => resolve('tests/fixtures/console', name);
export const STORM_URL = 'https://news.example.org/2026/11/storm-power-links';

export interface ConsoleHarness {
  h: Harness;
  server: RunningHttpServer;
  workers?: RunningWorkers;
  /** A client logged in as the operator. */
  login(): Promise<ConsoleClient>;
  /** Queues an article file as `crier publish` does (forced: composed even when seen). */
  publish(file: string, url?: string): Promise<void>;
  close(): Promise<void>;
}

export async function startConsoleHarness(
  opts: { yaml?: string; workers?: boolean; env?: Record<string, string> } = {},
): Promise<ConsoleHarness> {
  const h = await startHarness({
    yaml: opts.yaml ?? CONSOLE_CONFIG,
    env: { CRIER_OPERATOR_USER: OPERATOR_USER, CRIER_OPERATOR_PASSWORD: OPERATOR_PASSWORD, ...opts.env },
  });
  const workers = opts.workers === false ? undefined : startWorkers(h.ctx);
  const server = await startHttpServer(h.ctx, '127.0.0.1:0', { heartbeats: async () => [] });
  return {
    h,
    server,
    workers,
    async login() {
      const c = new ConsoleClient(server.url);
      const res = await c.login(OPERATOR_USER, OPERATOR_PASSWORD);
      if (res.status !== 303) throw new Error(`log-in failed: ${res.status}`);
      return c;
    },
    async publish(file, url = STORM_URL) {
      await enqueueIngest(h.ctx, {
        location: fixture(file),
        kind: 'auto',
        url,
        correlationId: randomUUID(),
        force: true,
      });
    },
    async close() {
      await server.close();
      await workers?.close();
      await h.close();
    },
  };
}
