import axios from 'axios';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeServer } from '../../src/platforms/fake/server.js';
import { fakeTls } from '../helpers/fake-tls.js';

describe('FakeServer', () => {
  let stored = 0;
  const fake = new FakeServer('t', () => {
    stored += 1;
    return { status: 201, body: { ok: true } };
  });
  beforeAll(async () => {
    await fake.start(fakeTls());
  });
  afterAll(() => fake.close());

  it('serves HTTPS trusted through NODE_EXTRA_CA_CERTS and records requests', async () => {
    const res = await axios.post(`${fake.url}/x`, { a: 1 });
    expect(res.status).toBe(201);
    expect(fake.requests.at(-1)?.json).toEqual({ a: 1 });
  });

  it('answers a scripted fault, then recovers', async () => {
    await axios.post(`${fake.url}/__control/faults`, {
      count: 1,
      action: { mode: 'respond', response: { status: 429, body: { title: 'Too Many Requests' } } },
    });
    const first = await axios.post(`${fake.url}/x`, {}, { validateStatus: () => true });
    const second = await axios.post(`${fake.url}/x`, {}, { validateStatus: () => true });
    expect([first.status, second.status]).toEqual([429, 201]);
  });

  it('stores then answers 500 for respond-after-handling', async () => {
    const before = stored;
    fake.addFault({ action: { mode: 'respond-after-handling', response: { status: 500 } } });
    const res = await axios.post(`${fake.url}/x`, {}, { validateStatus: () => true });
    expect(res.status).toBe(500);
    expect(stored).toBe(before + 1);
  });

  it('drops the connection', async () => {
    fake.addFault({ action: { mode: 'drop' } });
    await expect(axios.post(`${fake.url}/x`, {})).rejects.toMatchObject({ code: 'ECONNRESET' });
  });
});
