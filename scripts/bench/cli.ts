/**
 * CLI start-up: CPU time (user + system) of whole `crier` processes against `node -e 0`, measured in the same
 * run by the shell that waits for them (bash's `times`: the CPU of its finished children), median of several
 * runs each; peak RSS from one more run under GNU time when it is installed.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { median } from './proc.js';

const ROOT = resolve(import.meta.dirname, '../..');

export interface CliCase {
  name: string;
  args: string[];
  /** Target: at most this many times the CPU of `node -e 0`. */
  maxRatio?: number;
}

export interface CliResult {
  name: string;
  command: string;
  cpuMs: number;
  runs: number[];
  peakRssBytes?: number;
  exitCode: number;
  error?: string;
}

function cpuOfRun(
  args: string[],
  env: NodeJS.ProcessEnv,
): { cpuMs: number; exitCode: number; stderr: string } {
  const r = spawnSync(
    'bash',
    ['-c', '"$@" >/dev/null 2>"$BENCH_STDERR"; s=$?; times; exit $s', 'bench', process.execPath, ...args],
    { cwd: ROOT, env: { ...env, BENCH_STDERR: '/dev/null' }, encoding: 'utf8' },
  );
  const children = r.stdout.trim().split('\n')[1] ?? '';
  const secs = [...children.matchAll(/(\d+)m([\d.]+)s/g)].map((m) => Number(m[1]) * 60 + Number(m[2]));
  return { cpuMs: ((secs[0] ?? 0) + (secs[1] ?? 0)) * 1000, exitCode: r.status ?? -1, stderr: r.stderr };
}

function peakRss(args: string[], env: NodeJS.ProcessEnv): number | undefined {
  if (!existsSync('/usr/bin/time')) return undefined;
  const r = spawnSync('/usr/bin/time', ['-f', '%M', process.execPath, ...args], {
    cwd: ROOT,
    env,
    encoding: 'utf8',
  });
  const kb = Number(r.stderr.trim().split('\n').at(-1));
  return Number.isFinite(kb) ? kb * 1024 : undefined;
}

export function measureCli(cases: CliCase[], runs: number, env: NodeJS.ProcessEnv): CliResult[] {
  const all: CliCase[] = [{ name: 'node -e 0', args: ['-e', '0'] }, ...cases];
  const samples = new Map<string, number[]>(all.map((c) => [c.name, []]));
  const codes = new Map<string, number>();
  // Interleaved, so a change in the machine's load touches every command alike.
  for (let i = 0; i < runs + 1; i++) {
    for (const c of all) {
      const r = cpuOfRun(c.args, env);
      codes.set(c.name, r.exitCode);
      if (i > 0) samples.get(c.name)!.push(r.cpuMs); // the first round warms the file cache
    }
  }
  return all.map((c) => ({
    name: c.name,
    command:
      c.args[0] === '-e' ? 'node -e 0' : `node ${c.args.map((a) => a.replace(`${ROOT}/`, '')).join(' ')}`,
    cpuMs: median(samples.get(c.name)!),
    runs: samples.get(c.name)!,
    peakRssBytes: peakRss(c.args, env),
    exitCode: codes.get(c.name)!,
  }));
}

export const CRIER = join(ROOT, 'bin/crier.js');
export const SAMPLE = join(ROOT, 'config/sample-article.txt');

/** The project's sample article (a politics article scraped from a WordPress site), when `../shared` is there. */
export const SEED = resolve(ROOT, '../shared/seed/article.txt');

export const CLI_CASES: CliCase[] = [
  { name: 'crier --help', args: [CRIER, '--help'], maxRatio: 3 },
  { name: 'crier --version', args: [CRIER, '--version'], maxRatio: 3 },
  { name: 'crier status', args: [CRIER, 'status'], maxRatio: 6 },
  { name: 'crier preview <sample>', args: [CRIER, 'preview', SAMPLE], maxRatio: 8 },
  ...(existsSync(SEED)
    ? [{ name: 'crier preview <seed article>', args: [CRIER, 'preview', SEED], maxRatio: 8 }]
    : []),
];
