import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import module from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { startAllFakes } from '../../src/platforms/fake/all.js';
import { PLATFORMS } from '../../src/platforms/registry.js';
import { CLI } from '../helpers/cli.js';
import { fakeTls } from '../helpers/fake-tls.js';
import { deletePrefix, redisUrl, uniquePrefix } from '../helpers/redis.js';

const TRACE = pathToFileURL(resolve('tests/helpers/module-trace.mjs')).href;
const dir = mkdtempSync(join(tmpdir(), 'crier-startup-'));
const prefixes: string[] = [];
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  for (const p of prefixes) await deletePrefix(p);
});

/** What the bundle's output files hold (written by scripts/build.mjs), to see through the bundle. */
function bundleInputs(): Map<string, string[]> {
  const meta = JSON.parse(readFileSync('dist/cli/meta.json', 'utf8')) as {
    outputs: Record<string, { inputs: Record<string, unknown> }>;
  };
  return new Map(Object.entries(meta.outputs).map(([file, o]) => [resolve(file), Object.keys(o.inputs)]));
}

/** The npm packages a CLI call loads (through the module-trace hook, and inside the bundle's chunks). */
function packagesLoaded(
  args: string[],
  env: Record<string, string> = {},
): {
  packages: Set<string>;
  stdout: string;
  files: string[];
  /** The files loaded and, for the bundle's output files, the sources they hold. */
  sources: string[];
  code: number | null;
} {
  const out = join(dir, `${args.join('_').replace(/\W/g, '')}.txt`);
  const r = spawnSync(process.execPath, ['--import', TRACE, CLI, ...args], {
    env: { ...process.env, ...env, MODULE_TRACE_OUT: out },
    encoding: 'utf8',
    timeout: 30_000,
  });
  const inside = bundleInputs();
  const files = readFileSync(out, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((f) => (f.startsWith('file:') ? fileURLToPath(f) : f));
  const sources = files.flatMap((f) => [f, ...(inside.get(f) ?? [])]);
  const packages = new Set(
    sources.flatMap((f) => {
      const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(f);
      return m ? [m[1]!] : [];
    }),
  );
  return { packages, stdout: r.stdout, files, sources, code: r.status };
}

const HEAVY = [
  'bullmq',
  'ioredis',
  'jsdom',
  'express',
  'axios',
  'twitter-api-v2',
  'zod',
  'yaml',
  'pino',
  'tsx',
];

describe('start-up: each command loads what it needs, compiled', () => {
  it('--help and --version load commander and nothing heavy, and run compiled JavaScript', () => {
    for (const args of [['--help'], ['--version'], ['publish', '--help']]) {
      const r = packagesLoaded(args);
      expect(r.code, args.join(' ')).toBe(0);
      expect(
        [...r.packages].filter((p) => HEAVY.includes(p)),
        args.join(' '),
      ).toEqual([]);
      expect(
        r.files.filter((f) => f.endsWith('.ts')),
        'no TypeScript at run time',
      ).toEqual([]);
      expect(r.files.some((f) => f.includes('/dist/cli/main.js'))).toBe(true);
    }
  });

  it('--version prints the package version', () => {
    const version = JSON.parse(readFileSync('package.json', 'utf8')).version;
    expect(packagesLoaded(['--version']).stdout.trim()).toBe(version);
  });

  it('keeps the compiled code between runs where Node has a compile cache (22.1 and later), and writes nothing where it has none', () => {
    // Without NODE_COMPILE_CACHE (which alone turns the cache on), only bin/crier.js can have enabled it: in
    // os.tmpdir()/node-compile-cache, here under a TMPDIR of the test's own.
    const tmp = mkdtempSync(join(dir, 'tmp-'));
    const env: NodeJS.ProcessEnv = { ...process.env, TMPDIR: tmp };
    delete env.NODE_COMPILE_CACHE;
    delete env.NODE_DISABLE_COMPILE_CACHE;
    const r = spawnSync(process.execPath, [CLI, '--version'], { env, encoding: 'utf8', timeout: 30_000 });
    expect(r.status).toBe(0);
    const cache = join(tmp, 'node-compile-cache');
    const written = existsSync(cache) ? readdirSync(cache, { recursive: true }).length : 0;
    const hasCache = typeof (module as { enableCompileCache?: unknown }).enableCompileCache === 'function';
    if (hasCache) expect(written).toBeGreaterThan(0);
    else expect(written).toBe(0);
  });

  it('status loads the queue library; preview needs no Redis, queue or web server library, nor jsdom for a plain-text article', () => {
    expect(packagesLoaded(['status', '--help']).packages.has('bullmq')).toBe(false);
    const prefix = uniquePrefix();
    prefixes.push(prefix);
    const status = packagesLoaded(['status', '--json'], { REDIS_URL: redisUrl(), CRIER_PREFIX: prefix });
    expect(status.code).toBe(0);
    expect([...status.packages].filter((p) => ['bullmq', 'ioredis'].includes(p)).sort()).toEqual([
      'bullmq',
      'ioredis',
    ]);
    expect([...status.packages].filter((p) => ['jsdom', 'express'].includes(p))).toEqual([]);
    // BullMQ comes without its PostgreSQL backend and without cron-parser and luxon (job schedulers' cron
    // patterns), which Crier never uses: the bundle stubs them (scripts/build.mjs).
    expect(status.sources.filter((f) => /node_modules\/bullmq\/.*\/postgres\//.test(f))).toEqual([]);
    expect([...status.packages].filter((p) => ['cron-parser', 'luxon'].includes(p))).toEqual([]);
    const r = packagesLoaded([
      'preview',
      resolve('tests/fixtures/cli/article.txt'),
      '--url',
      'https://example.org/a',
    ]);
    expect(r.code).toBe(0);
    // A plain-text article needs no HTML parser either: jsdom loads at the first page that needs it.
    expect(
      [...r.packages].filter((p) => ['bullmq', 'ioredis', 'express', '@bull-board/api', 'jsdom'].includes(p)),
    ).toEqual([]);
    // The sentence splitter (sbd) comes without sanitize-html, which it requires for an option never set.
    expect(r.packages.has('sbd')).toBe(true);
    expect(r.packages.has('sanitize-html')).toBe(false);
    // twitter-text comes as one bundled file, not its package's 240, and without core-js' split polyfill
    // (src/summaries/twitter-text.ts says why).
    expect(r.packages.has('twitter-text')).toBe(true);
    expect(r.files.filter((f) => f.includes('node_modules/twitter-text/'))).toEqual([]);
    expect(r.files.filter((f) => f.endsWith('dist/cli/vendor/twitter-text.cjs'))).toHaveLength(1);
    expect(r.sources.filter((f) => f.includes('node_modules/core-js/modules/es6.regexp.split'))).toEqual([]);
    const page = packagesLoaded(['preview', resolve('tests/fixtures/cli/page.html')]);
    expect(page.code).toBe(0);
    expect(page.packages.has('jsdom')).toBe(true);
  });

  it('commands that do not publish build every account without loading an adapter, an HTTP client or twitter-text', async () => {
    // Credentials for every account of the sample configuration: each gets its adapter (health "ok"), which loads
    // its platform's module and HTTP client only at its first call (src/platforms/lazy-adapter.ts).
    const fakes = await startAllFakes(fakeTls());
    try {
      const prefix = uniquePrefix();
      prefixes.push(prefix);
      const env = { ...fakes.env(), REDIS_URL: redisUrl(), CRIER_PREFIX: prefix };
      const NOT_NEEDED = ['axios', 'twitter-api-v2', 'twitter-text', 'sanitize-html', 'jsdom', 'express'];
      const status = packagesLoaded(['status', '--json'], env);
      expect(status.code).toBe(0);
      const accounts = (JSON.parse(status.stdout) as { accounts: { platform: string; health: string }[] })
        .accounts;
      expect(accounts.map((a) => a.platform).sort()).toEqual([...PLATFORMS].sort());
      expect(accounts.filter((a) => a.health !== 'ok')).toEqual([]);
      for (const args of [
        ['status', '--json'],
        ['schedule', 'list', '--json'],
        ['pause', 'x-main', '--json'],
      ]) {
        const r = args[0] === 'status' ? status : packagesLoaded(args, env);
        expect(r.code, args.join(' ')).toBe(0);
        expect(
          [...r.packages].filter((p) => NOT_NEEDED.includes(p)),
          args.join(' '),
        ).toEqual([]);
        expect(
          r.sources.filter((f) => /platforms\/\w+\/adapter\.js$/.test(f)),
          args.join(' '),
        ).toEqual([]);
      }
    } finally {
      await fakes.close();
    }
  });
});
