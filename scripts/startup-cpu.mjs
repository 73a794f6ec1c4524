#!/usr/bin/env node
// CPU time of CLI start-ups as ratios against `node -e 0` measured in the same run (issue 9's targets:
// --help and --version under 3x, status under 6x, preview of the sample under 8x).
//
//   node scripts/startup-cpu.mjs [--runs 15] [--json]
//
// Each command runs `runs` times as a child process, interleaved with the baseline, and its user+system CPU
// is read from the kernel's accounting of waited-for children (/proc/self/stat: cutime+cstime, in clock
// ticks of 10 ms): what an outside observer (time(1), wait4) sees, process start and teardown included.
// One run is a few ticks, so the figure of a command is the mean of its runs with the fastest and slowest
// tenth left out. `status` needs a Redis (REDIS_URL, default 127.0.0.1:6379) and uses a prefix of its own.
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const runs = Number(args[args.indexOf('--runs') + 1]) || 20;
const dir = mkdtempSync(join(tmpdir(), 'crier-startup-'));
const cli = join(root, 'bin/crier.js');
const sample = join(root, 'config/sample-article.txt');
const env = { ...process.env, CRIER_PREFIX: `crier-startup-${randomUUID().slice(0, 8)}`, LOG_FORMAT: 'json' };
delete env.NODE_OPTIONS;

const cases = [
  { name: 'node -e 0', argv: ['-e', '0'], target: null },
  { name: 'crier --help', argv: [cli, '--help'], target: 3 },
  { name: 'crier --version', argv: [cli, '--version'], target: 3 },
  { name: 'crier status', argv: [cli, 'status', '--json'], target: 6 },
  {
    name: 'crier preview (sample)',
    argv: [cli, 'preview', sample, '--url', 'https://example.org/a', '--json'],
    target: 8,
  },
];

function ticks() {
  const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1].split(' ');
  return Number(fields[13]) + Number(fields[14]); // cutime + cstime: fields 16 and 17 of proc(5), from 3 on
}
const hz = 100;

if (!existsSync('/proc/self/stat')) {
  console.error('startup-cpu: needs Linux (/proc/self/stat)');
  process.exit(2);
}
const samples = new Map(cases.map((c) => [c.name, []]));
for (let i = 0; i < runs + 1; i++) {
  for (const c of cases) {
    const before = ticks();
    const r = spawnSync(process.execPath, c.argv, { cwd: root, env, encoding: 'utf8' });
    const after = ticks();
    if (r.status !== 0) {
      console.error(`${c.name} failed (exit ${r.status}):\n${r.stderr}`);
      process.exit(1);
    }
    if (i > 0) samples.get(c.name).push(((after - before) * 1000) / hz); // run 0 warms the file cache
  }
}
rmSync(dir, { recursive: true, force: true });

/** Mean without the fastest and the slowest tenth. */
const trimmedMean = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const cut = Math.floor(s.length / 10);
  const kept = s.slice(cut, s.length - cut);
  return kept.reduce((a, b) => a + b, 0) / kept.length;
};
const baseMs = trimmedMean(samples.get('node -e 0'));
const results = cases.map((c) => {
  const ms = trimmedMean(samples.get(c.name));
  return {
    command: c.name,
    cpuMs: Number(ms.toFixed(1)),
    ratio: Number((ms / baseMs).toFixed(2)),
    target: c.target,
    ok: c.target === null || ms / baseMs < c.target,
  };
});
if (args.includes('--json')) console.log(JSON.stringify({ runs, results }, null, 2));
else {
  console.log(
    `CPU time (user+sys) of one start-up, trimmed mean of ${runs} runs, against node -e 0 in the same run`,
  );
  console.log('command                  cpu ms    ratio  target');
  for (const r of results)
    console.log(
      `${r.command.padEnd(24)} ${r.cpuMs.toFixed(1).padStart(7)} ${r.ratio.toFixed(2).padStart(7)}x${r.target ? `  < ${r.target}x ${r.ok ? 'ok' : 'MISSED'}` : ''}`,
    );
}
if (results.some((r) => !r.ok)) process.exitCode = 1;
