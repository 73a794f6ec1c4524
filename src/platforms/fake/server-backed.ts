import type { FakeTls } from './platform.js';
import type { FakeServer } from './server.js';

/**
 * A platform's fake built around one `FakeServer`: its URL, start, close, reset and clock are the server's. The
 * subclass makes the server (with its handler and state hooks) in its constructor.
 */
export abstract class ServerBackedFake {
  abstract readonly server: FakeServer;

  /** https://127.0.0.1:<port> once started. */
  get url(): string {
    return this.server.url;
  }

  start(tls: FakeTls, port?: number, host?: string): Promise<string> {
    return this.server.start(tls, port, host);
  }

  close(): Promise<void> {
    return this.server.close();
  }

  /** Forgets posts, tokens, faults, requests and clock moves; default credentials work again. */
  reset(): void {
    this.server.reset();
  }

  /** Fake-clock epoch ms. */
  now(): number {
    return this.server.now();
  }
}
