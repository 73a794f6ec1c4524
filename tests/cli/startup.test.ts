import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { CLI } from '../helpers/cli.js';

const TRACE = pathToFileURL(resolve('tests/helpers/module-trace.mjs')).href;
const dir = mkdtempSync(join(tmpdir(), 'crier-startup-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The npm packages a CLI call loads, through the module-trace hook. */
function packagesLoaded(args: string[]): {
  packages: Set<string>;
  stdout: string;
  files: string[];
  code: number | null;
} {
  const out = join(dir, `${args.join('_').replace(/\W/g, '')}.txt`);
  const r = spawnSync(process.execPath, ['--import', TRACE, CLI, ...args], {
    env: { ...process.env, MODULE_TRACE_OUT: out },
    encoding: 'utf8',
    timeout: 30_000,
  });
  const files = readFileSync(out, 'utf8').split('\n').filter(Boolean);
  const packages = new Set(
    files.flatMap((f) => {
      const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(f);
      return m ? [m[1]!] : [];
    }),
  );
  return { packages, stdout: r.stdout, files, code: r.status };
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
      expect(r.files.some((f) => f.includes('/dist/src/cli/'))).toBe(true);
    }
  });

  it('--version prints the package version', () => {
    const version = JSON.parse(readFileSync('package.json', 'utf8')).version;
    expect(packagesLoaded(['--version']).stdout.trim()).toBe(version);
  });

  it('preview needs no Redis, queue or web server library', () => {
    const r = packagesLoaded([
      'preview',
      resolve('tests/fixtures/cli/article.txt'),
      '--url',
      'https://example.org/a',
    ]);
    expect(r.code).toBe(0);
    expect(
      [...r.packages].filter((p) => ['bullmq', 'ioredis', 'express', '@bull-board/api'].includes(p)),
    ).toEqual([]);
  });
});
