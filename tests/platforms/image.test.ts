import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { type FakeResponse, FakeServer } from '../../src/platforms/fake/server.js';
import { downloadImage, type ImageLimits } from '../../src/platforms/image.js';
import { fakeTls } from '../helpers/fake-tls.js';

/** The article image download shared by the X and LinkedIn adapters. */

const BYTES = 'image bytes as text '.repeat(10);
const server = new FakeServer('images', (req): FakeResponse => {
  if (req.path === '/a.png') return { status: 200, headers: { 'content-type': 'image/png' }, body: BYTES };
  if (req.path === '/a.webp')
    return { status: 200, headers: { 'content-type': 'IMAGE/WEBP; q=1' }, body: BYTES };
  if (req.path === '/empty.png') return { status: 200, headers: { 'content-type': 'image/png' }, body: '' };
  if (req.path === '/moved') return { status: 302, headers: { location: '/a.png' } };
  if (req.path === '/big.png')
    return { status: 200, headers: { 'content-type': 'image/png' }, body: 'x'.repeat(64 * 1024) };
  return { status: 404, body: 'no' };
});

const limits = (over: Partial<ImageLimits> = {}): ImageLimits => ({
  timeoutMs: 2000,
  maxBytes: 10_000,
  types: ['image/png', 'image/jpeg'],
  platform: 'Example',
  ...over,
});

beforeAll(async () => {
  // The local servers are let through the fetch policy's allow-list, as an operator would.
  vi.stubEnv('CRIER_FETCH_ALLOW', '127.0.0.1');
  await server.start(fakeTls());
});
afterAll(() => {
  vi.unstubAllEnvs();
  return server.close();
});
beforeEach(() => server.reset());

describe('downloadImage', () => {
  it('returns the bytes and the media type (redirects followed)', async () => {
    const got = await downloadImage(`${server.url}/moved`, limits());
    expect(got.ok && got.image.type).toBe('image/png');
    expect(got.ok && got.image.bytes.equals(Buffer.from(BYTES))).toBe(true);
    expect(server.requests.map((r) => r.path)).toEqual(['/moved', '/a.png']);
  });

  it('types are the platform’s: the reason names it; the type is compared without case or parameters', async () => {
    expect(await downloadImage(`${server.url}/a.webp`, limits())).toEqual({
      ok: false,
      reason: 'not an image Example accepts: "image/webp"',
    });
    const webp = await downloadImage(`${server.url}/a.webp`, limits({ types: new Set(['image/webp']) }));
    expect(webp.ok && webp.image.type).toBe('image/webp');
  });

  it('a 404, an empty body, an image over the cap', async () => {
    expect(await downloadImage(`${server.url}/nope.png`, limits())).toEqual({
      ok: false,
      reason: 'image download failed (404)',
    });
    expect(await downloadImage(`${server.url}/empty.png`, limits())).toEqual({
      ok: false,
      reason: 'empty image',
    });
    expect(await downloadImage(`${server.url}/big.png`, limits())).toEqual({
      ok: false,
      reason: 'image over 10000 bytes',
    });
  });

  it('only http(s): data: and file: URLs are refused without a request', async () => {
    const data = await downloadImage('data:image/png;base64,aGVsbG8=', limits());
    expect(data).toEqual({ ok: false, reason: 'image URL is not http(s) (data:)' });
    expect((await downloadImage('file:///etc/hostname', limits())).ok).toBe(false);
    expect((await downloadImage('not a url', limits())).ok).toBe(false);
    expect(server.requests).toHaveLength(0);
  });

  it('a wall-clock deadline: a server trickling bytes is cut off', async () => {
    server.addFault({ pathPrefix: '/a.png', action: { mode: 'trickle', everyMs: 50 } });
    const started = Date.now();
    const got = await downloadImage(`${server.url}/a.png`, limits({ timeoutMs: 500 }));
    const took = Date.now() - started;
    expect(got).toEqual({ ok: false, reason: 'image download failed (ETIMEDOUT)' });
    expect(took).toBeGreaterThanOrEqual(450);
    expect(took).toBeLessThan(2000);
  });
});
