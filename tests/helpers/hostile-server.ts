import {
  createServer as createHttp,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import { createServer as createHttps } from 'node:https';
import type { AddressInfo } from 'node:net';

/**
 * A local web server that answers as hostile or broken sites do (slow, looping, redirecting to private
 * addresses, compressed bombs, wrong charsets, huge feeds). Routes are functions of the request; a route
 * may keep the response open (it is destroyed at `close`). Listens on 127.0.0.1 only: tests let it through
 * the fetch policy's allow-list (`CRIER_FETCH_ALLOW=127.0.0.1`), never by switching the policy off.
 */
export type Route = (req: IncomingMessage, res: ServerResponse, site: HostileServer) => void;

export class HostileServer {
  private server?: Server;
  private readonly open = new Set<ServerResponse>();
  private readonly timers = new Set<NodeJS.Timeout>();
  url = '';
  readonly hits: string[] = [];

  constructor(readonly routes: Record<string, Route>) {}

  async start(tls?: { cert: string; key: string }): Promise<this> {
    const handler = (req: IncomingMessage, res: ServerResponse) => {
      const path = new URL(req.url ?? '/', 'http://x').pathname;
      this.hits.push(path);
      this.open.add(res);
      res.on('close', () => this.open.delete(res));
      const route = this.routes[path];
      if (!route) {
        res.writeHead(404, { 'content-type': 'text/plain' });
        res.end('no such page');
        return;
      }
      route(req, res, this);
    };
    this.server = tls ? createHttps(tls, handler) : createHttp(handler);
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', r));
    const port = (this.server.address() as AddressInfo).port;
    this.url = `${tls ? 'https' : 'http'}://127.0.0.1:${port}`;
    return this;
  }

  /** A timer that `close` clears (trickling servers). */
  every(ms: number, fn: () => void): NodeJS.Timeout {
    const t = setInterval(fn, ms);
    this.timers.add(t);
    return t;
  }

  async close(): Promise<void> {
    for (const t of this.timers) clearInterval(t);
    for (const r of this.open) r.destroy();
    this.server?.closeAllConnections();
    await new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()));
  }
}

/** Answers with a status, headers and a body. */
export const answer =
  (status: number, headers: Record<string, string | number>, body: string | Buffer = ''): Route =>
  (_req, res) => {
    res.writeHead(status, headers);
    res.end(body);
  };

/** Redirects to `to` (absolute, or relative to the server). */
export const redirect =
  (to: string | ((site: HostileServer) => string), status = 302): Route =>
  (_req, res, site) => {
    res.writeHead(status, { location: typeof to === 'string' ? to : to(site) });
    res.end();
  };

/** Sends headers, then one byte every `ms` forever (a slow-loris answer). */
export const trickle =
  (ms: number, type = 'text/html'): Route =>
  (_req, res, site) => {
    res.writeHead(200, { 'content-type': type });
    const t = site.every(ms, () => {
      if (res.destroyed) clearInterval(t);
      else res.write('<');
    });
  };
