import type { AddressInfo } from 'node:net';
import express from 'express';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { redisGate } from '../../src/http/redis-gate.js';

const logger = pino({ level: 'silent' });

/** An app whose one route never answers (its Redis hung after the ping), behind the gate. */
async function serve(ping: () => Promise<unknown>) {
  const app = express();
  app.use(
    redisGate(ping, { pingMs: 200, requestMs: 300 }, logger, (_req, res, why) =>
      res.status(503).type('text').send(why),
    ),
  );
  app.get('/ok', (_req, res) => void res.send('fine'));
  app.all('/never', () => {});
  const server = app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

describe('redisGate', () => {
  let s: Awaited<ReturnType<typeof serve>> | undefined;
  afterEach(() => {
    s?.server.closeAllConnections();
    s?.server.close();
  });

  it('lets a request through when Redis answers, and answers 503 for one still unanswered at the deadline', async () => {
    s = await serve(async () => 'PONG');
    expect(await (await fetch(`${s.url}/ok`)).text()).toBe('fine');
    const page = await fetch(`${s.url}/never`, { signal: AbortSignal.timeout(5000) });
    expect(page.status).toBe(503);
    expect(page.headers.get('retry-after')).toBe('10');
    expect(await page.text()).toMatch(/did not answer within 0.3 s\.$/);
    const change = await fetch(`${s.url}/never`, { method: 'POST', signal: AbortSignal.timeout(5000) });
    expect(change.status).toBe(503);
    expect(await change.text()).toMatch(
      /The change may still be made when it answers: look before trying again/,
    );
  });

  it('answers 503 at once when the ping fails, and within the ping deadline when it hangs', async () => {
    s = await serve(async () => {
      throw new Error("Stream isn't writeable and enableOfflineQueue options is false");
    });
    const down = await fetch(`${s.url}/ok`, { method: 'POST', signal: AbortSignal.timeout(5000) });
    expect(down.status).toBe(503);
    expect(await down.text()).toMatch(/is not answering\. Nothing was changed/);
    s.server.close();
    s = await serve(() => new Promise(() => {}));
    const started = Date.now();
    const hung = await fetch(`${s.url}/ok`, { signal: AbortSignal.timeout(5000) });
    expect(hung.status).toBe(503);
    expect(Date.now() - started).toBeLessThan(4000);
  });
});
