import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type RunningWorkers, startWorkers } from '../../jobs/workers.js';
import { main } from '../../src/cli/program.js';
import { fetchPolicy } from '../../src/fetch/policy.js';
import { downloadImage } from '../../src/platforms/image.js';
import { fakeTls } from '../helpers/fake-tls.js';
import { answer, HostileServer, redirect, trickle } from '../helpers/hostile-server.js';
import { type Harness, startHarness, until } from '../helpers/pipeline.js';
import { redisUrl } from '../helpers/redis.js';

/**
 * The bad-input catalogue of intake: sources, feeds, pages, encodings and images that are hostile or
 * broken, each answered with a message naming the problem. Inputs go through `crier publish` (in this
 * process, as the CLI runs them) while a post is scheduled in the future: a bad input exits non-zero with
 * one line and leaves that queued work exactly as it was. The hostile web is a local server; it is let
 * through the fetch policy by address (`CRIER_FETCH_ALLOW=127.0.0.1`) only where a case needs it.
 */

const FIXTURES = resolve('tests/fixtures/catalogue');
const fx = (name: string) => join(FIXTURES, name);
const MB = 1024 * 1024;
const BOMB = Buffer.alloc(64 * MB, 0x20); // 64 MB of spaces: about 64 KB gzipped

const YAML = `
site: { name: Harbour News, url: https://harbour.example }
accounts:
  - { id: x-main, platform: twitter }
  - { id: fb-page, platform: facebook }
  - { id: li-page, platform: linkedin }
publishing: { attempts: 2, backoffMs: 200, requestTimeoutMs: 1500, retentionDays: 1 }
fetch: { maxBytes: 1048576 }
feeds: { maxBytes: 2097152, maxItems: 500 }
articles: { minWords: 12 }
`;

const site = new HostileServer({
  '/article': answer(200, { 'content-type': 'text/plain' }, 'unused'),
  '/to-metadata': redirect('http://169.254.169.254/latest/meta-data/iam/security-credentials/'),
  '/to-private': redirect('http://10.1.2.3/admin'),
  '/to-hex-loopback': redirect('http://0x7f000002/'),
  '/to-mapped': redirect('http://[::ffff:7f00:2]/'),
  '/to-ftp': redirect('ftp://harbour.example/file'),
  '/loop': redirect('/loop2'),
  '/loop2': redirect('/loop'),
  '/r1': redirect('/r2'),
  '/r2': redirect('/r3'),
  '/r3': redirect('/r4'),
  '/r4': redirect('/r5'),
  '/r5': redirect('/r6'),
  '/r6': redirect('/r7'),
  '/r7': answer(200, { 'content-type': 'text/plain' }, 'too far'),
  '/slow': trickle(200),
  '/gzip-bomb': answer(200, { 'content-type': 'text/html', 'content-encoding': 'gzip' }, gzipSync(BOMB)),
  '/br-bomb': answer(
    200,
    { 'content-type': 'text/html', 'content-encoding': 'br' },
    brotliCompressSync(BOMB),
  ),
  '/deflate-bomb': answer(
    200,
    { 'content-type': 'text/html', 'content-encoding': 'deflate' },
    deflateSync(BOMB),
  ),
  '/gz-file': answer(200, { 'content-type': 'application/gzip' }, gzipSync(BOMB)),
  '/corrupt-gzip': answer(
    200,
    { 'content-type': 'text/html', 'content-encoding': 'gzip' },
    'plain text, not gzip',
  ),
  '/compress': answer(200, { 'content-type': 'text/html', 'content-encoding': 'compress' }, 'x'),
  '/declared-huge': answer(200, { 'content-type': 'text/html', 'content-length': 50 * MB }, ''),
  '/missing': answer(404, { 'content-type': 'text/html' }, 'not found'),
  '/broken': answer(500, { 'content-type': 'text/html' }, 'oops'),
  '/huge-feed': (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/rss+xml' });
    const item = (i: number) =>
      `<item><title>Story ${i}</title><link>https://harbour.example/s${i}</link><description>${'The council met on Tuesday. '.repeat(20)}</description></item>\n`;
    res.write('<?xml version="1.0"?><rss version="2.0"><channel><title>Huge</title>');
    for (let i = 0; i < 6000; i++) res.write(item(i));
    res.end('</channel></rss>');
  },
  // Images
  '/img/ok.png': answer(200, { 'content-type': 'image/png' }, 'PNG bytes'),
  '/img/to-private.png': redirect('http://192.168.1.1/camera.png'),
  '/img/bomb.png': answer(200, { 'content-type': 'image/png', 'content-encoding': 'gzip' }, gzipSync(BOMB)),
  '/img/slow.png': trickle(200, 'image/png'),
  '/img/page.html': answer(200, { 'content-type': 'text/html' }, '<p>not an image</p>'),
});
const secure = new HostileServer({
  '/downgrade': redirect(() => `${site.url}/article`),
  '/img/downgrade.png': redirect(() => `${site.url}/img/ok.png`),
});

let dir: string;
let h: Harness;
let workers: RunningWorkers | undefined;
let redis: Redis;
let snapshot: Map<string, string>;

/** Every key of the test's prefix with its serialized value: "untouched" means equal to this. */
async function queuedState(): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${h.prefix}:*`, 'COUNT', 500);
    cursor = next;
    for (const k of keys) {
      const dump = await redis.dumpBuffer(k);
      out.set(k, dump ? dump.toString('hex') : '');
    }
  } while (cursor !== '0');
  return out;
}

interface Run {
  code: number;
  out: string;
  err: string;
}

/** Runs the crier CLI in this process (argv as typed), capturing what it prints and its exit code. */
async function crier(...args: string[]): Promise<Run> {
  const out: string[] = [];
  const err: string[] = [];
  const log = vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void out.push(a.join(' ')));
  const error = vi
    .spyOn(console, 'error')
    .mockImplementation((...a: unknown[]) => void err.push(a.join(' ')));
  const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    out.push(String(chunk));
    return true;
  });
  // Log lines (warnings) come as one human line each on stderr (LOG_FORMAT=pretty).
  const logWrite = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    err.push(String(chunk).trimEnd());
    return true;
  });
  process.exitCode = 0;
  try {
    await main(['node', 'crier', ...args]);
    return { code: Number(process.exitCode ?? 0), out: out.join('\n'), err: err.join('\n') };
  } finally {
    process.exitCode = 0;
    log.mockRestore();
    error.mockRestore();
    write.mockRestore();
    logWrite.mockRestore();
  }
}

/** The one error line (warnings, printed as "crier: warning: ...", may come before it). */
function errorLines(err: string): string[] {
  return err.split('\n').filter((l) => l.trim() && !/^crier: warn(ing)?:/.test(l));
}

type Area = 'source' | 'feed' | 'page' | 'encoding';

interface PublishCase {
  area: Area;
  name: string;
  /** The source as typed (a function: URLs of the servers, known only once they listen). */
  source: () => string;
  message: RegExp;
  /** Only for cases that need the hostile server itself (not the refusal of its address). */
  allowLocal?: boolean;
  /** Extra lines (warnings) expected before the error. */
  warning?: RegExp;
  /** 1 for a reading that failed on the way and may work later; the default 2: the source itself is wrong. */
  exit?: 1;
}

const local = (path: string) => () => `${site.url}${path}`;

const PUBLISH_CASES: PublishCase[] = [
  // Sources on disk
  {
    area: 'source',
    name: 'a file that does not exist',
    source: () => fx('nope.txt'),
    message: /does not exist|no such file/,
  },
  { area: 'source', name: 'an empty file', source: () => fx('empty.txt'), message: /the document is empty/ },
  {
    area: 'source',
    name: 'a binary file',
    source: () => fx('image.png'),
    message: /not a text document \(binary content\)/,
  },
  {
    area: 'source',
    name: 'a corrupt .html.gz',
    source: () => fx('corrupt.html.gz'),
    message: /gzip data that does not decompress/,
  },
  {
    area: 'source',
    name: 'a gzip bomb on disk (.html.gz)',
    source: () => join(dir, 'bomb.html.gz'),
    message: /over the 2097152-byte limit after decompression/,
  },
  {
    area: 'source',
    name: 'a file over the size limit',
    source: () => join(dir, 'big.txt'),
    message: /file is \d+ bytes, over the 2097152-byte limit/,
  },
  { area: 'source', name: 'a directory', source: () => dir, message: /not a (regular )?file/ },
  {
    area: 'source',
    name: 'a file name with a line break and a terminal escape',
    source: () => join(dir, 'no\nsuch\u001b[31m.html'),
    message: /no\\nsuch\\u001b\[31m\.html"? (does not exist|: no such file)/,
  },
  // Addresses the fetch policy refuses
  {
    area: 'source',
    name: 'a loopback server not allowed',
    source: local('/article'),
    message: /refused: address 127\.0\.0\.1 \(loopback\).*fetch\.allow.*CRIER_FETCH_ALLOW/,
  },
  {
    area: 'source',
    name: 'cloud metadata',
    source: () => 'http://169.254.169.254/latest/meta-data/',
    message: /address 169\.254\.169\.254 \(link-local/,
  },
  {
    area: 'source',
    name: 'loopback in decimal',
    source: () => 'http://2130706433/',
    message: /address 127\.0\.0\.1 \(loopback\)/,
  },
  {
    area: 'source',
    name: 'loopback in hex and short form',
    source: () => 'http://0x7f.1/',
    message: /address 127\.0\.0\.1 \(loopback\)/,
  },
  {
    area: 'source',
    name: 'loopback in octal',
    source: () => 'http://0177.0.0.1/',
    message: /address 127\.0\.0\.1 \(loopback\)/,
  },
  {
    area: 'source',
    name: 'IPv4-mapped IPv6 loopback',
    source: () => 'http://[::ffff:127.0.0.1]/',
    message: /address ::ffff:7f00:1 \(IPv4-mapped IPv6\)/,
  },
  {
    area: 'source',
    name: 'IPv6 loopback',
    source: () => 'http://[::1]/x',
    message: /address ::1 \(loopback\)/,
  },
  {
    area: 'source',
    name: 'a private address',
    source: () => 'http://10.0.0.7/feed',
    message: /address 10\.0\.0\.7 \(private\)/,
  },
  {
    area: 'source',
    name: 'carrier-grade NAT',
    source: () => 'http://100.64.1.1/',
    message: /address 100\.64\.1\.1 \(carrier-grade NAT\)/,
  },
  {
    area: 'source',
    name: 'unique-local IPv6',
    source: () => 'http://[fd00::1]/',
    message: /address fd00::1 \(unique-local\)/,
  },
  {
    area: 'source',
    name: 'NAT64 of the metadata address',
    source: () => 'http://[64:ff9b::a9fe:a9fe]/',
    message: /\(NAT64\)/,
  },
  {
    area: 'source',
    name: 'the unspecified address',
    source: () => 'http://0.0.0.0:6379/',
    message: /address 0\.0\.0\.0 \(unspecified\)/,
  },
  {
    area: 'source',
    name: 'a name that resolves to loopback',
    source: () => `http://localhost:${new URL(site.url).port}/article`,
    message: /host localhost resolves to (127\.0\.0\.1|::1) \(loopback\)/,
  },
  // Redirects, each hop checked
  {
    area: 'source',
    name: 'a redirect to cloud metadata',
    source: local('/to-metadata'),
    allowLocal: true,
    message: /address 169\.254\.169\.254 \(link-local/,
  },
  {
    area: 'source',
    name: 'a redirect to a private address',
    source: local('/to-private'),
    allowLocal: true,
    message: /address 10\.1\.2\.3 \(private\)/,
  },
  {
    area: 'source',
    name: 'a redirect to loopback written in hex',
    source: local('/to-hex-loopback'),
    allowLocal: true,
    message: /address 127\.0\.0\.2 \(loopback\)/,
  },
  {
    area: 'source',
    name: 'a redirect to IPv4-mapped loopback',
    source: local('/to-mapped'),
    allowLocal: true,
    message: /\(IPv4-mapped IPv6\)/,
  },
  {
    area: 'source',
    name: 'a redirect to ftp:',
    source: local('/to-ftp'),
    allowLocal: true,
    message: /ftp: URL .*only http and https/,
  },
  {
    area: 'source',
    name: 'a redirect loop',
    source: local('/loop'),
    allowLocal: true,
    message: /redirect loop/,
  },
  {
    area: 'source',
    name: 'too many redirects',
    source: local('/r1'),
    allowLocal: true,
    message: /more than 5 redirects/,
  },
  {
    area: 'source',
    name: 'an https page redirecting to http',
    source: () => `${secure.url}/downgrade`,
    allowLocal: true,
    message: /redirect from https to http/,
  },
  // Hostile answers
  {
    area: 'source',
    name: 'a server that trickles bytes',
    source: local('/slow'),
    allowLocal: true,
    message: /no complete answer within the time limit/,
    exit: 1,
  },
  {
    area: 'source',
    name: 'a gzip bomb',
    source: local('/gzip-bomb'),
    allowLocal: true,
    message: /over the 2097152-byte limit after decompression/,
  },
  {
    area: 'source',
    name: 'a brotli bomb',
    source: local('/br-bomb'),
    allowLocal: true,
    message: /over the 2097152-byte limit after decompression/,
  },
  {
    area: 'source',
    name: 'a deflate bomb',
    source: local('/deflate-bomb'),
    allowLocal: true,
    message: /over the 2097152-byte limit after decompression/,
  },
  {
    area: 'source',
    name: 'a gzip file served without Content-Encoding',
    source: local('/gz-file'),
    allowLocal: true,
    message: /after decompression/,
  },
  {
    area: 'source',
    name: 'a corrupt gzip body',
    source: local('/corrupt-gzip'),
    allowLocal: true,
    message: /gzip data that does not decompress/,
  },
  {
    area: 'source',
    name: 'an unknown Content-Encoding',
    source: local('/compress'),
    allowLocal: true,
    message: /unsupported Content-Encoding "compress"/,
  },
  {
    area: 'source',
    name: 'a declared length over the limit',
    source: local('/declared-huge'),
    allowLocal: true,
    message: /52428800 bytes, over the 2097152-byte limit/,
  },
  {
    area: 'source',
    name: 'a page that is not there',
    source: local('/missing'),
    allowLocal: true,
    message: /HTTP 404 not found/,
  },
  {
    area: 'source',
    name: 'a server error',
    source: local('/broken'),
    allowLocal: true,
    message: /HTTP 500 server error/,
    exit: 1,
  },
  // Feeds
  {
    area: 'feed',
    name: 'a truncated feed',
    source: () => resolve('tests/fixtures/feeds/truncated.xml'),
    message: /malformed feed: line 9, column \d+: unclosed tag: description/,
  },
  {
    area: 'feed',
    name: 'a feed whose tags do not nest',
    source: () => fx('mismatched.xml'),
    message: /malformed feed: line 1, column \d+: (unexpected close tag|unmatched closing tag)/,
  },
  {
    area: 'feed',
    name: 'a feed whose items have only non-web links',
    source: () => fx('only-bad-links.xml'),
    warning: /"Click me" skipped: its link is a javascript: address/,
    message: /none of the feed's 2 items has a web \(http or https\) link/,
  },
  {
    area: 'feed',
    name: 'a feed whose items hold nothing',
    source: () => fx('empty-items.xml'),
    message: /malformed feed: its items have no title, link or content/,
  },
  {
    area: 'feed',
    name: 'a truncated JSON Feed',
    source: () => fx('truncated.json'),
    message: /malformed feed: not valid JSON|neither a JSON Feed/,
  },
  {
    area: 'feed',
    name: 'a JSON Feed whose items are not a list',
    source: () => fx('items-object.json'),
    message: /JSON Feed "items" is an object, expected an array/,
  },
  {
    area: 'feed',
    name: 'a JSON Feed with every item wrongly typed',
    source: () => fx('all-wrong-types.json'),
    warning: /JSON Feed item 1 \(id "1"\) skipped: "title" is a number, expected a string/,
    message: /none of its JSON Feed items has fields of the right types/,
  },
  {
    area: 'feed',
    name: 'JSON that is no feed',
    source: () => fx('not-a-feed.json'),
    message: /JSON that is neither a JSON Feed nor a WordPress posts list/,
  },
  {
    area: 'feed',
    name: 'a feed over feeds.maxBytes',
    source: local('/huge-feed'),
    allowLocal: true,
    message: /over the 2097152-byte limit/,
  },
  // Pages with no article
  {
    area: 'page',
    name: 'a page that is only navigation',
    source: () => resolve('tests/fixtures/pages/nav-only.html'),
    message: /no article/,
  },
  {
    area: 'page',
    name: 'a page that is only a cookie notice',
    source: () => resolve('tests/fixtures/pages/consent-only.html'),
    message: /no article/,
  },
  {
    area: 'page',
    name: 'a page shorter than articles.minWords',
    source: () => fx('too-short.html'),
    message: /no article: 4 words of text.*minimum is 12 \(articles\.minWords\)/,
  },
  {
    area: 'page',
    name: 'a page with an empty body',
    source: () => fx('empty-body.html'),
    message: /no article/,
  },
];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'crier-catalogue-'));
  writeFileSync(join(dir, 'bomb.html.gz'), gzipSync(BOMB));
  writeFileSync(join(dir, 'big.txt'), `Headline\n\n${'word '.repeat(600_000)}`);
  mkdirSync(join(dir, 'sub'));
  writeFileSync(join(dir, 'crier.yaml'), YAML);
  await site.start();
  await secure.start(fakeTls());

  // Work already queued: a post scheduled a day ahead, composed and waiting in the publish queues.
  h = await startHarness({ yaml: YAML });
  redis = new Redis(redisUrl());
  vi.stubEnv('CRIER_CONFIG', join(dir, 'crier.yaml'));
  vi.stubEnv('REDIS_URL', redisUrl());
  vi.stubEnv('CRIER_PREFIX', h.prefix);
  vi.stubEnv('CRIER_FETCH_ALLOW', '');
  vi.stubEnv('LOG_FORMAT', 'pretty');
  workers = startWorkers(h.ctx, ['ingest', 'compose']);
  const at = new Date(Date.now() + 86_400_000).toISOString();
  const queued = await crier(
    'publish',
    fx('article.txt'),
    '--url',
    'https://harbour.example/ferry',
    '--at',
    at,
  );
  expect(queued.code).toBe(0);
  await until(async () => {
    const entries = await h.ctx.ledger.recent(10);
    return entries.length === 3 && entries.every((e) => e.state === 'pending');
  }, 30_000);
  await until(async () => (await h.ctx.queues.publish.twitter.getDelayedCount()) === 1, 30_000);
  await workers.close();
  workers = undefined;
  snapshot = await queuedState();
}, 90_000);

afterAll(async () => {
  vi.unstubAllEnvs();
  await workers?.close();
  redis?.disconnect();
  await h?.close();
  await site.close();
  await secure.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('crier publish of a bad input: one line naming the problem, non-zero exit, queued work untouched', () => {
  it('has at least 40 publish cases across sources, feeds and pages', () => {
    expect(PUBLISH_CASES.length).toBeGreaterThanOrEqual(40);
    expect(new Set(PUBLISH_CASES.map((c) => c.area))).toEqual(new Set(['source', 'feed', 'page']));
  });

  it.each(PUBLISH_CASES.map((c) => [`${c.area}: ${c.name}`, c] as const))('%s', async (_title, c) => {
    vi.stubEnv('CRIER_FETCH_ALLOW', c.allowLocal ? '127.0.0.1' : '');
    const r = await crier('publish', c.source());
    expect(r.code).toBe(c.exit ?? 2);
    const lines = errorLines(r.err);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^crier: /);
    expect(lines[0]).toMatch(c.message);
    expect(r.err).not.toMatch(/\n\s+at /);
    if (c.warning) expect(r.err).toMatch(c.warning);
    expect(r.out).not.toMatch(/queued/);
    expect(await queuedState()).toEqual(snapshot);
  });
});

describe('inputs read right or with a warning (crier preview)', () => {
  const preview = async (source: string) => {
    const r = await crier(
      'preview',
      source,
      '--url',
      'https://harbour.example/x',
      '--json',
      '--full-text',
      'never',
    );
    return { ...r, record: r.out ? JSON.parse(r.out) : undefined };
  };

  it.each([
    ['encoding: Shift_JIS, undeclared', 'encodings/shift_jis-undeclared.html', '新フェリーターミナル建設へ'],
    ['encoding: EUC-JP, undeclared', 'encodings/euc-jp-undeclared.html', '新フェリーターミナル建設へ'],
    ['encoding: GB18030, undeclared', 'encodings/gb18030-undeclared.html', '上海新码头将于九月启用'],
    [
      'encoding: windows-1251, undeclared',
      'encodings/windows-1251-undeclared.html',
      'Паромный терминал закроется летом',
    ],
    [
      'encoding: windows-1252, undeclared',
      'encodings/windows-1252-undeclared.html',
      'Le terminal des ferries fermera cet été',
    ],
    [
      'encoding: Shift_JIS labelled UTF-8',
      'encodings/shift_jis-labelled-utf8.html',
      '新フェリーターミナル建設へ',
    ],
  ])('%s', async (_name, file, title) => {
    const r = await preview(resolve('tests/fixtures', file));
    expect(r.code).toBe(0);
    expect(r.record.article.title).toBe(title);
    expect(r.out).not.toContain('\uFFFD');
  });

  it('feed: a billion-laughs feed is read without expanding, and says so', async () => {
    const r = await preview(resolve('tests/fixtures/feeds/billion-laughs.xml'));
    expect(r.code).toBe(0);
    expect(r.err).toMatch(/crier: warning: .*DOCTYPE declares entities .*not expanded/);
    expect(r.record.article.title).toBe('Ferry terminal to close');
    expect(r.out).not.toMatch(/lollol/);
  });

  it('feed: an external entity is not read', async () => {
    const r = await preview(resolve('tests/fixtures/feeds/external-entity.xml'));
    expect(r.code).toBe(0);
    expect(r.out).not.toMatch(/root:x:0:0/);
    expect(r.err).toMatch(/DOCTYPE declares entities \(secret, remote\)/);
  });

  it('feed: FeedBurner items are posted with their original link', async () => {
    const r = await crier(
      'preview',
      resolve('tests/fixtures/feeds/feedburner.xml'),
      '--jsonl',
      '--full-text',
      'never',
    );
    const urls = r.out
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l).article.url);
    expect(urls).toEqual([
      'https://harbour.example/2026/ferry-terminal',
      'https://harbour.example/2026/night-service',
    ]);
    expect(r.out).not.toContain('feedproxy');
  });
});

describe('article images (og:image) through the fetch policy', () => {
  const X = { timeoutMs: 1500, maxBytes: 1 * MB, types: ['image/png', 'image/jpeg'], platform: 'X' };
  const allowed = () => fetchPolicy({ allow: ['127.0.0.1'], env: {} });
  const none = () => fetchPolicy({ env: {} });

  it.each([
    [
      'on a loopback server not allowed',
      () => `${site.url}/img/ok.png`,
      none,
      /refused: address 127\.0\.0\.1 \(loopback\)/,
    ],
    [
      'at the cloud metadata address',
      () => 'http://169.254.169.254/latest/meta-data/',
      none,
      /address 169\.254\.169\.254 \(link-local/,
    ],
    [
      'at a private address in decimal',
      () => 'http://167772161/x.png',
      none,
      /address 10\.0\.0\.1 \(private\)/,
    ],
    [
      'redirecting to a private address',
      () => `${site.url}/img/to-private.png`,
      allowed,
      /address 192\.168\.1\.1 \(private\)/,
    ],
    [
      'an https image redirecting to http',
      () => `${secure.url}/img/downgrade.png`,
      allowed,
      /redirect from https to http/,
    ],
    ['a gzip bomb', () => `${site.url}/img/bomb.png`, allowed, /image over 1048576 bytes/],
    ['a trickling server', () => `${site.url}/img/slow.png`, allowed, /ETIMEDOUT/],
    [
      'a web page, not an image',
      () => `${site.url}/img/page.html`,
      allowed,
      /not an image X accepts: "text\/html"/,
    ],
    ['a data: URL', () => 'data:image/png;base64,iVBORw0KGgo=', allowed, /not http\(s\) \(data:\)/],
    ['a file: URL', () => 'file:///etc/passwd', allowed, /not http\(s\) \(file:\)/],
  ])('an image %s is skipped with the reason', async (_name, url, policy, reason) => {
    const got = await downloadImage(url(), { ...X, policy: policy() });
    expect(got.ok).toBe(false);
    expect(!got.ok && got.reason).toMatch(reason);
  });

  it('an allowed image still downloads', async () => {
    const got = await downloadImage(`${site.url}/img/ok.png`, { ...X, policy: allowed() });
    expect(got.ok && got.image.bytes.toString()).toBe('PNG bytes');
  });
});
