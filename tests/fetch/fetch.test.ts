import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliCompressSync, deflateRawSync, deflateSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FetchError, fetchContent, readFileContent } from '../../src/fetch/fetch.js';
import { FetchPolicy, fetchPolicy } from '../../src/fetch/policy.js';
import { fakeTls } from '../helpers/fake-tls.js';
import { answer, HostileServer, redirect, trickle } from '../helpers/hostile-server.js';

/** fetchContent: the one way content is read from the web. The local servers are allowed by address. */

const PAGE = '<!doctype html><title>ok</title><p>fine</p>';
const BOMB = Buffer.alloc(20 * 1024 * 1024, 0x41); // 20 MB of "A": a few KB compressed

const site = new HostileServer({
  '/page': answer(200, { 'content-type': 'text/html' }, PAGE),
  '/moved': redirect('/page', 301),
  '/loop-a': redirect('/loop-b'),
  '/loop-b': redirect('/loop-a'),
  '/chain': redirect((s) => `${s.url}/chain2`),
  '/chain2': redirect('/chain3'),
  '/chain3': redirect('/chain4'),
  '/chain4': redirect('/page'),
  '/to-metadata': redirect('http://169.254.169.254/latest/meta-data/iam/'),
  '/to-private': redirect('http://10.0.0.1/admin'),
  '/to-loopback-2': redirect('http://127.0.0.2/'),
  '/to-decimal': redirect('http://2130706433/'),
  '/to-mapped': redirect('http://[::ffff:127.0.0.1]/'),
  '/to-file': redirect('file:///etc/passwd'),
  '/slow': trickle(40),
  '/gzip-bomb': answer(200, { 'content-type': 'text/html', 'content-encoding': 'gzip' }, gzipSync(BOMB)),
  '/deflate-bomb': answer(
    200,
    { 'content-type': 'text/html', 'content-encoding': 'deflate' },
    deflateSync(BOMB),
  ),
  '/raw-deflate': answer(
    200,
    { 'content-type': 'text/html', 'content-encoding': 'deflate' },
    deflateRawSync(PAGE),
  ),
  '/br-bomb': answer(
    200,
    { 'content-type': 'text/html', 'content-encoding': 'br' },
    brotliCompressSync(BOMB),
  ),
  '/gz-body': answer(200, { 'content-type': 'application/gzip' }, gzipSync(BOMB)),
  '/gzip-ok': answer(200, { 'content-type': 'text/html', 'content-encoding': 'gzip' }, gzipSync(PAGE)),
  '/br-ok': answer(200, { 'content-type': 'text/html', 'content-encoding': 'br' }, brotliCompressSync(PAGE)),
  '/corrupt-gzip': answer(200, { 'content-encoding': 'gzip' }, Buffer.from('not gzip at all')),
  '/odd-coding': answer(200, { 'content-encoding': 'compress' }, 'x'),
  '/big-declared': answer(200, { 'content-type': 'text/html', 'content-length': 9_000_000 }, ''),
  '/gone': answer(410, { 'content-type': 'text/html' }, 'gone'),
});
const secure = new HostileServer({
  '/downgrade': redirect((s) => `${site.url}/page?from=${encodeURIComponent(s.url)}`),
  '/page': answer(200, { 'content-type': 'text/html' }, PAGE),
});

/** Only the test servers' address is allowed, as an operator would allow an intranet host. */
const allowLocal = fetchPolicy({ allow: ['127.0.0.1'], env: {} });
const get = (path: string, opts: Parameters<typeof fetchContent>[1] = {}) =>
  fetchContent(`${site.url}${path}`, { policy: allowLocal, timeoutMs: 5000, maxBytes: 1024 * 1024, ...opts });

async function failure(p: Promise<unknown>): Promise<FetchError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof FetchError) return e;
    throw e;
  }
  throw new Error('expected a FetchError');
}

beforeAll(async () => {
  await site.start();
  await secure.start(fakeTls());
});
afterAll(async () => {
  await site.close();
  await secure.close();
});

describe('fetchContent: addresses', () => {
  it('refuses a local server unless it is allowed, naming host, address and the way to allow it', async () => {
    const e = await failure(fetchContent(`${site.url}/page`, { policy: new FetchPolicy() }));
    expect(e.code).toBe('refused');
    expect(e.message).toMatch(/address 127\.0\.0\.1 \(loopback\).*fetch\.allow.*CRIER_FETCH_ALLOW/);
    expect(site.hits).not.toContain('/never');
    const ok = await get('/page');
    expect(ok.status).toBe(200);
    expect(ok.bytes.toString()).toBe(PAGE);
  });

  it('the default policy reads CRIER_FETCH_ALLOW from the environment', async () => {
    const before = process.env.CRIER_FETCH_ALLOW;
    try {
      delete process.env.CRIER_FETCH_ALLOW;
      expect((await failure(fetchContent(`${site.url}/page`))).code).toBe('refused');
      process.env.CRIER_FETCH_ALLOW = 'example.org, 127.0.0.0/8';
      expect((await fetchContent(`${site.url}/page`)).status).toBe(200);
    } finally {
      if (before === undefined) delete process.env.CRIER_FETCH_ALLOW;
      else process.env.CRIER_FETCH_ALLOW = before;
    }
  });

  it('checks a host name after it resolves (localhost is loopback whatever its name)', async () => {
    const port = new URL(site.url).port;
    const e = await failure(fetchContent(`http://localhost:${port}/page`, { policy: new FetchPolicy() }));
    expect(e.code).toBe('refused');
    expect(e.message).toMatch(/host localhost resolves to (127\.0\.0\.1|::1) \(loopback\)/);
  });

  it.each([
    ['/to-metadata', '169.254.169.254'],
    ['/to-private', '10.0.0.1'],
    ['/to-loopback-2', '127.0.0.2'],
    ['/to-decimal', '127.0.0.1'],
    ['/to-mapped', '::ffff:7f00:1'],
  ])('checks every redirect: %s → %s is refused', async (path, address) => {
    // Only the name "localhost" is allowed here: its redirects to any other form of a private address,
    // 127.0.0.1 written in decimal or as IPv4-mapped IPv6 included, are checked again and refused.
    const byName = fetchPolicy({ allow: ['localhost'], env: {} });
    const url = `${site.url.replace('127.0.0.1', 'localhost')}${path}`;
    const e = await failure(fetchContent(url, { policy: byName, timeoutMs: 5000 }));
    expect(e.code).toBe('refused');
    expect(e.message).toContain(`address ${address}`);
    expect(site.hits).toContain(path);
  });

  it('refuses a redirect to a non-web scheme', async () => {
    const e = await failure(get('/to-file'));
    expect(e.code).toBe('refused');
    expect(e.message).toMatch(/file: URL.*only http and https/);
  });

  it('refuses an https page that redirects to http', async () => {
    const e = await failure(fetchContent(`${secure.url}/downgrade`, { policy: allowLocal }));
    expect(e.code).toBe('refused');
    expect(e.message).toMatch(/redirect from https to http/);
    expect((await fetchContent(`${secure.url}/page`, { policy: allowLocal })).status).toBe(200);
  });
});

describe('fetchContent: redirects, deadline, statuses', () => {
  it('follows redirects itself and reports the final URL', async () => {
    const got = await get('/moved');
    expect(got.finalUrl).toBe(`${site.url}/page`);
    expect((await get('/chain')).finalUrl).toBe(`${site.url}/page`);
  });

  it('names a redirect loop and a chain longer than the bound', async () => {
    expect(await failure(get('/loop-a'))).toMatchObject({
      code: 'redirect',
      message: expect.stringMatching(/redirect loop/),
    });
    const long = await failure(get('/chain', { maxRedirects: 2 }));
    expect(long).toMatchObject({ code: 'redirect', message: 'more than 2 redirects' });
  });

  it('cuts a trickling server off at the wall-clock deadline', async () => {
    const started = Date.now();
    const e = await failure(get('/slow', { timeoutMs: 400 }));
    expect(e.code).toBe('timeout');
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('answers non-2xx statuses (no body) and HEAD', async () => {
    expect((await get('/gone')).status).toBe(410);
    const head = await get('/page', { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.bytes.length).toBe(0);
  });
});

describe('fetchContent: size caps after decompression', () => {
  it.each(['/gzip-bomb', '/deflate-bomb', '/br-bomb', '/gz-body'])('%s stops at the cap', async (path) => {
    const e = await failure(get(path));
    expect(e.code).toBe('too-large');
    expect(e.message).toBe('response is over the 1048576-byte limit after decompression');
  });

  it('reads gzip, brotli and raw deflate within the cap', async () => {
    expect((await get('/gzip-ok')).bytes.toString()).toBe(PAGE);
    expect((await get('/br-ok')).bytes.toString()).toBe(PAGE);
    expect((await get('/raw-deflate')).bytes.toString()).toBe(PAGE);
  });

  it('refuses a declared length over the cap, corrupt data and unknown codings', async () => {
    expect(await failure(get('/big-declared'))).toMatchObject({ code: 'too-large' });
    expect(await failure(get('/corrupt-gzip'))).toMatchObject({
      code: 'encoding',
      message: expect.stringMatching(/^gzip data that does not decompress/),
    });
    expect(await failure(get('/odd-coding'))).toMatchObject({
      code: 'encoding',
      message: 'unsupported Content-Encoding "compress"',
    });
  });
});

describe('readFileContent', () => {
  const dir = mkdtempSync(join(tmpdir(), 'crier-fetch-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads a .html.gz as its page and stops a gzip bomb on disk at the cap', async () => {
    writeFileSync(join(dir, 'page.html.gz'), gzipSync(PAGE));
    expect((await readFileContent(join(dir, 'page.html.gz'))).toString()).toBe(PAGE);
    const bomb = gzipSync(BOMB);
    writeFileSync(join(dir, 'bomb.html.gz'), bomb);
    expect(bomb.length).toBeLessThan(100_000);
    const e = await failure(readFileContent(join(dir, 'bomb.html.gz'), { maxBytes: 1024 * 1024 }));
    expect(e).toMatchObject({
      code: 'too-large',
      message: 'response is over the 1048576-byte limit after decompression',
    });
  });

  it('refuses what is not a regular file and a file over the cap', async () => {
    expect(await failure(readFileContent('/dev/zero'))).toMatchObject({ code: 'invalid-url' });
    writeFileSync(join(dir, 'big.txt'), 'x'.repeat(5000));
    expect(await failure(readFileContent(join(dir, 'big.txt'), { maxBytes: 4096 }))).toMatchObject({
      code: 'too-large',
      message: 'file is 5000 bytes, over the 4096-byte limit',
    });
  });

  it('refuses a FIFO at once, without waiting for a writer', async () => {
    const fifo = join(dir, 'articles.fifo');
    execFileSync('mkfifo', [fifo]);
    expect(await failure(readFileContent(fifo, { timeoutMs: 60_000 }))).toMatchObject({
      code: 'invalid-url',
      message: `not a regular file (${fifo})`,
    });
  });

  it('reads a file exactly, and a missing one is the file system error', async () => {
    const bytes = Buffer.from('Headline\n\nFirst paragraph, with ünïcödé.\n'.repeat(3000));
    writeFileSync(join(dir, 'article.txt'), bytes);
    expect((await readFileContent(join(dir, 'article.txt'))).equals(bytes)).toBe(true);
    writeFileSync(join(dir, 'empty.txt'), '');
    expect((await readFileContent(join(dir, 'empty.txt'))).length).toBe(0);
    await expect(readFileContent(join(dir, 'missing.txt'))).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
