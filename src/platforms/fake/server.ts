import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';

/**
 * Shared machinery of the fake platform servers (HTTPS on loopback).
 *
 * A fake is a request handler plus this server, which adds:
 * - a record of every request received (`requests`),
 * - scripted faults ("the next N requests answer 429 until T", "answer 500 after storing the post",
 *   "drop the connection", "hang"), settable in-process or over HTTP,
 * - a clock that tests can move (`clock.offsetMs`) for daily limits and token expiry,
 * - a control interface under `/__control/` (see `handleControl`).
 */
export interface FakeRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  /** The body as UTF-8 text. */
  raw: string;
  /** The body exactly as received (uploads of binary files). */
  bytes: Buffer;
  /** Parsed JSON body, when the content type is JSON. */
  json?: unknown;
  /** Parsed form body, when the content type is application/x-www-form-urlencoded (else empty). */
  form: URLSearchParams;
  /** Full URL the client used, for OAuth signature checks. */
  url: string;
}

export interface FakeResponse {
  status: number;
  headers?: Record<string, string>;
  /** Objects are sent as JSON; strings and Buffers as they are; undefined as an empty body. */
  body?: unknown;
}

export type FaultAction =
  /** Answer this instead of handling the request. */
  | { mode: 'respond'; response: FakeResponse }
  /** Handle the request (the post is stored), then answer this instead. */
  | { mode: 'respond-after-handling'; response: FakeResponse }
  /** Destroy the socket without answering (before handling). */
  | { mode: 'drop' }
  /** Handle the request (the post is stored), then destroy the socket. */
  | { mode: 'drop-after-handling' }
  /** Never answer (the client must time out); with `afterHandling` the post is stored first. */
  | { mode: 'hang'; afterHandling?: boolean }
  /** Answer 200 headers, then one byte every `everyMs` forever: only a wall-clock deadline stops the client. */
  | { mode: 'trickle'; everyMs?: number; afterHandling?: boolean };

export interface Fault {
  /** Only requests with this method (default: any). */
  method?: string;
  /** Only requests whose path starts with this (default: any). */
  pathPrefix?: string;
  /** How many matching requests get the fault (default 1). Ignored when `untilMs` is set and count is absent. */
  count?: number;
  /** Fault applies until this fake-clock epoch ms. */
  untilMs?: number;
  action: FaultAction;
}

export interface FakeContext {
  now(): number;
}

export type FakeHandler = (req: FakeRequest, ctx: FakeContext) => FakeResponse | Promise<FakeResponse>;

export interface FakeHooks {
  /** Platform state for GET /__control/state. */
  state?: () => unknown;
  /** Applies POST /__control/state bodies (token states, limits, ...). */
  setState?: (body: unknown) => void;
  reset?: () => void;
}

/** Random latency (uniform, ms) before a request is handled and before its answer is sent (chaos runs). */
export interface Latency {
  beforeMs: number;
  afterMs: number;
}

export class FakeServer {
  readonly requests: FakeRequest[] = [];
  readonly clock = { offsetMs: 0 };
  /** Every request waits a random time before it is handled and again before it is answered. */
  latency?: Latency;
  /**
   * Consulted for each request that no scripted fault matches: a fault to apply to it, or undefined (chaos
   * runs: a share of 5xx, dropped connections, answers lost after the post was stored, refused look-ups).
   */
  randomFault?: (req: FakeRequest) => FaultAction | undefined;
  private faults: Fault[] = [];
  private server?: Server;
  private sockets = new Set<Duplex>();
  private hanging = new Set<ServerResponse>();
  url = '';

  constructor(
    readonly name: string,
    private readonly handler: FakeHandler,
    private readonly hooks: FakeHooks = {},
  ) {}

  now(): number {
    return Date.now() + this.clock.offsetMs;
  }

  addFault(f: Fault): void {
    this.faults.push({ ...f, count: f.count ?? (f.untilMs === undefined ? 1 : undefined) });
  }

  clearFaults(): void {
    this.faults = [];
  }

  reset(): void {
    this.faults = [];
    this.requests.length = 0;
    this.clock.offsetMs = 0;
    this.hooks.reset?.();
  }

  async start(tls: { cert: string; key: string }, port = 0, host = '127.0.0.1'): Promise<string> {
    this.server = createServer({ cert: tls.cert, key: tls.key }, (req, res) => {
      this.onRequest(req, res).catch((err) => {
        res.statusCode = 500;
        res.end(JSON.stringify({ fakeError: String(err) }));
      });
    });
    this.server.on('connection', (s) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
    await new Promise<void>((resolve) => this.server!.listen(port, host, resolve));
    const addr = this.server.address() as AddressInfo;
    this.url = `https://${host}:${addr.port}`;
    return this.url;
  }

  async close(): Promise<void> {
    for (const r of this.hanging) r.destroy();
    for (const s of this.sockets) s.destroy();
    if (this.server) await new Promise<void>((resolve) => this.server!.close(() => resolve()));
  }

  private takeFault(req: FakeRequest): FaultAction | undefined {
    const now = this.now();
    this.faults = this.faults.filter(
      (f) => (f.untilMs === undefined || f.untilMs > now) && (f.count ?? 1) > 0,
    );
    const f = this.faults.find(
      (x) => (!x.method || x.method === req.method) && (!x.pathPrefix || req.path.startsWith(x.pathPrefix)),
    );
    if (!f) return undefined;
    if (f.count !== undefined) f.count -= 1;
    return f.action;
  }

  private async onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const bytes = Buffer.concat(chunks);
    const raw = bytes.toString('utf8');
    const u = new URL(req.url ?? '/', this.url);
    const type = String(req.headers['content-type'] ?? '');
    let json: unknown;
    if (type.includes('json') && raw) {
      try {
        json = JSON.parse(raw);
      } catch {
        json = undefined;
      }
    }
    const fr: FakeRequest = {
      method: req.method ?? 'GET',
      path: u.pathname,
      query: u.searchParams,
      headers: req.headers,
      raw,
      bytes,
      json,
      form: type.includes('application/x-www-form-urlencoded')
        ? new URLSearchParams(raw)
        : new URLSearchParams(),
      url: u.toString(),
    };

    if (fr.path.startsWith('/__control/')) return this.send(res, this.handleControl(fr));
    this.requests.push(fr);

    const fault = this.takeFault(fr) ?? this.randomFault?.(fr);
    const ctx: FakeContext = { now: () => this.now() };
    const pause = (max = 0) => (max > 0 ? new Promise((r) => setTimeout(r, Math.random() * max)) : undefined);
    await pause(this.latency?.beforeMs);
    if (!fault) {
      const answer = await this.handler(fr, ctx);
      await pause(this.latency?.afterMs);
      return this.send(res, answer);
    }
    switch (fault.mode) {
      case 'respond':
        return this.send(res, fault.response);
      case 'respond-after-handling':
        await this.handler(fr, ctx);
        return this.send(res, fault.response);
      case 'drop':
        req.socket.destroy();
        return;
      case 'drop-after-handling':
        await this.handler(fr, ctx);
        req.socket.destroy();
        return;
      case 'hang':
        if (fault.afterHandling) await this.handler(fr, ctx);
        this.hanging.add(res);
        res.on('close', () => this.hanging.delete(res));
        return;
      case 'trickle': {
        if (fault.afterHandling) await this.handler(fr, ctx);
        res.writeHead(200, { 'content-type': 'application/json' });
        res.write('{"data":');
        const timer = setInterval(() => res.write(' '), fault.everyMs ?? 200);
        this.hanging.add(res);
        res.on('close', () => {
          clearInterval(timer);
          this.hanging.delete(res);
        });
        return;
      }
    }
  }

  /**
   * Control interface (JSON):
   * - POST /__control/faults   body: Fault            → script a fault
   * - DELETE /__control/faults                       → clear faults
   * - POST /__control/reset                          → forget everything
   * - GET  /__control/requests                       → requests received (method, path, headers, body)
   * - GET  /__control/state | POST /__control/state  → platform state (posts, tokens, counters)
   * - POST /__control/clock    body: {offsetMs}      → move the fake clock
   */
  private handleControl(req: FakeRequest): FakeResponse {
    const p = req.path.slice('/__control/'.length);
    const body = (req.json ?? {}) as Record<string, unknown>;
    if (p === 'faults' && req.method === 'POST') {
      this.addFault(body as unknown as Fault);
      return { status: 204 };
    }
    if (p === 'faults' && req.method === 'DELETE') {
      this.clearFaults();
      return { status: 204 };
    }
    if (p === 'reset' && req.method === 'POST') {
      this.reset();
      return { status: 204 };
    }
    if (p === 'requests') {
      return {
        status: 200,
        body: this.requests.map((r) => ({ method: r.method, path: r.path, headers: r.headers, body: r.raw })),
      };
    }
    if (p === 'clock' && req.method === 'POST') {
      this.clock.offsetMs = Number(body.offsetMs ?? 0);
      return { status: 200, body: { now: this.now() } };
    }
    if (p === 'state' && req.method === 'GET') return { status: 200, body: this.hooks.state?.() ?? {} };
    if (p === 'state' && req.method === 'POST') {
      this.hooks.setState?.(body);
      return { status: 200, body: this.hooks.state?.() ?? {} };
    }
    return { status: 404, body: { error: `unknown control ${req.method} ${req.path}` } };
  }

  private send(res: ServerResponse, r: FakeResponse): void {
    res.statusCode = r.status;
    for (const [k, v] of Object.entries(r.headers ?? {})) res.setHeader(k, v);
    if (r.body === undefined) {
      res.end();
    } else if (typeof r.body === 'string' || Buffer.isBuffer(r.body)) {
      res.end(r.body);
    } else {
      if (!res.hasHeader('content-type')) res.setHeader('content-type', 'application/json; charset=utf-8');
      res.end(JSON.stringify(r.body));
    }
  }
}
