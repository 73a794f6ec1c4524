import { connect, createServer, type Server, type Socket } from 'node:net';

export type ProxyMode =
  /** Bytes pass both ways at once. */
  | { mode: 'pass' }
  /** Each chunk from Redis is held `ms` before it is passed on: a slow (overloaded, swapping) Redis. */
  | { mode: 'slow'; ms: number }
  /** Connections are accepted and nothing ever comes back: a hung Redis. */
  | { mode: 'hang' };

/**
 * A TCP proxy in front of a Redis that a test can slow down or hang, for the behaviour of Crier's processes
 * and commands on a Redis that answers late or not at all (without touching the Redis itself).
 */
export async function redisProxy(target: string) {
  const t = new URL(target);
  const sockets = new Set<Socket>();
  let current: ProxyMode = { mode: 'pass' };
  const server: Server = createServer((client) => {
    const upstream = connect(Number(t.port || 6379), t.hostname);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('error', () => {});
      s.on('close', () => {
        client.destroy();
        upstream.destroy();
        sockets.delete(s);
      });
    }
    client.on('data', (chunk) => {
      if (current.mode !== 'hang') upstream.write(chunk);
    });
    upstream.on('data', (chunk) => {
      const mode = current;
      if (mode.mode === 'hang') return;
      if (mode.mode === 'slow') setTimeout(() => client.write(chunk), mode.ms);
      else client.write(chunk);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `redis://127.0.0.1:${port}`,
    set(mode: ProxyMode) {
      current = mode;
    },
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
